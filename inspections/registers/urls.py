"""URLs of the incident and work registers, included by inspections/urls.py."""

from django.urls import path

from . import views

PUBLIC_URL_NAMES = frozenset({"inspections:exposure_public"})

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("slaughter-returns/", views.slaughter_returns, name="slaughter_returns"),
    path("exposed/", views.exposure_public, name="exposure_public"),
]
