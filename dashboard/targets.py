"""The 100% targets of DOMAIN §3–§4, each defined once: id, label, goal, population and what meets it.

A target is two conditions on a Business, both computed *at a date* (`Ctx.as_of`):

- ``population(ctx) -> Q``: which businesses it counts (the denominator), on top of
  ``Business.objects.active()`` and the target's categories;
- ``meets(ctx) -> Q``: which of those meet it (the numerator), built from set-based sub-selects
  (``pk IN (...)``) so that every target is counted side by side in one aggregate query
  (see dashboard/figures.py) at the cost of one hash per target, not a sub-query per business.

The population is the roster (the census, W1) as it stands; the date governs the evidence: licences
held on that date, visits and ledger entries up to it. Targets whose evidence lives in an app that is
not installed yet (inspections, ledgers) declare it in ``needs`` and drop out of ``available()``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns import town_settings
from campaigns.models import Campaign
from campaigns.models.business import held_licences, licence_gap_q

# Food businesses: where unlicensed units are found (DOMAIN §1, "unlicensed").
FOOD_CATEGORIES = ("workshop", "grocery", "restaurant")
ALL = None


@dataclass(frozen=True)
class Ctx:
    """What a target needs to know besides the business: the date and the campaign's start — and, when
    the businesses counted are fewer than the town's (a village), `within`: their pks, which set-based
    conditions use to bound their sets (figures.rows sets it)."""

    as_of: datetime.date
    campaign_start: datetime.date
    within: object = field(default=None, compare=False)
    # The towns whose G2 window differs from the default (issue 24), read once when a ledger condition is
    # first built (campaigns.town_settings.ledger_windows) and carried by dataclasses.replace.
    windows: dict | None = field(default=None, compare=False, repr=False)

    # Each town's own campaign dates (issue 24: Campaign.town): `starts` holds the start for the towns
    # without a campaign of their own (the city's town-less campaign's, else campaign_start) under the key
    # None, and the towns whose own campaign started on another day; read once like the windows. So the
    # figures do not depend on which town's campaign the Ctx was built from, once every town has its own
    # campaign or the city has one.
    starts: dict | None = field(default=None, compare=False, repr=False)

    def _starts(self) -> dict:
        if self.starts is None:
            own = {t: min(d, self.as_of) for t, d in town_settings.campaign_starts().items()}
            default = own.pop(None, self.campaign_start)
            differing = {t: d for t, d in own.items() if d != default}
            object.__setattr__(self, "starts", {None: default, **differing})
        return self.starts

    @property
    def default_start(self) -> datetime.date:
        """The campaign start of the towns without a campaign of their own."""
        return self._starts()[None]

    @property
    def town_starts(self) -> dict[int, datetime.date]:
        """{town_id: start} for the towns whose own campaign's start differs from default_start."""
        return {t: d for t, d in self._starts().items() if t is not None}

    @property
    def ledger_windows(self) -> dict[int, int]:
        if self.windows is None:
            object.__setattr__(self, "windows", town_settings.ledger_windows())
        return self.windows

    @classmethod
    def at(cls, as_of: datetime.date, campaign: Campaign | None = None) -> Ctx:
        campaign = campaign if campaign is not None else Campaign.current()
        start = campaign.starts_on if campaign else as_of - datetime.timedelta(days=365)
        ctx = cls(as_of=as_of, campaign_start=min(start, as_of))
        # The towns' own windows and campaign starts (issue 24), read here with the campaign — two small
        # queries — so that computing the figures is the one aggregate query it always was.
        ctx.ledger_windows, ctx.town_starts  # noqa: B018
        return ctx


@dataclass(frozen=True)
class Target:
    """One 100% target (or D4's 30%): a rate of businesses meeting a condition at a date."""

    id: str
    label: str
    # The goal in the code; `goal` is what counts (the office's, when goal_field names where it sets it).
    default_goal: float
    categories: tuple[str, ...] | None
    meets: Callable[[Ctx], Q]
    population: Callable[[Ctx], Q] = field(default=lambda ctx: Q())
    # The department that owns the figure when it is not the categories' lead (U1: enforcement).
    department: str | None = None
    # Models the evidence comes from ("inspections.Visit"); the target is off until they exist.
    needs: tuple[str, ...] = ()
    # How it is counted, in words (shown on the dashboard and in the bulletin).
    rule: str = ""
    # The Campaign field (a percent) holding the goal when the office sets it (C3), not the code.
    goal_field: str = ""

    @functools.cached_property
    def _goals(self) -> list[tuple[int | None, int | None]]:
        """(town, percent) of every current campaign, the latest first: one query per Target, and only
        by what shows a goal — counting the figures never queries for it."""
        current = Campaign.objects.filter(is_current=True).order_by("-starts_on", "-pk")
        return list(current.values_list("town_id", self.goal_field))

    @property
    def goal(self) -> float:
        """The rate to reach, no town named: the office's (a percent on the current campaign, C3; the
        latest current one, as in a single-town install) or the code's."""
        return self.goal_in(None)

    def goal_in(self, town_id: int | None) -> float:
        """The rate to reach in one town (issue 24: each town's office sets its own C3 goal on its own
        campaign; the city's campaign — no town — stands for a town that has none, as Campaign.current)."""
        if not self.goal_field:
            return self.default_goal
        goals = self._goals
        if town_id is None:
            percent = goals[0][1] if goals else None
        else:
            percent = next((p for t, p in goals if t == town_id), None)
            if percent is None:
                percent = next((p for t, p in goals if t is None), None)
        return percent / 100 if percent else self.default_goal

    def population_q(self, ctx: Ctx) -> Q:
        q = self.population(ctx)
        if self.categories:
            q &= Q(category__code__in=self.categories)
        return q

    def meets_q(self, ctx: Ctx) -> Q:
        return self.meets(ctx)

    def is_available(self) -> bool:
        for label in self.needs:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                return False
        return True

    def applies_to_category(self, code: str) -> bool:
        return self.categories is None or code in self.categories


