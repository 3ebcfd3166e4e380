"""Reads for the findings of the special actions: drug sales against the law (D5), holiday-goods checks
(C4). Scoped through the finding's business; the reports are grouped queries, a constant number whatever
the town's size."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.scoping import business_q, scope
from campaigns.models import Village

from ..choices import DrugSaleKind, HolidayFinding
from ..models import DrugSaleFinding, HolidayCheck, HolidayCheckRound

INDUSTRIAL_ZONE = "industrial_zone"  # D5: the grocery sub-type of the industrial zones' stores


def drug_sale_findings(*, user) -> QuerySet[DrugSaleFinding]:
    """D5: every drug-sale finding on a unit the user reaches, newest first."""
    qs = DrugSaleFinding.objects.select_related(
        "business__village", "business__category", "referred_to"
    ).order_by("-found_on", "-pk")
    return scope(user, qs, "business__")


def drug_sales_by_village(queryset: QuerySet[DrugSaleFinding]) -> list[dict]:
    """D5: per village, the units found selling drugs (and how many of them in the industrial zone), the
    findings and the findings by kind — from the (filtered) findings, two queries."""
    # distinct: the sub-type join repeats a finding once per sub-type of its unit
    kinds = {k: Count("pk", filter=Q(kind=k), distinct=True) for k in DrugSaleKind.values}
    rows = (
        queryset.order_by()
        .values("business__village")
        .annotate(
            units=Count("business", distinct=True),
            zone_units=Count("business", distinct=True, filter=Q(business__subtypes__code=INDUSTRIAL_ZONE)),
            findings=Count("pk", distinct=True),
            **kinds,
        )
    )
    villages = Village.objects.in_bulk([r["business__village"] for r in rows])
    out = [
        {
            "village": villages[r["business__village"]],
            "units": r["units"],
            "zone_units": r["zone_units"],
            "findings": r["findings"],
            "kinds": [(k, label, r[k]) for k, label in DrugSaleKind.choices],
        }
        for r in rows
    ]
    return sorted(out, key=lambda row: (row["village"].order, row["village"].name))


# --- C4 holiday-goods checks -----------------------------------------------------------------------
def _finding_counts(prefix: str = "", within: Q | None = None) -> dict:
    """Count expressions over holiday checks (reached through `prefix`), within `within`: the units
    checked, those with any finding, and those with each kind of finding (HolidayFinding)."""

    def count(q: Q | None = None):
        q = (q or Q()) & (within or Q())
        return Count(f"{prefix}pk", filter=q, distinct=True) if q else Count(f"{prefix}pk", distinct=True)

    flags = [Q(**{f"{prefix}{kind}": True}) for kind in HolidayFinding.values]
    found = flags[0]
    for flag in flags[1:]:
        found |= flag
    return {
        "checked": count(),
        "with_findings": count(found),
        **{kind: count(flag) for kind, flag in zip(HolidayFinding.values, flags, strict=True)},
    }


def holiday_rounds(*, user) -> QuerySet[HolidayCheckRound]:
    """C4: the town's rounds (the office's plan, shown to every field role), each annotated with its report
    over the checks the user reaches: units checked, with a finding, with each kind — one query."""
    reached = business_q(user, "checks__business__")
    counts = _finding_counts("checks__", reached or None)
    return HolidayCheckRound.objects.annotate(**counts).order_by("-starts_on", "-pk")


def holiday_round_queryset(*, user) -> QuerySet[HolidayCheckRound]:
    """C4: a round's page (any field role; its checks are scoped by holiday_checks)."""
    return HolidayCheckRound.objects.all()


def holiday_checks(*, user) -> QuerySet[HolidayCheck]:
    """C4: the checks of the units the user reaches, with the unit and its village."""
    qs = HolidayCheck.objects.select_related("business__village", "business__category", "round")
    return scope(user, qs, "business__").order_by("-checked_on", "-pk")


def holiday_report(checks: QuerySet[HolidayCheck]) -> dict:
    """C4: a round's report over (filtered) checks: units checked, with a finding, and by kind, with the
    kinds' labels in order — one query."""
    got = checks.order_by().aggregate(**_finding_counts())
    got["kinds"] = [(kind, label, got[kind]) for kind, label in HolidayFinding.choices]
    return got
