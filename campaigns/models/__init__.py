from .business import Business, Licence
from .help import GreenChannel, HelpRecord, ProcessingSite
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
from .town_settings import TownSettings
from .workflows import LicenceReissue, VillageGroupMember

__all__ = [
    "Business",
    "Campaign",
    "Category",
    "Department",
    "GreenChannel",
    "HelpRecord",
    "ImportRecord",
    "ImportStatus",
    "LeadingGroupMember",
    "Licence",
    "LicenceReissue",
    "LicenceRequirement",
    "LicenceType",
    "Market",
    "Phase",
    "ProcessingSite",
    "SubType",
    "Town",
    "TownSettings",
    "Village",
    "VillageGroupMember",
]
