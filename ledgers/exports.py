"""Excel exports: trace results (written by lib.sheets)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from lib import sheets

from .trace import TraceResult

MODE_TITLES = {"forward": "正向追踪", "backward": "反向追溯", "a6": "农残溯源（A6）"}


def trace_workbook(result: TraceResult) -> bytes:
    """The trace as a workbook through lib.sheets: every text cell as text, so a product or a
    counterparty named "=HYPERLINK(…)" is never a live formula (issue 22), and it prints on A4."""
    title = f"{MODE_TITLES.get(result.mode, result.mode)}：{result.product}"
    if result.batch:
        title += f"（批号 {result.batch}）"
    if result.since or result.until:
        title += f"  {result.since or ''} 至 {result.until or ''}"
    preamble = [title]
    if result.truncated:
        preamble.append(_("结果过多，仅列出前面部分，请缩小日期范围或指定批号。"))
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
    book = sheets.Book()
    sheet = book.sheet(
        _("追溯结果"),
        headers,
        [6, 24, 12, 6, 12, 20, 14, 10, 6, 24, 24],
        title=title,
        as_of=timezone.localtime(),
        preamble=preamble,
    )
    for r in result.rows:
        sheet.write(
            [
                r.level,
                r.business,
                r.village,
                str(r.direction_label),
                r.occurred_on,
                r.product_name,
                r.batch,
                float(r.quantity),
                r.unit,
                r.counterparty,
                r.counterparty_business,
            ]
        )
    return book.close()
