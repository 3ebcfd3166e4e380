"""The targets at a date as rows (`target_report --json` and the API's /api/v1/targets/ share this).

One function, so the shell and the API cannot disagree: the town, or one village and/or one category,
from the dashboard's figures (live at town scale, kept at city scale unless `live`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from campaigns.models import Campaign, Category, Village

from . import figures, status
from .targets import Ctx, available


@dataclass
class TargetReport:
    figures: list[figures.Figure]
    as_of: datetime.date
    computed_at: datetime.datetime
    village: Village | None = None
    category: Category | None = None
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
    live: bool = False,
) -> TargetReport:
    every = available()
    targets = every
    if category is not None:
        targets = [t for t in targets if t.applies_to_category(category.code)]
    ctx = Ctx.at(as_of, Campaign.current())
    exact = not live and status.serves(ctx)
    if live and (village or category):
        # Now, for this scope only: its own businesses, not the town's figures cut down.
        qs = figures.businesses(village=village, category=category)
        rows, computed_at = figures.rows(every, ctx, "matrix", qs), timezone.now()
    else:
        town, computed_at = figures.town_matrix(every, ctx, refresh=live)
        rows = [
            r
            for r in town
            if (village is None or r["village_id"] == village.pk)
            and (category is None or r["category_id"] == category.pk)
        ]
    result = figures.compute_splits(targets, ctx, matrix=figures.pick(rows, every, targets))["town"]
    for f in result:
        f.village, f.category = village, category
    return TargetReport(result, as_of, computed_at, village, category, exact)
