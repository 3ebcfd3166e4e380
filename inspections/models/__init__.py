from .activities import Activity
from .checklists import ChecklistItem, ChecklistTemplate
from .findings import DrugSaleFinding, HolidayCheck, HolidayCheckRound
from .grades import FrequencyRule, InspectionProfile
from .incidents import Incident
from .orders import DeadlineChange, RectificationOrder
from .publicity import PublicCode
from .sampling import Sample
from .slaughter import SlaughterReturn
from .spotchecks import SpotCheckDraw, SpotCheckPair
from .tipoffs import TipOff, TipOffPhoto
from .unlicensed import UnlicensedCase
from .visits import Visit, VisitAmendment, VisitAnswer, VisitLicenceCheck, VisitPhoto

__all__ = [
    "Activity",
    "ChecklistItem",
    "ChecklistTemplate",
    "DeadlineChange",
    "DrugSaleFinding",
    "FrequencyRule",
    "HolidayCheck",
    "HolidayCheckRound",
    "Incident",
    "InspectionProfile",
    "PublicCode",
    "RectificationOrder",
    "Sample",
    "SlaughterReturn",
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
