"""Reads for unlicensed-unit cases (U1), scoped through accounts.scoping; a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.scoping import business_q, departments_q, reach, reads_every_town
from campaigns.models import Business

from ..choices import CASE_ANSWER_DAYS, CaseStatus
from ..models import UnlicensedCase

# Age bands of open cases (days since opened), for the list by village and age.
AGE_BANDS = ((CASE_ANSWER_DAYS, "≤30天"), (90, "31–90天"), (None, ">90天"))


# --- unlicensed-unit cases -----------------------------------------------------------------------------


def case_q(user) -> Q:
    """A department sees the cases it leads — for the enforcement branch that is every case, whether or not
    the business still lacks a licence; others see the cases of the businesses they may read (a department
    its categories, an inspector their village)."""
    r = reach(user)
    if reads_every_town(user):
        return Q()
    q = business_q(user, "business__")  # a town's office, leaders, supervisors: their towns (issue 24)
    if r.departments:
        q |= departments_q(user, "department", "business__village__town")
    return q


def case_list(*, user) -> QuerySet[UnlicensedCase]:
    return UnlicensedCase.objects.select_related(
        "business__village", "business__category", "department"
    ).filter(case_q(user))


def case_detail_queryset(*, user) -> QuerySet[UnlicensedCase]:
    return case_list(user=user).select_related("tipoff", "opened_by", "resolved_by")


def _age_band(today: datetime.date) -> Case:
    whens = []
    for i, (limit, _label) in enumerate(AGE_BANDS):
        if limit is not None:
            whens.append(When(opened_on__gte=today - datetime.timedelta(days=limit), then=Value(i)))
    return Case(*whens, default=Value(len(AGE_BANDS) - 1), output_field=IntegerField())


def open_cases_by_village_and_age(*, user, today: datetime.date | None = None) -> list[dict]:
    """Open cases per village per age band, one query: [{'village': name, 'bands': [n, n, n], 'total': n}]."""
    today = today or timezone.localdate()
    rows = (
        case_list(user=user)
        .filter(status=CaseStatus.OPEN)
        .annotate(band=_age_band(today))
        .values("business__village_id", "business__village__name", "business__village__order", "band")
        .annotate(n=Count("pk"))
        .order_by("business__village__order", "business__village__name")
    )
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["business__village_id"],
            {
                "village_id": row["business__village_id"],
                "village": row["business__village__name"],
                "bands": [0] * len(AGE_BANDS),
                "total": 0,
            },
        )
        entry["bands"][row["band"]] += row["n"]
        entry["total"] += row["n"]
    return list(table.values())


def unlicensed_without_case_count(*, as_of: datetime.date | None = None) -> int:
    """Active businesses missing a licence with no open case: what 'open all' would open."""
    return (
        Business.objects.active()
        .licences_complete(False, as_of)
        .exclude(unlicensed_cases__status=CaseStatus.OPEN)
        .count()
    )
