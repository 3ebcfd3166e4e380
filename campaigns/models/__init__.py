from .business import Business, Licence
from .imports import ImportRecord, ImportStatus
from .reference import (
    Campaign,
    Category,
    Department,
    LeadingGroupMember,
    LicenceRequirement,
    LicenceType,
    Market,
    Phase,
    SubType,
    Town,
    Village,
)

__all__ = [
    "Business",
    "Campaign",
    "Category",
    "Department",
    "ImportRecord",
    "ImportStatus",
    "LeadingGroupMember",
    "Licence",
    "LicenceRequirement",
    "LicenceType",
    "Market",
    "Phase",
    "SubType",
    "Town",
    "Village",
]
