"""Target figures at a date: the whole town, or split by village, category, lead department or village ×
category — each split ONE aggregate query over the businesses (a conditional COUNT per target and per
numerator/denominator, grouped by the split's columns), whatever the number of businesses or villages.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connections, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import home_town, reach, reads_every_town, scope
from campaigns.models import Business, Category, Department, Town, Village
from campaigns.selectors import missing_licence_exists

from .targets import Ctx, Target, available

# PostgreSQL work_mem for the one aggregate query (see rows()).
WORK_MEM = "64MB"
# How far below the goal a figure turns from amber to red, as a share of the goal.
AMBER_BAND = 0.2

SPLITS: dict[str, tuple[str, ...]] = {
    "town": (),
    "village": ("village_id",),
    "category": ("category_id",),
    "department": ("category__lead_department_id",),
    "matrix": ("village_id", "category_id"),
}
# rows(..., "business"): one row per business (its counts 0 or 1), for the kept status (dashboard.status).
PER_BUSINESS = ("pk", "village_id", "category_id")
SPLIT_LABELS = {
    "town": _("全镇"),
    "village": _("按村（社区）"),
    "category": _("按类别"),
    "department": _("按牵头部门"),
    "matrix": _("村（社区）×类别"),
}


@dataclass
class Figure:
    """One target over one scope: numerator of denominator, against the goal."""

    target: Target
    numerator: int
    denominator: int
    village: Village | None = None
    category: Category | None = None
    department: Department | None = None
    extra: dict = field(default_factory=dict)
    # The town the figure covers (issue 24): set when it covers one town (target_report --town, the city's
    # dashboard's rows, a single-town installation); None for several towns at once.
    town: Town | None = None
    # The town whose goal applies when the figure names none (a town's staff: their own town's, C3).
    goal_town_id: int | None = None

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(rate * 100, 1)

    @property
    def gap(self) -> int:
        """Businesses still to bring up to the target."""
        return self.denominator - self.numerator

    @property
    def goal(self) -> float:
        """The goal in the figure's own town (issue 24: an office's C3 goal is its town's), else the
        target's."""
        if self.town is not None:
            town_id = self.town.pk
        elif self.village is not None:
            town_id = self.village.town_id
        else:
            town_id = self.goal_town_id
        return self.target.goal_in(town_id)

    @property
    def status(self) -> str:
        """green (goal met), amber (within AMBER_BAND of it), red, or none (nobody to count)."""
        rate = self.rate
        if rate is None:
            return "none"
        goal = self.goal
        if rate >= goal - 1e-9:
            return "green"
        if rate >= goal * (1 - AMBER_BAND):
            return "amber"
        return "red"

    def scope(self) -> dict:
        return {
            "village": self.village.code if self.village else None,
            "category": self.category.code if self.category else None,
            "department": self.department.code if self.department else None,
        }

    def drill_query(self) -> str:
        """The query string of this figure's drill-down list."""
        parts = [f"target={self.target.id}"]
        parts += [f"{k}={v}" for k, v in self.scope().items() if v]
        if self.town is not None and self.village is None:  # a village is in one town already
            parts.append(f"town={self.town.code}")
        return "&".join(parts)

    def as_dict(self, as_of) -> dict:
        return {
            "target": self.target.id,
            "label": str(self.target.label),
            "goal": self.goal,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": None if self.rate is None else round(self.rate, 4),
            "status": self.status,
            "as_of": as_of.isoformat(),
            "scope": {k: v for k, v in self.scope().items() if v} or {"town": True},
            **self.scope(),
            "town": self.town.code if self.town else None,
        }


def businesses(
    *,
    user=None,
    village: Village | None = None,
    category: Category | None = None,
    department: Department | None = None,
    town: Town | None = None,
) -> QuerySet[Business]:
    """The active businesses the figures count, within the user's scope and the filters given."""
    qs = Business.objects.active()
    if user is not None:
        qs = scope(user, qs)
    if town is not None:
        qs = qs.filter(village__town=town)
    if village is not None:
        qs = qs.filter(village=village)
    if category is not None:
        qs = qs.filter(category=category)
    if department is not None:
        qs = qs.filter(category__lead_department=department)
    return qs


