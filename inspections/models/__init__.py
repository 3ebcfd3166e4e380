from .checklists import ChecklistItem, ChecklistTemplate
from .grades import FrequencyRule, InspectionProfile
from .orders import RectificationOrder
from .visits import Visit, VisitAmendment, VisitAnswer, VisitLicenceCheck, VisitPhoto

__all__ = [
    "ChecklistItem",
    "ChecklistTemplate",
    "FrequencyRule",
    "InspectionProfile",
    "RectificationOrder",
    "Visit",
    "VisitAmendment",
    "VisitAnswer",
    "VisitLicenceCheck",
    "VisitPhoto",
]
