"""Traceability (A3, C3, A6): follow a product through the ledgers, a bounded number of steps.

Each step is one query on an indexed column set (product key prefix + business ids, or supplier key/code),
never one query per row; MAX_DEPTH bounds the walk. Product names match by their normalised key
(ledgers.text.product_key) as a prefix, so '甲胺磷' finds '甲胺磷乳油' and '多灭磷' finds both.
Every queryset passes through the caller's scope (accounts.scoping) when a user is given.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import Q, QuerySet

from accounts.scoping import scope

from .choices import Direction
from .models import LedgerEntry
from .services import RosterIndex
from .text import alias_map, batch_key, code_key, name_key, product_key

MAX_DEPTH = 3
ROW_LIMIT = 5000  # a trace that reaches more lines than this says so instead of growing without end

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

    def take(self, level: int, qs: QuerySet) -> list[dict]:
        room = ROW_LIMIT - len(self.result.rows)
        if room <= 0:
            self.result.truncated = True
            return []
        values = list(qs.order_by("occurred_on", "pk").values(*FIELDS)[: room + 1])
        if len(values) > room:
            self.result.truncated = True
            values = values[:room]
        fresh = [v for v in values if v["pk"] not in self.seen]
        self.seen.update(v["pk"] for v in fresh)
        self.result.rows += [_row(level, v) for v in fresh]
        return fresh


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
    if supplier:
        skey, scode = name_key(supplier), code_key(supplier)
        purchases = purchases.filter(Q(supplier_key=skey) | Q(supplier_code=scode))
    bought = t.take(1, purchases)
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
        sales = t.take(level, t.base().filter(direction=Direction.SALE, business_id__in=frontier))
        # Buyers in the roster, whether the seller named them or they recorded the purchase themselves.
        downstream = t.take(
            level,
            t.base().filter(direction=Direction.PURCHASE, supplier_business_id__in=frontier),
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
    roster = None
    frontier = {business.pk}
    visited = set(frontier)
    level = 1
    while frontier and level <= MAX_DEPTH:
        bought = t.take(level, t.base().filter(direction=Direction.PURCHASE, business_id__in=frontier))
        unresolved = [v for v in bought if not v["supplier_business_id"]]
        if unresolved and roster is None:
            roster = RosterIndex.load()
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
    sold = t.take(1, sales)
    shops = {v["business_id"] for v in sold}
    if shops:
        t.take(0, t.base().filter(direction=Direction.PURCHASE, business_id__in=shops))
    t.result.rows.sort(key=lambda r: (r.level, r.occurred_on))
    return t.result