def _annotations(targets: list[Target], ctx: Ctx) -> dict:
    annotations = {}
    for i, target in enumerate(targets):
        population = target.population_q(ctx)
        annotations[f"d{i}"] = Count("pk", filter=population) if population else Count("pk")
        annotations[f"n{i}"] = Count("pk", filter=population & target.meets_q(ctx))
    return annotations


def rows(
    targets: list[Target], ctx: Ctx, split: str, qs: QuerySet[Business], *, bound: bool = True
) -> list[dict]:
    """The raw counts: one row per group of the split (one row for the town). ONE query."""
    if not targets:
        return []
    if bound and not _is_town(qs):  # fewer businesses than the town's: bound the set-based conditions
        ctx = dataclasses.replace(ctx, within=qs.order_by().values("pk"))
    group = PER_BUSINESS if split == "business" else SPLITS[split]
    annotations = _annotations(targets, ctx)
    if connections[qs.db].vendor != "postgresql":
        return _run(qs, group, annotations)
    with transaction.atomic(using=qs.db):
        # Each target's `pk IN (sub-select)` is a hashed sub-plan only while its set fits in work_mem;
        # beyond that PostgreSQL rescans the set for every business. A city roster needs more than 4MB.
        # A parallel plan runs every target's sub-plan once in each worker: twice the work, no gain.
        with connections[qs.db].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), "
                "set_config('max_parallel_workers_per_gather', '0', true)",
                [WORK_MEM],
            )
        return _run(qs, group, annotations)


def _is_town(qs: QuerySet[Business]) -> bool:
    """Whether qs is every active business (figures.businesses() unfiltered)."""
    try:
        return str(qs.order_by().query) == str(businesses().order_by().query)
    except EmptyResultSet:  # a scope that can match nothing (pk__in=[]) is not the town
        return False


def _run(qs: QuerySet[Business], group: tuple[str, ...], annotations: dict) -> list[dict]:
    if not group:
        return [qs.aggregate(**annotations)]
    return list(qs.order_by().values(*group).annotate(**annotations).order_by())


def compute(
    targets: list[Target], ctx: Ctx, split: str = "town", qs: QuerySet[Business] | None = None
) -> list[Figure]:
    """Figures for every target over every group of `split`: one aggregate query, plus one query per
    kind of label (villages, categories, departments) — never one per business or per group."""
    qs = qs if qs is not None else businesses()
    return _label(targets, split, rows(targets, ctx, split, qs), _Labels.load(split))


EVERY_SPLIT = ("matrix", "town", "village", "category", "department")


def compute_splits(
    targets: list[Target],
    ctx: Ctx,
    qs: QuerySet[Business] | None = None,
    *,
    matrix: list[dict] | None = None,
    splits: tuple[str, ...] = EVERY_SPLIT,
) -> dict[str, list[Figure]]:
    """Every split at once from ONE aggregate query (grouped by village × category): the town, village,
    category and department figures are sums of its rows. Three more queries fetch the labels.
    `matrix` gives the rows instead of the query (from town_matrix); `splits` the ones wanted (a report of
    one scope labels its few figures, not a city's ~100,000 village × category cells)."""
    if matrix is None:
        matrix = rows(targets, ctx, "matrix", qs if qs is not None else businesses())
    # the villages of these rows only: a town's page in a city of 3,600 villages labels its own 120
    labels = _Labels.load(
        "all" if set(splits) - {"town"} else "town",
        villages={r["village_id"] for r in matrix if "village_id" in r},
    )
    lead = {pk: c.lead_department_id for pk, c in labels.categories.items()}
    result = {}
    if "matrix" in splits:
        result["matrix"] = _label(targets, "matrix", matrix, labels)
    for split in ("town", "village", "category", "department"):
        if split in splits:
            result[split] = _label(targets, split, _rollup(matrix, split, len(targets), lead), labels)
    return result