# --- evidence from the roster (licences) -------------------------------------------------------------


def licences_complete(ctx: Ctx) -> Q:
    """G1 first half: every licence the category (and sub-types) require is held on the date.

    Set-based (campaigns' licence_gap_q: one uncorrelated sub-select, a hash join at city scale)."""
    return ~licence_gap_q(as_of=ctx.as_of, within=ctx.within)


def licences_complete_and_displayed(ctx: Ctx) -> Q:
    """G1: 证照齐全 and 亮证经营 — every required licence held on the date and seen displayed."""
    return ~licence_gap_q(as_of=ctx.as_of, displayed=True, within=ctx.within)


def holds_licence(code: str, *, displayed: bool = False) -> Callable[[Ctx], Q]:
    def condition(ctx: Ctx) -> Q:
        # The type or one under an old/new name (LicenceType.equivalents, DOMAIN §8).
        held = held_licences(ctx.as_of).filter(
            Q(licence_type__code=code) | Q(licence_type__equivalents__code=code)
        )
        if ctx.within is not None:
            held = held.filter(business__in=ctx.within)
        if displayed:
            held = held.filter(displayed=True)
        return Q(pk__in=held.values("business_id"))

    return condition


def both(*conditions: Callable[[Ctx], Q]) -> Callable[[Ctx], Q]:
    def condition(ctx: Ctx) -> Q:
        q = Q()
        for c in conditions:
            q &= c(ctx)
        return q

    return condition


# --- the catalogue ---------------------------------------------------------------------------------

ROSTER_TARGETS: list[Target] = [
    Target(
        "G1",
        _("证照齐全并亮证经营"),
        1.0,
        ALL,
        licences_complete_and_displayed,
        rule=_("在营单位中，当日持有所属类别（及子类）要求的全部有效证照，且均已亮证。"),
    ),
    Target(
        "A2",
        _("农资店证照齐全、亮证经营"),
        1.0,
        ("agri",),
        licences_complete_and_displayed,
        rule=_("在营小农资店中，营业执照及农药/种子/兽药经营许可证（按经营子类）齐全且亮证。"),
    ),
    Target(
        "B1",
        _("小作坊持营业执照、卫生许可证、质量承诺书并亮证"),
        1.0,
        ("workshop",),
        licences_complete_and_displayed,
        rule=_("在营小作坊中，营业执照、卫生许可证、质量承诺书均有效且亮证。"),
    ),
    Target(
        "C1",
        _("食杂店合法经营、亮照经营"),
        1.0,
        ("grocery",),
        both(licences_complete, holds_licence("business", displayed=True)),
        rule=_("在营小食杂店中，所需证照齐全（合法经营）且营业执照已亮照。"),
    ),
    Target(
        "U1",
        _("无证照经营得到有效遏制（持证经营率）"),
        1.0,
        FOOD_CATEGORIES,
        licences_complete,
        department="enforcement",
        rule=_("在营食品类单位（小作坊、小食杂店、小餐饮店）中，证照齐全、不属于无证照经营的比例。"),
    ),
]


def _all_targets() -> list[Target]:
    from . import evidence  # visits and ledgers; imports lazily what exists

    return ROSTER_TARGETS + evidence.targets()


ORDER = [
    "G1", "G2", "G3", "G4", "A1", "A2", "A3", "A4", "B1", "C1", "C2", "C3", "C5", "C7",
    "D1", "D2", "D4", "E1a", "E1b", "E1c", "E1d", "F1", "F2", "F4", "U1",
]  # fmt: skip


def available() -> list[Target]:
    """Every target whose evidence exists in this installation, in DOMAIN order."""
    targets = [t for t in _all_targets() if t.is_available()]
    return sorted(targets, key=lambda t: ORDER.index(t.id) if t.id in ORDER else len(ORDER))


def get(target_id: str) -> Target | None:
    return next((t for t in available() if t.id == target_id), None)
