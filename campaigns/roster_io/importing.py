"""Importing a roster workbook: every row validated, matched by key, then written in one transaction.

The rules for a row are the model's own validators (campaigns/validators.py via Model.clean_fields and
Licence.clean) and the form's shared rule (validate_subtypes_of_category) — the same ones the web forms
run. What is special here is speed: reference data, keys and current values are fetched once, so the
number of queries does not grow with the rows, and writes are bulk (issue 4, "Speed and memory").
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.scoping import reach, scope
from lib import kept, stamps
from lib.text import squash
from lib.workbook import BadFile, Book, Notice, SheetRows, no_data_error, open_workbook, read_sheet

from ..choices import BusinessStatus, LicenceState
from ..models import Business, Category, Licence, LicenceType, Market, SubType, Town, Village
from ..validators import normalise_credit_code, normalise_phone, validate_subtypes_of_category
from . import audit
from .columns import (
    BUSINESS_COLUMNS,
    BUSINESS_SPEC,
    LICENCE_COLUMNS,
    LICENCE_SPEC,
    LICENCE_TYPE_ALIASES,
    ParseError,
    cell_text,
    lookup_key,
    parse_date,
    parse_flag,
    split_list,
)

Progress = Callable[[str, int, int], None]
BATCH = 1000
CHUNK = 5000  # rows validated, then written, at a time
CHANGE_SUMMARY_LIMIT = 1000

BUSINESS_HEADERS = {c.field: c.header for c in BUSINESS_COLUMNS}
LICENCE_HEADERS = {c.field: c.header for c in LICENCE_COLUMNS}
# Plain fields validated by the model's own validators (FKs are resolved from prefetched maps instead:
# ForeignKey.validate would query once per row).
BUSINESS_PLAIN = (
    "name",
    "address",
    "operator",
    "phone",
    "credit_code",
    "status",
    "is_town_centre",
    "is_model",
)
BUSINESS_FK = ("category_id", "village_id", "market_id")
LICENCE_FIELDS = ("issuer", "issued_on", "expires_on", "state", "displayed")
# Fields the model validates for us on each row (max_length, the credit-code and phone validators).
# The others hold values the importer itself produced from a fixed list (a choice, a flag, a date, an
# id from a prefetched map), so Model.clean_fields would only spend time re-checking them.
BUSINESS_VALIDATED = ("name", "address", "operator", "phone", "credit_code")
LICENCE_VALIDATED = ("number", "issuer")
BUSINESS_NOT_VALIDATED = [f.name for f in Business._meta.fields if f.name not in BUSINESS_VALIDATED]
LICENCE_NOT_VALIDATED = [f.name for f in Licence._meta.fields if f.name not in LICENCE_VALIDATED]


@dataclass
class ImportResult:
    """What an import did, or would do (dry run): counts, every row error, warnings and changes."""

    dry_run: bool
    counts: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    file_error: str = ""
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


@dataclass
class Workbook:
    """A checked roster file whose rows are read as they are consumed; close() (or `with`) when done.
    Either sheet may be absent (a .csv holds one), not both."""

    businesses: SheetRows | None
    licences: SheetRows | None
    book: Book

    @property
    def notices(self) -> list[Notice]:
        """The reader's 提示; complete once the rows have been read."""
        return self.book.notices

    @property
    def sheets(self) -> list[SheetRows]:
        return [s for s in (self.businesses, self.licences) if s is not None]

    @property
    def total_rows(self) -> int:
        return sum(s.count for s in self.sheets)

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _with_rows(sheet: SheetRows | None) -> SheetRows | None:
    """The sheet if it has a data row (peeked, then put back), else None."""
    if sheet is None:
        return None
    rows = iter(sheet.rows)
    first = next(rows, None)
    if first is None:
        return None
    sheet.rows = itertools.chain([first], rows)
    return sheet


def read_workbook(path: Path, *, display_name: str = "") -> Workbook:
    """Check and open a roster file (.xlsx/.xls/.ods/.csv); raise BadFile with one clear message if it
    cannot be imported. The sheets are found by name, else by their header (lib.workbook.read_sheet).

    The rows are read lazily (python-calamine holds the cells compactly; Python objects are made a
    row at a time), so the caller must close() the workbook, or use it in a `with` block.
    """
    book = open_workbook(path, display_name=display_name)
    try:
        businesses = read_sheet(book, BUSINESS_SPEC, required=False)
        licences = read_sheet(
            book, LICENCE_SPEC, required=False, taken=[businesses.name] if businesses else []
        )
        if businesses is None and licences is None:
            read_sheet(book, BUSINESS_SPEC, required=True)  # raises the message that fits
        found = [s for s in (businesses, licences) if s is not None]
        businesses, licences = _with_rows(businesses), _with_rows(licences)
        if businesses is None and licences is None:
            raise no_data_error(found[0].name, book.notices)
    except BaseException:
        book.close()
        raise
    return Workbook(businesses=businesses, licences=licences, book=book)


