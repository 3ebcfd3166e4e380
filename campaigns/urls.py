from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("businesses/", views.business_list, name="business_list"),
    path("businesses/search.json", views.business_search, name="business_search"),
    path("businesses/new/", views.business_create, name="business_create"),
    path("businesses/export.xlsx", views.roster_export, name="roster_export"),
    path("businesses/import/", views.roster_import, name="roster_import"),
    path("businesses/import/template.xlsx", views.roster_template, name="roster_template"),
    path("businesses/import/<int:pk>/", views.roster_import_detail, name="roster_import_detail"),
    path("businesses/import/<int:pk>/progress/", views.roster_import_progress, name="roster_import_progress"),
    path("businesses/import/<int:pk>/confirm/", views.roster_import_confirm, name="roster_import_confirm"),
    path("businesses/import/<int:pk>/errors.xlsx", views.roster_import_errors, name="roster_import_errors"),
    path("businesses/<int:pk>/", views.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<int:pk>/history/", views.business_history, name="business_history"),
    path("businesses/<int:pk>/licences/new/", views.licence_add, name="licence_add"),
    path("licences/<int:pk>/edit/", views.licence_edit, name="licence_edit"),
    path("licences/<int:pk>/renew/", views.licence_renew, name="licence_renew"),
    path("licences/<int:pk>/revoke/", views.licence_revoke, name="licence_revoke"),
    # O5: a city bureau's certifications and revocations of the licences it issues
    path("certifications/", views.certification_list, name="certification_list"),
    path("certifications/new/", views.certification_add, name="certification_add"),
    path("certifications/<int:pk>/revoke/", views.certification_revoke, name="certification_revoke"),
    path("businesses/<int:business_pk>/help/", views.help_add, name="help_add"),
    path("businesses/<int:business_pk>/green-channel/", views.green_channel_save, name="green_channel_save"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_edit, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("green-channel/", views.green_channel_list, name="green_channel_list"),
    path("licences/temporary/", views.temporary_licences, name="temporary_licences"),
    path("village-groups/", views.village_groups, name="village_groups"),
    path(
        "village-groups/<int:pk>/remove/",
        views.village_group_member_remove,
        name="village_group_member_remove",
    ),
    path("reissues/", views.reissue_progress, name="reissue_progress"),
    path("campaign/e-ledger-goal/", views.e_ledger_goal, name="e_ledger_goal"),
    path("towns/settings/", views.town_settings, name="town_settings"),
    path("towns/<int:pk>/settings/", views.town_settings_edit, name="town_settings_edit"),
    path("towns/campaigns/", views.town_campaigns, name="town_campaigns"),
    path("towns/<int:pk>/campaign/", views.town_campaign_edit, name="town_campaign_edit"),
    # O1: the town's leading group
    path("leading-group/", views.leading_groups, name="leading_groups"),
    path("towns/<int:pk>/leading-group/add/", views.leading_group_add, name="leading_group_add"),
    path("leading-group/<int:pk>/edit/", views.leading_group_member_edit, name="leading_group_member_edit"),
    path(
        "leading-group/<int:pk>/remove/",
        views.leading_group_member_remove,
        name="leading_group_member_remove",
    ),
]
