"""Reads for random spot checks and sampling (P2, A5, D4, D6); scoped, a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts import access

from ..choices import VisitStatus
from ..models import SpotCheckDraw, SpotCheckPair

# D4: follow-up (GSP) inspections must cover at least this share of retail pharmacies.
D4_TARGET_PERCENT = 30


# --- spot checks ---------------------------------------------------------------------------------------


def draw_list() -> QuerySet[SpotCheckDraw]:
    return (
        SpotCheckDraw.objects.select_related("created_by", "redraw_of")
        .annotate(
            pair_count=Count("pairs", distinct=True),
            done_count=Count("pairs", filter=Q(pairs__visit__status=VisitStatus.SUBMITTED), distinct=True),
        )
        .order_by("-pk")
    )  # GROUP BY drops Meta.ordering; pages need a stable order


def draw_queryset(*, user) -> QuerySet[SpotCheckDraw]:
    """Draws are the town's record: read-all roles open them (access.can_see_draws), nobody else."""
    if not access.can_see_draws(user):
        return SpotCheckDraw.objects.none()
    return SpotCheckDraw.objects.select_related("created_by", "redraw_of")


def draw_pairs(draw: SpotCheckDraw) -> QuerySet[SpotCheckPair]:
    return (
        draw.pairs.select_related("business__village", "business__category", "visit")
        .prefetch_related("inspectors")
        .order_by("order")
    )


def published_results(town=None) -> QuerySet[SpotCheckPair]:
    """一公开: the pairs whose visit was submitted, with what may be published (business, date, outcome).

    Nothing else: no inspectors, no operator, no unsubmitted visit; a superseded draw's pairs have no
    visit left, so they never show. `town` (issue 24): that town's units only."""
    where = {"business__village__town": town} if town is not None else {}
    return (
        SpotCheckPair.objects.filter(visit__status=VisitStatus.SUBMITTED, **where)
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
