from .checklists import ChecklistItem, ChecklistTemplate
from .grades import FrequencyRule, InspectionProfile
from .orders import DeadlineChange, RectificationOrder
from .publicity import PublicCode
from .sampling import Sample
from .spotchecks import SpotCheckDraw, SpotCheckPair
from .tipoffs import TipOff, TipOffPhoto
from .unlicensed import UnlicensedCase
from .visits import Visit, VisitAmendment, VisitAnswer, VisitLicenceCheck, VisitPhoto

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "DeadlineChange",
    "FrequencyRule",
    "InspectionProfile",
    "PublicCode",
    "RectificationOrder",
    "Sample",
    "SpotCheckDraw",
    "SpotCheckPair",
    "TipOff",
    "TipOffPhoto",
    "UnlicensedCase",
    "Visit",
    "VisitAmendment",
    "VisitAnswer",
    "VisitLicenceCheck",
    "VisitPhoto",
]
