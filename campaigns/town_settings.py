"""The one place that reads a town's settings (issue 24): every rule that depends on them calls this.

A town's own value (campaigns.TownSettings) wins; an empty one, or a town with no settings row, falls back
to the installation's default in settings (WUXIAO_LEDGER_WINDOW_DAYS, WUXIAO_RETURN_CHECK_DAYS,
WUXIAO_DOCUMENT_MASTHEAD, WUXIAO_DOCUMENT_NUMBER_PREFIX). So a single-town installation changes nothing.

- `of_town(town)` / `of_business(business)`: one town's effective settings (one query) — an order's
  return check, a document's masthead and number.
- `ledger_windows()`: the towns whose G2 window differs from the default, {town_id: days} (one query, for
  a whole computation however many businesses it counts).
- `per_window(build, windows, town_field)`: a condition built for each window (`build(days) -> Q`), each
  applied to its towns' businesses: with no town differing it is exactly `build(default)`, so the
  set-based figures keep their plan; otherwise an OR over the distinct windows (never a query per row).
- `window_case(build, windows, town_field)`: the same for an annotation (a CASE over the towns).
- `campaign_starts()` / `per_town(build, values, default)`: the phases' dates are the town's own campaign's
  (Campaign.town): the targets counted "since the campaign started" use each town's start the same way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Q, When

from .models import Business, Campaign, Town, TownSettings


@dataclass(frozen=True)
class Effective:
    """A town's settings with the defaults applied. Empty masthead/number_prefix: derive them from the
    town's and the leading group's names, as the documents always did."""

    ledger_window_days: int
    return_check_days: int
    masthead: str
    number_prefix: str


def default() -> Effective:
    return Effective(
        ledger_window_days=settings.WUXIAO_LEDGER_WINDOW_DAYS,
        return_check_days=settings.WUXIAO_RETURN_CHECK_DAYS,
        masthead=settings.WUXIAO_DOCUMENT_MASTHEAD,
        number_prefix=settings.WUXIAO_DOCUMENT_NUMBER_PREFIX,
    )


def effective(row: TownSettings | None) -> Effective:
    base = default()
    if row is None:
        return base
    return Effective(
        ledger_window_days=row.ledger_window_days or base.ledger_window_days,
        return_check_days=row.return_check_days or base.return_check_days,
        masthead=row.masthead or base.masthead,
        number_prefix=row.number_prefix or base.number_prefix,
    )


def of_town(town: Town | int | None) -> Effective:
    """The effective settings of a town (a Town or its pk; None: the defaults). One query."""
    if town is None:
        return default()
    town_id = town if isinstance(town, int) else town.pk
    return effective(TownSettings.objects.filter(town_id=town_id).first())


def of_business(business: Business) -> Effective:
    """The settings of the business's town (through its village). One query."""
    return effective(TownSettings.objects.filter(town__villages=business.village_id).first())


def ledger_windows() -> dict[int, int]:
    """{town_id: days} for the towns whose G2 window is set and differs from the default. One query."""
    base = settings.WUXIAO_LEDGER_WINDOW_DAYS
    rows = TownSettings.objects.filter(ledger_window_days__isnull=False).exclude(ledger_window_days=base)
    return dict(rows.values_list("town_id", "ledger_window_days"))


def _groups(windows: dict[int, int]) -> list[tuple[int, list[int]]]:
    towns: dict[int, list[int]] = defaultdict(list)
    for town_id, days in windows.items():
        towns[days].append(town_id)
    return [(days, sorted(ids)) for days, ids in sorted(towns.items())]


def per_town(build: Callable, values: dict, default, town_field: str = "village__town_id") -> Q:
    """`build(value)` for each business with its town's value (`values`: the towns differing from
    `default`): a Q on the model reaching the town by `town_field` (a Business: village__town_id). With
    no town differing it is `build(default)` itself; else an OR over the distinct values."""
    if not values:
        return build(default)
    q = ~Q(**{f"{town_field}__in": sorted(values)}) & build(default)
    for value, towns in _groups(values):
        q |= Q(**{f"{town_field}__in": towns}) & build(value)
    return q


def per_window(build: Callable[[int], Q], windows: dict[int, int], town_field: str = "village__town_id") -> Q:
    """`build(days)` for each business with its town's G2 window."""
    return per_town(build, windows, settings.WUXIAO_LEDGER_WINDOW_DAYS, town_field)


def campaign_starts() -> dict[int | None, datetime.date]:
    """{town_id: starts_on} of each town's own current campaign (Campaign.town; the latest if several),
    and under None the city's town-less current campaign's, if any — the start of the towns without a
    campaign of their own (Campaign.current(town)). One query."""
    rows = Campaign.objects.filter(is_current=True).order_by("town_id", "-starts_on")
    starts: dict[int | None, datetime.date] = {}
    for town_id, starts_on in rows.values_list("town_id", "starts_on"):
        starts.setdefault(town_id, starts_on)
    return starts


def window_case(
    build: Callable[[int], object], windows: dict[int, int], town_field: str = "village__town_id"
):
    """An expression (`build(days)`, e.g. a count over the window) chosen by the row's town's window."""
    base = settings.WUXIAO_LEDGER_WINDOW_DAYS
    if not windows:
        return build(base)
    whens = [When(Q(**{f"{town_field}__in": towns}), then=build(days)) for days, towns in _groups(windows)]
    return Case(*whens, default=build(base))
