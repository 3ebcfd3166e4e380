"""Writes to the ledgers: lines (from the phone form or an Excel import), the banned list, alerts.

Every rule lives here, so the web form and the import refuse the same things with the same messages:
quantity > 0, no transaction in the future, a known unit (the form field normalises synonyms), dates in
order, and no sale of a product and batch before the business bought it. Flags (A4 registration number,
C4 expiry at sale, C2 索证索票) are computed and stored on the line; a banned product (A4) raises a
LedgerAlert to the category's lead department in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_bulk
from campaigns.models import Business
from lib import kept

from .choices import REGISTRATION_LABELS, AlertState, Direction, ProductKind, Unit
from .models import BannedProduct, LedgerAlert, LedgerEntry
from .text import (
    alias_map,
    batch_key,
    code_key,
    name_key,
    name_key_anchors,
    normalise_unit,
    product_key,
    unit_error,
)

# Producers sell what they make, not what they bought: the sale-before-purchase rule does not apply.
PRODUCER_CATEGORIES = ("workshop", "slaughter")
LINE_FIELDS = (
    "direction",
    "occurred_on",
    "product_name",
    "specification",
    "kind",
    "quantity",
    "unit",
    "batch",
    "production_date",
    "shelf_life_days",
    "expiry_date",
    "registration_number",
    "supplier_name",
    "supplier_code",
    "certificate_collected",
    "certificate_kind",
    "invoice_collected",
    "buyer_name",
    "note",
)


@dataclass(frozen=True)
class LineError:
    """What is wrong with one line: its index in the submitted list, the field, a Chinese message."""

    index: int
    field: str | None
    message: str


class LedgerLinesInvalid(ValidationError):
    """Raised with every line's errors at once; nothing was saved."""

    def __init__(self, errors: list[LineError]):
        self.line_errors = errors
        super().__init__([e.message for e in errors])


# --- names in the roster ------------------------------------------------------------------------------


@dataclass
class RosterIndex:
    """The roster's businesses by credit code and by normalised name (unique names only): one query."""

    by_code: dict[str, int]
    by_name: dict[str, int]
    names: frozenset[str] | None = None  # the name keys it was read for (for_names); None: every name

    @classmethod
    def load(cls) -> RosterIndex:
        by_code: dict[str, int] = {}
        by_name: dict[str, int] = {}
        clashes: set[str] = set()
        for pk, name, code in Business.objects.values_list("pk", "name", "credit_code"):
            if code:
                by_code[code_key(code)] = pk
            key = name_key(name)
            if key in by_name:
                clashes.add(key)
            by_name[key] = pk
        for key in clashes:  # two businesses with one name: a name alone cannot say which
            by_name.pop(key, None)
        return cls(by_code, by_name)

    @classmethod
    def for_names(cls, keys: set[str]) -> RosterIndex:
        """The index for these name keys alone (by_name as load() has it for them; no codes): one query on the
        names that can have one of the keys — each holds every ideograph of its key, or a compatibility form
        (text.name_key_anchors) — not the whole roster (issue 26: a backward trace read 10,000 names into
        Python, 50–100 ms, to match the few suppliers outside the roster; 100,000 at the bench's size). A
        key without an ideograph, or more than NAMES_AT_ONCE keys: load()."""
        keys = {k for k in keys if k}
        if not keys:
            return cls({}, {}, frozenset())
        if len(keys) > NAMES_AT_ONCE:
            return cls.load()
        names = Q(pk__in=[])
        for key in sorted(keys):
            anchors = name_key_anchors(key)
            if anchors is None:
                return cls.load()
            holds = Q()
            for forms in anchors:
                one = Q(pk__in=[])
                for ch in sorted(forms):
                    one |= Q(name__contains=ch)
                holds &= one
            names |= holds
        by_name: dict[str, int] = {}
        clashes: set[str] = set()
        for pk, name in Business.objects.filter(names).values_list("pk", "name"):
            key = name_key(name)
            if key not in keys:
                continue
            if key in by_name:
                clashes.add(key)
            by_name[key] = pk
        for key in clashes:
            by_name.pop(key, None)
        return cls({}, by_name, frozenset(keys))

    def covers(self, keys: set[str]) -> bool:
        return self.names is None or keys <= self.names

    def match(self, code: str, key: str) -> int | None:
        return (self.by_code.get(code) if code else None) or (self.by_name.get(key) if key else None)


NAMES_AT_ONCE = 50  # RosterIndex.for_names: more keys than this read the whole roster instead


# --- banned products ------------------------------------------------------------------------------------


def banned_matcher(banned: list[BannedProduct] | None = None):
    """A function product_key, date -> the BannedProduct in force that the key names (longest wins)."""
    banned = list(BannedProduct.objects.all()) if banned is None else banned
    ordered = sorted(banned, key=lambda b: len(b.name_key), reverse=True)

    def match(key: str, day: datetime.date) -> BannedProduct | None:
        for product in ordered:
            if product.name_key and product.name_key in key and product.in_force_on(day):
                return product
        return None

    return match