def _targets_key(targets: list[Target]) -> str:
    return "-".join(t.id for t in targets)


def _lookup(targets: list[Target], ctx: Ctx, scope: str = "town") -> dict:
    return {
        "as_of": ctx.as_of,
        "campaign_start": ctx.campaign_start,
        "scope": scope,
        "targets": _targets_key(targets),
    }


def _scope_businesses(scope: str) -> QuerySet[Business]:
    """The businesses of a kept scope: the town's active ones, or those the enforcement branch reaches
    (every business missing a required licence, DOMAIN §1 — accounts.scoping's rule for it)."""
    if scope == "unlicensed":
        return businesses().filter(missing_licence_exists())
    return businesses()


def kept(targets: list[Target], ctx: Ctx, scope: str = "town"):
    """The kept figures of these targets at ctx (a StoredMatrix), or None: they are computed live."""
    from .models import StoredMatrix

    return StoredMatrix.objects.filter(**_lookup(targets, ctx, scope)).first()


def town_matrix(
    targets: list[Target], ctx: Ctx, *, refresh: bool = False, scope: str = "town"
) -> tuple[list[dict], datetime.datetime]:
    """The town's village × category rows for every target at ctx, with the time they were computed
    (`scope` "unlicensed": over the businesses the enforcement branch reaches instead).

    Live while that is cheap: a town's few hundred units take milliseconds, so every page shows the
    figures as they are. When one computation takes longer than WUXIAO_FIGURES_LIVE_MS (a city roster,
    issue 9), its rows are kept (StoredMatrix) and served from then on — the page says "数据截至 …" — and
    a background task recomputes them once they are older than WUXIAO_FIGURES_MAX_AGE_MINUTES (and every
    few minutes for today, see dashboard.schedule). `refresh` recomputes now (the office's button); kept
    figures go back to live only when a recomputation takes under half the threshold, so one slow run on
    a busy database does not flip a town back and forth."""
    from . import status  # import here: status builds on this module's rows()
    from .models import StoredMatrix

    if status.serves(ctx):  # today: exact, from the per-business status (issue 26); `refresh`: live now
        if refresh:
            return rows(targets, ctx, "matrix", _scope_businesses(scope), bound=False), timezone.now()
        return status.matrix(
            targets, ctx, None if scope == "town" else _scope_businesses(scope)
        ), timezone.now()
    lookup = _lookup(targets, ctx, scope)
    if not refresh:
        stored = kept(targets, ctx, scope)
        if stored is not None:
            if timezone.now() - stored.computed_at > datetime.timedelta(
                minutes=settings.WUXIAO_FIGURES_MAX_AGE_MINUTES
            ):
                refresh_later(ctx)
            return stored.rows, stored.computed_at
    started = time.perf_counter()
    # The enforcement branch's scope is itself a licence check: bounding every set by it costs more than
    # it saves, so its sets stay the town's (the aggregate still counts only its businesses).
    computed = rows(targets, ctx, "matrix", _scope_businesses(scope), bound=False)
    duration_ms = round((time.perf_counter() - started) * 1000)
    computed_at = timezone.now()
    values = {"rows": computed, "computed_at": computed_at, "duration_ms": duration_ms}
    if duration_ms >= settings.WUXIAO_FIGURES_LIVE_MS:
        if not StoredMatrix.objects.filter(**lookup).update(**values):
            try:
                with transaction.atomic():
                    StoredMatrix.objects.create(**lookup, **values)
            except IntegrityError:  # another page kept them a moment ago: ours are as fresh
                StoredMatrix.objects.filter(**lookup).update(**values)
    elif refresh and duration_ms < settings.WUXIAO_FIGURES_LIVE_MS / 2:
        StoredMatrix.objects.filter(**lookup).delete()  # cheap again: back to live figures
    elif refresh:
        StoredMatrix.objects.filter(**lookup).update(**values)
    return computed, computed_at


