"""Writing the roster to a workbook the importer reads back unchanged (issue 4).

Written by lib.sheets in constant-memory mode (rows streamed to disk), so 100,000 businesses export with
bounded memory; every text cell is text — a name like "=HYPERLINK(...)" or "@SUM(...)" reaches Excel as
typed (formula injection) — and the sheets print on A4 landscape with the header on every page.
"""

from __future__ import annotations

import datetime
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from lib import sheets
from lib import sheets as sheets_lib

from ..choices import BusinessStatus, LicenceState
from ..models import Business, Licence, Town
from .columns import BUSINESS_COLUMNS, BUSINESS_SHEET, LICENCE_COLUMNS, LICENCE_SHEET, TOWN_COLUMN

CHUNK = 2000
is_formula_like = sheets.is_formula_like


STATUS_LABELS = dict(BusinessStatus.choices)
STATE_LABELS = dict(LicenceState.choices)


def write_roster(queryset: QuerySet[Business], target: str | IO[bytes]) -> dict:
    """Write the businesses of `queryset` (already filtered and scoped) and their licences to `target`.

    Returns the counts written. Reads in chunks; never holds the roster as model instances. In a city's
    installation (several towns, issue 24) each sheet ends with a 镇（街道） column, which the import reads
    back (a village's name may recur in another town); a single town's workbook is as it was.
    """
    city = Town.objects.count() > 1
    town_header = [TOWN_COLUMN.header] if city else []
    town_width = [14] if city else []
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

    book = sheets.Book(target, constant_memory=True)
    now = timezone.localtime()
    sheet = book.sheet(
        BUSINESS_SHEET,
        [c.header for c in BUSINESS_COLUMNS] + town_header,
        [28, 12, 16, 14, 30, 10, 16, 22, 12, 9, 18, 9, *town_width],
        title="经营单位名册",
        as_of=now,
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
        "village__town__name",
    ).iterator(chunk_size=CHUNK):
        pk, name, category, village, address, operator, phone, code, status, centre, market, model, town = row
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
                *([town] if city else []),
            ]
        )
        businesses += 1

    licence_sheet = book.sheet(
        LICENCE_SHEET,
        [c.header for c in LICENCE_COLUMNS] + town_header,
        [22, 28, 14, 16, 22, 18, 12, 12, 9, 7, *town_width],
        title="经营单位证照",
        as_of=now,
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
            "business__village__town__name",
        )
        .iterator(chunk_size=CHUNK)
    ):
        *head, state, displayed, town = row
        licence_sheet.write(
            [*head, str(STATE_LABELS.get(state, state)), bool(displayed), *([town] if city else [])]
        )
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
    book = sheets_lib.Book(target, constant_memory=True)
    for name, headers, rows in sheets:
        sheet = book.sheet(name, ["原行号", *headers, "错误"], title=f"导入错误：{name}")
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
