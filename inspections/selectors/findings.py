"""Reads for the findings of the special actions: drug sales against the law (D5). Scoped through the
finding's business; the reports are grouped queries, a constant number whatever the town's size."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.scoping import scope
from campaigns.models import Village

from ..choices import DrugSaleKind
from ..models import DrugSaleFinding

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
