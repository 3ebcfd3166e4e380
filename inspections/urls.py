from django.urls import path

from . import views
from .enforcement.urls import PUBLIC_URL_NAMES as ENFORCEMENT_PUBLIC_URL_NAMES
from .enforcement.urls import urlpatterns as enforcement_urlpatterns

app_name = "inspections"

# URL names that open without login (namespaced); the roles issue's URL-walk test reads this set.
PUBLIC_URL_NAMES = set(ENFORCEMENT_PUBLIC_URL_NAMES)

urlpatterns = [
    path("", views.due_list, name="due"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/start/<int:business_pk>/", views.visit_start, name="visit_start"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/amend/", views.visit_amend, name="visit_amend"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/docx/", views.order_docx, name="order_docx"),
    path("orders/<int:pk>/pdf/", views.order_pdf, name="order_pdf"),
    path("orders/<int:pk>/deadline/", views.order_reschedule, name="order_reschedule"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/revise/", views.checklist_revise, name="checklist_revise"),
    path("frequencies/", views.frequency_edit, name="frequency_edit"),
    *enforcement_urlpatterns,
]
