from .health import healthz
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

__all__ = [
    "business_create",
    "business_detail",
    "business_edit",
    "business_history",
    "business_list",
    "business_search",
    "healthz",
    "licence_add",
    "licence_edit",
    "licence_renew",
    "licence_revoke",
    "roster_export",
    "roster_import",
    "roster_import_confirm",
    "roster_import_detail",
    "roster_import_errors",
    "roster_import_progress",
    "roster_template",
]