class Reference:
    """Categories, villages, markets, sub-types, statuses and licence types, keyed by what people type."""

    def __init__(self) -> None:
        self.categories: dict[str, Category] = {}
        for c in Category.objects.all():
            for key in (c.name, c.short_name, c.code):
                self.categories[lookup_key(key)] = c
        self.category_by_id = {c.pk: c for c in self.categories.values()}
        self.village_by_id = {v.pk: v for v in Village.objects.select_related("town")}
        self.villages: dict[str, Village] = {lookup_key(v.code): v for v in self.village_by_id.values()}
        self.villages.update({lookup_key(v.name): v for v in self.village_by_id.values()})
        # Issue 24: a city's roster names the town (镇（街道）); a village's name may recur in another town,
        # and then only the town tells which village a row means.
        self.towns: dict[str, Town] = {}
        self.villages_in: dict[int, dict[str, Village]] = defaultdict(dict)
        towns_of_name: dict[str, set[str]] = defaultdict(set)
        for v in self.village_by_id.values():
            self.towns[lookup_key(v.town.name)] = self.towns[lookup_key(v.town.code)] = v.town
            self.villages_in[v.town_id][lookup_key(v.code)] = v
            self.villages_in[v.town_id][lookup_key(v.name)] = v
            towns_of_name[lookup_key(v.name)].add(v.town.name)
        self.ambiguous = {key: sorted(names) for key, names in towns_of_name.items() if len(names) > 1}
        self.markets = {lookup_key(m.name): m for m in Market.objects.select_related("village")}
        self.market_by_id = {m.pk: m for m in self.markets.values()}
        self.subtypes: dict[str, list[SubType]] = defaultdict(list)
        self.subtype_by_id = {}
        for st in SubType.objects.select_related("category"):
            self.subtypes[lookup_key(st.name)].append(st)
            self.subtypes[lookup_key(st.code)].append(st)
            self.subtype_by_id[st.pk] = st
        self.licence_types: dict[str, LicenceType] = {}
        for lt in LicenceType.objects.all():
            self.licence_types[lookup_key(lt.name)] = lt
            self.licence_types[lookup_key(lt.code)] = lt
        for alias, name in LICENCE_TYPE_ALIASES.items():
            if lookup_key(name) in self.licence_types:
                self.licence_types.setdefault(lookup_key(alias), self.licence_types[lookup_key(name)])
        self.licence_type_by_id = {lt.pk: lt for lt in self.licence_types.values()}
        self.statuses = {lookup_key(label): value for value, label in BusinessStatus.choices}
        self.statuses.update({value: value for value in BusinessStatus.values})
        self.states = {lookup_key(label): value for value, label in LicenceState.choices}
        self.states.update({value: value for value in LicenceState.values})
        self.states[lookup_key("过期")] = LicenceState.EXPIRED
        self.states[lookup_key("吊销")] = LicenceState.REVOKED

    def allowed(self, what: str) -> str:
        if what == "category":
            return "、".join(f"{c.name}/{c.short_name}" for c in self.category_by_id.values())
        if what == "village":
            names = [v.name for v in self.village_by_id.values()]
            return "、".join(names[:30]) + ("……" if len(names) > 30 else "")
        if what == "town":
            return "、".join(sorted({t.name for t in self.towns.values()}))
        if what == "status":
            return "、".join(str(label) for _v, label in BusinessStatus.choices)
        if what == "state":
            return "、".join(str(label) for _v, label in LicenceState.choices)
        if what == "licence_type":
            return "、".join(lt.name for lt in self.licence_type_by_id.values())
        return ""


class Existing:
    """The roster as it is: keys to find a row's business and current values to tell what changes."""

    VALUES = ("pk", *BUSINESS_PLAIN, *BUSINESS_FK)

    def __init__(self, user) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.values: dict[int, tuple] = {}  # tuples, not dicts: 100,000 of them stay small
        code_at, name_at, village_at = (self.VALUES.index(f) for f in ("credit_code", "name", "village_id"))
        for row in Business.objects.order_by().values_list(*self.VALUES).iterator(chunk_size=5000):
            pk = row[0]
            self.values[pk] = row
            if row[code_at]:
                self.by_code[row[code_at]] = pk
            self.by_name[(row[name_at], row[village_at])].append(pk)
        self.subtypes: dict[int, set[int]] = defaultdict(set)
        through = Business.subtypes.through
        for business_id, subtype_id in through.objects.values_list("business_id", "subtype_id").iterator(
            chunk_size=5000
        ):
            self.subtypes[business_id].add(subtype_id)
        self.licences: dict[tuple[int, int, str], tuple] = {}
        for row in (
            Licence.objects.order_by()
            .values_list("pk", "business_id", "licence_type_id", "number", *LICENCE_FIELDS)
            .iterator(chunk_size=5000)
        ):
            pk, business_id, type_id, number, *rest = row
            # Matched as typed in a file: without spaces, full-width as half-width; the stored text stays.
            self.licences[(business_id, type_id, squash(number))] = (pk, number, *rest)
        self.reach = reach(user) if user is not None else None
        if self.reach is None or (self.reach.write_all and self.reach.town_ids() is None):
            self.writable = None  # everything
        else:
            self.writable = set(scope(user, Business.objects.all(), write=True).values_list("pk", flat=True))

    def current(self, pk: int | None) -> dict | None:
        row = self.values.get(pk) if pk else None
        return dict(zip(self.VALUES, row, strict=True)) if row else None

    def current_licence(self, key: tuple) -> dict | None:
        row = self.licences.get(key)
        return dict(zip(("pk", "number", *LICENCE_FIELDS), row, strict=True)) if row else None

    def may_write(self, *, pk: int | None, village: Village, category: Category | None) -> bool:
        if self.reach is None:
            return True
        if pk is not None and self.writable is not None and pk not in self.writable:
            return False
        return access.may_write_row(
            self.reach,
            village_id=village.pk,
            lead_department_id=category.lead_department_id if category else None,
            town_id=village.town_id,
        )


