"""Today's target figures kept exact per business (issue 26): BusinessTargetStatus.

One row per active business and per target its category counts: in the population or not (`counted`),
met or not, and `changes_on` — the first day after today on which that can change with no write at all (a
licence issued later or expiring, a ledger line leaving the G2 window or a dated one entering it, a visit,
incident or slaughter return dated ahead). Every figure is computed by the same code as the live figures
(figures.rows, split per business), so the two cannot disagree in how a target is counted.

- **Writes** announce the businesses they changed through `lib.kept` (the apps below the dashboard cannot
  import it); `on_change`, registered in DashboardConfig.ready(), recomputes those businesses inside the
  writer's transaction, their rows locked first so two writers cannot interleave.
- **Dates**: `sweep()` (daily, dashboard.schedule) recomputes the rows whose changes_on has come; until it
  has run, `matrix()` counts those rows live — the figures are exact at any moment, the sweep only keeps
  the live part small.
- **Reads**: `matrix()` is one aggregate over the table, grouped by village × category × target (and the
  live count of the few due rows, if any) — the rows figures.compute_splits expects.
- **Check**: `differences()` compares every row with the live computation (the nightly task and
  `python manage.py target_status --check` report any; `--repair` rewrites them).

Served only for today, while TargetStatusState says the rows were built for the current campaign's start
and this installation's targets; otherwise (first run, a new campaign, a target added) the figures are
computed live and `sweep()` rebuilds the table.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from accounts.scoping import business_q
from campaigns import town_settings
from campaigns.choices import HELD_STATES, INACTIVE_STATUSES
from campaigns.models import Business, Campaign, Category, Licence, Village
from inspections.choices import VisitStatus
from inspections.models import Incident, SlaughterReturn, Visit
from ledgers.models import LedgerEntry

from . import figures
from .models import BusinessTargetStatus, TargetStatusState, TargetStatusTotal, TargetStatusVillageTotal
from .targets import Ctx, Target, available

# What changes each target's standing as the days pass (the evidence it reads at a date). A target not
# listed is assumed to read all of it.
LICENCES, LEDGER, VISITS, INCIDENTS, RETURNS = "licences", "ledger", "visits", "incidents", "returns"
EVERY_KIND = (LICENCES, LEDGER, VISITS, INCIDENTS, RETURNS)
KINDS: dict[str, tuple[str, ...]] = {
    **{t: (LICENCES,) for t in ("G1", "A2", "B1", "C1", "U1")},
    **{t: (LEDGER,) for t in ("G2", "A3", "C2", "C3")},
    "A4": (VISITS, LEDGER),
    "C7": (INCIDENTS,),
    "F1": (LICENCES, RETURNS),
    **{t: (VISITS,) for t in ("G3", "G4", "A1", "D1", "D2", "D4", "E1a", "E1b", "E1c", "E1d", "F2", "F4")},
}
# Businesses evaluated per query: each target's bound set repeats their ids (SQLite's parameter limit).
IDS_PER_QUERY = 200
# Businesses per pk range when the whole table is built or checked.
RANGE = 2000


def targets_key(targets: list[Target]) -> str:
    return "-".join(t.id for t in targets)


def state_key(ctx: Ctx) -> str:
    """What the rows are kept for besides the campaign's start: the targets, and the towns' own campaign
    starts when some town's differs (issue 24) — a town's new campaign makes the rows stale like a new
    campaign does."""
    key = targets_key(available())
    if ctx.town_starts:
        starts = sorted((t, d.isoformat()) for t, d in ctx.town_starts.items())
        key += "|" + hashlib.sha1(repr(starts).encode()).hexdigest()[:12]
    return key


def today_ctx() -> Ctx:
    return Ctx.at(timezone.localdate(), Campaign.current())


def state() -> TargetStatusState | None:
    return TargetStatusState.objects.order_by("pk").first()


def _valid(st: TargetStatusState | None, ctx: Ctx) -> bool:
    # The rows hold for the towns' own campaign starts (issue 24): the start of the towns without one and
    # the others' (state_key), whichever town's campaign ctx was built from.
    return st is not None and st.campaign_start == ctx.default_start and st.targets == state_key(ctx)


def serves(ctx: Ctx) -> bool:
    """Whether ctx's figures come from the kept rows: today's, and the rows built for its campaign start
    and the installation's targets. One query."""
    return ctx.as_of == timezone.localdate() and _valid(state(), ctx)


