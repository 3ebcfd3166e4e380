"""Writes of the enforcement tools; each validates, runs in one transaction and returns the object."""

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

__all__ = [
    "case_add_note",
    "case_open",
    "case_open_all_unlicensed",
    "case_resolve",
    "enforcement_department",
    "match_business",
    "tipoff_record_reward",
    "tipoff_schedule_check",
    "tipoff_submit",
    "tipoff_triage",
]
