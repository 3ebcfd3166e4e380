"""Reads for the ledgers: a business's ledger, alerts, and the per-business metrics behind G2, C2, E1.

Metrics are annotations (correlated subqueries on indexed columns), so one query serves any number of
businesses; the dashboard and the visit checklist use the same functions:

- with_ledger_metrics(businesses, as_of=, window=) annotates each business with
  ledger_recent (lines in the window), ledger_last_on, purchases_recent, purchases_documented
  (purchases with both 索证 and 索票), flagged_recent, open_alerts, keeps_ledger (bool).
- keeps_ledger_exists(prefix, as_of=, window=) is a condition for filters (G2).
- ledger_rates(businesses, ...) aggregates (two queries, three with the towns' windows): businesses,
  keeping, documents_complete, purchases, documented, keeping_rate and certificate_rate (percentages,
  Decimal, None when no base).
- ledger_summary(business) is one business's figures for its page and the visit checklist.

The window is each business's town's (issue 24: campaigns.town_settings — a town may set its own, the
installation's WUXIAO_LEDGER_WINDOW_DAYS otherwise) unless a `window` is passed.
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
from campaigns import town_settings
from campaigns.models import Business

from .choices import AlertState, Direction
from .models import LedgerAlert, LedgerEntry


def window_days(value: int | None = None, *, town=None) -> int:
    """The G2 window: a business keeps a ledger when it has a line dated within this many days — `value`
    if given, else the town's (issue 24; one query), else the installation's default."""
    if value is not None:
        return value
    if town is not None:
        return town_settings.of_town(town).ledger_window_days
    return settings.WUXIAO_LEDGER_WINDOW_DAYS


def _window(as_of: datetime.date | None, days: int | None) -> tuple[datetime.date, datetime.date]:
    as_of = as_of or timezone.localdate()
    return as_of - datetime.timedelta(days=window_days(days)), as_of


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def keeps_ledger_exists(prefix: str = "", as_of: datetime.date | None = None, window: int | None = None) -> Q:
    """EXISTS(a ledger line of the business dated within the window) — G2, C2's first half: `window` days,
    or each business's town's (a condition per distinct window, campaigns.town_settings.per_window)."""

    def exists(days: int) -> Q:
        start, end = _window(as_of, days)
        lines = LedgerEntry.objects.filter(
            business=OuterRef(f"{prefix}pk"), occurred_on__gte=start, occurred_on__lte=end
        )
        return Q(Exists(lines))

    if window is not None:
        return exists(window)
    return town_settings.per_window(exists, town_settings.ledger_windows(), f"{prefix}village__town_id")


def with_ledger_metrics(
    businesses: QuerySet, *, as_of: datetime.date | None = None, window: int | None = None
) -> QuerySet:
    """Annotate a Business queryset with its ledger figures for the window ending on `as_of` (one query):
    `window` days, or each business's town's window (a CASE over the towns that set their own; one more
    query, for those towns, whatever the number of businesses)."""
    as_of = as_of or timezone.localdate()
    windows = town_settings.ledger_windows() if window is None else {}

    def recent(days: int) -> QuerySet:
        start, end = _window(as_of, days)
        return LedgerEntry.objects.filter(
            business=OuterRef("pk"), occurred_on__gte=start, occurred_on__lte=end
        )

    def per_town(build):
        if window is not None:
            return build(window)
        return town_settings.window_case(build, windows)

    last = (
        LedgerEntry.objects.filter(business=OuterRef("pk"), occurred_on__lte=as_of)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    flagged = (
        Q(flag_no_registration=True)
        | Q(flag_expired_sale=True)
        | Q(flag_no_certificate=True)
        | Q(flag_no_invoice=True)
    )
    documented = Q(direction=Direction.PURCHASE, certificate_collected=True, invoice_collected=True)
    return businesses.annotate(
        ledger_recent=per_town(lambda d: _count(recent(d))),
        ledger_last_on=Subquery(last, output_field=models.DateField()),
        purchases_recent=per_town(lambda d: _count(recent(d).filter(direction=Direction.PURCHASE))),
        purchases_documented=per_town(lambda d: _count(recent(d).filter(documented))),
        flagged_recent=per_town(lambda d: _count(recent(d).filter(flagged))),
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
    as_of = as_of or timezone.localdate()
    population = businesses.order_by().values("pk")
    purchase = Q(direction=Direction.PURCHASE)

    def dated(days: int) -> Q:
        start, end = _window(as_of, days)
        return Q(occurred_on__gte=start, occurred_on__lte=end)

    if window is not None:
        in_window = dated(window)
    else:  # each business's town's window (issue 24)
        in_window = town_settings.per_window(
            dated, town_settings.ledger_windows(), "business__village__town_id"
        )
    per_business = (
        LedgerEntry.objects.filter(in_window, business__in=population)
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
    """One business's ledger figures for its page and the visit checklist (next to the G2 item), over its
    town's window unless `window` is given."""
    if window is None:
        window = town_settings.of_business(business).ledger_window_days
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