# --- computing rows --------------------------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_changes(
    qs: QuerySet[Business], today: datetime.date, windows: dict[int, int] | None = None
) -> dict[int, dict[str, datetime.date]]:
    """For each business of qs, the first day after `today` on which each kind of evidence changes by
    itself — a ledger line leaving its town's window (`windows`: the towns' own, issue 24). Five grouped
    queries, whatever the number of businesses."""
    within = qs.order_by().values("pk")
    found: dict[int, dict[str, datetime.date]] = defaultdict(dict)

    def note(business_id: int, kind: str, day: datetime.date | None) -> None:
        if day is not None and day > today:
            current = found[business_id].get(kind)
            found[business_id][kind] = day if current is None else min(current, day)

    licences = (
        Licence.objects.filter(business__in=within, state__in=HELD_STATES)
        .filter(Q(issued_on__gt=today) | Q(expires_on__gte=today))
        .values("business_id")
        .annotate(
            issued=Min("issued_on", filter=Q(issued_on__gt=today)),
            expires=Min("expires_on", filter=Q(expires_on__gte=today)),
        )
        .order_by()
    )
    for row in licences:
        note(row["business_id"], LICENCES, row["issued"])  # held from the day it is issued
        if row["expires"] is not None:  # held through its expiry day, not the day after
            note(row["business_id"], LICENCES, row["expires"] + datetime.timedelta(days=1))
    # Each business's town's G2 window (issue 24): the lines within it, the town read with them only when
    # some town sets its own window — one query either way.
    windows = town_settings.ledger_windows() if windows is None else windows
    base = settings.WUXIAO_LEDGER_WINDOW_DAYS

    def dated(days: int) -> Q:
        return Q(occurred_on__gte=today - datetime.timedelta(days=days))

    lines = LedgerEntry.objects.filter(
        town_settings.per_window(dated, windows, "business__village__town_id"), business__in=within
    )
    keys = ("business_id", "town_id") if windows else ("business_id",)
    if windows:
        lines = lines.annotate(town_id=F("business__village__town_id"))
    lines = (
        lines.values(*keys)
        .annotate(
            oldest=Min("occurred_on", filter=Q(occurred_on__lte=today)),
            ahead=Min("occurred_on", filter=Q(occurred_on__gt=today)),
        )
        .order_by()
    )
    for row in lines:
        days = windows.get(row.get("town_id"), base)
        if row["oldest"] is not None:  # the window's oldest line leaves it
            note(row["business_id"], LEDGER, row["oldest"] + datetime.timedelta(days=days + 1))
        note(row["business_id"], LEDGER, row["ahead"])  # a line dated ahead enters it
    visits = (
        Visit.objects.filter(
            business__in=within,
            status=VisitStatus.SUBMITTED,
            started_at__gte=_start_of(today + datetime.timedelta(days=1)),
        )
        .values("business_id")
        .annotate(first=Min("started_at"))
        .order_by()
    )
    for row in visits:
        note(row["business_id"], VISITS, timezone.localdate(row["first"]))
    incidents = (
        Incident.businesses.through.objects.filter(business__in=within, incident__occurred_on__gt=today)
        .values("business_id")
        .annotate(first=Min("incident__occurred_on"))
        .order_by()
    )
    for row in incidents:
        note(row["business_id"], INCIDENTS, row["first"])
    returns = (
        SlaughterReturn.objects.filter(business__in=within, month__gt=today)
        .values("business_id")
        .annotate(first=Min("month"))
        .order_by()
    )
    for row in returns:
        note(row["business_id"], RETURNS, row["first"])
    return found


