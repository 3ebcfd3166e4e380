from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_ledger, name="my_ledger"),
    path("business/<int:pk>/", views.business_ledger, name="business_ledger"),
    path("business/<int:pk>/new/", views.lines_new, name="lines_new"),
    path("business/<int:pk>/import/", views.ledger_import_view, name="import"),
    path("import-template.xlsx", views.import_template, name="import_template"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/handle/", views.alert_handle, name="alert_handle"),
    path("trace/", views.trace, name="trace"),
]
