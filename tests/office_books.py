"""Workbooks as township offices keep them, in every format an office saves (issue 16).

A sheet is built the way a clerk builds it in Excel or WPS: a title merged across the columns, a note row
with the date, a blank row, the header (with a 序号 column and headers broken over two lines), the data
(numbers stored as numbers, dates typed as text in several forms), rows holding only spaces, a 合计 row,
and a helper column right of the header. It is saved as .xlsx with openpyxl, converted to .xls and .ods
by LibreOffice headless (a real office program, with its own profile directory so parallel runs do not
collide), and written as .csv in UTF-8 (with and without BOM) and GBK as Chinese Excel writes it.
"""

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMATS = ("xlsx", "xls", "ods", "csv-utf8", "csv-utf8-bom", "csv-gbk")
DATE_FORMS = ("2020年1月5日", "2020/1/5", "2020-01-05", "20200105", "2020.1.5")


@dataclass
class OfficeSheet:
    name: str
    header: list[str]
    rows: list[list]
    title: str = ""
    note: str = ""
    serial: bool = True  # a 序号 column in front
    total: bool = True  # a 合计 row at the bottom
    blank_rows: int = 2  # rows of spaces (one half-width, one full-width)
    helper: bool = True  # a filled column right of the header, without a header
    wrap: set[str] = field(default_factory=set)  # headers written over two lines

    def table(self) -> list[list]:
        """The sheet as a clerk's eye sees it, top to bottom (for .csv and for openpyxl)."""
        header = [h[: len(h) // 2] + "\n" + h[len(h) // 2 :] if h in self.wrap else h for h in self.header]
        lines: list[list] = []
        width = len(header) + (1 if self.serial else 0)
        if self.title:
            lines.append([self.title] + [None] * (width - 1))
        if self.note:
            lines.append([None] * (width - 1) + [self.note])
        if self.title or self.note:
            lines.append([None] * width)
        lines.append((["序号"] if self.serial else []) + header)
        for n, row in enumerate(self.rows, start=1):
            line = ([n] if self.serial else []) + list(row)
            if self.helper:
                line += [None, f"辅助{n}"]
            lines.append(line)
        for i in range(self.blank_rows):
            lines.append([" " if i % 2 == 0 else "\u3000", None, "  "])
        if self.total:
            lines.append(["合计"] + [None] * (width - 2) + [len(self.rows)])
        return lines


def write_xlsx(path: Path, sheets: list[OfficeSheet]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for line in sheet.table():
            ws.append(line)
        width = len(sheet.header) + (1 if sheet.serial else 0)
        if sheet.title:
            ws.merge_cells(f"A1:{get_column_letter(width)}1")
    book.save(path)
    return path


def write_csv(path: Path, sheet: OfficeSheet, encoding: str) -> Path:
    """As Excel saves "CSV (逗号分隔)" (GBK on a Chinese Windows) or "CSV UTF-8" (with a BOM)."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for line in sheet.table():
            writer.writerow([_as_excel_writes(v) for v in line])
    return path


def _as_excel_writes(value) -> str:
    """A cell as Chinese Excel writes it to .csv: dates as 2020/1/5, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is needed: .ci/install-extras installs libreoffice-calc-nogui"
    return found


def convert(paths: list[Path], fmt: str, workdir: Path) -> list[Path]:
    """Convert workbooks with LibreOffice headless, all in one run; its own profile in `workdir`."""
    out = workdir / fmt
    out.mkdir(parents=True, exist_ok=True)
    profile = workdir / f"lo-profile-{uuid.uuid4().hex[:8]}"
    filters = {"xls": "xls:MS Excel 97", "ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
    proc = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            filters[fmt],
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    converted = [out / (p.stem + "." + fmt) for p in paths]
    missing = [p for p in converted if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return converted


def in_every_format(books: dict[str, list[OfficeSheet]], workdir: Path) -> dict[str, dict[str, list[Path]]]:
    """{book name: {format: [files]}}: one file for the workbook formats, one .csv per sheet."""
    workdir.mkdir(parents=True, exist_ok=True)
    xlsx = {name: write_xlsx(workdir / f"{name}.xlsx", sheets) for name, sheets in books.items()}
    found: dict[str, dict[str, list[Path]]] = {name: {"xlsx": [path]} for name, path in xlsx.items()}
    for fmt in ("xls", "ods"):
        for name, path in zip(xlsx, convert(list(xlsx.values()), fmt, workdir), strict=True):
            found[name][fmt] = [path]
    for name, sheets in books.items():
        for fmt, encoding in (("csv-utf8", "utf-8"), ("csv-utf8-bom", "utf-8-sig"), ("csv-gbk", "gbk")):
            found[name][fmt] = [
                write_csv(workdir / f"{name}-{i}-{fmt}.csv", sheet, encoding)
                for i, sheet in enumerate(sheets)
            ]
    return found


def text_date(n: int) -> str:
    """2020-01-05 typed in one of the forms offices use, by turns."""
    return DATE_FORMS[n % len(DATE_FORMS)]


TODAY = datetime.date.today()
