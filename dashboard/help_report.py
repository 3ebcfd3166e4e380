"""W4 疏堵结合: units helped versus units banned, per village and category — one aggregate query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from accounts.scoping import scope
from campaigns.choices import BusinessStatus
from campaigns.models import Business, Category, HelpRecord, Village


@dataclass
class Cell:
    village: Village | None
    category: Category | None
    helped: int
    banned: int

    @property
    def ratio(self) -> float | None:
        """Helped per banned unit: below 1 the campaign only punishes."""
        return self.helped / self.banned if self.banned else None


def rows(*, user, since: datetime.date | None = None) -> list[Cell]:
    """One Cell per (village, category) with any unit helped or banned, in the user's scope.

    Helped: a HelpRecord (since `since`, the campaign's start); banned: the unit's status is 取缔.
    ONE aggregate query plus two for the labels, whatever the size of the roster."""
    help_records = HelpRecord.objects.filter(business=OuterRef("pk"))
    if since is not None:
        help_records = help_records.filter(given_on__gte=since)
    qs = scope(user, Business.objects.all())
    counted = (
        qs.order_by()
        .values("village_id", "category_id")
        .annotate(
            helped=Count("pk", filter=Q(Exists(help_records))),
            banned=Count("pk", filter=Q(status=BusinessStatus.BANNED)),
        )
        .filter(Q(helped__gt=0) | Q(banned__gt=0))
    )
    raw = list(counted)
    villages = {v.pk: v for v in Village.objects.filter(pk__in={r["village_id"] for r in raw})}
    categories = {c.pk: c for c in Category.objects.filter(pk__in={r["category_id"] for r in raw})}
    cells = [
        Cell(villages.get(r["village_id"]), categories.get(r["category_id"]), r["helped"], r["banned"])
        for r in raw
    ]
    return sorted(
        cells,
        key=lambda c: (
            c.village.order if c.village else 0,
            c.village.pk if c.village else 0,
            c.category.order if c.category else 0,
        ),
    )


def totals(cells: list[Cell], attr: str) -> list[Cell]:
    """Cells summed by village (attr="village") or by category (attr="category")."""
    sums: dict = {}
    for c in cells:
        key = getattr(c, attr)
        row = sums.setdefault(
            key.pk if key else None,
            Cell(key if attr == "village" else None, key if attr == "category" else None, 0, 0),
        )
        row.helped += c.helped
        row.banned += c.banned
    return list(sums.values())