@transaction.atomic
def banned_product_save(*, product: BannedProduct) -> BannedProduct:
    """Create or change a banned product; existing lines keep their key (aliases apply to new lines)."""
    product.name_key = name_key(product.name)
    product.full_clean()
    product.save()
    return product


# --- ledger lines ----------------------------------------------------------------------------------------


def _expiry(line: LedgerEntry) -> datetime.date | None:
    if line.expiry_date:
        return line.expiry_date
    if line.production_date and line.shelf_life_days:
        return line.production_date + datetime.timedelta(days=line.shelf_life_days)
    return None


def future_date_message(day: datetime.date, today: datetime.date) -> str:
    return _("日期 %(d)s 晚于今天（%(t)s），台账不能登记未来的日期。") % {
        "d": day.isoformat(),
        "t": today.isoformat(),
    }


def _check_line(line: LedgerEntry, index: int, today: datetime.date) -> list[LineError]:
    errors = []
    try:
        line.full_clean(exclude=["business", "entered_by", "product_key", "unit"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors += [LineError(index, None if field == "__all__" else field, m) for m in messages]
    if line.product_name.strip() and not line.product_key:
        errors.append(LineError(index, "product_name", _("品名应包含文字或数字。")))
    if line.unit not in Unit.values:
        errors.append(LineError(index, "unit", unit_error(line.unit)))
    if line.quantity is not None and line.quantity <= 0:
        errors.append(LineError(index, "quantity", _("数量必须大于0，当前为 %(q)s。") % {"q": line.quantity}))
    if line.occurred_on and line.occurred_on > today:
        errors.append(LineError(index, "occurred_on", future_date_message(line.occurred_on, today)))
    if line.production_date:
        if line.production_date > today:
            errors.append(LineError(index, "production_date", _("生产日期不能晚于今天。")))
        elif line.occurred_on and line.production_date > line.occurred_on:
            errors.append(LineError(index, "production_date", _("生产日期不能晚于进货或销售日期。")))
    if line.production_date and line.expiry_date and line.expiry_date < line.production_date:
        errors.append(LineError(index, "expiry_date", _("有效期至不能早于生产日期。")))
    if line.direction == Direction.PURCHASE and not line.supplier_name.strip():
        errors.append(LineError(index, "supplier_name", _("进货记录必须填写供货方（进货来源）。")))
    if line.direction == Direction.SALE and not line.buyer_name.strip():
        errors.append(LineError(index, "buyer_name", _("销售记录必须填写购货方或去向。")))
    return errors


def _earliest_purchases(business: Business, lines: list[LedgerEntry]) -> dict:
    """(product_key, batch_key) -> (first purchase date, its latest expiry), from the DB and the batch.

    One query for all the products the submitted sales name; batch '' stands for any batch.
    """
    keys = {line.product_key for line in lines if line.direction == Direction.SALE}
    if not keys:
        return {}
    found: dict[tuple[str, str], list] = {}

    def add(pkey, bkey, first, expiry):
        for k in ((pkey, bkey), (pkey, "")):
            current = found.setdefault(k, [first, expiry])
            current[0] = min(current[0], first)
            if expiry and (current[1] is None or expiry > current[1]):
                current[1] = expiry

    rows = (
        LedgerEntry.objects.filter(business=business, direction=Direction.PURCHASE, product_key__in=keys)
        .values("product_key", "batch_key")
        .annotate(first=Min("occurred_on"), expiry=Max("expiry_date"))
        .order_by()
    )
    for row in rows:
        add(row["product_key"], row["batch_key"], row["first"], row["expiry"])
    for line in lines:
        if line.direction == Direction.PURCHASE and line.product_key in keys and line.occurred_on:
            add(line.product_key, line.batch_key, line.occurred_on, line.expiry_date)
    return found


def _flag(line: LedgerEntry) -> None:
    line.flag_no_registration = line.kind in REGISTRATION_LABELS and not line.registration_number.strip()
    line.flag_expired_sale = bool(
        line.direction == Direction.SALE and line.expiry_date and line.expiry_date < line.occurred_on
    )
    purchase = line.direction == Direction.PURCHASE
    line.flag_no_certificate = purchase and not line.certificate_collected
    line.flag_no_invoice = purchase and not line.invoice_collected


def ledger_lines_build(
    *, business: Business, lines: list[dict], user=None, today: datetime.date | None = None
) -> list[LedgerEntry]:
    """Validate lines for a business and return unsaved entries with keys and flags set.

    Raises LedgerLinesInvalid listing every problem (line index, field, message). Used by
    ledger_lines_create and by the Excel import, which reports the errors against sheet rows.
    """
    today = today or timezone.localdate()
    aliases = alias_map()
    roster = RosterIndex.load()
    entries: list[LedgerEntry] = []
    errors: list[LineError] = []
    for index, data in enumerate(lines):
        line = LedgerEntry(
            business=business, entered_by=user, **{k: v for k, v in data.items() if k in LINE_FIELDS}
        )
        for text_field in (
            "specification",
            "batch",
            "registration_number",
            "supplier_name",
            "supplier_code",
            "buyer_name",
            "note",
            "certificate_kind",
        ):
            setattr(line, text_field, (getattr(line, text_field) or "").strip())
        line.unit = normalise_unit(line.unit)
        line.product_key = product_key(line.product_name, aliases)
        line.batch_key = batch_key(line.batch)
        line.supplier_key = name_key(line.supplier_name)
        line.supplier_code = code_key(line.supplier_code)
        line.buyer_key = name_key(line.buyer_name)
        line.expiry_date = _expiry(line)
        if line.direction == Direction.PURCHASE:
            line.buyer_name = line.buyer_key = ""
            line.supplier_business_id = roster.match(line.supplier_code, line.supplier_key)
            if line.supplier_business_id == business.pk:
                line.supplier_business_id = None
        elif line.direction == Direction.SALE:
            line.supplier_name = line.supplier_key = line.supplier_code = ""
            line.certificate_collected = line.invoice_collected = False
            line.certificate_kind = ""
            line.buyer_business_id = roster.match("", line.buyer_key)
            if line.buyer_business_id == business.pk:
                line.buyer_business_id = None
        errors += _check_line(line, index, today)
        entries.append(line)
    if business.category.code not in PRODUCER_CATEGORIES:
        purchases = _earliest_purchases(business, [e for e in entries if e.product_key])
        for index, line in enumerate(entries):
            if line.direction != Direction.SALE or not line.occurred_on or not line.product_key:
                continue
            first = purchases.get((line.product_key, line.batch_key))
            if first is None or first[0] > line.occurred_on:
                what = line.product_name + (f"（批号 {line.batch}）" if line.batch else "")
                errors.append(
                    LineError(
                        index,
                        "occurred_on",
                        _("“%(what)s”在 %(d)s 之前没有进货记录，不能先销售后进货；请先登记进货。")
                        % {"what": what, "d": line.occurred_on.isoformat()},
                    )
                )
            elif line.expiry_date is None and line.batch_key:
                line.expiry_date = first[1]
    if errors:
        raise LedgerLinesInvalid(sorted(errors, key=lambda e: e.index))
    for line in entries:
        _flag(line)
    return entries


AUDITED_FIELDS = ("direction", "occurred_on", "product_name", "quantity", "unit", "batch")


def _log_created(entries: list[LedgerEntry], user) -> None:
    """Bulk inserts bypass auditlog's signals: one audit entry per line (accounts.audit.record_bulk)."""
    record_bulk(user, entries, "create", lambda entry: {f: [None, getattr(entry, f)] for f in AUDITED_FIELDS})


@transaction.atomic
def ledger_lines_create(
    *, business: Business, lines: list[dict], user=None, today: datetime.date | None = None
) -> list[LedgerEntry]:
    """Save several ledger lines at once, all or nothing; raise the A4 alerts they call for.

    Returns the saved entries (with pks). Raises LedgerLinesInvalid and saves nothing on any error.
    """
    entries = ledger_lines_build(business=business, lines=lines, user=user, today=today)
    now = timezone.now()
    for entry in entries:
        entry.entered_at = now
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    if any(e.pk is None for e in entries):  # backends that cannot return ids from a bulk insert
        entries = list(LedgerEntry.objects.filter(business=business, entered_at=now).order_by("pk"))
    _log_created(entries, user)
    ledger_alerts_raise(business=business, entries=entries)
    kept.businesses_changed([business.pk])  # G2, A3, A4, C2, C3 today (dashboard.status, issue 26)
    return entries


def ledger_alerts_raise(*, business: Business, entries: list[LedgerEntry]) -> list[LedgerAlert]:
    """A4: a line naming a banned product in force on its date alerts the lead department at once."""
    match = banned_matcher()
    alerts = []
    department_id = business.category.lead_department_id
    for entry in entries:
        banned = match(entry.product_key, entry.occurred_on)
        if banned is None:
            continue
        alerts.append(
            LedgerAlert(
                business=business,
                entry=entry,
                banned_product=banned,
                department_id=department_id,
                message=_("“%(b)s”%(d)s%(dir)s禁用%(kind)s“%(name)s”（台账记为“%(typed)s”，%(q)s%(u)s）")
                % {
                    "b": business.name,
                    "d": entry.occurred_on.isoformat(),
                    "dir": entry.get_direction_display(),
                    "kind": ProductKind(banned.kind).label,
                    "name": banned.name,
                    "typed": entry.product_name,
                    "q": f"{entry.quantity.normalize():f}",
                    "u": entry.unit,
                },
            )
        )
    return LedgerAlert.objects.bulk_create(alerts)


@transaction.atomic
def ledger_alert_handle(*, alert: LedgerAlert, user, note: str) -> LedgerAlert:
    """The lead department records what it did about an alert (A7: disposed of, punished)."""
    if alert.state == AlertState.HANDLED:
        raise ValidationError(_("该预警已处理。"))
    alert.state = AlertState.HANDLED
    alert.handled_at = timezone.now()
    alert.handled_by = user
    alert.handling_note = note.strip()
    alert.full_clean()
    alert.save(update_fields=["state", "handled_at", "handled_by", "handling_note"])
    return alert
