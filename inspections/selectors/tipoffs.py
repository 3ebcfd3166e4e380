"""Reads for tip-offs (W5), scoped through accounts.scoping; every list is a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.scoping import business_q, departments_q, reach, reads_every_town, town_wide_q

from ..choices import TipOffStatus
from ..models import TipOff, TipOffPhoto

# --- tip-offs ------------------------------------------------------------------------------------------


def tipoff_q(user) -> Q:
    """Tip-offs a user may read: everything for office, leaders and supervisors; a department those it
    is assigned or that name a business it leads; an inspector those in their village."""
    r = reach(user)
    if reads_every_town(user):
        return Q()
    q = Q(pk__in=[])
    if r.departments:
        q |= departments_q(user, "lead_department", "town", "village__town", "business__village__town")
    if r.villages:
        q |= Q(village_id__in=r.villages)
    if r.departments or r.villages:
        q |= Q(business__isnull=False) & business_q(user, "business__")
    # Unfinished triage and spam stay with the office.
    q &= ~Q(status__in=[TipOffStatus.RECEIVED, TipOffStatus.SPAM])
    if r.read_all:
        # Issue 24, town first: a town's office reads its own town's tip-offs — by village, by unit, or,
        # for those naming neither (the public said 不清楚), by the town they came in for (TipOff.town).
        q |= town_wide_q(user, "town", "village__town", "business__village__town")
    return q


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


def tipoff_counts(user=None) -> dict[str, int]:
    """Tip-offs per status, for the office's list header (one query): those the user reads (issue 24)."""
    tipoffs = TipOff.objects.filter(tipoff_q(user)) if user is not None else TipOff.objects.all()
    rows = tipoffs.values("status").annotate(n=Count("pk")).order_by()
    counts = {s: 0 for s in TipOffStatus.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def tipoff_photo_queryset(*, user) -> QuerySet[TipOffPhoto]:
    """Photos of the tip-offs the user may read (spam included: the office reviews it)."""
    return TipOffPhoto.objects.filter(tipoff__in=tipoff_list(user=user, include_spam=True).values("pk"))
