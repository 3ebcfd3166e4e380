"""Reads for the dashboard, scoped to the user: which targets they see, the figures, the ranking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.choices import RoleKind
from accounts.scoping import reach, town_q
from campaigns.models import Campaign, Category, Department, Town, Village

from . import activity, figures, status
from .choices import AcceptanceKind
from .models import AcceptanceRecord, Bulletin, Circular, CityPaper, TargetSnapshot
from .targets import Ctx, Target, available

# P2 ranking: the share of the targets' achievement in the combined score; acceptance scores the rest.
TARGET_WEIGHT = 0.6


def targets_for_user(user) -> list[Target]:
    """Leadership, office and supervisors see every target; a department its own (the general targets
    and those of the categories it leads, or the one it owns, U1); an inspector every target (their
    village's figures)."""
    targets = available()
    r = reach(user)
    if r.read_all or r.villages:
        return targets
    departments = list(Department.objects.filter(pk__in=r.departments))
    codes = {d.code for d in departments}
    led = set(
        Category.objects.filter(
            Q(lead_department__in=departments) | Q(pk__in=r.bureau_categories)  # a city bureau's (O5)
        ).values_list("code", flat=True)
    )
    return [
        t
        for t in targets
        if (t.department and t.department in codes)
        or (not t.department and (t.categories is None or led.intersection(t.categories)))
    ]


def ctx_for(as_of: datetime.date | None = None, campaign: Campaign | None = None) -> Ctx:
    return Ctx.at(as_of or timezone.localdate(), campaign)


def trend(
    campaign: Campaign | None, targets: list[Target], town=None
) -> tuple[list[str], dict, datetime.datetime | None]:
    """Weekly town figures from the snapshot table: (dates, {target id: [percent|None]}, computed at).
    `town` (issue 24, services.snapshot_town): that town's series; None the install's whole."""
    if campaign is None:
        return [], {}, None
    ids = {t.id for t in targets}
    kept = TargetSnapshot.objects.filter(campaign=campaign, town=town).order_by("as_of")
    snapshots = [s for s in kept if s.target in ids]
    dates = sorted({s.as_of for s in snapshots})
    index = {d: i for i, d in enumerate(dates)}
    series: dict[str, list] = {t.id: [None] * len(dates) for t in targets}
    for s in snapshots:
        series[s.target][index[s.as_of]] = None if s.rate is None else round(s.rate * 100, 1)
    computed = max((s.computed_at for s in snapshots), default=None)
    return [d.isoformat() for d in dates], series, computed


@dataclass
class RankRow:
    subject: Village | Department
    target_score: float | None
    acceptance: AcceptanceRecord | None
    targets: list[figures.Figure]

    @property
    def acceptance_score(self) -> float | None:
        return float(self.acceptance.total) if self.acceptance else None

    @property
    def score(self) -> float | None:
        if self.target_score is None:
            return self.acceptance_score
        if self.acceptance_score is None:
            return self.target_score
        return round(TARGET_WEIGHT * self.target_score + (1 - TARGET_WEIGHT) * self.acceptance_score, 1)


def _achievement(figs: list[figures.Figure]) -> float | None:
    """Mean achievement of the targets (rate against goal, capped at 100%), on a 100-point scale."""
    parts = [min(f.rate / f.goal, 1.0) for f in figs if f.rate is not None]
    return round(100 * sum(parts) / len(parts), 1) if parts else None


def _latest_records(campaign: Campaign, kind: str) -> dict[int, AcceptanceRecord]:
    records = AcceptanceRecord.objects.filter(campaign=campaign, kind=kind).order_by("checked_on", "pk")
    key = "village_id" if kind == AcceptanceKind.VILLAGE else "department_id"
    return {getattr(r, key): r for r in records}


def ranking(campaign: Campaign, as_of: datetime.date | None = None) -> dict[str, list[RankRow]]:
    """Villages and lead departments ranked by their targets' achievement and their acceptance score.

    One aggregate query for the targets (figures.compute_splits) and two for the acceptance records."""
    ctx = ctx_for(as_of, campaign)
    targets = available()
    town, _computed_at = figures.town_matrix(targets, ctx)
    if campaign is not None and campaign.town_id:  # issue 24: a town's campaign ranks its own town
        town = figures.in_town(town, campaign.town)
    splits = figures.compute_splits(targets, ctx, matrix=town)
    by_village: dict[int, list] = {}
    for f in splits["village"]:
        by_village.setdefault(f.village.pk, []).append(f)
    by_department: dict[int, list] = {}
    for f in splits["department"]:
        by_department.setdefault(f.department.pk, []).append(f)
    village_records = _latest_records(campaign, AcceptanceKind.VILLAGE)
    department_records = _latest_records(campaign, AcceptanceKind.DEPARTMENT)
    villages = Village.objects.filter(town=campaign.town) if campaign.town_id else Village.objects.all()
    village_rows = [
        RankRow(
            v, _achievement(by_village.get(v.pk, [])), village_records.get(v.pk), by_village.get(v.pk, [])
        )
        for v in villages
    ]
    departments = Department.objects.filter(pk__in=set(by_department) | set(department_records))
    department_rows = [
        RankRow(
            d,
            _achievement(by_department.get(d.pk, [])),
            department_records.get(d.pk),
            by_department.get(d.pk, []),
        )
        for d in departments
    ]

    def order(row: RankRow):
        return (row.score is None, -(row.score or 0))

    return {"villages": sorted(village_rows, key=order), "departments": sorted(department_rows, key=order)}


@dataclass
class TownRow:
    """One town of the city's dashboard (issue 24): its figure for each target, in the targets' order."""

    town: Town
    cells: list[figures.Figure]
    rank: int = 0

    @property
    def achievement(self) -> float | None:
        return _achievement(self.cells)


def city_board(
    user, targets: list[Target], ctx: Ctx, *, rank_by: Target | None = None
) -> tuple[list[TownRow], datetime.datetime]:
    """Every target per town side by side (O5, issue 24), within the user's scope (a city bureau: its
    categories), towns ranked by `rank_by`'s rate (those counting nobody last), else by their mean
    achievement. From the same matrix as the town's dashboard (kept per business for today), cut by the
    villages' towns: a constant number of queries whatever the number of towns, villages or businesses."""
    every = available()
    cut = figures.matrix_cut(user)
    if status.serves(ctx) and (cut is not None or reach(user).read_all):
        # Today: the kept rows summed per town in the database (30 rows a target for 30 towns, not the
        # ~25,000 village × category cells of 3,600 villages), within the user's villages or categories.
        if cut is None:  # every town: the totals kept per town (issue 24)
            scoped = status.matrix(every, ctx, grain="town")
        elif not cut.villages:  # a city bureau: its categories in every town, from the same totals
            scoped = status.matrix(every, ctx, categories=sorted(cut.categories), grain="town")
        else:
            where = Q(village_id__in=cut.villages) | Q(category_id__in=cut.categories)
            scoped = status.matrix(every, ctx, where=where, grain="town")
        computed_at = timezone.now()
    else:
        matrix, computed_at = figures.town_matrix(every, ctx)
        scoped = figures.scoped_rows(matrix, user)
        if scoped is None:  # a scope not expressible as villages or categories: its own businesses' rows
            scoped = figures.own_rows(every, ctx, user)
    figs = figures.compute_towns(targets, figures.pick(scoped, every, targets))
    rows: dict[int, TownRow] = {}
    for f in figs:
        rows.setdefault(f.town.pk, TownRow(f.town, [])).cells.append(f)
    index = {t.id: i for i, t in enumerate(targets)}

    def key(row: TownRow):
        if rank_by is not None:
            value = row.cells[index[rank_by.id]].rate
        else:
            value = None if row.achievement is None else row.achievement / 100
        return (value is None, -(value or 0), row.town.name)

    ranked = sorted(rows.values(), key=key)
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    return ranked, computed_at


def _town_papers(user, queryset: QuerySet) -> QuerySet:
    """Bulletins, acceptance records and circulars cover the whole town: read-all roles open them — of their
    own towns' campaigns (issue 24) and the campaigns of no town."""
    if not access.can_read_town_documents(user):
        return queryset.none()
    return queryset.filter(town_q(user, "campaign__town", shared=True))


def bulletin_queryset(*, user) -> QuerySet[Bulletin]:
    return _town_papers(user, Bulletin.objects.select_related("created_by"))


def acceptance_queryset(*, user) -> QuerySet[AcceptanceRecord]:
    return _town_papers(user, AcceptanceRecord.objects.select_related("village", "department"))


def circular_queryset(*, user) -> QuerySet[Circular]:
    return _town_papers(user, Circular.objects.all())


def city_papers(*, user) -> QuerySet[CityPaper]:
    """Issue 24: the city's own bulletins and circulars, newest first — city leadership's alone."""
    qs = CityPaper.objects.select_related("created_by")
    return qs if access.can_manage_city_papers(user) else qs.none()


def bulletins(campaign: Campaign | None) -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(campaign=campaign).select_related("created_by")


def acceptance_records(campaign: Campaign | None) -> QuerySet[AcceptanceRecord]:
    return AcceptanceRecord.objects.filter(campaign=campaign).select_related("village", "department")


def circulars(campaign: Campaign | None) -> QuerySet[Circular]:
    return Circular.objects.filter(campaign=campaign)


def acceptance_checks(record: AcceptanceRecord) -> list:
    """The unannounced checks and spot checks that fed an acceptance record (visits of those kinds)."""
    return activity.acceptance_checks(record)


@dataclass(frozen=True)
class Whose:
    """Whose figures a dashboard shows: 全镇, 本村（…）or 本部门（…）, said in its headings (issue 20)."""

    kind: str  # "town" | "village" | "department"
    label: str  # 全镇 / 本村 / 本部门
    names: str  # the villages' or departments' names, 、-separated ("" for the town)

    def __str__(self) -> str:
        return f"{self.label}（{self.names}）" if self.names else self.label


def whose_figures(user) -> Whose:
    r = reach(user)
    if r.has(RoleKind.CITY_LEADER):  # O5 / issue 24: city leadership reads every town
        return Whose("town", _("全市"), "")
    if r.read_all:
        return Whose("town", _("全镇"), "")
    if r.villages:
        villages = Village.objects.filter(pk__in=r.villages).order_by("order", "name")
        return Whose("village", _("本村"), "、".join(v.name for v in villages))
    departments = Department.objects.filter(pk__in=r.departments | r.bureaus).order_by("pk")
    return Whose("department", _("本部门"), "、".join(d.short_name for d in departments))


@dataclass(frozen=True)
class Summary:
    """The dashboard's first figure: of the targets that count anyone, how many are met; the worst first."""

    applicable: int
    met: int
    worst: list  # figures not met, furthest from their goal first
    not_applicable: int = 0  # targets counting nobody (0/0)


def worst_first(figs: list) -> list:
    """Targets furthest below their goal first; met ones after them; those counting nobody (不适用) last."""

    def key(f):
        if f.rate is None:
            return (2, 0.0, f.target.id)
        shortfall = f.goal - f.rate
        return (0 if shortfall > 1e-9 else 1, -shortfall, f.target.id)

    return sorted(figs, key=key)


def summary(figs: list, *, worst: int = 3) -> Summary:
    applicable = [f for f in figs if f.rate is not None]
    met = [f for f in applicable if f.status == "green"]
    behind = [f for f in worst_first(applicable) if f.status != "green"]
    return Summary(
        applicable=len(applicable),
        met=len(met),
        worst=behind[:worst],
        not_applicable=len(figs) - len(applicable),
    )
