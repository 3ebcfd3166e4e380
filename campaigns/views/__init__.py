from .certifications import certification_add, certification_list, certification_revoke
from .health import healthz
from .help import e_ledger_goal, green_channel_save, help_add, site_detail, site_edit, site_list
from .history import business_history
from .roster import (
    business_create,
    business_detail,
    business_edit,
    business_list,
    business_search,
    licence_add,
    licence_edit,
    licence_renew,
    licence_revoke,
)
from .roster_io import (
    roster_export,
    roster_import,
    roster_import_confirm,
    roster_import_detail,
    roster_import_errors,
    roster_import_progress,
    roster_template,
)
from .town import town_campaign_edit, town_campaigns, town_settings, town_settings_edit
from .workflows import (
    green_channel_list,
    reissue_progress,
    temporary_licences,
    village_group_member_remove,
    village_groups,
)

__all__ = [
    "business_create",
    "business_detail",
    "business_edit",
    "business_history",
    "business_list",
    "business_search",
    "certification_add",
    "certification_list",
    "certification_revoke",
    "e_ledger_goal",
    "green_channel_list",
    "green_channel_save",
    "healthz",
    "help_add",
    "licence_add",
    "licence_edit",
    "licence_renew",
    "licence_revoke",
    "reissue_progress",
    "roster_export",
    "roster_import",
    "roster_import_confirm",
    "roster_import_detail",
    "roster_import_errors",
    "roster_import_progress",
    "roster_template",
    "site_detail",
    "site_edit",
    "site_list",
    "temporary_licences",
    "town_campaign_edit",
    "town_campaigns",
    "town_settings",
    "town_settings_edit",
    "village_group_member_remove",
    "village_groups",
]