def evaluate(
    qs: QuerySet[Business], ctx: Ctx, every: list[Target] | None = None
) -> list[BusinessTargetStatus]:
    """The rows (unsaved) of qs's active businesses at ctx: the live figures split per business (one
    aggregate query) and the dates they change (five more)."""
    every = every if every is not None else available()
    active = figures.businesses().filter(pk__in=qs.order_by().values("pk"))
    # Only the targets these businesses' categories count: a visit rewrites one business, whose category
    # counts about a third of the targets — a third of the aggregate to build and run (issue 26: writes).
    present = set(active.order_by().values_list("category__code", flat=True).distinct())
    every = [t for t in every if any(t.applies_to_category(code) for code in present)]
    if not every:
        return []
    windows = ctx.ledger_windows  # read once here, carried into figures.rows' copy of ctx (issue 24)
    ctx.town_starts  # noqa: B018 — likewise the towns' own campaign starts
    per_business = figures.rows(every, ctx, "business", active)
    if not per_business:
        return []
    codes = dict(Category.objects.values_list("pk", "code"))
    changes = next_changes(active, ctx.as_of, windows)
    result = []
    for row in per_business:
        code = codes.get(row["category_id"])
        dates = changes.get(row["pk"], {})
        for i, target in enumerate(every):
            if not target.applies_to_category(code):
                continue
            due = [dates[k] for k in KINDS.get(target.id, EVERY_KIND) if k in dates]
            result.append(
                BusinessTargetStatus(
                    business_id=row["pk"],
                    target=target.id,
                    village_id=row["village_id"],
                    category_id=row["category_id"],
                    counted=bool(row[f"d{i}"]),
                    met=bool(row[f"n{i}"]),
                    changes_on=min(due, default=None),
                )
            )
    return result


def _chunks(ids: list[int], size: int = IDS_PER_QUERY) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rewrite(qs: QuerySet[Business], ctx: Ctx) -> int:
    """Replace the rows of qs's businesses (active or not: an inactive one keeps none) by fresh ones, and
    move the towns' and the villages' totals by the difference (issues 24, 26)."""
    rows = evaluate(qs, ctx)
    old = BusinessTargetStatus.objects.filter(business__in=qs.order_by().values("pk"))
    delta: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for key, counted, met in _summed(old, _VILLAGE_KEY):
        delta[key][0] -= counted
        delta[key][1] -= met
    old.delete()
    BusinessTargetStatus.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        if row.counted:
            d = delta[(row.village_id, row.category_id, row.target)]
            d[0] += 1
            d[1] += row.met
    _move_totals(delta)
    return len(rows)


# --- totals (issue 24: per town; issue 26: per village) --------------------------------------------------

_TOTAL_KEY = ("town_id", "category_id", "target")
_VILLAGE_KEY = ("village_id", "category_id", "target")
TOTALS = ((TargetStatusTotal, _TOTAL_KEY), (TargetStatusVillageTotal, _VILLAGE_KEY))


def _summed(rows: QuerySet, key: tuple[str, ...] = _TOTAL_KEY) -> Iterable[tuple[tuple, int, int]]:
    """The rows summed per town (or village) × category × target: (key, counted, met among the counted)."""
    if "town_id" in key:
        rows = rows.annotate(town_id=F("village__town_id"))
    for g in (
        rows.filter(counted=True)
        .values(*key)
        .annotate(c=Count("pk"), m=Count("pk", filter=Q(met=True)))
        .order_by()
    ):
        yield tuple(g[k] for k in key), g["c"], g["m"]


def _move_totals(by_village: dict[tuple, list[int]]) -> None:
    """Move the villages' totals by these (counted, met) differences, and their towns' by their sums: the
    town totals first, then the villages', each in key order, so that two writers lock what they share in
    the same order."""
    by_village = {key: d for key, d in by_village.items() if d[0] or d[1]}
    if not by_village:
        return
    towns = dict(Village.objects.filter(pk__in={key[0] for key in by_village}).values_list("pk", "town_id"))
    by_town: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (village, category, target), (c, m) in by_village.items():
        d = by_town[(towns[village], category, target)]
        d[0] += c
        d[1] += m
    _upsert(TargetStatusTotal, _TOTAL_KEY, by_town)
    _upsert(TargetStatusVillageTotal, _VILLAGE_KEY, by_village)


