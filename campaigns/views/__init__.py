from .health import healthz
from .roster import (
    business_create,
    business_detail,
    business_edit,
    business_list,
    licence_add,
    licence_edit,
    licence_renew,
    licence_revoke,
)

__all__ = [
    "business_create",
    "business_detail",
    "business_edit",
    "business_list",
    "healthz",
    "licence_add",
    "licence_edit",
    "licence_renew",
    "licence_revoke",
]
