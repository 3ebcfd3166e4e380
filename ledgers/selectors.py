"""Reads for the ledgers: a business's ledger, alerts, and the per-business metrics behind G2, C2, E1.

Metrics are annotations (correlated subqueries on indexed columns), so one query serves any number of
businesses; the dashboard and the visit checklist use the same functions:

- with_ledger_metrics(businesses, as_of=, window_days=) annotates each business with
  ledger_recent (lines in the window), ledger_last_on, purchases_recent, purchases_documented
  (purchases with both 索证 and 索票), flagged_recent, open_alerts, keeps_ledger (bool).
- keeps_ledger_exists(prefix, as_of=, window_days=) is an Exists() for filters (G2).
- ledger_rates(businesses, ...) aggregates (two queries): businesses, keeping, documents_complete,
  purchases, documented, keeping_rate and certificate_rate (percentages, Decimal, None when no base).
- ledger_summary(business) is one business's figures for its page and the visit checklist.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.scoping import scope
from campaigns.models import Business

from .choices import AlertState, Direction
from .models import LedgerAlert, LedgerEntry


def window_days(value: int | None = None) -> int:
    """The G2 window: a business keeps a ledger when it has a line dated within this many days."""
    return value if value is not None else settings.WUXIAO_LEDGER_WINDOW_DAYS


def _window(as_of: datetime.date | None, days: int | None) -> tuple[datetime.date, datetime.date]:
    as_of = as_of or timezone.localdate()
    return as_of - datetime.timedelta(days=window_days(days)), as_of


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def keeps_ledger_exists(
    prefix: str = "", as_of: datetime.date | None = None, window: int | None = None
) -> Exists:
    """EXISTS(a ledger line of the business dated within the window) — G2, C2's first half."""
    start, end = _window(as_of, window)
    return Exists(
        LedgerEntry.objects.filter(
            business=OuterRef(f"{prefix}pk"), occurred_on__gte=start, occurred_on__lte=end
        )
    )


def with_ledger_metrics(
    businesses: QuerySet, *, as_of: datetime.date | None = None, window: int | None = None
) -> QuerySet:
    """Annotate a Business queryset with its ledger figures for the window ending on `as_of` (one query)."""
    start, end = _window(as_of, window)
    recent = LedgerEntry.objects.filter(business=OuterRef("pk"), occurred_on__gte=start, occurred_on__lte=end)
    purchases = recent.filter(direction=Direction.PURCHASE)
    last = (
        LedgerEntry.objects.filter(business=OuterRef("pk"), occurred_on__lte=end)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return businesses.annotate(
        ledger_recent=_count(recent),
        ledger_last_on=Subquery(last, output_field=models.DateField()),
        purchases_recent=_count(purchases),
        purchases_documented=_count(purchases.filter(certificate_collected=True, invoice_collected=True)),
        flagged_recent=_count(
            recent.filter(
                Q(flag_no_registration=True)
                | Q(flag_expired_sale=True)
                | Q(flag_no_certificate=True)
                | Q(flag_no_invoice=True)
            )
        ),
        open_alerts=_count(LedgerAlert.objects.filter(business=OuterRef("pk"), state=AlertState.OPEN)),
    ).annotate(
        keeps_ledger=models.ExpressionWrapper(Q(ledger_recent__gt=0), output_field=models.BooleanField())
    )


def certificate_rate(documented: int, purchases: int) -> Decimal | None:
    """索证索票率: purchases with certificate and invoice / purchases; None when nothing was bought."""
    if not purchases:
        return None
    return (Decimal(documented) * 100 / Decimal(purchases)).quantize(Decimal("0.1"))


def ledger_rates(
    businesses: QuerySet, *, as_of: datetime.date | None = None, window: int | None = None
) -> dict:
    """Totals over many businesses: how many keep ledgers (G2/C2) and the share of purchases with
    certificate and invoice (C2, E1's raw-material 索证 rate). Two queries whatever the number:
    the population's size, and one GROUP BY over the window's lines of those businesses."""
    start, end = _window(as_of, window)
    population = businesses.order_by().values("pk")
    purchase = Q(direction=Direction.PURCHASE)
    per_business = (
        LedgerEntry.objects.filter(business__in=population, occurred_on__gte=start, occurred_on__lte=end)
        .values("business")
        .annotate(
            # COUNT(business_id), not COUNT(id): every column read is in the covering index (index-only scan).
            purchases=Count("business", filter=purchase),
            documented=Count(
                "business", filter=purchase & Q(certificate_collected=True, invoice_collected=True)
            ),
        )
        .order_by()
    )
    totals = {"businesses": businesses.order_by().count(), "keeping": 0, "documents_complete": 0}
    totals["purchases"] = totals["documented"] = 0
    for row in per_business:
        totals["keeping"] += 1
        totals["purchases"] += row["purchases"]
        totals["documented"] += row["documented"]
        totals["documents_complete"] += bool(row["purchases"]) and row["documented"] == row["purchases"]
    n = totals["businesses"]
    totals["keeping_rate"] = (Decimal(totals["keeping"]) * 100 / n).quantize(Decimal("0.1")) if n else None
    totals["certificate_rate"] = certificate_rate(totals["documented"], totals["purchases"])
    return totals


def ledger_summary(business, *, as_of: datetime.date | None = None, window: int | None = None) -> dict:
    """One business's ledger figures for its page and the visit checklist (next to the G2 item)."""
    row = with_ledger_metrics(Business.objects.filter(pk=business.pk), as_of=as_of, window=window).values(
        "ledger_recent",
        "ledger_last_on",
        "purchases_recent",
        "purchases_documented",
        "flagged_recent",
        "open_alerts",
        "keeps_ledger",
    )[0]
    row["window_days"] = window_days(window)
    row["certificate_rate"] = certificate_rate(row["purchases_documented"], row["purchases_recent"])
    row["url"] = reverse("ledgers:business_ledger", args=[business.pk])
    return row


def flag_counts(business) -> dict:
    """All-time counts of each flag on a business's lines (one query)."""
    return LedgerEntry.objects.filter(business=business).aggregate(
        no_registration=Count("pk", filter=Q(flag_no_registration=True)),
        expired_sale=Count("pk", filter=Q(flag_expired_sale=True)),
        no_certificate=Count("pk", filter=Q(flag_no_certificate=True)),
        no_invoice=Count("pk", filter=Q(flag_no_invoice=True)),
        total=Count("pk"),
        last_on=Max("occurred_on"),
    )


def ledger_entries(*, business) -> QuerySet:
    """A business's lines, newest first, for its ledger page (the business was scoped by the view;
    ledgers.filters.LedgerEntryFilter narrows them)."""
    qs = LedgerEntry.objects.filter(business=business).select_related("supplier_business", "buyer_business")
    return qs.order_by("-occurred_on", "-pk")


def alert_list(*, user, state: str = "") -> QuerySet:
    """Banned-product alerts the user may see: its departments' categories, its village, or all.
    (The alerts page narrows by state through ledgers.filters.AlertFilter.)"""
    qs = LedgerAlert.objects.select_related(
        "business__village", "business__category", "banned_product", "department", "entry", "handled_by"
    )
    if state in AlertState.values:
        qs = qs.filter(state=state)
    return scope(user, qs, "business__")
