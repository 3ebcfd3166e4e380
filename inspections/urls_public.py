"""一公开 (issue 25): the short public addresses printed on the QR placards and posters (/p/…), no login."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.public_town, name="town"),
    # Codes are URL-safe base64 (PublicCode.code): anything else is not a code and gets the usual 404.
    path("<str:code>/", views.public_unit, name="unit"),
]
