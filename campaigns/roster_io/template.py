"""The downloadable template workbook: both sheets, the headers, a sample row and drop-down lists (issue 4).

Written by lib.sheets: the lists point at its hidden sheet of options.
"""

from __future__ import annotations

import datetime
from typing import IO

from lib import sheets
from lib.workbook import SAMPLE_MARKER

from ..choices import BusinessStatus, LicenceState
from ..models import Category, LicenceType, Market, Village
from ..validators import credit_code_check_char
from .columns import BUSINESS_COLUMNS, BUSINESS_SHEET, LICENCE_COLUMNS, LICENCE_SHEET

OPTIONS_SHEET = "选项"
VALIDATED_ROWS = 5000


def _sample_code() -> str:
    body = "92440606MA4W00001"
    return body + credit_code_check_char(body)


def write_template(target: str | IO[bytes]) -> None:
    """Both sheets with their headers (required ones in red, with a note), a sample row each, and
    drop-down lists drawn from a hidden options sheet; written by lib.sheets."""
    categories = [c.name for c in Category.objects.order_by("order")]
    villages = [v.name for v in Village.objects.order_by("order", "name")]
    statuses = [str(label) for _v, label in BusinessStatus.choices]
    types = [lt.name for lt in LicenceType.objects.order_by("pk")]
    states = [str(label) for _v, label in LicenceState.choices]
    markets = [m.name for m in Market.objects.order_by("name")]
    village = villages[0] if villages else "示例村"
    code = _sample_code()

    book = sheets.Book(target)
    fields = [c.field for c in BUSINESS_COLUMNS]
    widths = [34 if f == "name" else 22 if f == "credit_code" else 16 for f in fields]
    businesses = book.sheet(
        BUSINESS_SHEET,
        [c.header for c in BUSINESS_COLUMNS],
        widths,
        title="经营单位名册导入模板",
        required=[c.required for c in BUSINESS_COLUMNS],
    )
    businesses.write(
        [
            f"示例：兴隆士多店（{SAMPLE_MARKER}）",
            "小食杂店",
            "镇中心区",
            village,
            "中心路18号",
            "张三",
            "13812345678",
            code,
            "正常经营",
            "是",
            markets[0] if markets else "",
            "否",
        ]
    )
    for col, column in enumerate(BUSINESS_COLUMNS):
        if column.required:
            businesses.note(col, "必填")
    for name, options, what in (
        ("category", categories, "类别"),
        ("village", villages, "村（社区）"),
        ("status", statuses, "经营状态"),
        ("market", markets, "所在市场"),
        ("is_town_centre", ["是", "否"], "是或否"),
        ("is_model", ["是", "否"], "是或否"),
    ):
        businesses.choices(
            fields.index(name), options, rows=VALIDATED_ROWS, message=f"请从下拉列表中选择{what}。"
        )

    lfields = [c.field for c in LICENCE_COLUMNS]
    lwidths = [22 if f == "credit_code" else 34 if f == "business" else 16 for f in lfields]
    licences = book.sheet(
        LICENCE_SHEET,
        [c.header for c in LICENCE_COLUMNS],
        lwidths,
        title="经营单位证照导入模板",
        required=[c.required for c in LICENCE_COLUMNS],
    )
    licences.write(
        [
            code,
            f"示例：兴隆士多店（{SAMPLE_MARKER}）",
            village,
            "营业执照",
            "440606600012345",
            "工商行政管理部门",
            datetime.date(2009, 3, 5),
            datetime.date(2029, 3, 4),
            "有效",
            "是",
        ]
    )
    for col, column in enumerate(LICENCE_COLUMNS):
        if column.required:
            licences.note(col, "必填")
    for name, options, what in (
        ("licence_type", types, "证照类型"),
        ("state", states, "状态"),
        ("displayed", ["是", "否"], "是或否"),
        ("village", villages, "村（社区）"),
    ):
        licences.choices(
            lfields.index(name), options, rows=VALIDATED_ROWS, message=f"请从下拉列表中选择{what}。"
        )
    book.close()
