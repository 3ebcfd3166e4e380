"""The downloadable template workbook: both sheets, the headers, a sample row and drop-down lists (issue 4).

openpyxl (not XlsxWriter) because the lists point at a hidden sheet of options, which it writes simply.
"""

from __future__ import annotations

import datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

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


def _headers(sheet, columns) -> None:
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col, value=column.header)
        cell.fill = fill
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        if column.required:
            cell.comment = Comment("必填", "wuxiao")
        sheet.column_dimensions[cell.column_letter].width = 16
    sheet.freeze_panes = "A2"


def _list(sheet, column_index: int, options_col: str, count: int, title: str) -> None:
    if not count:
        return
    letter = sheet.cell(row=1, column=column_index).column_letter
    validation = DataValidation(
        type="list",
        formula1=f"={OPTIONS_SHEET}!${options_col}$2:${options_col}${count + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"请从下拉列表中选择{title}。",
    )
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    sheet.add_data_validation(validation)


def write_template(target: str | IO[bytes]) -> None:
    book = Workbook()
    businesses = book.active
    businesses.title = BUSINESS_SHEET
    licences = book.create_sheet(LICENCE_SHEET)
    options = book.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"

    categories = [c.name for c in Category.objects.order_by("order")]
    villages = [v.name for v in Village.objects.order_by("order", "name")]
    statuses = [str(label) for _v, label in BusinessStatus.choices]
    types = [lt.name for lt in LicenceType.objects.order_by("pk")]
    states = [str(label) for _v, label in LicenceState.choices]
    markets = [m.name for m in Market.objects.order_by("name")]
    lists = {
        "A": ("类别", categories),
        "B": ("村（社区）", villages),
        "C": ("经营状态", statuses),
        "D": ("证照类型", types),
        "E": ("状态", states),
        "F": ("是否", ["是", "否"]),
        "G": ("所在市场", markets),
    }
    for col, (title, values) in lists.items():
        options[f"{col}1"] = title
        for row, value in enumerate(values, start=2):
            options[f"{col}{row}"] = value

    _headers(businesses, BUSINESS_COLUMNS)
    village = villages[0] if villages else "示例村"
    code = _sample_code()
    businesses.append(
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
    fields = [c.field for c in BUSINESS_COLUMNS]
    _list(businesses, fields.index("category") + 1, "A", len(categories), "类别")
    _list(businesses, fields.index("village") + 1, "B", len(villages), "村（社区）")
    _list(businesses, fields.index("status") + 1, "C", len(statuses), "经营状态")
    _list(businesses, fields.index("market") + 1, "G", len(markets), "所在市场")
    for flag in ("is_town_centre", "is_model"):
        _list(businesses, fields.index(flag) + 1, "F", 2, "是或否")
    businesses.column_dimensions["A"].width = 34
    businesses.column_dimensions["H"].width = 22

    _headers(licences, LICENCE_COLUMNS)
    licences.append(
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
    for row in licences.iter_rows(min_row=2, max_row=2, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    lfields = [c.field for c in LICENCE_COLUMNS]
    _list(licences, lfields.index("licence_type") + 1, "D", len(types), "证照类型")
    _list(licences, lfields.index("state") + 1, "E", len(states), "状态")
    _list(licences, lfields.index("displayed") + 1, "F", 2, "是或否")
    _list(licences, lfields.index("village") + 1, "B", len(villages), "村（社区）")
    licences.column_dimensions["A"].width = 22
    licences.column_dimensions["B"].width = 34
    book.save(target)
