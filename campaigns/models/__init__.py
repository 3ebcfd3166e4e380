from .business import Business, Licence
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