def refresh_later(ctx: Ctx) -> bool:
    """Queue one recomputation of ctx's kept figures (on commit; one at a time per date, however many
    pages ask for it meanwhile). False when one is already queued."""
    lock = refresh_lock(ctx.as_of, ctx.campaign_start)
    if not cache.add(lock, 1, timeout=settings.WUXIAO_FIGURES_MAX_AGE_MINUTES * 60):
        return False
    from .tasks import refresh_figures

    transaction.on_commit(
        lambda: refresh_figures.delay(ctx.as_of.isoformat(), ctx.campaign_start.isoformat())
    )
    return True


def refresh_lock(as_of: datetime.date, campaign_start: datetime.date) -> str:
    return f"wuxiao:figures:refresh:{as_of}:{campaign_start}"


def refresh_stored(*, as_of: datetime.date | None = None) -> int:
    """Recompute the kept figures (of `as_of`, or of every date kept); those kept for a list of targets
    that is no longer the installation's are dropped. Returns how many were recomputed."""
    from .models import StoredMatrix

    stored = StoredMatrix.objects.all()
    if as_of is not None:
        stored = stored.filter(as_of=as_of)
    every = available()
    stored.exclude(targets=_targets_key(every)).delete()
    done = 0
    for row in stored.filter(targets=_targets_key(every)):
        ctx = Ctx(as_of=row.as_of, campaign_start=row.campaign_start)
        town_matrix(every, ctx, refresh=True, scope=row.scope)
        done += 1
    return done


@dataclasses.dataclass(frozen=True)
class Cut:
    """A scope expressible on the matrix: its villages and the categories its lead departments own."""

    villages: frozenset[int]
    categories: frozenset[int]


def matrix_cut(user) -> Cut | None:
    """The user's scope as villages and categories, when it is expressible that way (not for read-all
    roles, who see the whole matrix, nor the enforcement branch or a business's own account); else None."""
    r = reach(user)
    if reads_every_town(user) or r.enforcement_departments or r.businesses:
        return None
    if r.multi_town and r.departments:
        return None  # a department's categories in its own town only (issue 24): not a cut of the matrix
    villages = set(r.villages)
    if r.read_all:  # a town's office, leaders, supervisors in a city's installation: their towns' villages
        villages |= set(Village.objects.filter(town__in=r.towns).values_list("pk", flat=True))
    categories = set(Category.objects.filter(lead_department__in=r.departments).values_list("pk", flat=True))
    categories |= r.bureau_categories  # a city bureau (O5): its categories in every town
    return Cut(frozenset(villages), frozenset(categories))


def scoped_rows(matrix: list[dict], user) -> list[dict] | None:
    """The town's matrix rows cut down to the user's scope, when the scope is villages or the categories of
    lead departments; None when it is not expressible that way (the enforcement branch reaches every
    unlicensed business): then the figures are computed for the user's own queryset."""
    if reads_every_town(user):
        return matrix
    cut = matrix_cut(user)
    if cut is None:
        return None
    return [r for r in matrix if r["village_id"] in cut.villages or r["category_id"] in cut.categories]


def pick(matrix: list[dict], computed: list[Target], wanted: list[Target]) -> list[dict]:
    """Rows computed for `computed` targets, renumbered for the `wanted` ones (a subset)."""
    index = {t.id: i for i, t in enumerate(computed)}
    picked = []
    for row in matrix:
        new = {key: row[key] for key in ("village_id", "category_id", "town_id") if key in row}
        for j, t in enumerate(wanted):
            new[f"n{j}"], new[f"d{j}"] = row[f"n{index[t.id]}"], row[f"d{index[t.id]}"]
        picked.append(new)
    return picked


