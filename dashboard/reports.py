"""The targets at a date as rows (`target_report --json` and the API's /api/v1/targets/ share this).

One function, so the shell and the API cannot disagree: the town (or every town), one town of the city
(issue 24), or one village and/or one category, from the dashboard's figures (live at town scale, kept at
city scale unless `live`). Each row names its town (`town`: the code; null when the rows cover several
towns of a city)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, Category, Town, Village

from . import figures, status
from .targets import Ctx, available


@dataclass
class TargetReport:
    figures: list[figures.Figure]
    as_of: datetime.date
    computed_at: datetime.datetime
    village: Village | None = None
    category: Category | None = None
    town: Town | None = None
    # Today's figures from the per-business status (dashboard.status): exact, no "数据截至".
    exact: bool = False

    def rows(self) -> list[dict]:
        """The rows of `target_report --json`: each figure's as_dict and the time it was computed."""
        computed_at = timezone.localtime(self.computed_at).isoformat()
        return [{**f.as_dict(self.as_of), "computed_at": computed_at} for f in self.figures]


def target_report(
    *,
    as_of: datetime.date,
    village: Village | None = None,
    category: Category | None = None,
    town: Town | None = None,
    live: bool = False,
) -> TargetReport:
    every = available()
    targets = every
    if category is not None:
        targets = [t for t in targets if t.applies_to_category(category.code)]
    # Issue 24: a town's report reads its own campaign (its phases), a village's its town's.
    ctx = Ctx.at(as_of, Campaign.current(town or (village.town_id if village is not None else None)))
    exact = not live and status.serves(ctx)
    if village is not None:  # a village is in one town (the command refuses a village of another town)
        town = village.town
    if live and (village or category or town):
        # Now, for this scope only: its own businesses, not the town's figures cut down.
        qs = figures.businesses(village=village, category=category, town=town)
        rows, computed_at = figures.rows(every, ctx, "matrix", qs), timezone.now()
    elif exact and (village or category or town):
        # Today, kept: a town, a category or both from the totals kept per town (issue 24); a village
        # from only its own rows of the per-business status (issue 26).
        if village is None:
            rows = status.matrix(
                every,
                ctx,
                categories=None if category is None else [category.pk],
                town=None if town is None else town.pk,
                grain="none",
            )
        else:
            where = Q(village_id=village.pk)
            if category is not None:
                where &= Q(category_id=category.pk)
            rows = status.matrix(every, ctx, where=where, grain="none")
        computed_at = timezone.now()
    elif exact:
        # Today, every business: one row per target, not the village × category cells of a whole city.
        rows, computed_at = status.matrix(every, ctx, grain="none"), timezone.now()
    else:
        matrix, computed_at = figures.town_matrix(every, ctx, refresh=live)
        if town is not None and village is None:
            matrix = figures.in_town(matrix, town)
        rows = [
            r
            for r in matrix
            if (village is None or r["village_id"] == village.pk)
            and (category is None or r["category_id"] == category.pk)
        ]
    result = figures.compute_splits(
        targets, ctx, matrix=figures.pick(rows, every, targets), splits=("town",)
    )["town"]
    named = town or figures.sole_town()
    for f in result:
        f.village, f.category, f.town = village, category, named
    return TargetReport(result, as_of, computed_at, village, category, named, exact)
