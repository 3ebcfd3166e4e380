from .checklists import ChecklistItem, ChecklistTemplate
from .grades import FrequencyRule, InspectionProfile
from .orders import RectificationOrder
from .tipoffs import TipOff, TipOffPhoto
from .unlicensed import UnlicensedCase
from .visits import Visit, VisitAmendment, VisitAnswer, VisitLicenceCheck, VisitPhoto

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "FrequencyRule",
    "InspectionProfile",
    "RectificationOrder",
    "TipOff",
    "TipOffPhoto",
    "UnlicensedCase",
    "Visit",
    "VisitAmendment",
    "VisitAnswer",
    "VisitLicenceCheck",
    "VisitPhoto",
]