def splits_for(
    user, targets: list[Target], ctx: Ctx, *, in_one: Town | None = None
) -> tuple[dict[str, list[Figure]], datetime.datetime]:
    """The dashboard's figures for a user: from the town's matrix (live, or kept at city scale) cut to the
    user's scope, or computed for the user's own businesses when the scope is not villages or categories.

    `in_one`: only that town's businesses (the city dashboard's drill-down, issue 24): every set of rows is
    cut to the town's villages (one query for the villages' towns), and every figure names the town."""
    if in_one is None:
        cut = None
    else:
        towns_of: dict[int, int] = {}

        def cut(rows: list[dict]) -> list[dict]:
            if not towns_of:  # only when rows must be cut (not for today's rows of the town itself)
                towns_of.update(village_towns())
            return in_town(rows, in_one, towns_of)

    result, at = _splits_for(user, targets, ctx, cut, town=in_one)
    home = home_town(user) if in_one is None and reach(user).multi_town else None
    for figs in result.values():
        for f in figs:
            if in_one is not None:
                f.town = in_one
            f.goal_town_id = home
    return result, at


def _splits_for(
    user, targets: list[Target], ctx: Ctx, in_town_only, *, town: Town | None = None
) -> tuple[dict[str, list[Figure]], datetime.datetime]:
    from . import status  # import here: status builds on this module's rows()

    every = available()
    in_town_only = in_town_only or (lambda rows: rows)
    cut = matrix_cut(user)
    if town is not None and cut is None and status.serves(ctx):
        # Today, one town of a city (issue 24: the city's drill-down): only that town's kept rows are
        # aggregated (its villages' index ranges), not the whole city's cut down afterwards; then cut to
        # the user's scope exactly as the city's rows would be.
        scoped = scoped_rows(status.matrix(every, ctx, where=town_villages_q(town)), user)
        if scoped is not None:
            return compute_splits(targets, ctx, matrix=pick(scoped, every, targets)), timezone.now()
    if cut is not None and status.serves(ctx):
        # Today, for a village inspector or a lead department: only its own villages' and categories' kept
        # rows are aggregated (an index range), not the whole city's cut down afterwards (issue 26: reads).
        own = in_town_only(
            status.matrix(
                every, ctx, where=Q(village_id__in=cut.villages) | Q(category_id__in=cut.categories)
            )
        )
        return compute_splits(targets, ctx, matrix=pick(own, every, targets)), timezone.now()
    town, computed_at = town_matrix(every, ctx)
    town = in_town_only(town)
    scoped = scoped_rows(town, user)
    if scoped is not None:
        return compute_splits(targets, ctx, matrix=pick(scoped, every, targets)), computed_at
    # The enforcement branch: a target its department owns (U1) is the whole town's — over the unlicensed
    # businesses its scope reaches U1 would be 0% by definition; the others are counted over its scope,
    # kept like the town's at city scale when that scope is the enforcement branch's alone.
    owned = _owned_by(user, targets)
    rest = [t for t in targets if t not in owned]
    result, times = {}, []
    if rest:
        if _enforcement_only(user):
            own, at = town_matrix(every, ctx, scope="unlicensed")
            result = compute_splits(rest, ctx, matrix=pick(in_town_only(own), every, rest))
        else:
            result, at = (
                compute_splits(rest, ctx, matrix=pick(in_town_only(own_rows(every, ctx, user)), every, rest)),
                timezone.now(),
            )
        times.append(at)
    if owned:
        whole = compute_splits(owned, ctx, matrix=pick(town, every, owned))
        order = {t.id: i for i, t in enumerate(targets)}
        for split, figs in whole.items():
            result[split] = sorted(result.get(split, []) + figs, key=lambda f: order[f.target.id])
        times.append(computed_at)
    return result, min(times, default=computed_at)  # the older of the two times


