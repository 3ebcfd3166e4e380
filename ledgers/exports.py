"""Excel exports (XlsxWriter): trace results."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .trace import TraceResult

MODE_TITLES = {"forward": "正向追踪", "backward": "反向追溯", "a6": "农残溯源（A6）"}


def trace_workbook(result: TraceResult) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(_("追溯结果"))
    title = f"{MODE_TITLES.get(result.mode, result.mode)}：{result.product}"
    if result.batch:
        title += f"（批号 {result.batch}）"
    if result.since or result.until:
        title += f"  {result.since or ''} 至 {result.until or ''}"
    sheet.write(0, 0, title, bold)
    if result.truncated:
        sheet.write(1, 0, _("结果过多，仅列出前面部分，请缩小日期范围或指定批号。"))
    headers = [
        _("层级"),
        _("经营单位"),
        _("村（社区）"),
        _("类型"),
        _("日期"),
        _("品名"),
        _("批号"),
        _("数量"),
        _("单位"),
        _("对方（供货方/去向）"),
        _("对方在名册中"),
    ]
    widths = [6, 24, 12, 6, 12, 20, 14, 10, 6, 24, 24]
    for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write(3, col, text, head)
        sheet.set_column(col, col, width)
    for row, r in enumerate(result.rows, start=4):
        sheet.write_number(row, 0, r.level)
        sheet.write(row, 1, r.business)
        sheet.write(row, 2, r.village)
        sheet.write(row, 3, str(r.direction_label))
        sheet.write_datetime(row, 4, _as_datetime(r.occurred_on), date)
        sheet.write(row, 5, r.product_name)
        sheet.write(row, 6, r.batch)
        sheet.write_number(row, 7, float(r.quantity))
        sheet.write(row, 8, r.unit)
        sheet.write(row, 9, r.counterparty)
        sheet.write(row, 10, r.counterparty_business)
    sheet.freeze_panes(4, 0)
    book.close()
    return out.getvalue()


def _as_datetime(day):
    import datetime

    return datetime.datetime(day.year, day.month, day.day)
