"""Traceability (A3, C3, A6): follow a product through the ledgers, a bounded number of steps.

A trace reads its lines in ONE statement whatever the chain's length (issue 26: the count had grown with
the hops found, 4 queries on a small city and 6 on a big one): a recursive query (WITH RECURSIVE, on
PostgreSQL and SQLite alike) follows the roster links saved on the lines — a seller to the buyers it
named, a supplier to the businesses that recorded buying from it — from the first step's businesses,
MAX_DEPTH hops at most, and returns every line any step of the walk could take (the pool). The walk then
runs in Python over the pool, step by step exactly as it reads: the same lines, levels, order and
ROW_LIMIT. So a trace costs the alias map and that statement: 2 queries, whatever it finds. Besides:
- a backward trace reaching a purchase with no saved link (a supplier outside the roster, or one joined
  since) reads the roster's names that can match once (RosterIndex.for_names): one query more, whatever
  the length;
- where the saved links cannot serve, the walk queries step by step as before (one query a step): a first
  step over ROW_LIMIT lines (it fills the trace), a pool over POOL_LIMIT lines (a product named by a
  prefix of many), a backward step to a supplier matched by name now.

Product names match by their normalised key (ledgers.text.product_key) as a prefix, so '甲胺磷' finds
'甲胺磷乳油' and '多灭磷' finds both. Every queryset passes through the caller's scope (accounts.scoping)
when a user is given.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.scoping import scope
from campaigns.models import Business

from .choices import Direction
from .models import LedgerEntry
from .services import RosterIndex
from .text import alias_map, batch_key, code_key, name_key, product_key

MAX_DEPTH = 3
ROW_LIMIT = 5000  # a trace that reaches more lines than this says so instead of growing without end
POOL_LIMIT = 4 * ROW_LIMIT  # beyond this many candidate lines a trace walks step by step (one query each)

FIELDS = (
    "pk",
    "direction",
    "business_id",
    "business__name",
    "business__village__name",
    "occurred_on",
    "product_name",
    "batch",
    "quantity",
    "unit",
    "supplier_name",
    "supplier_business_id",
    "supplier_business__name",
    "buyer_name",
    "buyer_business_id",
    "buyer_business__name",
)
# Read with the pool only: what a step's filter tests in Python.
POOL_FIELDS = (*FIELDS, "supplier_key", "supplier_code", "business__village_id")


@dataclass
class TraceRow:
    pk: int
    level: int
    direction: str
    business_id: int
    business: str
    village: str
    occurred_on: datetime.date
    product_name: str
    batch: str
    quantity: str
    unit: str
    counterparty: str
    counterparty_business_id: int | None
    counterparty_business: str

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label

    def as_json(self) -> dict:
        data = asdict(self)
        data["occurred_on"] = self.occurred_on.isoformat()
        data["direction_label"] = str(self.direction_label)
        return data


@dataclass
class TraceResult:
    mode: str
    product: str
    key: str
    batch: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    rows: list[TraceRow] = field(default_factory=list)
    truncated: bool = False

    @property
    def businesses(self) -> list[tuple[int, str, str]]:
        """The distinct roster businesses the trace reached: (id, name, village), in order of appearance."""
        seen: dict[int, tuple[int, str, str]] = {}
        for row in self.rows:
            seen.setdefault(row.business_id, (row.business_id, row.business, row.village))
        return list(seen.values())

    def levels(self) -> list[tuple[int, list[TraceRow]]]:
        grouped: dict[int, list[TraceRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.level, []).append(row)
        return sorted(grouped.items())

    def as_json(self) -> dict:
        return {
            "mode": self.mode,
            "product": self.product,
            "product_key": self.key,
            "batch": self.batch,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "truncated": self.truncated,
            "businesses": [{"id": b[0], "name": b[1], "village": b[2]} for b in self.businesses],
            "rows": [row.as_json() for row in self.rows],
        }


def _row(level: int, v: dict) -> TraceRow:
    purchase = v["direction"] == Direction.PURCHASE
    return TraceRow(
        pk=v["pk"],
        level=level,
        direction=v["direction"],
        business_id=v["business_id"],
        business=v["business__name"],
        village=v["business__village__name"],
        occurred_on=v["occurred_on"],
        product_name=v["product_name"],
        batch=v["batch"],
        quantity=f"{v['quantity'].normalize():f}",
        unit=v["unit"],
        counterparty=v["supplier_name"] if purchase else v["buyer_name"],
        counterparty_business_id=v["supplier_business_id"] if purchase else v["buyer_business_id"],
        counterparty_business=(v["supplier_business__name"] if purchase else v["buyer_business__name"]) or "",
    )


class _Tracer:
    def __init__(self, *, mode, product, batch="", since=None, until=None, user=None):
        self.result = TraceResult(
            mode=mode,
            product=product,
            key=product_key(product, alias_map()),
            batch=batch or "",
            since=since,
            until=until,
        )
        self.batch_key = batch_key(batch)
        self.user = user
        self.seen: set[int] = set()
        # The lines the walk may take, in (occurred_on, pk) order, read in one statement (read_pool);
        # None: every step queries the database.
        self.pool: list[dict] | None = None

    def base(self) -> QuerySet:
        qs = LedgerEntry.objects.filter(product_key__startswith=self.result.key)
        if self.batch_key:
            qs = qs.filter(batch_key=self.batch_key)
        if self.result.since:
            qs = qs.filter(occurred_on__gte=self.result.since)
        if self.result.until:
            qs = qs.filter(occurred_on__lte=self.result.until)
        if self.user is not None:
            qs = scope(self.user, qs, "business__")
        return qs

    def read_pool(self, statement: _Sql) -> None:
        """Every line `statement` names (their ids), in the walk's order: the pool its steps filter. Over
        POOL_LIMIT lines the pool is dropped and each step queries the database instead."""
        sql, params = statement.sql, tuple(statement.params)
        # = ANY(ARRAY(…)) on PostgreSQL (lib.lookups): the ids first, then the lines by primary key — with
        # IN, a recursive query's row estimate (it cannot know) had the whole ledger scanned and hashed.
        lines = LedgerEntry.objects.filter(pk__in_array=RawSQL(sql, params)).order_by("occurred_on", "pk")
        pool = list(lines.values(*POOL_FIELDS)[: POOL_LIMIT + 1])
        self.pool = pool if len(pool) <= POOL_LIMIT else None

    def take(self, level: int, qs: QuerySet, keep=None) -> list[dict]:
        """The step's lines: qs's first ones in (occurred_on, pk) order — from the pool when there is one
        and `keep` (qs's own filter, on a pool line) is given, else from the database."""
        room = ROW_LIMIT - len(self.result.rows)
        if room <= 0:
            self.result.truncated = True
            return []
        if self.pool is not None and keep is not None:
            values = [v for v in self.pool if keep(v)][: room + 1]
        else:
            values = list(qs.order_by("occurred_on", "pk").values(*FIELDS)[: room + 1])
        if len(values) > room:
            self.result.truncated = True
            values = values[:room]
        fresh = [v for v in values if v["pk"] not in self.seen]
        self.seen.update(v["pk"] for v in fresh)
        self.result.rows += [_row(level, v) for v in fresh]
        return fresh


@dataclass
class _Sql:
    """A statement built from pieces, each with its own parameters (compiled querysets included)."""

    sql: str = ""
    params: list = field(default_factory=list)

    def add(self, sql: str, *params) -> _Sql:
        self.sql += sql
        self.params += params
        return self

    def query(self, qs: QuerySet) -> _Sql:
        sql, params = qs.query.sql_with_params()
        return self.add(f"({sql})", *params)


_LINK_COLUMNS = ("id", "direction", "business_id", "supplier_business_id", "buyer_business_id")


def _lines(qs: QuerySet) -> QuerySet:
    """A step's lines as the pool statement reads them: id, direction, business and its two links."""
    return qs.order_by().values_list(*_LINK_COLUMNS)


# A forward step from the business r: its sales, and the purchases naming it as the supplier. Each arm is
# an index condition on its own column (PostgreSQL: a BitmapOr per business reached).
_FORWARD_STEP = (
    "((e.direction = %s AND e.business_id = r.business_id)"
    " OR (e.direction = %s AND e.supplier_business_id = r.business_id))",
    Direction.SALE,
    Direction.PURCHASE,
)


def _among(column: str, subquery: str) -> str:
    """`column IN (subquery)`, on PostgreSQL `= ANY(ARRAY(subquery))` (as lib.lookups' in_array): the
    businesses reached are then read first and looked up by index, whatever row count the planner guesses
    for a recursive query (it guessed a million and scanned every line of the product instead)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({subquery}))"
    return f"{column} IN ({subquery})"


def _first(qs: QuerySet) -> QuerySet:
    """A first step's lines as take() reads them: the first ROW_LIMIT + 1 in (occurred_on, pk) order."""
    return qs.order_by("occurred_on", "pk").values_list("id", "business_id")[: ROW_LIMIT + 1]


def trace_forward(
    *,
    product: str,
    batch: str = "",
    supplier: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    user=None,
) -> TraceResult:
    """Supplier/product/batch → every business that bought it → everyone they sold it to, and on through
    buyers that are in the roster (their sales, and purchases they recorded from the previous step)."""
    t = _Tracer(mode="forward", product=product, batch=batch, since=since, until=until, user=user)
    if not t.result.key:
        return t.result
    purchases = t.base().filter(direction=Direction.PURCHASE)
    skey = scode = None
    if supplier:
        skey, scode = name_key(supplier), code_key(supplier)
        purchases = purchases.filter(Q(supplier_key=skey) | Q(supplier_code=scode))
    # The pool: the first step's lines, and every sale by (and purchase from) a business the saved links
    # reach from their buyers within MAX_DEPTH hops — a superset of what each later step takes.
    t.read_pool(
        _Sql()
        .add("WITH RECURSIVE first_lines (id, business_id) AS ")
        .query(_first(purchases))
        # A first step over ROW_LIMIT lines fills the trace: the later steps then query the database.
        .add(", reach (business_id, depth) AS (SELECT business_id, 1 FROM first_lines")
        .add(" WHERE (SELECT count(*) FROM first_lines) <= %s", ROW_LIMIT)
        # One hop: a sale names its buyer (NULL outside the roster: it leads nowhere), a purchase its buyer.
        .add(" UNION SELECT CASE WHEN e.direction = %s", Direction.SALE)
        .add(" THEN e.buyer_business_id ELSE e.business_id END, r.depth + 1 FROM reach r, ")
        .query(_lines(t.base()))
        .add(" e WHERE r.depth < %s AND ", MAX_DEPTH)
        .add(*_FORWARD_STEP)
        .add(") SELECT id FROM first_lines UNION SELECT e.id FROM ")
        .query(_lines(t.base()))
        .add(" e WHERE (e.direction = %s AND ", Direction.SALE)
        .add(_among("e.business_id", "SELECT business_id FROM reach"))
        .add(") OR (e.direction = %s AND ", Direction.PURCHASE)
        .add(_among("e.supplier_business_id", "SELECT business_id FROM reach"))
        .add(")")
    )

    def first(v):
        return v["direction"] == Direction.PURCHASE and (
            skey is None or v["supplier_key"] == skey or v["supplier_code"] == scode
        )

    bought = t.take(1, purchases, first)
    if t.result.truncated:
        t.pool = None  # the pool holds the first step alone (above)
    buyers = {v["business_id"] for v in bought}
    # A purchase from another buyer in the set is a later step of the chain (wholesaler → shop): it is
    # shown there, reached through the supplier link, so the chain reads in order.
    later = {v["pk"] for v in bought if v["supplier_business_id"] in buyers}
    if later and len(later) < len(bought):
        t.result.rows = [r for r in t.result.rows if r.pk not in later]
        t.seen -= later
        bought = [v for v in bought if v["pk"] not in later]
    frontier = {v["business_id"] for v in bought}
    level = 2
    while frontier and level <= MAX_DEPTH + 1:
        sales = t.take(
            level,
            t.base().filter(direction=Direction.SALE, business_id__in=frontier),
            lambda v, f=frontier: v["direction"] == Direction.SALE and v["business_id"] in f,
        )
        # Buyers in the roster, whether the seller named them or they recorded the purchase themselves.
        downstream = t.take(
            level,
            t.base().filter(direction=Direction.PURCHASE, supplier_business_id__in=frontier),
            lambda v, f=frontier: v["direction"] == Direction.PURCHASE and v["supplier_business_id"] in f,
        )
        frontier = {v["buyer_business_id"] for v in sales if v["buyer_business_id"]} | {
            v["business_id"] for v in downstream
        }
        frontier -= {row.business_id for row in t.result.rows if row.level < level}
        level += 1
    return t.result


def trace_backward(
    *,
    business,
    product: str,
    batch: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    user=None,
) -> TraceResult:
    """A business and a product → its suppliers → their suppliers where they are in the roster
    (matched by the supplier link saved on the line, else by credit code or normalised name now)."""
    t = _Tracer(mode="backward", product=product, batch=batch, since=since, until=until, user=user)
    if not t.result.key:
        return t.result
    # The pool: the purchases of every business the saved supplier links reach within MAX_DEPTH hops.
    t.read_pool(
        _Sql()
        .add("WITH RECURSIVE reach (business_id, depth) AS (SELECT id, 1 FROM ")
        .query(Business.objects.filter(pk=business.pk).order_by().values_list("id"))  # typed as the links
        .add(" s UNION ")
        .add("SELECT e.supplier_business_id, r.depth + 1 FROM reach r, ")
        .query(_lines(t.base()))
        .add(" e WHERE r.depth < %s", MAX_DEPTH)
        .add(" AND e.direction = %s AND e.business_id = r.business_id", Direction.PURCHASE)
        .add(" AND e.supplier_business_id IS NOT NULL)")
        .add(" SELECT e.id FROM ")
        .query(_lines(t.base()))
        .add(" e WHERE e.direction = %s AND ", Direction.PURCHASE)
        .add(_among("e.business_id", "SELECT business_id FROM reach"))
    )
    covered = _reached(t.pool, business.pk) if t.pool is not None else set()
    roster = None
    frontier = {business.pk}
    visited = set(frontier)
    level = 1
    while frontier and level <= MAX_DEPTH:
        bought = t.take(
            level,
            t.base().filter(direction=Direction.PURCHASE, business_id__in=frontier),
            # A supplier matched by name now has no saved link the pool followed: the database then.
            (lambda v, f=frontier: v["direction"] == Direction.PURCHASE and v["business_id"] in f)
            if frontier <= covered
            else None,
        )
        unresolved = {name_key(v["supplier_name"]) for v in bought if not v["supplier_business_id"]} - {""}
        if unresolved and (roster is None or not roster.covers(unresolved)):
            roster = _roster(t, unresolved)
        nxt = set()
        for v in bought:
            supplier_id = v["supplier_business_id"]
            if supplier_id is None and roster is not None:
                supplier_id = roster.match("", name_key(v["supplier_name"]))
            if supplier_id:
                nxt.add(supplier_id)
        frontier = nxt - visited
        visited |= frontier
        level += 1
    return t.result


def _roster(t: _Tracer, unresolved: set[str]) -> RosterIndex:
    """The roster to match supplier names now: once for every purchase without a saved link in the pool
    (the names the walk can meet) — one query on the names that can match them — or, when a level was
    read from the database and names others, the whole roster."""
    if t.pool is not None:
        names = {
            name_key(v["supplier_name"])
            for v in t.pool
            if v["direction"] == Direction.PURCHASE and not v["supplier_business_id"]
        }
        if unresolved <= names:
            return RosterIndex.for_names(names)
    return RosterIndex.load()


def _reached(pool: list[dict], start: int) -> set[int]:
    """The businesses the pool's saved supplier links reach from `start` (what the pool statement
    followed): their purchases are all in the pool."""
    reached = frontier = {start}
    for _hop in range(MAX_DEPTH - 1):
        frontier = {
            v["supplier_business_id"]
            for v in pool
            if v["direction"] == Direction.PURCHASE
            and v["business_id"] in frontier
            and v["supplier_business_id"]
        } - reached
        reached = reached | frontier
    return reached


def trace_a6(
    *,
    product: str,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    village=None,
    user=None,
) -> TraceResult:
    """A6: from a pesticide found in residue monitoring, a date window and a village → the shops (in that
    village) that sold it in the window (level 1: their sales, with buyers) and what they bought (level 0)."""
    t = _Tracer(mode="a6", product=product, since=since, until=until, user=user)
    if not t.result.key:
        return t.result
    sales = t.base().filter(direction=Direction.SALE)
    if village is not None:
        sales = sales.filter(business__village=village)
    # The pool: the first step's sales and every purchase of the shops that made them (none when the sales
    # are over ROW_LIMIT: they fill the trace).
    t.read_pool(
        _Sql()
        .add("WITH first_lines (id, business_id) AS ")
        .query(_first(sales))
        .add(" SELECT id FROM first_lines UNION SELECT e.id FROM ")
        .query(_lines(t.base()))
        .add(" e")
        .add(
            " WHERE e.direction = %s AND e.business_id IN (SELECT business_id FROM first_lines)",
            Direction.PURCHASE,
        )
        .add(" AND (SELECT count(*) FROM first_lines) <= %s", ROW_LIMIT)
    )
    sold = t.take(
        1,
        sales,
        lambda v: (
            v["direction"] == Direction.SALE and (village is None or v["business__village_id"] == village.pk)
        ),
    )
    shops = {v["business_id"] for v in sold}
    t.take(
        0,
        t.base().filter(direction=Direction.PURCHASE, business_id__in=shops),
        lambda v: v["direction"] == Direction.PURCHASE and v["business_id"] in shops,
    )
    t.result.rows.sort(key=lambda r: (r.level, r.occurred_on))
    return t.result