def own_rows(every: list[Target], ctx: Ctx, user) -> list[dict]:
    """The village × category rows of the businesses in the user's own scope: from the per-business
    status for today (dashboard.status), computed live for another date."""
    from . import status  # import here: status builds on this module's rows()

    qs = businesses(user=user)
    if status.serves(ctx):
        return status.matrix(every, ctx, qs)
    return rows(every, ctx, "matrix", qs)


def _enforcement_only(user) -> bool:
    """The user reaches exactly the unlicensed businesses: enforcement department roles and nothing else."""
    r = reach(user)
    return bool(r.enforcement_departments) and not (
        r.read_all or r.villages or r.businesses or set(r.departments) - set(r.enforcement_departments)
    )


def _owned_by(user, targets: list[Target]) -> list[Target]:
    """The targets a department of the user owns whole (Target.department: U1 for enforcement)."""
    codes = set(Department.objects.filter(pk__in=reach(user).departments).values_list("code", flat=True))
    return [t for t in targets if t.department and t.department in codes]


# --- towns (issue 24): the town comes through the village, so a town's rows are cut from the matrix ---------


def village_towns() -> dict[int, int]:
    """Each village's town: one query, whatever the number of towns (the matrix rows carry the village)."""
    return dict(Village.objects.values_list("pk", "town_id"))


def town_villages_q(town: Town) -> Q:
    """The kept status rows of one town's businesses: its villages named as a list (one small query first).
    Given as a sub-select, PostgreSQL joins the town's 120 villages to the whole city's status table in
    one sequential scan (102 ms at 30,000 businesses in 30 towns, growing with the city); given as a list,
    it reads the town's ranges of the (village, …) index (30 ms, growing with the town only)."""
    return Q(village_id__in=list(Village.objects.filter(town=town).values_list("pk", flat=True)))


def in_town(matrix: list[dict], town: Town, towns_of: dict[int, int] | None = None) -> list[dict]:
    """The matrix rows of one town's businesses."""
    towns_of = towns_of if towns_of is not None else village_towns()
    return [r for r in matrix if towns_of.get(r["village_id"]) == town.pk]


def sole_town() -> Town | None:
    """The installation's town when it has exactly one (a single-town install: every row names it)."""
    towns = list(Town.objects.order_by("pk")[:2])
    return towns[0] if len(towns) == 1 else None


def compute_towns(targets: list[Target], matrix: list[dict]) -> list[Figure]:
    """The town split: every target over each town's businesses, summed from the village × category rows
    (n{i}/d{i} numbered as `targets`). Two queries (villages' towns, the towns), whatever the number of
    towns, villages or businesses; a town with no active business has its row of 0/0 figures."""
    towns_of = village_towns() if any("town_id" not in r for r in matrix) else {}
    n = len(targets)
    sums: dict[int, dict] = {}
    for r in matrix:
        town_id = r["town_id"] if "town_id" in r else towns_of.get(r["village_id"])
        row = sums.setdefault(town_id, {f"{k}{i}": 0 for i in range(n) for k in "nd"})
        for i in range(n):
            row[f"d{i}"] += r[f"d{i}"]
            row[f"n{i}"] += r[f"n{i}"]
    result = []
    for town in Town.objects.order_by("name"):
        row = sums.get(town.pk, {f"{k}{i}": 0 for i in range(n) for k in "nd"})
        result += [Figure(t, row[f"n{i}"], row[f"d{i}"], town=town) for i, t in enumerate(targets)]
    return result


def _rollup(matrix: list[dict], split: str, n: int, lead: dict[int, int]) -> list[dict]:
    """Sum village × category rows into the rows of a coarser split."""
    column = SPLITS[split][0] if SPLITS[split] else None
    names = [f"{k}{i}" for i in range(n) for k in ("d", "n")]
    sums: dict = {}  # key -> the running totals, in the order of `names` (a city's leader page: 4,000 cells)
    for r in matrix:
        if column is None:
            key = None
        elif column == "category__lead_department_id":
            key = lead.get(r["category_id"])
        else:
            key = r[column]
        values = [r[name] for name in names]
        total = sums.get(key)
        sums[key] = values if total is None else [a + b for a, b in zip(total, values, strict=True)]
    if column is None and not sums:
        return [dict.fromkeys(names, 0)]
    return [
        {**({column: key} if column else {}), **dict(zip(names, total, strict=True))}
        for key, total in sums.items()
    ]


