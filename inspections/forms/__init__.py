"""Forms for inspections, one module per topic."""

from .sampling import (
    XLSX,
    ResidueResultForm,
    SampleForm,
    SampleImportForm,
    SampleResultForm,
)
from .spotchecks import (
    DrawForm,
    RedrawForm,
    pool_queryset,
)
from .tipoffs import (
    MultiplePhotoField,
    TipOffCheckForm,
    TipOffForm,
    TipOffRewardForm,
    TipOffTriageForm,
)
from .unlicensed import (
    CaseFilterForm,
    CaseNoteForm,
    CaseResolveForm,
)
from .visits import (
    YES_NO,
    AmendmentForm,
    ChecklistReviseForm,
    DeadlineChangeForm,
    FrequencyRuleForm,
    FrequencyRuleFormSet,
    MultipleFileField,
    VisitForm,
    VisitStartForm,
)

__all__ = [
    "XLSX",
    "YES_NO",
    "AmendmentForm",
    "CaseFilterForm",
    "CaseNoteForm",
    "CaseResolveForm",
    "ChecklistReviseForm",
    "DeadlineChangeForm",
    "DrawForm",
    "FrequencyRuleForm",
    "FrequencyRuleFormSet",
    "MultipleFileField",
    "MultiplePhotoField",
    "RedrawForm",
    "ResidueResultForm",
    "SampleForm",
    "SampleImportForm",
    "SampleResultForm",
    "TipOffCheckForm",
    "TipOffForm",
    "TipOffRewardForm",
    "TipOffTriageForm",
    "VisitForm",
    "VisitStartForm",
    "pool_queryset",
]
