"""Reading uploaded workbooks safely and as offices keep them (issues 4, 15, 16): one reader for every import.

Model-free (docs/architecture.md): an app declares its sheet (`SheetSpec`: the preferred sheet name and its
`Column`s with their other spellings) and reads it through `open_workbook` + `read_sheet`.

Formats, told by the file's content, not its name: .xlsx, .xls (Excel 97–2003, also as WPS saves it),
.ods, and .csv (UTF-8 with or without BOM, GBK/GB18030 as Chinese Excel writes it, UTF-16). Every check
runs before any parsing: the size limit, the signature (an encrypted workbook is an OLE/CFB file holding
EncryptionInfo), for zip-based formats the directory (truncated or corrupt), the uncompressed size and
ratio (zip bomb) and DTDs in the XML parts (entity expansion), for .ods an encrypted package. python-
calamine (Rust, no DTD processing, formulas read as their saved values) then reads the cells of
.xlsx/.xls/.ods; the csv module reads text. openpyxl is never used on uploads.

What a clerk's eye ignores is ignored and said as a 提示 (`Notice`), never an error: title, note and date
rows above the header (the header is looked for in the first HEADER_SEARCH_ROWS rows), rows holding only
spaces, 合计/小计/总计 rows, the template's sample row (SAMPLE_MARKER), a 序号 column and filled columns
beyond the header. Rows are read lazily: a 100,000-row file costs the same with a title block as without.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# An xlsx's XML compresses about 10:1; a zip bomb compresses hundreds or thousands to one.
MAX_COMPRESSION_RATIO = 200
# The uncompressed workbook may be this many times the upload limit (100,000 rows ≈ 60 MB of XML).
UNCOMPRESSED_FACTOR = 10
# The header is looked for in this many rows from the top (titles, notes and dates sit above it).
HEADER_SEARCH_ROWS = 15
# A cell holding this marks the template's sample row: never imported (the templates write it).
SAMPLE_MARKER = "导入前请删除本行"
TOTAL_WORDS = frozenset({"合计", "小计", "总计", "共计", "总合计"})
SERIAL_HEADERS = frozenset({"序号", "序", "No.", "NO.", "no.", "编号(序号)"})
CSV_SHEET = "CSV"

FORMAT_NAMES = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "Excel 97–2003 工作簿（.xls）",
    "ods": "OpenDocument 表格（.ods）",
    "csv": "CSV 文本文件（.csv）",
}
# For <input type="file" accept=...> and the upload forms' help texts.
ACCEPTED_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".et")
ACCEPT = ",".join(
    (
        *ACCEPTED_SUFFIXES,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
    )
)
FORMATS_TEXT = ".xlsx、.xls、.ods 或 .csv"


@dataclass(frozen=True)
class Column:
    """One column of an imported sheet: its header as the template writes it, the field it fills."""

    header: str
    field: str
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    """A sheet an import reads: its name in the template (and other names it goes by), its columns and
    other spellings of their headers (alias -> the column's header)."""

    name: str
    columns: tuple[Column, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    other_names: tuple[str, ...] = ()

    @property
    def headers(self) -> dict[str, str]:
        return {c.field: c.header for c in self.columns}


@dataclass(frozen=True)
class Notice:
    """A 提示: something the reader left out on purpose (a title row, a 合计 row...), shown with the
    preview and the command's output; never an error."""

    sheet: str
    message: str

    def __str__(self) -> str:
        return (
            _("工作表“%(s)s”：%(m)s") % {"s": self.sheet, "m": self.message} if self.sheet else self.message
        )

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "message": self.message}


def header_key(text: object) -> str:
    """A header as compared: half-width, without spaces, line breaks or asterisks; 【】〔〕 as brackets."""
    key = "".join(unicodedata.normalize("NFKC", str(text or "")).split()).replace("*", "")
    return key.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")


def column_letter(index: int) -> str:
    """Excel's name of a column: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def match_headers(
    row: list, columns: tuple[Column, ...], aliases: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[str], list[str]]:
    """Map each known column's field to its index in the header row (`aliases`: other spellings of a
    column's header, keyed by their header_key).

    Returns (field -> index, headers of extra columns (ignored), headers of missing required columns).
    """
    wanted = {header_key(c.header): c for c in columns}
    aliases = {header_key(k): header_key(v) for k, v in (aliases or {}).items()}
    found: dict[str, int] = {}
    extra = []
    for index, cell in enumerate(row):
        key = header_key(cell)
        key = aliases.get(key, key)
        if not key:
            continue
        column = wanted.get(key)
        if column and column.field not in found:
            found[column.field] = index
        else:
            extra.append(str(cell).strip())
    missing = [c.header for c in columns if c.required and c.field not in found]
    return found, extra, missing


class BadFile(Exception):
    """The file as a whole cannot be imported; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class RowError:
    """One bad cell of an imported workbook, said where it is (sheet, row, column, value) and what is wrong,
    in Chinese — the ledger and lab-result imports list these; nothing is written while any exists."""

    sheet: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = _("工作表“%(s)s” 第 %(r)d 行") % {"s": self.sheet, "r": self.row}
        if self.column:
            where += f" {self.column}"
            if self.value:
                where += f" '{self.value}'"
        return f"{where}：{self.message}"


@dataclass
class SheetRows:
    name: str
    columns: dict[str, int]  # field -> index in the row lists
    headers: list[str]  # the header row as written (for the error workbook)
    rows: Iterable[tuple[int, list]]  # (row number in Excel, cells), read lazily; skipped rows left out
    count: int  # data rows (an upper bound: skipped rows are only known when read)
    extra: list[str] = field(default_factory=list)
    # Columns left of the sheet's first filled one are not in the rows: index 0 of a row is Excel column
    # first_column (0 = A); column_label adds it, so letters are right whatever columns are blank.
    first_column: int = 0
    header_row: int = 1
    spec: SheetSpec | None = None

    def letter(self, field_name: str) -> str:
        index = self.columns.get(field_name)
        return "" if index is None else column_letter(index + self.first_column)

    def column_label(self, field_name: str | None) -> str:
        """How an error names a column: 数量（G列）; the header alone when the sheet has no such column."""
        header = self.spec.headers.get(field_name or "", "") if self.spec else ""
        letter = self.letter(field_name) if field_name else ""
        return _("%(h)s（%(l)s列）") % {"h": header, "l": letter} if letter else header

    def values(self, cells: list) -> dict[str, object]:
        """The row's cells by field (None where the row is shorter than the header)."""
        width = len(cells)
        return {f: (cells[i] if i < width else None) for f, i in self.columns.items()}


def max_upload_bytes() -> int:
    return settings.WUXIAO_UPLOAD_MAX_MB * 1024 * 1024


def _check_zip(path: Path) -> str:
    """The zip-based format (xlsx or ods) after the bomb, DTD and encryption checks; BadFile otherwise."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "content.xml" in names and (
                "mimetype" not in names or b"spreadsheet" in archive.read("mimetype")[:200]
            ):
                kind = "ods"
            elif "word/document.xml" in names:
                raise BadFile(
                    _("这是 Word 文档（.docx），不是表格。请上传 %(f)s 表格文件。") % {"f": FORMATS_TEXT}
                )
            else:
                raise BadFile(
                    _("不是 Excel 工作簿（.xlsx）或 .ods 文件：压缩包里没有工作簿内容。请上传 %(f)s 文件。")
                    % {"f": FORMATS_TEXT}
                )
            total = sum(m.file_size for m in members)
            if total > max_upload_bytes() * UNCOMPRESSED_FACTOR or any(
                m.compress_size and m.file_size / m.compress_size > MAX_COMPRESSION_RATIO
                for m in members
                if m.file_size > 1024 * 1024
            ):
                raise BadFile(
                    _("文件解压后异常庞大（%(mb)d MB），疑似“压缩炸弹”，已拒绝处理。")
                    % {"mb": total // 1024 // 1024}
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        start = part.read(2048)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        raise BadFile(_("文件含有不允许的 XML 声明（DTD/实体），已拒绝处理。"))
            if kind == "ods" and "META-INF/manifest.xml" in names:
                if b"encryption-data" in archive.read("META-INF/manifest.xml")[: 1024 * 1024]:
                    raise BadFile(
                        _("表格设有打开密码（已加密），无法读取。请取消密码后另存为 .xlsx 再导入。")
                    )
            return kind
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise BadFile(_("文件已损坏或不完整（可能下载或复制时被截断），请重新保存后再上传。")) from exc


def detect_format(path: Path) -> str:
    """Check `path` and tell its format ("xlsx", "xls", "ods" or "csv") from its content; BadFile with one
    clear message (naming the format found) when it is unsafe or not a table at all."""
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise BadFile(
            _("文件过大：%(size).1f MB，超过上限 %(limit)d MB。请拆分后分批导入。")
            % {"size": size / 1024 / 1024, "limit": settings.WUXIAO_UPLOAD_MAX_MB}
        )
    if size == 0:
        raise BadFile(_("文件是空的（0 字节），请重新选择文件。"))
    with path.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith(OLE_SIGNATURE):
            fh.seek(0)
            # An encrypted OOXML workbook is a CFB container holding EncryptionInfo/EncryptedPackage.
            if "EncryptionInfo".encode("utf-16-le") in fh.read(1024 * 1024):
                raise BadFile(
                    _("工作簿设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入。")
                )
            return "xls"
    if head.startswith(ZIP_SIGNATURE):
        return _check_zip(path)
    if head.startswith(b"%PDF"):
        raise BadFile(_("这是 PDF 文件，不是表格。请上传 %(f)s 文件。") % {"f": FORMATS_TEXT})
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"  # Excel's "Unicode text": tab-separated UTF-16
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text[:1] == b"<":
        raise BadFile(
            _(
                "这是网页（HTML）或 XML 文件，不是真正的 Excel 工作簿（有的系统导出的 .xls 其实是网页）。"
                "请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入。"
            )
        )
    if b"\0" in head:
        raise BadFile(
            _("无法识别的文件格式：不是 Excel 工作簿，也不是文本表格。请上传 %(f)s 文件。")
            % {"f": FORMATS_TEXT}
        )
    return "csv"


# -- the book ---------------------------------------------------------------------------------------


@dataclass
class RawSheet:
    name: str
    rows: Iterator[list]  # every row from Excel row 1 (leading empty rows included)
    first_column: int
    height: int


class Book:
    """An opened, checked workbook of any accepted format: its sheet names and their rows."""

    def __init__(self, kind: str, path: Path, display_name: str = "") -> None:
        self.kind = kind
        self.path = path
        self.display_name = display_name or path.name
        self.notices: list[Notice] = []
        self._calamine = None
        self._csv_rows: list[list[str]] | None = None
        self.hidden: set[str] = set()
        if kind == "csv":
            self._csv_rows = _read_csv(path)
            self.sheet_names = [CSV_SHEET]
            return
        try:
            with path.open("rb") as fh:  # from the content: the stored name's suffix may not say it
                self._calamine = python_calamine.CalamineWorkbook.from_filelike(fh)
            self.sheet_names = list(self._calamine.sheet_names)
            for meta in self._calamine.sheets_metadata:
                if "Visible" not in str(meta.visible) or "WorkSheet" not in str(meta.typ):
                    self.hidden.add(meta.name)
        except python_calamine.PasswordError as exc:
            raise BadFile(_("工作簿设有密码保护，无法读取。请取消密码后再导入。")) from exc
        except (python_calamine.CalamineError, OSError, ValueError) as exc:
            raise _unreadable(kind, self.display_name) from exc
        if not self.sheet_names:
            raise BadFile(_("工作簿里没有任何工作表。"))

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES[self.kind]

    def sheet(self, name: str) -> RawSheet:
        if self._csv_rows is not None:
            rows = self._csv_rows
            return RawSheet(name, iter(rows), 0, len(rows))
        try:
            sheet = self._calamine.get_sheet_by_name(name)  # calamine parses the whole sheet here
            return RawSheet(
                name, iter(sheet.iter_rows()), sheet.start[1] if sheet.start else 0, sheet.total_height
            )
        except python_calamine.CalamineError as exc:
            raise BadFile(
                _("工作表“%(sheet)s”无法读取，文件可能已损坏，请重新保存后再上传。") % {"sheet": name}
            ) from exc

    def close(self) -> None:
        if self._calamine is not None:
            try:
                self._calamine.close()
            except python_calamine.WorkbookClosed:
                pass
            self._calamine = None
        self._csv_rows = None

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def no_data_error(sheet: str, notices: Iterable[Notice]) -> BadFile:
    """A sheet whose rows were all left out (or that has none): the message says which rows and why."""
    said = [n.message for n in notices if n.sheet == sheet and "已跳过" in n.message]
    if said:
        return BadFile(
            _("工作表“%(sheet)s”没有可导入的数据行：%(why)s") % {"sheet": sheet, "why": " ".join(said)}
        )
    return BadFile(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": sheet})


def _unreadable(kind: str, name: str) -> BadFile:
    if name.lower().endswith(".et"):
        return BadFile(_("这是 WPS 表格（.et）文件，无法直接读取。请在 WPS 中“另存为” .xlsx 格式后再导入。"))
    return BadFile(
        _(
            "文件是 %(kind)s 格式，但已损坏或不完整，无法读取。"
            "请用 Excel 或 WPS 打开后重新保存（或另存为 .xlsx）再上传。"
        )
        % {"kind": FORMAT_NAMES[kind]}
    )


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK and GB2312 too
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFile(
        _(
            "CSV 文件的文字编码无法识别（不是 UTF-8，也不是 GBK/GB18030）。"
            "请在 Excel 中另存为 .xlsx 或“CSV UTF-8”再导入。"
        )
    )


def _read_csv(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    if "\0" in text:
        raise BadFile(
            _("无法识别的文件格式：不是 Excel 工作簿，也不是文本表格。请上传 %(f)s 文件。")
            % {"f": FORMATS_TEXT}
        )
    sample = text[:8192]
    delimiter = max((",", "\t", ";"), key=lambda d: sample.count(d)) if sample else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise BadFile(_("CSV 文件格式有误（%(e)s），请在 Excel 中重新保存后再导入。") % {"e": exc}) from exc


def open_workbook(path: Path, *, display_name: str = "") -> Book:
    """detect_format, then open the file; BadFile with one clear message if it cannot be read.
    The caller closes the book (or uses it in a `with` block)."""
    path = Path(path)
    return Book(detect_format(path), path, display_name)


# -- finding the sheet and its header ----------------------------------------------------------------


@dataclass
class _Header:
    row: int  # Excel row number
    cells: list
    found: dict[str, int]
    extra: list[str]
    missing: list[str]


def _text(cell: object) -> str:
    return cell.strip() if type(cell) is str else ("" if cell is None else str(cell))


def _is_blank(row: list) -> bool:
    return all((c.strip() == "") if type(c) is str else c is None for c in row)


def _search_header(raw: RawSheet, spec: SheetSpec) -> tuple[list[_Header], _Header | None, list[list]]:
    """Read at most HEADER_SEARCH_ROWS rows: (rows holding every required column, the best other row,
    the rows read)."""
    top = list(itertools.islice(raw.rows, HEADER_SEARCH_ROWS))
    candidates, best = [], None
    for number, row in enumerate(top, start=1):
        if _is_blank(row):
            continue
        found, extra, missing = match_headers(row, spec.columns, spec.aliases)
        header = _Header(number, row, found, extra, missing)
        if not missing:
            candidates.append(header)
        elif found and (best is None or len(found) > len(best.found)):
            best = header
    return candidates, best, top


def _abbrev(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown + (_("等共 %(n)d 行") % {"n": len(numbers)} if len(numbers) > 10 else "")


def _two_headers(name: str, spec: SheetSpec, candidates: list[_Header]) -> BadFile:
    return BadFile(
        _(
            "工作表“%(sheet)s”第%(a)d行和第%(b)d行都像表头（都含有%(cols)s），无法确定从哪一行读起。请删除多余的一行后再导入。"
        )
        % {
            "sheet": name,
            "a": candidates[0].row,
            "b": candidates[1].row,
            "cols": "、".join(c.header for c in spec.columns if c.required),
        }
    )


def _no_header(name: str, spec: SheetSpec, best: _Header | None) -> BadFile:
    if best is not None:
        return BadFile(
            _("工作表“%(sheet)s”第%(row)d行（表头）缺少必填列：%(cols)s。请使用模板中的列名。")
            % {"sheet": name, "row": best.row, "cols": "、".join(best.missing)}
        )
    return BadFile(
        _("工作表“%(sheet)s”前 %(n)d 行中找不到表头：须有列%(cols)s。请使用模板中的列名。")
        % {
            "sheet": name,
            "n": HEADER_SEARCH_ROWS,
            "cols": "、".join(f"“{c.header}”" for c in spec.columns if c.required),
        }
    )


def read_sheet(
    book: Book, spec: SheetSpec, *, required: bool = True, taken: Iterable[str] = ()
) -> SheetRows | None:
    """The sheet of `book` that `spec` describes, its header found and its rows read lazily; None when it
    is absent and not required. Notices (提示) go to book.notices.

    The sheet: the one named spec.name (or one of spec.other_names); else the one visible sheet (not in
    `taken`) whose first rows hold a header with every required column — several such sheets is an error.
    """
    names = [n for n in (spec.name, *spec.other_names) if n in book.sheet_names]
    if names:
        raw = book.sheet(names[0])
        candidates, best, top = _search_header(raw, spec)
        if not candidates:
            if _is_empty(top):
                if not required:
                    return None
                raise BadFile(_("工作表“%(sheet)s”是空的，没有表头和数据。") % {"sheet": raw.name})
            raise _no_header(raw.name, spec, best)
    else:
        taken = set(taken)
        matches, first_miss = [], None
        for name in book.sheet_names:
            if name in taken or name in book.hidden:
                continue
            raw = book.sheet(name)
            candidates, best, top = _search_header(raw, spec)
            if candidates:
                matches.append((raw, candidates, top))
            elif first_miss is None and not _is_empty(top):
                first_miss = (name, best)
        if len(matches) > 1:
            raise BadFile(
                _(
                    "工作表%(sheets)s都有“%(want)s”的表头，无法确定导入哪一个。请把要导入的工作表命名为“%(want)s”，或删除其余的。"
                )
                % {"sheets": "、".join(f"“{m[0].name}”" for m in matches), "want": spec.name}
            )
        if not matches:
            if not required:
                return None
            if first_miss is None:
                raise BadFile(
                    _("工作表“%(sheet)s”是空的，没有表头和数据。")
                    % {"sheet": book.sheet_names[0] if book.kind != "csv" else CSV_SHEET}
                )
            raise _no_header(first_miss[0], spec, first_miss[1])
        raw, candidates, top = matches[0]
        if book.kind != "csv":
            book.notices.append(
                Notice(
                    raw.name,
                    _("没有名为“%(want)s”的工作表，已按表头读取工作表“%(got)s”。")
                    % {"want": spec.name, "got": raw.name},
                )
            )
    if len(candidates) > 1:
        raise _two_headers(raw.name, spec, candidates)
    header = candidates[0]
    return _sheet_rows(book, raw, spec, header, top)


def _is_empty(top: list[list]) -> bool:
    return all(_is_blank(row) for row in top)


def _sheet_rows(book: Book, raw: RawSheet, spec: SheetSpec, header: _Header, top: list[list]) -> SheetRows:
    notices = book.notices
    above = [n for n, row in enumerate(top[: header.row - 1], start=1) if not _is_blank(row)]
    if above:
        first = next(_text(c) for c in top[above[0] - 1] if _text(c))
        notices.append(
            Notice(
                raw.name,
                _("表头在第%(h)d行；其上的第%(rows)s行（标题、说明等，如“%(text)s”）已跳过。")
                % {"h": header.row, "rows": _abbrev(above), "text": first[:40]},
            )
        )
    serial = [i for i, c in enumerate(header.cells) if header_key(c) in SERIAL_HEADERS]
    extra = [e for e in header.extra if header_key(e) not in SERIAL_HEADERS]
    for i in serial:
        notices.append(
            Notice(
                raw.name,
                _("“%(h)s”列（%(l)s列）只是顺序号，已忽略。")
                % {"h": _text(header.cells[i]), "l": column_letter(i + raw.first_column)},
            )
        )
    if extra:
        notices.append(
            Notice(raw.name, _("以下列不在模板中，已忽略：%(cols)s。") % {"cols": "、".join(extra)})
        )
    width = max((i for i, c in enumerate(header.cells) if _text(c)), default=-1) + 1
    skipped = {"blank": [], "total": [], "sample": []}
    beyond: set[int] = set()

    def data() -> Iterator[tuple[int, list]]:
        number = header.row
        for row in itertools.chain(top[header.row :], raw.rows):
            number += 1
            kind = _row_kind(row)
            if kind is None:
                if len(row) > width and not _is_blank(row[width:]):
                    beyond.update(i for i in range(width, len(row)) if _text(row[i]))
                yield number, row
            elif kind != "empty":
                skipped[kind].append(number)
        # Said once the rows are read (the importers read every row before they report).
        messages = {
            "blank": _("第%(rows)s行只有空格，已当作空行跳过。"),
            "total": _("第%(rows)s行是合计/小计行，已跳过（合计不是经营数据）。"),
            "sample": _("第%(rows)s行是模板中的示例行（含“%(m)s”），已跳过。"),
        }
        for kind, rows in skipped.items():
            if rows:
                notices.append(Notice(raw.name, messages[kind] % {"rows": _abbrev(rows), "m": SAMPLE_MARKER}))
        if beyond:
            letters = "、".join(column_letter(i + raw.first_column) for i in sorted(beyond)[:10])
            notices.append(
                Notice(raw.name, _("表头右侧的%(cols)s列没有列名（辅助列），已忽略。") % {"cols": letters})
            )

    return SheetRows(
        name=raw.name,
        columns=header.found,
        headers=[_text(h) for h in header.cells],
        rows=data(),
        count=max(1, raw.height - header.row),
        extra=extra,
        first_column=raw.first_column,
        header_row=header.row,
        spec=spec,
    )


_SPACES = re.compile(r"[\s\u3000:：]+")


def _row_kind(row: list) -> str | None:
    """None for a data row; "empty" (nothing at all), "blank" (only spaces), "total" (合计/小计/总计) or
    "sample" (the template's sample row) for one the reader leaves out."""
    filled = spaces = False
    for cell in row:
        if type(cell) is str:
            if not cell:
                continue
            text = cell.strip()
            if not text:
                spaces = True
                continue
            filled = True
            if len(text) <= 8 and _SPACES.sub("", text) in TOTAL_WORDS:
                return "total"
            if SAMPLE_MARKER in text:
                return "sample"
        elif cell is not None:
            filled = True
    if filled:
        return None
    return "blank" if spaces else "empty"