@dataclass
class _Labels:
    villages: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)

    @classmethod
    def load(cls, split: str, villages: set[int] | None = None) -> _Labels:
        labels = cls()
        if split in ("village", "matrix", "all"):
            found = Village.objects.all() if villages is None else Village.objects.filter(pk__in=villages)
            labels.villages = {v.pk: v for v in found}
        if split in ("category", "matrix", "all"):
            labels.categories = {c.pk: c for c in Category.objects.all()}
        if split in ("department", "all"):
            labels.departments = {d.pk: d for d in Department.objects.all()}
        return labels


def _label(targets: list[Target], split: str, raw: list[dict], labels: _Labels) -> list[Figure]:
    by_code = {d.code: d for d in labels.departments.values()}
    figures: list[Figure] = []
    for i, target in enumerate(targets):
        if split == "department" and target.department:
            # A target owned by one department (U1) belongs to it whole: the sum over all groups.
            if target.department in by_code:
                numerator = sum(r[f"n{i}"] for r in raw)
                denominator = sum(r[f"d{i}"] for r in raw)
                figures.append(Figure(target, numerator, denominator, department=by_code[target.department]))
            continue
        for r in raw:
            figure = Figure(target, r[f"n{i}"], r[f"d{i}"])
            if "village_id" in r:
                figure.village = labels.villages.get(r["village_id"])
            if "category_id" in r:
                figure.category = labels.categories.get(r["category_id"])
                if figure.category and not target.applies_to_category(figure.category.code):
                    continue
            if "category__lead_department_id" in r:
                figure.department = labels.departments.get(r["category__lead_department_id"])
                if not figure.denominator:
                    continue
            figures.append(figure)
    return figures


def failing(
    target: Target,
    ctx: Ctx,
    *,
    user=None,
    village: Village | None = None,
    category: Category | None = None,
    department: Department | None = None,
    town: Town | None = None,
    kept: bool | None = None,
) -> QuerySet[Business]:
    """The drill-down: the businesses counted by a figure that do NOT meet its target — for today from the
    per-business status (an index lookup: the figure and its list read the same rows), at another date
    computed live. `kept`: whether the status serves ctx, when the caller has asked already."""
    from . import status  # import here: status builds on this module's rows()

    if department is not None and target.department == department.code:
        department = None  # U1 is the enforcement branch's across every category
    qs = businesses(user=user, village=village, category=category, department=department, town=town)
    kept = status.serves(ctx) if kept is None else kept
    qs = status.failing(target, ctx, qs) if kept else failing_live(target, ctx, qs)
    # Ties on the name by id: the order KeptFailing's pages follow too.
    return qs.select_related("category", "village").order_by(
        "village__order", "category__order", "name", "pk"
    )


def failing_kept(
    target: Target,
    ctx: Ctx,
    *,
    user=None,
    village: Village | None = None,
    category: Category | None = None,
    department: Department | None = None,
    town: Town | None = None,
):
    """Today's drill-down without reading every failing business (dashboard.status.KeptFailing: a count and
    pages of ids, the same as failing()'s), or None where it cannot serve (then failing())."""
    from . import status  # import here: status builds on this module's rows()

    if department is not None and target.department == department.code:
        department = None  # as in failing()
    return status.kept_failing(
        target, ctx, user=user, village=village, category=category, department=department, town=town
    )


def failing_live(target: Target, ctx: Ctx, qs: QuerySet[Business]) -> QuerySet[Business]:
    """The businesses of qs in target's population at ctx that do not meet it, computed from the evidence."""
    return qs.filter(target.population_q(ctx)).filter(~Q(target.meets_q(ctx)))
