"""Reads for random spot checks and sampling (P2, A5, D4, D6); scoped, a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.scoping import business_q, reach
from campaigns.models import Business, Campaign

from ..choices import VisitStatus
from ..models import Sample, SpotCheckDraw, SpotCheckPair
from .choices import SampleResult

# D4: follow-up (GSP) inspections must cover at least this share of retail pharmacies.
D4_TARGET_PERCENT = 30


# --- spot checks ---------------------------------------------------------------------------------------
def can_draw(user) -> bool:
    """Draws are made by the office (the leading group's office organises the acceptance phase, P2)."""
    return reach(user).write_all


def can_see_draws(user) -> bool:
    return reach(user).read_all


def draw_list() -> QuerySet[SpotCheckDraw]:
    return (
        SpotCheckDraw.objects.select_related("created_by", "redraw_of")
        .annotate(
            pair_count=Count("pairs", distinct=True),
            done_count=Count("pairs", filter=Q(pairs__visit__status=VisitStatus.SUBMITTED), distinct=True),
        )
        .order_by("-pk")
    )  # GROUP BY drops Meta.ordering; pages need a stable order


def draw_pairs(draw: SpotCheckDraw) -> QuerySet[SpotCheckPair]:
    return (
        draw.pairs.select_related("business__village", "business__category", "visit")
        .prefetch_related("inspectors")
        .order_by("order")
    )


def published_results() -> QuerySet[SpotCheckPair]:
    """一公开: the pairs whose visit was submitted, with what may be published (business, date, outcome).

    Nothing else: no inspectors, no operator, no unsubmitted visit; a superseded draw's pairs have no
    visit left, so they never show."""
    return (
        SpotCheckPair.objects.filter(visit__status=VisitStatus.SUBMITTED)
        .select_related("business__village", "business__category", "visit", "draw")
        .only(
            "draw__title",
            "draw__planned_on",
            "business__name",
            "business__village__name",
            "business__category__short_name",
            "visit__submitted_at",
            "visit__started_at",
            "visit__outcome",
            "visit__status",
        )
        .order_by("-visit__submitted_at", "pk")
    )


# --- sampling ------------------------------------------------------------------------------------------
def sample_list(*, user) -> QuerySet[Sample]:
    return Sample.objects.select_related("business__village", "business__category", "order").filter(
        business_q(user, "business__")
    )


def samples_awaiting_follow_up(*, user) -> QuerySet[Business]:
    """D6: businesses with a failed sample no later sample followed up — sample them next time."""
    failed = Sample.objects.filter(business=OuterRef("pk"), result=SampleResult.FAIL, follow_ups__isnull=True)
    return (
        Business.objects.active()
        .filter(business_q(user))
        .filter(Exists(failed))
        .select_related("village", "category")
        .order_by("village__order", "name")
    )


# --- D4 ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    total: int
    covered: int
    since: datetime.date | None
    until: datetime.date
    target_percent: int = D4_TARGET_PERCENT

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.total, 1) if self.total else 0.0

    @property
    def met(self) -> bool:
        return self.total > 0 and self.covered * 100 >= self.target_percent * self.total


def pharmacy_followup_coverage(
    *, since: datetime.date | None = None, until: datetime.date | None = None
) -> Coverage:
    """D4: the share of trading retail pharmacies (小药店, 药品零售企业) that had a GSP follow-up inspection
    between `since` (default: the current campaign's start) and `until` (default today).

    Counted by the targets dashboard's own rule for D4 (dashboard.evidence.checked_since_start: a submitted
    visit in the period answered a GSP item), so this page and the dashboard never disagree. One query."""
    from dashboard import figures
    from dashboard.targets import Ctx, get

    until = until or timezone.localdate()
    if since is None:
        campaign = Campaign.current()
        since = campaign.starts_on if campaign else None
    # No campaign: every visit up to `until` counts, as Coverage.since=None says.
    ctx = Ctx(as_of=until, campaign_start=since or datetime.date(1900, 1, 1))
    (figure,) = figures.compute([get("D4")], ctx)
    return Coverage(total=figure.denominator, covered=figure.numerator, since=since, until=until)


def sample_detail_queryset(*, user) -> QuerySet[Sample]:
    return (
        sample_list(user=user)
        .select_related("visit", "bureau", "referral_department", "follow_up_of", "created_by")
        .prefetch_related(Prefetch("follow_ups"))
    )
