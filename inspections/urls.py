from django.urls import path

from . import views

app_name = "inspections"

# URL names that open without login (namespaced); the URL-walk test reads this set.
PUBLIC_URL_NAMES = frozenset(
    {
        "inspections:tipoff_public_create",
        "inspections:tipoff_public_thanks",
        "inspections:tipoff_public_status",
        "inspections:spotcheck_results_public",
        "inspections:exposure_public",
        # issue 25 (一公开): a unit's page behind its QR placard, the town's public results (urls_public)
        "public:unit",
        "public:town",
        # The offline app's worker and manifest: fetched by the browser itself, they hold no data.
        "inspections:offline_sw",
        "inspections:offline_manifest",
    }
)


urlpatterns = [
    path("", views.due_list, name="due"),
    path("offline/", views.offline_app, name="offline_app"),
    path("offline/sw.js", views.service_worker, name="offline_sw"),
    path("offline/manifest.webmanifest", views.manifest, name="offline_manifest"),
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
    # tip-offs, unlicensed-unit cases, spot checks and sampling
    path("report/", views.tipoff_public_create, name="tipoff_public_create"),
    path("report/thanks/", views.tipoff_public_thanks, name="tipoff_public_thanks"),
    path("report/status/", views.tipoff_public_status, name="tipoff_public_status"),
    path("tipoffs/", views.tipoff_list, name="tipoff_list"),
    path("tipoffs/<int:pk>/", views.tipoff_detail, name="tipoff_detail"),
    path("tipoffs/photos/<int:pk>/", views.tipoff_photo, name="tipoff_photo"),
    path("unlicensed/", views.case_list, name="case_list"),
    path("unlicensed/open-all/", views.case_open_all, name="case_open_all"),
    path("unlicensed/<int:pk>/", views.case_detail, name="case_detail"),
    path("unlicensed/open/<int:business_pk>/", views.case_open, name="case_open"),
    path("results/", views.spotcheck_results_public, name="spotcheck_results_public"),
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_create, name="draw_create"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/redraw/", views.draw_create, name="draw_redraw"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/new/<int:business_pk>/", views.sample_create, name="sample_create"),
    path("samples/result/", views.sample_result, name="sample_result"),
    path("samples/import/", views.sample_import, name="sample_import"),
    path("samples/import/template/", views.sample_import_template, name="sample_import_template"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    # D5 drug sales against the law
    path("drug-sales/", views.drug_sale_list, name="drug_sale_list"),
    # C4 holiday-goods checks
    path("holiday-checks/", views.holiday_round_list, name="holiday_round_list"),
    path("holiday-checks/<int:pk>/", views.holiday_round, name="holiday_round"),
    # A6 vegetable pesticide-residue results
    path("residues/", views.residue_list, name="residue_list"),
    path("residues/new/", views.residue_create, name="residue_create"),
    # C7 incidents, the work register, F1 monthly returns, W5 published cases
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("slaughter-returns/", views.slaughter_returns, name="slaughter_returns"),
    path("exposed/", views.exposure_public, name="exposure_public"),
    # 一公开: QR placards (office, lead departments) and the office's code rotation
    path("placards/", views.placard_sheet, name="placard_sheet"),
    path("placards/<int:business_pk>/", views.placard_one, name="placard_one"),
    path("placards/<int:business_pk>/rotate/", views.public_code_rotate_view, name="public_code_rotate"),
]
