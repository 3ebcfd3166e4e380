"""Writes for inspections: each validates, runs in one transaction and returns the object."""

from .checklists import ItemInput, checklist_current, checklist_revise, frequency_rule_save
from .grades import frequency_table_apply, grade_for_score, hygiene_grade_for_score, profile_refresh
from .orders import order_issue, rectification_close, rectification_escalate, rectification_reschedule
from .publicity import public_code_rotate, public_codes_ensure
from .tipoffs import (
    match_business,
    tipoff_record_reward,
    tipoff_schedule_check,
    tipoff_submit,
    tipoff_triage,
)
from .unlicensed import (
    case_add_note,
    case_open,
    case_open_all_unlicensed,
    case_resolve,
    enforcement_department,
)
from .visits import (
    AnswerInput,
    LicenceInput,
    VisitInput,
    photo_add,
    photo_delete,
    visit_amend,
    visit_save_draft,
    visit_start,
    visit_submit,
)

__all__ = [
    "AnswerInput",
    "ItemInput",
    "LicenceInput",
    "VisitInput",
    "case_add_note",
    "case_open",
    "case_open_all_unlicensed",
    "case_resolve",
    "checklist_current",
    "checklist_revise",
    "enforcement_department",
    "frequency_rule_save",
    "frequency_table_apply",
    "grade_for_score",
    "hygiene_grade_for_score",
    "match_business",
    "order_issue",
    "photo_add",
    "photo_delete",
    "profile_refresh",
    "public_code_rotate",
    "public_codes_ensure",
    "rectification_close",
    "rectification_escalate",
    "rectification_reschedule",
    "tipoff_record_reward",
    "tipoff_schedule_check",
    "tipoff_submit",
    "tipoff_triage",
    "visit_amend",
    "visit_save_draft",
    "visit_start",
    "visit_submit",
]
