"""Reads for the incident and work registers, scoped through accounts.scoping."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.scoping import (
    business_q,
    departments_q,
    reach,
    reads_every_town,
    scope,
    town_wide_q,
)
from campaigns.models import Business

from ..choices import ActivityKind
from ..models import Activity, Incident, SlaughterReturn


def _via_businesses(user, through) -> Q:
    """Records naming a business the user reaches (one sub-select, so no row repeats)."""
    field = "incident_id" if through.__name__.startswith("Incident") else "activity_id"
    reached = Business.objects.filter(business_q(user)).values("pk")
    return Q(pk__in=through.objects.filter(business_id__in=reached).values(field))


def incident_q(user) -> Q:
    """Incidents a user may read: all for the office, leaders and supervisors; else those in their
    villages or naming a unit they reach."""
    r = reach(user)
    if reads_every_town(user):
        return Q()
    q = Q(pk__in=[])
    if r.read_all:  # issue 24: a town's incidents (and those naming its units)
        q |= town_wide_q(user, "village__town") | _via_businesses(user, Incident.businesses.through)
    if r.villages:
        q |= Q(village_id__in=r.villages)
    if r.departments:
        q |= _via_businesses(user, Incident.businesses.through)
    return q


def incident_list(*, user) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(incident_q(user))
        .select_related("village")
        .annotate(unit_count=Count("businesses"))
        .order_by("-occurred_on", "-pk")
    )


def incident_detail_queryset(*, user) -> QuerySet[Incident]:
    return Incident.objects.filter(incident_q(user)).select_related("village", "recorded_by")


def activity_q(user) -> Q:
    """Work records a user may read: all for read-all roles; else their department's, their villages',
    or those naming a unit they reach."""
    r = reach(user)
    if reads_every_town(user):
        return Q()
    q = Q(pk__in=[])
    if r.read_all:  # issue 24: a town's records — by place, by unit, or recorded by its staff
        q |= (
            town_wide_q(user, "village__town")
            | _via_businesses(user, Activity.businesses.through)
            | (Q(village__isnull=True) & town_wide_q(user, "town"))
        )
    if r.departments:
        placeless = Q(department_id__in=r.departments, village__isnull=True)
        if r.multi_town:  # issue 24: a record naming no place is its town's (Activity.town)
            placeless &= Q(town_id__in={t for _d, t in r.department_towns if t is not None})
        q |= (
            departments_q(user, "department", "village__town")
            | placeless
            | _via_businesses(user, Activity.businesses.through)
        )
    if r.villages:
        q |= Q(village_id__in=r.villages) | _via_businesses(user, Activity.businesses.through)
    return q


def activity_list(*, user) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(activity_q(user))
        .select_related("department", "village")
        .annotate(unit_count=Count("businesses"))
        .order_by("-held_on", "-pk")
    )


def activity_detail_queryset(*, user) -> QuerySet[Activity]:
    return Activity.objects.filter(activity_q(user)).select_related("department", "village", "recorded_by")


def activity_summary(queryset: QuerySet[Activity]) -> list[dict]:
    """How many records of each kind (and people/copies), for the register's report. ONE query."""
    labels = dict(ActivityKind.choices)
    rows = queryset.order_by().values("kind").annotate(n=Count("pk", distinct=True)).order_by("kind")
    return [{"kind": r["kind"], "label": labels.get(r["kind"], r["kind"]), "n": r["n"]} for r in rows]


def published_cases(town=None) -> QuerySet[Activity]:
    """W5: the typical cases the office has published — what the public page shows (`town`'s, issue 24)."""
    cases = Activity.objects.filter(kind=ActivityKind.EXPOSURE, published=True)
    if town is not None:
        cases = cases.filter(town=town)
    return cases.order_by("-held_on", "-pk")


def units_for_forms(*, user) -> QuerySet[Business]:
    """The businesses a user may name on an incident or a work record (resolved by BusinessesField)."""
    return scope(user, Business.objects.select_related("village"))


def record_units(*, user, record) -> QuerySet[Business]:
    """The units named on a record that the user reaches (the others stay unnamed to them)."""
    return scope(user, record.businesses.select_related("category", "village"))


def slaughter_returns(*, user) -> QuerySet[SlaughterReturn]:
    """F1: the monthly returns of the slaughterhouses the user reaches."""
    return scope(user, SlaughterReturn.objects.select_related("business"), "business__").order_by(
        "-month", "business__name"
    )


def slaughterhouses_to_report(*, user) -> QuerySet[Business]:
    """The active slaughterhouses whose returns the user may enter (the lead department, the office)."""
    return scope(user, Business.objects.filter(category__code="slaughter").active(), write=True)
