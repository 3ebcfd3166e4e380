"""Reads for random spot checks and sampling (P2, A5, D4, D6); scoped, a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.scoping import business_q, referred_q
from campaigns.choices import CategoryCode
from campaigns.models import Business, Campaign

from ..choices import Answer, SampleKind, SampleResult, VisitStatus
from ..models import Sample, VisitAnswer

# D4: follow-up (GSP) inspections must cover at least this share of retail pharmacies.
D4_TARGET_PERCENT = 30


# --- sampling ------------------------------------------------------------------------------------------
def sample_list(*, user) -> QuerySet[Sample]:
    """Samples of the businesses the user reads, and (a city bureau, O5) the samples referred to it."""
    q = business_q(user, "business__")
    if q:  # an empty Q is "everything": `Q() | referred` would narrow it
        q |= referred_q(user)
    return Sample.objects.select_related("business__village", "business__category", "order").filter(q)


def residue_results(*, user) -> QuerySet[Sample]:
    """A6: the vegetable pesticide-residue results the user reaches (samples of kind RESIDUE), with the
    stall's market."""
    return (
        sample_list(user=user)
        .filter(kind=SampleKind.RESIDUE)
        .select_related("business__market")
        .order_by("-sampled_on", "-pk")
    )


def residue_summary(queryset: QuerySet[Sample]) -> dict:
    """A6: tested, failed, by quick test, by lab; and the failed results per pesticide (two queries)."""
    counts = queryset.aggregate(
        tested=Count("pk"),
        failed=Count("pk", filter=Q(result=SampleResult.FAIL)),
        quick=Count("pk", filter=Q(method="quick")),
        lab=Count("pk", filter=Q(method="lab")),
    )
    counts["by_pesticide"] = list(
        queryset.filter(result=SampleResult.FAIL)
        .order_by()
        .values("pesticide")
        .annotate(n=Count("pk"))
        .order_by("-n", "pesticide")[:20]
    )
    return counts


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


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def gsp_followed_up(*, since: datetime.date, until: datetime.date) -> Exists:
    """D4's rule, EXISTS on the outer business: a submitted visit started between `since` and `until`
    (both included) answered — pass or fail — an item citing D4 (a GSP follow-up inspection).

    The one definition of D4: this page's coverage and the targets dashboard both use it."""
    return Exists(
        VisitAnswer.objects.filter(
            visit__business=OuterRef("pk"),
            visit__status=VisitStatus.SUBMITTED,
            visit__started_at__gte=_start_of(since),
            visit__started_at__lt=_start_of(until + datetime.timedelta(days=1)),
            requirement="D4",
            answer__in=(Answer.PASS, Answer.FAIL),
        )
    )


def pharmacy_followup_coverage(
    *, since: datetime.date | None = None, until: datetime.date | None = None
) -> Coverage:
    """D4: the share of trading retail pharmacies (小药店, 药品零售企业) that had a GSP follow-up inspection
    between `since` (default: the current campaign's start) and `until` (default today). One query."""
    until = until or timezone.localdate()
    if since is None:
        campaign = Campaign.current()
        since = campaign.starts_on if campaign else None
    # No campaign: every visit up to `until` counts, as Coverage.since=None says.
    followed_up = gsp_followed_up(since=since or datetime.date(1900, 1, 1), until=until)
    counts = (
        Business.objects.active()
        .filter(category__code=CategoryCode.PHARMACY)
        .aggregate(total=Count("pk"), covered=Count("pk", filter=Q(followed_up)))
    )
    return Coverage(total=counts["total"], covered=counts["covered"], since=since, until=until)


def sample_detail_queryset(*, user) -> QuerySet[Sample]:
    return (
        sample_list(user=user)
        .select_related("visit", "bureau", "referral_department", "follow_up_of", "created_by")
        .prefetch_related(Prefetch("follow_ups"))
    )
