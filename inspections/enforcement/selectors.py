"""Reads for the enforcement tools, scoped through accounts.scoping; every list is a constant number of
queries."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.scoping import business_q, reach

from ..models import TipOff, UnlicensedCase
from .choices import CASE_ANSWER_DAYS, CaseStatus, TipOffStatus

# Age bands of open cases (days since opened), for the list by village and age.
AGE_BANDS = ((CASE_ANSWER_DAYS, "≤30天"), (90, "31–90天"), (None, ">90天"))


# --- tip-offs ------------------------------------------------------------------------------------------
def can_triage_tipoffs(user) -> bool:
    """Triage and the tipster's contact belong to the office alone."""
    return reach(user).write_all


def can_see_tipoffs(user) -> bool:
    r = reach(user)
    return r.read_all or bool(r.departments or r.villages)


def tipoff_q(user) -> Q:
    """Tip-offs a user may read: everything for office, leaders and supervisors; a department those it
    is assigned or that name a business it leads; an inspector those in their village."""
    r = reach(user)
    if r.read_all:
        return Q()
    q = Q(pk__in=[])
    if r.departments:
        q |= Q(lead_department_id__in=r.departments)
    if r.villages:
        q |= Q(village_id__in=r.villages)
    if r.departments or r.villages:
        q |= Q(business__isnull=False) & business_q(user, "business__")
    # Unfinished triage and spam stay with the office.
    return q & ~Q(status__in=[TipOffStatus.RECEIVED, TipOffStatus.SPAM])


def tipoff_list(*, user, include_spam: bool = False) -> QuerySet[TipOff]:
    qs = TipOff.objects.select_related("village", "business", "lead_department", "suggested_business")
    qs = qs.filter(tipoff_q(user))
    if not include_spam:
        qs = qs.exclude(status=TipOffStatus.SPAM)
    return qs.annotate(photo_count=Count("photos")).order_by("-submitted_at", "-pk")


def tipoff_detail_queryset(*, user) -> QuerySet[TipOff]:
    return (
        TipOff.objects.select_related(
            "village", "business__category", "lead_department", "suggested_business", "triaged_by"
        )
        .prefetch_related("photos", "unlicensed_cases")
        .filter(tipoff_q(user))
    )


def tipoff_check_visits(tipoff: TipOff) -> list:
    """The tip-off's 举报核查 visits, newest first, with their inspectors (two queries)."""
    return list(
        tipoff.check_visits.select_related("business")
        .prefetch_related("inspectors")
        .order_by("-started_at", "-pk")
    )


def tipoff_counts() -> dict[str, int]:
    """Tip-offs per status, for the office's list header (one query)."""
    rows = TipOff.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {s: 0 for s in TipOffStatus.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- unlicensed-unit cases -----------------------------------------------------------------------------
def can_work_cases(user) -> bool:
    """Opening and closing cases: the office and the enforcement branch (U1)."""
    r = reach(user)
    return r.write_all or bool(r.enforcement_departments)


def case_q(user) -> Q:
    """A department sees the cases it leads — for the enforcement branch that is every case, whether or not
    the business still lacks a licence; others see the cases of the businesses they may read (a department
    its categories, an inspector their village)."""
    r = reach(user)
    if r.read_all:
        return Q()
    q = business_q(user, "business__")
    if r.departments:
        q |= Q(department_id__in=r.departments)
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
    from campaigns.models import Business

    return (
        Business.objects.active()
        .licences_complete(False, as_of)
        .exclude(unlicensed_cases__status=CaseStatus.OPEN)
        .count()
    )
