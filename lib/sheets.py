"""The one spreadsheet writer: every Excel file we hand out (roster, trace, dashboard, error workbooks,
templates) is written here, so each is formula-safe and prints well (issue 17, hardening #22).

- Formula-safe: text is always written as a text cell (write_string, with XlsxWriter's strings_to_formulas,
  _urls and _numbers off), so "=HYPERLINK(…)", "+1", "-1+2", "@SUM(…)" or a value starting with a tab or
  CR reaches Excel as the characters typed, never as a formula. (Text is not prefixed with an apostrophe:
  a roster exported and imported again must come back unchanged.)
- Prints: A4 landscape, fit to one page wide, the header row repeated on every page, the header frozen,
  an autofilter on the header, and the title (left) and "数据截至 …" (right) in the page header with
  "第 N 页，共 M 页" in the footer.
- `xlsx_response(data, filename)`: the HTTP download with a Chinese file name.

Model-free (docs/architecture.md).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import IO
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
A4 = 9  # XlsxWriter's paper code
OPTIONS_SHEET = "选项"


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this as a formula if it were typed in? (It is written as text here.)"""
    return text.startswith(FORMULA_PREFIXES)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")[:100]


class Sheet:
    """A worksheet written one row of Python values at a time: text as text, dates as dates, numbers as
    numbers, booleans as 是/否. `preamble` lines (a title, a note) go above the header row."""

    def __init__(
        self,
        book: Book,
        name: str,
        headers: Sequence[str],
        widths: Sequence[int] | None = None,
        *,
        title: str = "",
        as_of: datetime.date | datetime.datetime | str | None = None,
        preamble: Sequence[str] = (),
        required: Sequence[bool] = (),
    ) -> None:
        self.book = book
        self.sheet = book.book.add_worksheet(name[:31])
        self.columns = len(headers)
        formats = book.formats
        self.row = 0
        for line in preamble:
            self.sheet.write_string(self.row, 0, str(line), formats["bold"] if self.row == 0 else None)
            self.row += 1
        if preamble:
            self.row += 1
        self.header_row = self.row
        for col, header in enumerate(headers):
            width = widths[col] if widths and col < len(widths) else 14
            self.sheet.set_column(col, col, width)
            needed = col < len(required) and required[col]
            self.sheet.write_string(self.row, col, str(header), formats["required" if needed else "header"])
        self.row += 1
        self._print_setup(title or name, as_of)
        book.sheets.append(self)

    def _print_setup(self, title: str, as_of) -> None:
        sheet = self.sheet
        sheet.set_paper(A4)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        sheet.repeat_rows(self.header_row)
        sheet.freeze_panes(self.header_row + 1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        if isinstance(as_of, datetime.datetime):
            as_of = f"{as_of.year}年{as_of.month}月{as_of.day}日 {as_of:%H:%M}"
        elif isinstance(as_of, datetime.date):
            as_of = f"{as_of.year}年{as_of.month}月{as_of.day}日"
        right = f"&R数据截至{_header_text(as_of)}" if as_of else ""
        sheet.set_header(f"&L{_header_text(title)}{right}", {"margin": 0.3})
        sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})

    def write(self, values: Sequence) -> None:
        """One row of values; None and "" leave the cell empty."""
        formats = self.book.formats
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.datetime):
                self.sheet.write_datetime(self.row, col, value.replace(tzinfo=None), formats["datetime"])
            elif isinstance(value, datetime.date):
                self.sheet.write_datetime(self.row, col, value, formats["date"])
            elif isinstance(value, bool):
                self.sheet.write_string(self.row, col, "是" if value else "否")
            elif isinstance(value, int | float):
                self.sheet.write_number(self.row, col, value)
            else:
                self.sheet.write_string(self.row, col, str(value))
        self.row += 1

    def choices(self, col: int, options: Sequence[str], *, rows: int = 5000, message: str = "") -> None:
        """A drop-down list on a column under the header (templates), the options on a hidden sheet."""
        if not options:
            return
        options_list = self.book.options
        start = len(options_list)
        options_list.extend(str(option) for option in options)
        ref = f"='{OPTIONS_SHEET}'!$A${start + 1}:$A${len(options_list)}"
        self.sheet.data_validation(
            self.header_row + 1,
            col,
            self.header_row + rows,
            col,
            {
                "validate": "list",
                "source": ref,
                "ignore_blank": True,
                "error_title": "请从列表中选择",
                "error_message": message or "请从下拉列表中选择。",
            },
        )

    def note(self, col: int, text: str) -> None:
        """A comment on a header cell (what to type in the column)."""
        self.sheet.write_comment(self.header_row, col, text, {"x_scale": 2, "y_scale": 1.5})

    def finish(self) -> None:
        last = max(self.row - 1, self.header_row)
        self.sheet.autofilter(self.header_row, 0, last, self.columns - 1)


class Book:
    """A workbook being written; `close()` (or the with-block) finishes every sheet and writes the file.

    `constant_memory` streams rows to disk (rows must then be written top to bottom, one sheet at a
    time): the roster export of 100,000 businesses."""

    def __init__(self, target: str | IO[bytes] | None = None, *, constant_memory: bool = False) -> None:
        self.buffer = io.BytesIO() if target is None else None
        options = {**OPTIONS, "constant_memory": constant_memory, "in_memory": target is None}
        self.book = xlsxwriter.Workbook(self.buffer if target is None else target, options)
        self.formats = {
            "bold": self.book.add_format({"bold": True}),
            "header": self.book.add_format(
                {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
            ),
            "required": self.book.add_format(
                {"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000", "valign": "top"}
            ),
            "date": self.book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        self.sheets: list[Sheet] = []
        # The drop-down lists' values, written to a hidden last sheet when the book is closed.
        self.options: list[str] = []

    def sheet(
        self, name: str, headers: Sequence[str], widths: Sequence[int] | None = None, **kwargs
    ) -> Sheet:
        return Sheet(self, name, headers, widths, **kwargs)

    def close(self) -> bytes | None:
        for sheet in self.sheets:
            sheet.finish()
        if self.options:
            hidden = self.book.add_worksheet(OPTIONS_SHEET)
            for row, value in enumerate(self.options):
                hidden.write_string(row, 0, value)
            hidden.hide()
        self.book.close()
        return self.buffer.getvalue() if self.buffer is not None else None

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """The workbook as a download named `filename` (Chinese allowed; an ASCII fallback for old clients)."""
    response = HttpResponse(data, content_type=XLSX)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