@dataclass
class PlannedBusiness:
    row: int
    instance: Business
    subtypes: list[int] | None  # None: the column is absent, leave them
    changes: dict
    is_new: bool
    keys: list[tuple] = field(default_factory=list)  # where licence rows of this file look it up


@dataclass
class PlannedLicence:
    row: int
    instance: Licence
    changes: dict
    is_new: bool
    repr_text: str


def batched(rows: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched (Python 3.12) for 3.11."""
    iterator = iter(rows)
    while chunk := tuple(itertools.islice(iterator, size)):
        yield chunk


class Rollback(Exception):
    """Raised inside the write transaction when a later chunk had errors: nothing stays written."""


class RosterImporter:
    """Validate a whole workbook against the roster and (unless dry run) write it in one transaction.

    Rows are handled in chunks of CHUNK: each chunk is validated, then written (bulk) while no row so far
    had an error, and its planned objects dropped — memory stays bounded for 100,000 rows. Any error,
    even in the last chunk, rolls the whole transaction back: all or nothing.
    """

    def __init__(self, *, user, dry_run: bool, progress: Progress | None = None, file_name: str = "") -> None:
        self.user = user
        self.dry_run = dry_run
        self.progress = progress or (lambda stage, done, total: None)
        self.file_name = file_name
        self.result = ImportResult(dry_run=dry_run)
        self.businesses: list[PlannedBusiness] = []  # the current chunk's
        self.licences: list[PlannedLicence] = []
        self.tally = dict.fromkeys(
            (
                "businesses_created",
                "businesses_updated",
                "businesses_unchanged",
                "licences_created",
                "licences_updated",
                "licences_unchanged",
            ),
            0,
        )
        self.in_file_codes: dict[str, int] = {}  # credit code -> row number, to name duplicates
        self.in_file_names: dict[tuple[str, int], int] = {}
        # Where licence rows find their business: a pk, or ("new", row) for one this dry run would create.
        self.targets: dict[tuple, int | tuple] = {}
        self.seen_rows: dict[object, int] = {}
        self.failed: dict[tuple, int] = {}  # keys of business rows with errors -> their row
        self.now = timezone.now()
        self.today = timezone.localdate()

    # -- errors -------------------------------------------------------------------------------------
    def error(self, sheet: SheetRows, row: int, field_name: str | None, value, message) -> None:
        self.result.errors.append(
            {
                "sheet": sheet.name,
                "row": row,
                "column": sheet.spec.headers.get(field_name, "") if field_name else "",
                "letter": sheet.letter(field_name) if field_name else "",
                "value": cell_text(value),
                "message": str(message),
            }
        )

    def validation_errors(self, sheet, row, exc: ValidationError, raw: dict) -> None:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                self.error(sheet, row, field_name, raw.get(field_name), message)

    # -- run ----------------------------------------------------------------------------------------
    def run(self, path: Path) -> ImportResult:
        self.progress("read", 0, 0)
        try:
            book = read_workbook(path, display_name=self.file_name)
        except BadFile as exc:
            self.result.file_error = str(exc)
            return self.result
        with book:
            return self.run_book(book)

    def run_book(self, book: Workbook) -> ImportResult:
        self.result.total_rows = book.total_rows
        self.ref = Reference()
        self.existing = Existing(self.user)
        self.done = 0
        self.book = book
        self.written: set[int] = set()
        if self.dry_run:
            self.walk()
        else:
            self.progress("write", 0, book.total_rows)  # said before the transaction: visible everywhere
            try:
                with transaction.atomic():
                    self.walk()
                    if not self.result.ok:
                        raise Rollback
                    # Today's target figures of the units written, once, in this transaction (issue 26).
                    kept.businesses_changed(self.written)
                    # Any unit's public page (一公开) may show an imported change: all are rebuilt once.
                    stamps.touch_all(stamps.PUBLIC_PAGE)
            except Rollback:
                pass
        self.result.counts = dict(self.tally)
        self.result.total_rows = self.done
        self.result.warnings = [n.as_dict() for n in book.notices]  # complete now that every row is read
        return self.result

    @property
    def writing(self) -> bool:
        return not self.dry_run and not self.result.errors

    def walk(self) -> None:
        book = self.book
        stage = "validate" if self.dry_run else "write"
        for chunk in batched(book.businesses.rows if book.businesses else (), CHUNK):
            for number, cells in chunk:
                before = len(self.result.errors)
                self.business_row(book.businesses, number, cells)
                if len(self.result.errors) > before:
                    self.remember_failed(book.businesses, number, cells)
            self.done += len(chunk)
            self.flush_businesses()
            self.progress(stage, self.done, book.total_rows)
        if book.licences:
            for chunk in batched(book.licences.rows, CHUNK):
                for number, cells in chunk:
                    self.licence_row(book.licences, number, cells)
                self.done += len(chunk)
                self.flush_licences()
                self.progress(stage, self.done, book.total_rows)

    def summarise(self, sheet: str, row: int, is_new: bool, name: str, changes: dict, headers: dict) -> None:
        if len(self.result.changes) < CHANGE_SUMMARY_LIMIT:
            self.result.changes.append(
                {
                    "sheet": sheet,
                    "row": row,
                    "action": "create" if is_new else "update",
                    "name": name,
                    "fields": [headers.get(f.removesuffix("_id"), f) for f in changes],
                }
            )

    def flush_businesses(self) -> None:
        """Write the chunk's businesses (while the file is clean so far) and let their objects go."""
        planned, self.businesses = self.businesses, []
        if self.writing:
            self.write_businesses(planned)
        for p in planned:
            target = p.instance.pk if self.writing else ("new", p.row)
            if p.is_new:
                for key in p.keys:
                    self.targets[key] = target

    def flush_licences(self) -> None:
        planned, self.licences = self.licences, []
        if self.writing:
            self.write_licences(planned)

    # -- one business row ---------------------------------------------------------------------------
    def business_row(self, sheet: SheetRows, row: int, cells: list) -> None:
        cols = sheet.columns
        raw = sheet.values(cells)
        errors_before = len(self.result.errors)
        values: dict = {}
        name = cell_text(raw.get("name"))
        if not name:
            self.error(sheet, row, "name", raw.get("name"), _("单位名称不能为空。"))
        values["name"] = name
        category = self.lookup(sheet, row, "category", raw, self.ref.categories, required=True)
        values["category_id"] = category.pk if category else None
        village = self.village_lookup(sheet, row, raw)
        values["village_id"] = village.pk if village else None
        for text_field in ("address", "operator"):
            if text_field in cols:
                values[text_field] = cell_text(raw[text_field])
        if "phone" in cols:
            values["phone"] = normalise_phone(cell_text(raw["phone"]))
        code = normalise_credit_code(cell_text(raw.get("credit_code"))) or None
        if code:
            values["credit_code"] = code  # an empty cell never clears a code already on record
        if "status" in cols:
            text = lookup_key(raw["status"])
            if text:
                status = self.ref.statuses.get(text)
                if status is None:
                    self.error(
                        sheet,
                        row,
                        "status",
                        raw["status"],
                        _("经营状态“%(v)s”无法识别，可填：%(allowed)s。")
                        % {"v": cell_text(raw["status"]), "allowed": self.ref.allowed("status")},
                    )
                values["status"] = status
            else:
                values["status"] = BusinessStatus.OPERATING
        for flag in ("is_town_centre", "is_model"):
            if flag in cols:
                try:
                    values[flag] = parse_flag(raw[flag])
                except ParseError as exc:
                    self.error(sheet, row, flag, raw[flag], exc)
        if "market" in cols:
            market = self.lookup(sheet, row, "market", raw, self.ref.markets, required=False)
            towns = self.existing.reach.town_ids() if self.existing.reach is not None else None
            if market is not None and towns is not None and market.village.town_id not in towns:
                self.error(
                    sheet,
                    row,
                    "market",
                    raw.get("market"),
                    _("集贸市场“%(m)s”不在本镇（街道），不能选用。") % {"m": market.name},
                )
                market = None
            values["market_id"] = market.pk if market else None
        subtypes = None
        if "subtypes" in cols:
            subtypes = []
            for part in split_list(raw["subtypes"]):
                options = self.ref.subtypes.get(lookup_key(part), [])
                chosen = next((st for st in options if category and st.category_id == category.pk), None)
                chosen = chosen or (options[0] if options else None)
                if chosen is None:
                    self.error(
                        sheet,
                        row,
                        "subtypes",
                        raw["subtypes"],
                        _("子类“%(v)s”不存在。%(cat)s的子类有：%(allowed)s。")
                        % {
                            "v": part,
                            "cat": category or "",
                            "allowed": "、".join(st.name for st in category.subtypes.all())
                            if category
                            else "",
                        },
                    )
                elif chosen not in subtypes:
                    subtypes.append(chosen)
            try:
                validate_subtypes_of_category(category, subtypes)
            except ValidationError as exc:
                self.error(sheet, row, "subtypes", raw["subtypes"], exc.messages[0])
        if len(self.result.errors) > errors_before or category is None or village is None:
            return

        pk = self.match(sheet, row, raw, values, code)
        if pk is False:
            return
        if not self.existing.may_write(pk=pk, village=village, category=category):
            self.error(
                sheet,
                row,
                "village" if self.existing.reach and self.existing.reach.villages else "category",
                raw.get("village")
                if self.existing.reach and self.existing.reach.villages
                else raw.get("category"),
                _("该经营单位（%(cat)s，%(village)s）不在您的管理范围内，不能导入或修改。")
                % {"cat": category.name, "village": village.name},
            )
            return
        self.plan_business(sheet, row, raw, values, pk, subtypes)

    def lookup(self, sheet, row, field_name, raw, table: dict, *, required: bool):
        value = raw.get(field_name)
        key = lookup_key(value)
        if not key:
            if required:
                self.error(
                    sheet,
                    row,
                    field_name,
                    value,
                    _("%(col)s不能为空。") % {"col": sheet.spec.headers[field_name]},
                )
            return None
        found = table.get(key)
        if found is None:
            header = sheet.spec.headers[field_name]
            allowed = self.ref.allowed(field_name)
            message = _("%(col)s“%(v)s”不存在。") % {"col": header, "v": cell_text(value)}
            if allowed:
                message += _("可填：%(allowed)s。") % {"allowed": allowed}
            elif field_name == "market":
                message += _("请先在系统中登记该市场，或留空。")
            self.error(sheet, row, field_name, value, message)
        return found

    def village_of(self, raw) -> Village | None:
        """The row's village without a word said: in the row's town when it names one (issue 24); by name
        or code alone when that is unambiguous."""
        key = lookup_key(raw.get("village"))
        town_key = lookup_key(raw.get("town"))
        if town_key:
            town = self.ref.towns.get(town_key)
            return self.ref.villages_in.get(town.pk, {}).get(key) if town else None
        if key in self.ref.ambiguous:
            return None
        return self.ref.villages.get(key)

    def village_lookup(self, sheet, row, raw) -> Village | None:
        """The row's village, or None after saying why — and, town first (issue 24), None for a village of
        a town that is not the importing user's."""
        towns = self.existing.reach.town_ids() if self.existing.reach is not None else None
        village = self.named_village(sheet, row, raw, towns)
        if village is None or towns is None or village.town_id in towns:
            return village
        column = "town" if lookup_key(raw.get("town")) else "village"
        self.error(
            sheet,
            row,
            column,
            raw.get(column),
            _("村（社区）“%(v)s”属于%(town)s，不在您的管理范围内：只能导入本镇（街道）的经营单位。")
            % {"v": village.name, "town": village.town.name},
        )
        return None

    def named_village(self, sheet, row, raw, towns: frozenset[int] | None) -> Village | None:
        """The row's village, or None after saying why: an unknown town, a village not in the town named,
        a village name several towns have while the row names no town (issue 24), or the usual 不存在.
        A user of one town's (`towns`) means that town's village when the name recurs elsewhere."""
        town_key = lookup_key(raw.get("town"))
        if town_key:
            town = self.lookup(sheet, row, "town", raw, self.ref.towns, required=True)
            if town is None:
                return None
            village = self.ref.villages_in.get(town.pk, {}).get(lookup_key(raw.get("village")))
            if village is None and lookup_key(raw.get("village")):
                self.error(
                    sheet,
                    row,
                    "village",
                    raw.get("village"),
                    _("%(town)s没有村（社区）“%(v)s”。")
                    % {"town": town.name, "v": cell_text(raw.get("village"))},
                )
                return None
            if village is None:
                return self.lookup(sheet, row, "village", raw, {}, required=True)
            return village
        if towns is not None:
            own = [self.ref.villages_in[t].get(lookup_key(raw.get("village"))) for t in towns]
            own = [v for v in own if v is not None]
            if len(own) == 1:
                return own[0]
        ambiguous = self.ref.ambiguous.get(lookup_key(raw.get("village")))
        if ambiguous:
            self.error(
                sheet,
                row,
                "village",
                raw.get("village"),
                _("村（社区）“%(v)s”在%(towns)s都有，请填写“镇（街道）”列以区分。")
                % {"v": cell_text(raw.get("village")), "towns": "、".join(ambiguous)},
            )
            return None
        return self.lookup(sheet, row, "village", raw, self.ref.villages, required=True)

    def match(self, sheet, row, raw, values, code) -> int | bool | None:
        """The existing business's pk, None for a new one, False (after an error) for a duplicate row."""
        name_key = (values["name"], values["village_id"])
        if code:
            if code in self.in_file_codes:
                self.error(
                    sheet,
                    row,
                    "credit_code",
                    raw.get("credit_code"),
                    _("统一社会信用代码与第%(n)d行重复。") % {"n": self.in_file_codes[code]},
                )
                return False
            self.in_file_codes[code] = row
            pk = self.existing.by_code.get(code)
            if pk is not None:
                self.in_file_names.setdefault(name_key, row)
                return pk
        if name_key in self.in_file_names and not code:
            self.error(
                sheet,
                row,
                "name",
                raw.get("name"),
                _("与第%(n)d行同村同名，且未填统一社会信用代码，无法区分。")
                % {"n": self.in_file_names[name_key]},
            )
            return False
        self.in_file_names.setdefault(name_key, row)
        candidates = self.existing.by_name.get(name_key, [])
        if code:
            # A code typed for the first time: attach it to the same-named business that has none yet.
            code_at = Existing.VALUES.index("credit_code")
            candidates = [pk for pk in candidates if not self.existing.values[pk][code_at]]
        if len(candidates) > 1:
            self.error(
                sheet,
                row,
                "name",
                raw.get("name"),
                _("本村（社区）有%(n)d家同名经营单位，请填写统一社会信用代码以区分。")
                % {"n": len(candidates)},
            )
            return False
        return candidates[0] if candidates else None

    def plan_business(self, sheet, row, raw, values, pk, subtypes) -> None:
        current = self.existing.current(pk)
        if current:
            changes = {f: (current[f], v) for f, v in values.items() if current[f] != v}
            subtype_ids = [st.pk for st in subtypes] if subtypes is not None else None
            subtypes_changed = subtype_ids is not None and set(subtype_ids) != self.existing.subtypes.get(
                pk, set()
            )
            if not changes and not subtypes_changed:
                self.tally["businesses_unchanged"] += 1
                self.remember(values, pk)
                return
            instance = Business(**{f: current[f] for f in Existing.VALUES if f != "pk"}, pk=pk)
            for f, v in values.items():
                setattr(instance, f, v)
            if subtypes_changed:
                changes["subtypes"] = (
                    "、".join(
                        sorted(self.ref.subtype_by_id[i].name for i in self.existing.subtypes.get(pk, ()))
                    ),
                    "、".join(st.name for st in subtypes),
                )
        else:
            instance = Business(**values)
            changes = {f: (None, v) for f, v in values.items() if v not in (None, "", False)}
            if subtypes:
                changes["subtypes"] = (None, "、".join(st.name for st in subtypes))
        try:
            instance.clean_fields(exclude=BUSINESS_NOT_VALIDATED)
        except ValidationError as exc:
            self.validation_errors(sheet, row, exc, raw)
            return
        planned = PlannedBusiness(
            row=row,
            instance=instance,
            subtypes=[st.pk for st in subtypes] if subtypes is not None else None,
            changes=changes,
            is_new=current is None,
        )
        self.businesses.append(planned)
        self.tally["businesses_created" if planned.is_new else "businesses_updated"] += 1
        self.summarise(sheet.name, row, planned.is_new, instance.name, changes, BUSINESS_HEADERS)
        if pk:
            self.remember(values, pk)
        else:
            planned.keys = self.keys(values)  # filled in once the chunk is written (flush_businesses)

    @staticmethod
    def keys(values) -> list[tuple]:
        """Where licence rows in this file find a business: by code, and by name + village."""
        found = [("name", values["name"], values["village_id"])]
        if values.get("credit_code"):
            found.append(("code", values["credit_code"]))
        return found

    def remember(self, values, pk: int) -> None:
        for key in self.keys(values):
            self.targets[key] = pk

    # -- one licence row ----------------------------------------------------------------------------
    def remember_failed(self, sheet: SheetRows, row: int, cells: list) -> None:
        """A business row with an error: licence rows naming it say so instead of "not found"."""
        raw = sheet.values(cells)
        code = normalise_credit_code(cell_text(raw.get("credit_code")))
        if code:
            self.failed.setdefault(("code", code), row)
        name = cell_text(raw.get("name"))
        if name:
            self.failed.setdefault(("name", name, lookup_key(raw.get("village"))), row)

    def follow_on(self, sheet, row, raw, field_name: str) -> bool:
        """Error "经营单位表第N行有错误" when the licence row's business is a failed row of this file."""
        code = normalise_credit_code(cell_text(raw.get("credit_code")))
        key = ("code", code) if code else ("name", cell_text(raw.get("name")), lookup_key(raw.get("village")))
        failed = self.failed.get(key)
        if failed is None:
            return False
        self.error(
            sheet,
            row,
            field_name,
            raw.get(field_name),
            _("%(sheet)s表第%(n)d行有错误，先改正该行。")
            % {"sheet": self.book.businesses.name if self.book.businesses else "经营单位", "n": failed},
        )
        return True

    def find_business(self, sheet, row, raw) -> tuple[int | None, tuple | None] | None:
        """(pk, None) for a business on record, (None, ("new", row)) for one this dry run would create."""
        targets = self.targets
        code = normalise_credit_code(cell_text(raw.get("credit_code")))
        if code:
            target = targets.get(("code", code))
            if target is None:
                target = self.existing.by_code.get(code)
            if target is None and self.follow_on(sheet, row, raw, "credit_code"):
                return None
            if target is None:
                self.error(
                    sheet,
                    row,
                    "credit_code",
                    raw.get("credit_code"),
                    _("找不到统一社会信用代码为 %(code)s 的经营单位（名册和本文件“经营单位”表中都没有）。")
                    % {"code": code},
                )
                return None
        else:
            name = cell_text(raw.get("name"))
            village = self.village_of(raw)
            if not name or not lookup_key(raw.get("village")):
                self.error(
                    sheet,
                    row,
                    "credit_code",
                    raw.get("credit_code"),
                    _("请填写统一社会信用代码，或同时填写单位名称和村（社区）。"),
                )
                return None
            if village is None:
                if not self.follow_on(sheet, row, raw, "village"):
                    self.village_lookup(sheet, row, raw)
                return None
            target = targets.get(("name", name, village.pk))
            if target is None:
                candidates = self.existing.by_name.get((name, village.pk), [])
                if not candidates and self.follow_on(sheet, row, raw, "name"):
                    return None
                if len(candidates) != 1:
                    self.error(
                        sheet,
                        row,
                        "name",
                        raw.get("name"),
                        _("%(village)s没有名为“%(name)s”的经营单位。")
                        % {"village": village.name, "name": name}
                        if not candidates
                        else _("%(village)s有多家名为“%(name)s”的经营单位，请填写统一社会信用代码。")
                        % {"village": village.name, "name": name},
                    )
                    return None
                target = candidates[0]
        if isinstance(target, tuple):
            return (None, target)
        return (target, None)

    def licence_row(self, sheet: SheetRows, row: int, cells: list) -> None:
        cols = sheet.columns
        raw = sheet.values(cells)
        errors_before = len(self.result.errors)
        found = self.find_business(sheet, row, raw)
        licence_type = None
        type_key = lookup_key(raw.get("licence_type"))
        if not type_key:
            self.error(sheet, row, "licence_type", raw.get("licence_type"), _("证照类型不能为空。"))
        else:
            licence_type = self.ref.licence_types.get(type_key)
            if licence_type is None:
                self.error(
                    sheet,
                    row,
                    "licence_type",
                    raw.get("licence_type"),
                    _("证照类型“%(v)s”不存在，可填：%(allowed)s。")
                    % {"v": cell_text(raw.get("licence_type")), "allowed": self.ref.allowed("licence_type")},
                )
        number = squash(cell_text(raw.get("number")))
        if not number:
            self.error(sheet, row, "number", raw.get("number"), _("证照编号不能为空。"))
        values: dict = {}
        if "issuer" in cols:
            values["issuer"] = cell_text(raw["issuer"])
        for date_field in ("issued_on", "expires_on"):
            if date_field in cols:
                try:
                    values[date_field] = parse_date(raw[date_field])
                except ParseError as exc:
                    self.error(sheet, row, date_field, raw[date_field], exc)
        if "state" in cols:
            text = lookup_key(raw["state"])
            state = self.ref.states.get(text) if text else LicenceState.VALID
            if state is None:
                self.error(
                    sheet,
                    row,
                    "state",
                    raw["state"],
                    _("状态“%(v)s”无法识别，可填：%(allowed)s。")
                    % {"v": cell_text(raw["state"]), "allowed": self.ref.allowed("state")},
                )
            values["state"] = state
        if "displayed" in cols:
            try:
                values["displayed"] = parse_flag(raw["displayed"])
            except ParseError as exc:
                self.error(sheet, row, "displayed", raw["displayed"], exc)
        if len(self.result.errors) > errors_before or found is None or licence_type is None:
            return
        business_pk, new_ref = found
        if (
            business_pk is not None
            and self.existing.writable is not None
            and business_pk not in self.existing.writable
        ):
            self.error(sheet, row, "name", raw.get("name"), _("该经营单位不在您的管理范围内，不能登记证照。"))
            return
        key = (business_pk, licence_type.pk, number)
        if key in self.seen_rows:
            self.error(
                sheet,
                row,
                "number",
                raw.get("number"),
                _("与第%(n)d行的证照重复（同一单位、同一类型、同一编号）。") % {"n": self.seen_rows[key]},
            )
            return
        if business_pk is not None:
            self.seen_rows[key] = row
        else:
            self.seen_rows[(new_ref, licence_type.pk, number)] = row
        current = self.existing.current_licence(key) if business_pk is not None else None
        repr_text = f"{licence_type.name} {number}"
        if current:
            changes = {f: (current[f], v) for f, v in values.items() if current[f] != v}
            if not changes:
                self.tally["licences_unchanged"] += 1
                return
            instance = Licence(
                pk=current["pk"],
                business_id=business_pk,
                licence_type_id=licence_type.pk,
                number=current["number"],
                **{f: current[f] for f in LICENCE_FIELDS},
            )
            for f, v in values.items():
                setattr(instance, f, v)
        else:
            instance = Licence(
                business_id=business_pk, licence_type_id=licence_type.pk, number=number, **values
            )
            changes = {
                "number": (None, number),
                **{f: (None, v) for f, v in values.items() if v not in (None, "")},
            }
        if instance.displayed and not instance.displayed_seen_on and "displayed" in changes:
            instance.displayed_seen_on = self.today
        try:
            instance.clean_fields(exclude=LICENCE_NOT_VALIDATED)
            instance.clean()
        except ValidationError as exc:
            self.validation_errors(sheet, row, exc, raw)
            return
        self.licences.append(
            PlannedLicence(
                row=row, instance=instance, changes=changes, is_new=current is None, repr_text=repr_text
            )
        )
        self.tally["licences_created" if current is None else "licences_updated"] += 1
        self.summarise(sheet.name, row, current is None, repr_text, changes, LICENCE_HEADERS)

    # -- writing (inside the transaction run_book opened) -------------------------------------------
    def write_businesses(self, planned: list[PlannedBusiness]) -> None:
        """Bulk inserts and updates, sub-type links and audit rows for one chunk of businesses."""
        Business.objects.bulk_create([p.instance for p in planned if p.is_new], batch_size=BATCH)
        changed = [p for p in planned if not p.is_new and set(p.changes) - {"subtypes"}]
        for p in changed:
            p.instance.updated_at = self.now
        if changed:
            fields = sorted({f for p in changed for f in p.changes if f != "subtypes"})
            Business.objects.bulk_update(
                [p.instance for p in changed], [*fields, "updated_at"], batch_size=BATCH
            )
        through = Business.subtypes.through
        relink = [p for p in planned if p.subtypes is not None and "subtypes" in p.changes]
        stale = [p.instance.pk for p in relink if not p.is_new]
        for start in range(0, len(stale), BATCH):
            through.objects.filter(business_id__in=stale[start : start + BATCH]).delete()
        through.objects.bulk_create(
            [through(business_id=p.instance.pk, subtype_id=st) for p in relink for st in p.subtypes],
            batch_size=BATCH,
        )
        self.written.update(p.instance.pk for p in planned if p.is_new or p.changes)
        batch = self.audit_batch()
        for p in planned:
            batch.add(
                model=Business,
                pk=p.instance.pk,
                repr_text=p.instance.name,
                action=audit.CREATE if p.is_new else audit.UPDATE,
                changes={f: self.display(f, a, b) for f, (a, b) in p.changes.items()},
            )
        batch.write()

    def write_licences(self, planned: list[PlannedLicence]) -> None:
        Licence.objects.bulk_create([p.instance for p in planned if p.is_new], batch_size=BATCH)
        changed = [p for p in planned if not p.is_new]
        for p in changed:
            p.instance.updated_at = self.now
        if changed:
            fields = sorted({f for p in changed for f in p.changes})
            Licence.objects.bulk_update(
                [p.instance for p in changed],
                [*fields, "displayed_seen_on", "updated_at"],
                batch_size=BATCH,
            )
        self.written.update(p.instance.business_id for p in planned)
        batch = self.audit_batch()
        for p in planned:
            batch.add(
                model=Licence,
                pk=p.instance.pk,
                repr_text=p.repr_text,
                action=audit.CREATE if p.is_new else audit.UPDATE,
                changes=p.changes,
            )
        batch.write()

    def audit_batch(self) -> audit.AuditBatch:
        return audit.AuditBatch(actor=self.user, additional_data={"roster_import": self.file_name or True})

    def display(self, field_name: str, old, new) -> tuple:
        """FK ids as names in the audit trail, as auditlog shows them."""
        table = {
            "category_id": self.ref.category_by_id,
            "village_id": self.ref.village_by_id,
            "market_id": self.ref.market_by_id,
        }.get(field_name)
        if table is None:
            return (old, new)
        return (table.get(old), table.get(new))


def roster_import(
    *, path: Path, user=None, dry_run: bool = False, progress: Progress | None = None, file_name: str = ""
) -> ImportResult:
    """Import (or, with dry_run, only check) a roster workbook. Nothing is written if any row has an error."""
    return RosterImporter(user=user, dry_run=dry_run, progress=progress, file_name=file_name).run(Path(path))
