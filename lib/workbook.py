"""Reading uploaded workbooks safely: the checks, the header match, the rows, and RowError (issues 4, 15).

Model-free (docs/architecture.md): the apps define their sheets and columns (`Column`) and call in here.

Every check runs before any parsing: the size limit, the file's signature (an encrypted workbook is an
OLE/CFB file, not a zip), the zip's directory (truncated or corrupt), the uncompressed size and ratio
(zip bomb) and DTDs in the XML parts (entity expansion). python-calamine (Rust, no DTD processing) then
reads the cells; openpyxl is never used on uploads.
"""

from __future__ import annotations

import itertools
import unicodedata
import zipfile
from collections.abc import Iterable
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


@dataclass(frozen=True)
class Column:
    """One column of an imported sheet: its header as the template writes it, the field it fills."""

    header: str
    field: str
    required: bool = False


def header_key(text: object) -> str:
    """A header as compared: half-width, no spaces or asterisks, 【】 and 〔〕 read as brackets."""
    key = "".join(unicodedata.normalize("NFKC", str(text or "")).split()).replace("*", "")
    return key.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")


def match_headers(
    row: list, columns: tuple[Column, ...], aliases: dict[str, str] | None = None
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
    columns: dict[str, int]  # field -> column index
    headers: list[str]  # the header row as written (for the error workbook)
    rows: Iterable[tuple[int, list]]  # (row number in Excel, cells), read lazily
    count: int  # data rows (an upper bound: blank rows are skipped when read)
    extra: list[str] = field(default_factory=list)
    # Columns left of the sheet's first filled one are not in the rows: column index 0 is Excel column
    # first_column (0 = A); add it to an index to name the column as Excel does.
    first_column: int = 0


def max_upload_bytes() -> int:
    return settings.WUXIAO_UPLOAD_MAX_MB * 1024 * 1024


def check_file(path: Path) -> None:
    """Raise BadFile unless `path` looks like a safe, intact xlsx. Reads only the zip's directory."""
    size = path.stat().st_size
    if size > max_upload_bytes():
        raise BadFile(
            _("文件过大：%(size).1f MB，超过上限 %(limit)d MB。请拆分后分批导入。")
            % {"size": size / 1024 / 1024, "limit": settings.WUXIAO_UPLOAD_MAX_MB}
        )
    if size == 0:
        raise BadFile(_("文件是空的（0 字节），请重新选择文件。"))
    with path.open("rb") as fh:
        head = fh.read(8)
        if head.startswith(OLE_SIGNATURE):
            fh.seek(0)
            # An encrypted OOXML workbook is a CFB container holding EncryptionInfo/EncryptedPackage.
            if "EncryptionInfo".encode("utf-16-le") in fh.read(1024 * 1024):
                raise BadFile(
                    _("工作簿设有打开密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再导入。")
                )
            raise BadFile(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入。"))
    if not head.startswith(ZIP_SIGNATURE):
        raise BadFile(_("不是 Excel 工作簿（.xlsx）文件，请上传由 Excel 或 WPS 保存的 .xlsx 文件。"))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise BadFile(_("不是 Excel 工作簿（.xlsx）文件：压缩包里没有工作簿内容。"))
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
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise BadFile(_("文件已损坏或不完整（可能下载或复制时被截断），请重新保存后再上传。")) from exc


def _filled(row) -> bool:
    return any(c not in (None, "") for c in row)


def sheet_rows(book, sheet_name: str, columns, *, required: bool, aliases=None) -> SheetRows | None:
    """The header and the (lazily read) filled rows of one sheet of a book from open_book(); None when
    the sheet is absent or empty and not required. Also used by other imports (sampling's lab results).
    `aliases` maps other header spellings (as header_key gives them) to a column's header."""
    try:
        sheet = book.get_sheet_by_name(sheet_name)  # calamine parses the whole sheet here
        rows = iter(sheet.iter_rows())
    except python_calamine.WorksheetNotFound:
        return None
    except python_calamine.CalamineError as exc:
        raise BadFile(
            _("工作表“%(sheet)s”无法读取，文件可能已损坏，请重新保存后再上传。") % {"sheet": sheet_name}
        ) from exc
    # The header is the first row with anything in it (blank rows above it are skipped).
    header, header_number = None, 0
    for row in rows:
        header_number += 1
        if _filled(row):
            header = row
            break
    if header is None:
        if not required:
            return None
        raise BadFile(_("工作表“%(sheet)s”是空的，没有表头和数据。") % {"sheet": sheet_name})
    found, extra, missing = match_headers(header, columns, aliases)
    if missing:
        raise BadFile(
            _("工作表“%(sheet)s”第%(row)d行（表头）缺少必填列：%(cols)s。请使用模板中的列名。")
            % {"sheet": sheet_name, "row": header_number, "cols": "、".join(missing)}
        )

    def data():
        number = header_number
        for row in rows:
            number += 1
            if _filled(row):
                yield number, row

    lazy = data()
    first = next(lazy, None)
    if first is None:
        if required:
            raise BadFile(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": sheet_name})
        return None
    return SheetRows(
        name=sheet_name,
        columns=found,
        headers=["" if h is None else str(h) for h in header],
        rows=itertools.chain([first], lazy),
        count=max(1, sheet.total_height - header_number),
        extra=extra,
        first_column=sheet.start[1] if sheet.start else 0,
    )


def open_book(path: Path):
    """check_file, then open the workbook with python-calamine; BadFile with one clear message if it
    cannot be read. The caller closes the book (it can be closed once the sheets it needs are read)."""
    path = Path(path)
    check_file(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise BadFile(_("工作簿设有密码保护，无法读取。请取消密码后再导入。")) from exc
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise BadFile(_("文件已损坏或不完整，无法作为 Excel 工作簿打开，请重新保存后再上传。")) from exc