def _upsert(model, key: tuple[str, ...], delta: dict[tuple, list[int]]) -> None:
    """Add each (counted, met) difference to its total, creating the total if needed: one upsert (the
    same SQL on PostgreSQL and SQLite), keys in order."""
    moved = [(k, d) for k, d in sorted(delta.items()) if d[0] or d[1]]
    if not moved:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(key)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(moved))
    params = [p for k, (c, m) in moved for p in (*k, c, m)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, counted, met) VALUES {values} "
            f"ON CONFLICT ({columns}) DO UPDATE SET "
            f"counted = {table}.counted + excluded.counted, met = {table}.met + excluded.met",
            params,
        )


def retotal() -> None:
    """Rebuild every total, per town and per village, from the rows (after the whole table is built, or
    to repair)."""
    for model, key in TOTALS:
        model.objects.all().delete()
        model.objects.bulk_create(
            (
                model(**dict(zip(key, k, strict=True)), counted=n_counted, met=n_met)
                for k, n_counted, n_met in _summed(BusinessTargetStatus.objects.all(), key)
            ),
            batch_size=2000,
        )


def forget(business_ids: list[int]) -> None:
    """Take these businesses' rows out of the totals before the rows go with the businesses (a deletion
    cascades past _rewrite: the Business pre_delete receiver calls this)."""
    if not business_ids or not TargetStatusTotal.objects.exists():
        return
    delta: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = BusinessTargetStatus.objects.filter(business_id__in=business_ids)
    for key, counted, met in _summed(rows, _VILLAGE_KEY):
        delta[key] = [-counted, -met]
    _move_totals(delta)


def on_business_delete(sender, instance, **kwargs) -> None:
    forget([instance.pk])


def recompute(ids: list[int], ctx: Ctx | None = None) -> int:
    """Recompute these businesses now, in the current transaction, their Business rows locked first (in pk
    order) so that two writers of one business recompute one after the other, each seeing the other's
    commit."""
    ctx = ctx or today_ctx()
    written = 0
    with transaction.atomic():
        for chunk in _chunks(sorted(set(ids))):
            locked = list(
                Business.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            written += _rewrite(Business.objects.filter(pk__in=locked), ctx)
    return written


def on_change(ids: list[int] | None) -> None:
    """lib.kept's listener: a write changed these businesses (None: possibly all of them). Does nothing
    until the table is built for today's campaign and targets (then the figures are live anyway)."""
    ctx = today_ctx()
    st = state()
    if not _valid(st, ctx):
        return
    if ids is None:  # every business, in this transaction
        rebuild(ctx=ctx)
        return
    recompute(ids, ctx)


def _ranges(qs: QuerySet[Business]) -> Iterable[QuerySet[Business]]:
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RANGE):
        part = ids[start : start + RANGE]
        yield Business.objects.filter(pk__gte=part[0], pk__lte=part[-1])


@transaction.atomic
def rebuild(*, ctx: Ctx | None = None) -> int:
    """Build the whole table for today (every business, in pk ranges) and mark it served. One transaction:
    readers see the old rows (or live figures) until it commits."""
    ctx = ctx or today_ctx()
    BusinessTargetStatus.objects.all().delete()
    written = 0
    for part in _ranges(figures.businesses()):
        rows = evaluate(part, ctx)
        BusinessTargetStatus.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    retotal()
    if connection.vendor == "postgresql":  # the planner's statistics for the new rows (autovacuum is late)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {BusinessTargetStatus._meta.db_table}")
            cursor.execute(f"ANALYZE {TargetStatusTotal._meta.db_table}")
            cursor.execute(f"ANALYZE {TargetStatusVillageTotal._meta.db_table}")
    TargetStatusState.objects.all().delete()
    now = timezone.now()
    TargetStatusState.objects.create(
        campaign_start=ctx.default_start,
        targets=state_key(ctx),
        built_at=now,
        swept_on=ctx.as_of,
    )
    return written


