"""Reads for random spot checks and sampling (P2, A5, D4, D6); scoped, a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts.scoping import business_q
from campaigns.models import Business, Campaign

from ..choices import SampleResult
from ..models import Sample

# D4: follow-up (GSP) inspections must cover at least this share of retail pharmacies.
D4_TARGET_PERCENT = 30


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
