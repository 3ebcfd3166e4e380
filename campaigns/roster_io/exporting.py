"""Writing the roster to a workbook the importer reads back unchanged (issue 4).

XlsxWriter in constant-memory mode streams rows to disk, so 100,000 businesses export with bounded
memory. Every text cell is written with write_string — never as a formula — and strings_to_formulas is
off, so a name like "=HYPERLINK(...)" or "@SUM(...)" reaches Excel as text (formula injection).
"""

from __future__ import annotations

import datetime
from typing import IO

import xlsxwriter
from django.db.models import QuerySet

from ..choices import BusinessStatus, LicenceState
from ..models import Business, Licence
from .columns import BUSINESS_COLUMNS, BUSINESS_SHEET, LICENCE_COLUMNS, LICENCE_SHEET

CHUNK = 2000
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


class SafeSheet:
    """A worksheet wrapper that writes one row of Python values, text always as text."""

    def __init__(self, book, name: str, headers: list[str], widths: list[int] | None = None) -> None:
        self.sheet = book.add_worksheet(name)
        self.date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        header_format = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for col, header in enumerate(headers):
            self.sheet.set_column(col, col, (widths or [])[col] if widths and col < len(widths) else 14)
            self.sheet.write_string(0, col, header, header_format)
        self.sheet.freeze_panes(1, 0)
        self.row = 1

    def write(self, values) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.date):
                self.sheet.write_datetime(self.row, col, value, self.date_format)
            elif isinstance(value, bool):
                self.sheet.write_string(self.row, col, "是" if value else "否")
            elif isinstance(value, int | float):
                self.sheet.write_number(self.row, col, value)
            else:
                self.sheet.write_string(self.row, col, str(value))
        self.row += 1


STATUS_LABELS = dict(BusinessStatus.choices)
STATE_LABELS = dict(LicenceState.choices)


def write_roster(queryset: QuerySet[Business], target: str | IO[bytes]) -> dict:
    """Write the businesses of `queryset` (already filtered and scoped) and their licences to `target`.

    Returns the counts written. Reads in chunks; never holds the roster as model instances.
    """
    ids = queryset.order_by().values("pk")
    subtypes: dict[int, list[str]] = {}
    through = Business.subtypes.through
    for business_id, name in (
        through.objects.filter(business__in=ids)
        .order_by("subtype__pk")
        .values_list("business_id", "subtype__name")
        .iterator(chunk_size=CHUNK)
    ):
        subtypes.setdefault(business_id, []).append(name)

    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    sheet = SafeSheet(
        book,
        BUSINESS_SHEET,
        [c.header for c in BUSINESS_COLUMNS],
        [28, 12, 16, 14, 30, 10, 16, 22, 12, 9, 18, 9],
    )
    businesses = 0
    for row in queryset.values_list(
        "pk",
        "name",
        "category__name",
        "village__name",
        "address",
        "operator",
        "phone",
        "credit_code",
        "status",
        "is_town_centre",
        "market__name",
        "is_model",
    ).iterator(chunk_size=CHUNK):
        pk, name, category, village, address, operator, phone, code, status, centre, market, model = row
        sheet.write(
            [
                name,
                category,
                "、".join(subtypes.get(pk, ())),
                village,
                address,
                operator,
                phone,
                code,
                str(STATUS_LABELS.get(status, status)),
                bool(centre),
                market,
                bool(model),
            ]
        )
        businesses += 1

    licence_sheet = SafeSheet(
        book, LICENCE_SHEET, [c.header for c in LICENCE_COLUMNS], [22, 28, 14, 16, 22, 18, 12, 12, 9, 7]
    )
    licences = 0
    for row in (
        Licence.objects.filter(business__in=ids)
        .order_by("business__village__order", "business__name", "business_id", "licence_type_id", "pk")
        .values_list(
            "business__credit_code",
            "business__name",
            "business__village__name",
            "licence_type__name",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "state",
            "displayed",
        )
        .iterator(chunk_size=CHUNK)
    ):
        *head, state, displayed = row
        licence_sheet.write([*head, str(STATE_LABELS.get(state, state)), bool(displayed)])
        licences += 1
    book.close()
    return {"businesses": businesses, "licences": licences}


def write_error_workbook(
    *, sheets: list[tuple[str, list[str], list[tuple[int, list]]]], errors, target
) -> None:
    """The preview's errors as a workbook: each sheet's original rows that have errors, plus 错误 columns.

    `sheets` is [(sheet name, header row, [(row number, cells)])]; errors carry sheet/row/column/message.
    """
    by_row: dict[tuple[str, int], list[str]] = {}
    for e in errors:
        text = f"{e['column']}：{e['message']}" if e.get("column") else e["message"]
        by_row.setdefault((e["sheet"], e["row"]), []).append(text)
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    for name, headers, rows in sheets:
        sheet = SafeSheet(book, name, ["原行号", *headers, "错误"])
        for number, cells in rows:
            messages = by_row.get((name, number))
            if messages:
                cells = [*cells, *[None] * len(headers)][: len(headers)]
                sheet.write([number, *[_plain(c) for c in cells], "；".join(messages)])
    book.close()


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.timedelta | datetime.time):
        return str(value)
    return value