@dataclass
class Sweep:
    rebuilt: bool
    businesses: int
    rows: int


def sweep(*, ctx: Ctx | None = None) -> Sweep:
    """The daily sweep: rebuild the table when it is not built for today's campaign and targets, else
    recompute the businesses whose rows' changes_on has come (in chunks, each its own transaction)."""
    ctx = ctx or today_ctx()
    st = state()
    if not _valid(st, ctx):
        return Sweep(True, figures.businesses().count(), rebuild(ctx=ctx))
    due = sorted(
        set(
            BusinessTargetStatus.objects.filter(changes_on__lte=ctx.as_of).values_list(
                "business_id", flat=True
            )
        )
    )
    written = 0
    for chunk in _chunks(due, RANGE):
        written += recompute(chunk, ctx)
    TargetStatusState.objects.filter(pk=st.pk).update(swept_on=ctx.as_of)
    return Sweep(False, len(due), written)


# --- reading ---------------------------------------------------------------------------------------------


# The grain of matrix()'s rows: village × category (what every split of a town's page sums from), per town
# (the city's page: one row per town, not per village), or none (one scope's figures: target_report).
GRAINS = {"cell": ("village_id", "category_id"), "town": ("town_id",), "none": ()}


def matrix(
    targets: list[Target],
    ctx: Ctx,
    qs: QuerySet[Business] | None = None,
    *,
    where: Q | None = None,
    categories: list[int] | None = None,
    town: int | None = None,
    grain: str = "cell",
) -> list[dict]:
    """Today's village × category rows for `targets` (n{i}/d{i} as figures.rows gives them), over every
    active business, or the rows matching `where` (on the rows' own columns — village, category — an
    index range and no join), or qs's businesses; `categories` keeps those categories' only.

    `grain` "town" groups by the villages' towns instead (a city of 30 towns × 120 villages has ~25,000
    village × category cells per target; the city's page needs 30 rows), "none" by nothing (one row: a
    scope's figures). Over every town at grain "town" or "none" (no qs, no where) these come from the
    totals kept per town × category × target (issue 24: a few thousand rows whatever the number of
    businesses); otherwise, without qs, from the totals kept per village × category × target (issue 26: a
    town's page sums its villages' totals, not its businesses' rows; `where` names the same columns); for
    qs's businesses, one aggregate over their rows. Either way the rows already due (changes_on ≤ today,
    before the sweep reached them) are counted live instead (one query finds them; two more when some
    are)."""
    index = {t.id: i for i, t in enumerate(targets)}
    columns = GRAINS[grain]
    cells: dict[tuple, dict] = {}

    def cell(key: tuple) -> dict:
        if key not in cells:
            cells[key] = dict(zip(columns, key, strict=True))
            for i in range(len(targets)):
                cells[key][f"n{i}"] = cells[key][f"d{i}"] = 0
        return cells[key]

    def add(key: tuple, target: str, d: int, n: int) -> None:
        c = cell(key)
        i = index[target]
        c[f"d{i}"] += d
        c[f"n{i}"] += n

    rows = BusinessTargetStatus.objects.filter(target__in=list(index))
    if categories is not None:
        rows = rows.filter(category_id__in=categories)
    if town is not None:
        rows = rows.filter(village__town_id=town)
    due = Q(changes_on__lte=ctx.as_of)
    if qs is None:
        if where is None and grain != "cell":  # every town: the towns' totals
            totals = TargetStatusTotal.objects.filter(target__in=list(index))
            if town is not None:
                totals = totals.filter(town_id=town)
        else:  # a town's villages side by side, a village, a department's categories: the villages'
            totals = TargetStatusVillageTotal.objects.filter(target__in=list(index))
            if town is not None:
                totals = totals.filter(village__town_id=town)
            if where is not None:
                totals = totals.filter(where)
                rows = rows.filter(where)
            if grain == "town":
                totals = totals.annotate(town_id=F("village__town_id"))
        if categories is not None:
            totals = totals.filter(category_id__in=categories)
        by = (*columns, "target")
        for g in totals.values(*by).annotate(d=Sum("counted"), n=Sum("met")).order_by():
            add(tuple(g[column] for column in columns), g["target"], g["d"], g["n"])
        due_rows = list(rows.filter(due).values_list(*_DUE))
        keys = _keyer(grain, due_rows)
        for _business, target, village_id, category_id, counted, met in due_rows:
            if counted:  # out of the totals: counted live below
                add(keys(village_id, category_id), target, -1, -int(met))
    else:
        if where is not None:
            rows = rows.filter(where)
        if qs is not None:
            rows = rows.filter(business__in=qs.order_by().values("pk"))
        kept = (Q(changes_on__isnull=True) | Q(changes_on__gt=ctx.as_of)) & Q(counted=True)
        grouped = rows.annotate(town_id=F("village__town_id")) if grain == "town" else rows
        any_due = False
        for g in (
            grouped.values(*columns, "target")
            .annotate(
                d=Count("target", filter=kept),
                n=Count("target", filter=kept & Q(met=True)),
                due=Count("target", filter=due),
            )
            .order_by()
        ):
            add(tuple(g[column] for column in columns), g["target"], g["d"], g["n"])
            any_due = any_due or g["due"] > 0
        due_rows = list(rows.filter(due).values_list(*_DUE)) if any_due else []
        keys = _keyer(grain, due_rows)
    if due_rows:
        _count_due_live(due_rows, targets, ctx, lambda v, c: cell(keys(v, c)))
    return [cells[key] for key in sorted(cells)]  # one order, whatever the aggregate's (a hash on PostgreSQL)


