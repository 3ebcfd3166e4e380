"""Building roster workbooks for the import tests (issue 4), the way people fill them in Excel."""

from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook

BUSINESS_HEADERS = [
    "单位名称",
    "类别",
    "子类",
    "村（社区）",
    "地址",
    "经营者",
    "联系电话",
    "统一社会信用代码",
    "经营状态",
    "镇中心区",
    "所在市场",
    "示范单位",
]
LICENCE_HEADERS = [
    "统一社会信用代码",
    "单位名称",
    "村（社区）",
    "证照类型",
    "证照编号",
    "发证机关",
    "发证日期",
    "有效期至",
    "状态",
    "亮证",
]


def business_row(name="兴隆士多店", category="小食杂店", village="东村", **values) -> dict:
    row = {
        "单位名称": name,
        "类别": category,
        "村（社区）": village,
        "联系电话": "13812345678",
        "经营者": "张三",
    }
    row.update(values)
    return row


def write_book(
    path: Path,
    businesses: list[dict],
    licences: list[dict] | None = None,
    *,
    headers: list[str] | None = None,
    licence_headers: list[str] | None = None,
    sheet: str = "经营单位",
) -> Path:
    """Write rows (dicts keyed by header) under the given headers; values go in as Python types."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    headers = BUSINESS_HEADERS if headers is None else headers
    if headers:
        ws.append(headers)
    for row in businesses:
        ws.append([row.get(h) for h in headers])
    if licences is not None:
        lws = book.create_sheet("证照")
        lheaders = licence_headers or LICENCE_HEADERS
        lws.append(lheaders)
        for row in licences:
            lws.append([row.get(h) for h in lheaders])
    book.save(path)
    return path


def licence_row(code=None, number="JY14406060000001", licence_type="营业执照", **values) -> dict:
    row = {
        "统一社会信用代码": code,
        "证照类型": licence_type,
        "证照编号": number,
        "发证日期": datetime.date(2020, 1, 1),
        "有效期至": datetime.date(2030, 12, 31),
        "状态": "有效",
        "亮证": "是",
    }
    row.update(values)
    return row