# A due row as matrix() reads it.
_DUE = ("business_id", "target", "village_id", "category_id", "counted", "met")


def _keyer(grain: str, due_rows: list[tuple]):
    """A village × category's key at `grain` (for the due rows' villages)."""
    if grain == "town":
        towns_of = (
            dict(Village.objects.filter(pk__in={r[2] for r in due_rows}).values_list("pk", "town_id"))
            if due_rows
            else {}
        )
        return lambda village_id, category_id: (towns_of.get(village_id),)
    if grain == "none":
        return lambda village_id, category_id: ()
    return lambda village_id, category_id: (village_id, category_id)


def failing(target: Target, ctx: Ctx, qs: QuerySet[Business]) -> QuerySet[Business]:
    """The drill-down for today: the businesses of qs whose kept row is counted and not met, and among the
    rows already due (before the sweep reached them) those failing the target when computed live."""
    rows = BusinessTargetStatus.objects.filter(target=target.id)
    kept = rows.filter(Q(changes_on__isnull=True) | Q(changes_on__gt=ctx.as_of), counted=True, met=False)
    due = rows.filter(changes_on__lte=ctx.as_of).values("business_id")
    if not due.exists():  # the usual case once the sweep has run: the kept rows alone, an index lookup
        return qs.filter(pk__in=kept.values("business_id"))
    # Rows whose date has come: those computed live (an OR the planner cannot drive by the index, so only
    # when there are such rows).
    live = figures.failing_live(target, ctx, Business.objects.filter(pk__in=due)).values("pk")
    return qs.filter(Q(pk__in=kept.values("business_id")) | Q(pk__in=live))


class KeptFailing:
    """Today's drill-down for a reader of every town, read from the kept rows without touching every failing
    one (issue 26: the list grew 4.8× per 10× of the city): its length from the totals kept per town ×
    category × target (a village's from its village totals), and a page by walking the villages ×
    categories in the page's order (village, category, then name), each group an index range of its
    failing rows (target_status_agg), stopping once the page is full — PostgreSQL's incremental sort over
    a LATERAL join. The same businesses in the same order as failing() (the kept rows are those of active
    businesses, with their village and category); ties on the name go by id. A sequence for Paginator:
    count() and slices of ids."""

    def __init__(self, target: Target, ctx: Ctx, *, village=None, category=None, department=None, town=None):
        self.target, self.ctx = target, ctx
        self.village, self.category, self.department, self.town = village, category, department, town

    def count(self) -> int:
        if self.village is not None:  # a village's from its own totals (issue 26)
            totals = TargetStatusVillageTotal.objects.filter(target=self.target.id, village=self.village)
            if self.town is not None:
                totals = totals.filter(village__town=self.town)
        else:
            totals = TargetStatusTotal.objects.filter(target=self.target.id)
            if self.town is not None:
                totals = totals.filter(town=self.town)
        if self.category is not None:
            totals = totals.filter(category=self.category)
        if self.department is not None:
            totals = totals.filter(category__lead_department=self.department)
        summed = totals.aggregate(counted=Sum("counted"), met=Sum("met"))
        return (summed["counted"] or 0) - (summed["met"] or 0)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        q = connection.ops.quote_name
        where, params = ["TRUE"], []
        for column, value in (
            ("v.id", self.village),
            ("v.town_id", self.town),
            ("c.id", self.category),
            ("c.lead_department_id", self.department),
        ):
            if value is not None:
                where.append(f"{column} = %s")
                params.append(value.pk)
        groups = (
            f'SELECT v.id AS village_id, c.id AS category_id, v."order" AS vo, c."order" AS co'
            f" FROM {q(Village._meta.db_table)} v CROSS JOIN {q(Category._meta.db_table)} c"
            f" WHERE {' AND '.join(where)}"
        )
        status_rows = f"{q(BusinessTargetStatus._meta.db_table)} s"
        business = f"{q(Business._meta.db_table)} b ON b.id = s.business_id"
        failing = (
            "s.target = %s AND s.counted AND NOT s.met AND (s.changes_on IS NULL OR s.changes_on > %s)"
            f" AND b.status NOT IN ({', '.join(['%s'] * len(INACTIVE_STATUSES))})"
        )
        if connection.vendor == "postgresql":
            # The groups in the page's order, each group's rows an index range read in turn (OFFSET 0
            # keeps them so: flattened, the planner hashed every failing row of the city and sorted them
            # all), and an incremental sort by name within a group that stops once the page is full.
            sql = (
                f"SELECT x.business_id FROM ({groups} ORDER BY 3, 4 OFFSET 0) g CROSS JOIN LATERAL ("
                f"SELECT s.business_id, b.name FROM {status_rows} JOIN {business}"
                f" WHERE s.village_id = g.village_id AND s.category_id = g.category_id AND {failing}"
                " OFFSET 0) x ORDER BY g.vo, g.co, x.name, x.business_id"
            )
        else:  # no LATERAL (SQLite): the same rows in one join, sorted whole
            sql = (
                f"SELECT s.business_id FROM ({groups}) g JOIN {status_rows}"
                f" ON s.village_id = g.village_id AND s.category_id = g.category_id JOIN {business}"
                f" WHERE {failing} ORDER BY g.vo, g.co, b.name, s.business_id"
            )
        sql += " LIMIT %s OFFSET %s"
        day = connection.ops.adapt_datefield_value(self.ctx.as_of)
        params += [self.target.id, day, *INACTIVE_STATUSES, stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def kept_failing(
    target: Target, ctx: Ctx, *, user=None, village=None, category=None, department=None, town=None
) -> KeptFailing | None:
    """The drill-down as KeptFailing when it can serve: for a user whose scope filters no business (city
    leadership, a role in every town), no kept row already due (else failing(), which counts those live).
    One query (the due rows' check)."""
    if user is not None and business_q(user):
        return None
    if BusinessTargetStatus.objects.filter(target=target.id, changes_on__lte=ctx.as_of).exists():
        return None
    return KeptFailing(target, ctx, village=village, category=category, department=department, town=town)


def _count_due_live(due_rows: list[tuple], targets: list[Target], ctx: Ctx, cell) -> None:
    """Count the due rows' targets live, into cell(village_id, category_id)."""
    pairs = defaultdict(set)
    for business_id, target, *_rest in due_rows:
        pairs[business_id].add(target)
    for chunk in _chunks(sorted(pairs)):
        live = figures.rows(targets, ctx, "business", figures.businesses().filter(pk__in=chunk))
        for row in live:
            c = cell(row["village_id"], row["category_id"])
            for i, target in enumerate(targets):
                if target.id in pairs[row["pk"]]:
                    c[f"d{i}"] += row[f"d{i}"]
                    c[f"n{i}"] += row[f"n{i}"]


# --- checking --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    business_id: int
    target: str
    kept: tuple[bool, bool] | None  # (counted, met), None: no row kept
    live: tuple[bool, bool] | None  # None: no row due (inactive, or the target not its category's)

    def __str__(self) -> str:
        def said(v):
            return "无记录" if v is None else f"{'计入' if v[0] else '不计入'}/{'达标' if v[1] else '未达标'}"

        kept, live = said(self.kept), said(self.live)
        return f"经营单位 {self.business_id} 目标 {self.target}：保存的为{kept}，实时计算为{live}"


def differences(*, ctx: Ctx | None = None, repair: bool = False) -> list[Difference | TotalDifference]:
    """Every row that differs from the live computation for today (kept rows whose changes_on has come
    count as their live value: the sweep's work, not a difference), then every total that is not the sum
    of its rows. With `repair`, the businesses that differ are recomputed and the totals rebuilt."""
    ctx = ctx or today_ctx()
    found: list[Difference] = []
    every_business = Business.objects.all()
    for part in _ranges(every_business):
        live = {(r.business_id, r.target): (r.counted, r.met) for r in evaluate(part, ctx)}
        kept = {
            (b, t): ((c, m), due)
            for b, t, c, m, due in BusinessTargetStatus.objects.filter(business__in=part.values("pk"))
            .annotate(due=ExpressionWrapper(Q(changes_on__lte=ctx.as_of), output_field=BooleanField()))
            .values_list("business_id", "target", "counted", "met", "due")
        }
        for key in sorted(set(live) | set(kept)):
            value, due = kept.get(key, (None, False))
            if due:
                continue
            if live.get(key) != value:
                found.append(Difference(key[0], key[1], value, live.get(key)))
    if repair and found:
        recompute([d.business_id for d in found], ctx)
    totals = total_differences()
    if repair and totals:
        retotal()
    return found + totals


@dataclass(frozen=True)
class TotalDifference:
    town_id: int | None  # the town's total (issue 24), or None for a village's
    category_id: int
    target: str
    kept: tuple[int, int]  # (counted, met) in the totals
    rows: tuple[int, int]  # the same summed over the rows
    village_id: int | None = None  # the village's total (issue 26)

    def __str__(self) -> str:
        where = f"镇（街道）{self.town_id}" if self.village_id is None else f"村（社区）{self.village_id}"
        return (
            f"{where} 类别 {self.category_id} 目标 {self.target}："
            f"合计为计入 {self.kept[0]}、达标 {self.kept[1]}，"
            f"逐单位记录之和为计入 {self.rows[0]}、达标 {self.rows[1]}"
        )


def total_differences() -> list[TotalDifference]:
    """Every total, per town (issue 24) and per village (issue 26), that is not the sum of its rows: one
    aggregate over the rows and one read of the totals for each."""
    found = []
    for model, key in TOTALS:
        summed = {k: (c, m) for k, c, m in _summed(BusinessTargetStatus.objects.all(), key)}
        kept = {
            (p, c, t): (n_counted, n_met)
            for p, c, t, n_counted, n_met in model.objects.values_list(*key, "counted", "met")
        }
        for k in sorted(set(summed) | set(kept)):
            if kept.get(k, (0, 0)) != summed.get(k, (0, 0)):
                place, category, target = k
                found.append(
                    TotalDifference(
                        place if key == _TOTAL_KEY else None,
                        category,
                        target,
                        kept.get(k, (0, 0)),
                        summed.get(k, (0, 0)),
                        village_id=None if key == _TOTAL_KEY else place,
                    )
                )
    return found
