"""Importing ledger lines from any sheet (.xlsx, .xls, .ods, .csv): the phone form's rules, all-or-none.

Every row is read into LedgerLineForm (field checks), then the valid rows go through
services.ledger_lines_build (rules needing other rows or the database). Any error anywhere → nothing is
saved, and each error says the sheet, the row, the column, the value and what is wrong, in Chinese.
The file goes through the roster import's safety checks and reader (lib.workbook: size,
not-xlsx, encrypted, corrupt, zip bomb, DTDs; python-calamine), as the lab-results import does; openpyxl
never touches uploads.
"""

from __future__ import annotations

import dataclasses
import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from lib import sheets
from lib.workbook import (
    SAMPLE_MARKER,
    BadFile,
    Column,
    Notice,
    RowError,
    SheetRows,
    SheetSpec,
    no_data_error,
    open_workbook,
    read_sheet,
)

from .choices import CertificateKind, Direction, ProductKind
from .forms import LedgerLineForm
from .services import LedgerLinesInvalid, ledger_lines_build, ledger_lines_create

MAX_ROWS = 5000
SHEET = "台账"

# Column header as in the template, field, and other headers people write for it.
COLUMNS = [
    ("类型", "direction", ("进货/销售", "进销", "方向")),
    ("日期", "occurred_on", ("进货日期", "销售日期", "交易日期")),
    ("品名", "product_name", ("产品名称", "商品名称", "名称")),
    ("规格", "specification", ("规格型号",)),
    ("商品类别", "kind", ("类别", "种类")),
    ("数量", "quantity", ()),
    ("单位", "unit", ()),
    ("批号", "batch", ("生产批号", "批次")),
    ("生产日期", "production_date", ()),
    ("保质期（天）", "shelf_life_days", ("保质期", "保质期天数")),
    ("有效期至", "expiry_date", ("到期日", "有效期")),
    ("登记证号", "registration_number", ("农药登记证号", "肥料登记证号")),
    ("供货方", "supplier_name", ("供货单位", "进货来源", "供应商")),
    ("供货方许可证号或信用代码", "supplier_code", ("供货方信用代码", "供货方许可证号")),
    ("已索证", "certificate_collected", ("索证",)),
    ("证明类型", "certificate_kind", ()),
    ("已索票", "invoice_collected", ("索票",)),
    ("购货方（去向）", "buyer_name", ("购货方", "去向", "销售去向")),
    ("备注", "note", ()),
]
REQUIRED = ("direction", "occurred_on", "product_name", "kind", "quantity", "unit")
CHOICE_LABELS = {
    "direction": {
        **{str(label): value for value, label in Direction.choices},
        "进": Direction.PURCHASE,
        "购进": Direction.PURCHASE,
        "售": Direction.SALE,
        "出": Direction.SALE,
        "售出": Direction.SALE,
    },
    "kind": {str(label): value for value, label in ProductKind.choices},
    "certificate_kind": {str(label): value for value, label in CertificateKind.choices},
}
TRUE = {"是", "有", "已", "√", "✓", "y", "yes", "true", "1"}
FALSE = {"否", "无", "未", "×", "n", "no", "false", "0", ""}


# For the shared reader: required columns, and the other headers as aliases of the template's.
READ_COLUMNS = tuple(Column(label, f, required=f in REQUIRED) for label, f, _others in COLUMNS)
ALIASES = {other: label for label, _f, others in COLUMNS for other in others}
SPEC = SheetSpec(SHEET, READ_COLUMNS, ALIASES, other_names=("进销货台账", "进货台账", "销售台账"))


def _cell(value) -> str:
    """A cell as the text the form reads: dates ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _form_data(cells: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Map labels to choice values and 是/否 to booleans; returns form data and errors (field, message)."""
    data, errors = {}, []
    for field, text in cells.items():
        if field in CHOICE_LABELS and text:
            labels = CHOICE_LABELS[field]
            value = labels.get(text) or (text if text in labels.values() else None)
            if value is None:
                errors.append(
                    (
                        field,
                        _("无法识别“%(v)s”，应为：%(opts)s。")
                        % {"v": text, "opts": "、".join(k for k in labels if len(k) > 1)},
                    )
                )
                continue
            data[field] = value
        elif field in ("certificate_collected", "invoice_collected"):
            lowered = text.lower()
            if lowered in TRUE:
                data[field] = "on"
            elif lowered not in FALSE:
                errors.append((field, _("应填“是”或“否”，实为“%(v)s”。") % {"v": text}))
        else:
            data[field] = text
    return data, errors


def read_rows(
    data: bytes, *, display_name: str = ""
) -> tuple[SheetRows, list[tuple[int, dict[str, str]]], list]:
    """(the sheet, [(Excel row number, field -> text)], notices) through the shared reader (lib.workbook):
    any accepted format, the header found below titles, blank/合计/sample rows and a 序号 column left out."""
    with tempfile.NamedTemporaryFile(suffix=Path(display_name).suffix[:10]) as tmp:  # the checks read a path
        tmp.write(data)
        tmp.flush()
        with open_workbook(Path(tmp.name), display_name=display_name) as book:
            sheet = read_sheet(book, SPEC)
            rows = []
            for number, cells in sheet.rows:
                rows.append((number, {f: _cell(v) for f, v in sheet.values(cells).items()}))
                if len(rows) > MAX_ROWS:
                    break
            notices = list(book.notices)
    if not rows:
        raise no_data_error(sheet.name, notices)
    if len(rows) > MAX_ROWS:
        raise BadFile(_("一次最多导入 %(n)d 行，本文件超过了，请拆分后导入。") % {"n": MAX_ROWS})
    return sheet, rows, notices


@dataclass
class ImportResult:
    created: int
    errors: list[RowError]
    notices: list[Notice] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _goods_key(cells: dict[str, str]) -> tuple[str, str]:
    """A purchase and the sales of its goods share the product and the batch (as typed, loosely)."""
    return (
        "".join(cells.get("product_name", "").split()).lower(),
        "".join(cells.get("batch", "").split()).lower(),
    )


def ledger_import(*, business, data: bytes, user, display_name: str = "") -> ImportResult:
    """Import a workbook's lines for one business: every row valid, or nothing saved."""
    sheet, rows, notices = read_rows(data, display_name=display_name)
    errors: list[RowError] = []

    def err(row_number, field, message, cells):
        column = sheet.column_label(field) if field else "—"
        errors.append(
            RowError(
                sheet.name, row_number, column or "—", cells.get(field, "") if field else "", str(message)
            )
        )

    lines, line_rows = [], []
    failed_purchases: dict[tuple[str, str], int] = {}  # goods of purchase rows with errors -> their row
    for row_number, cells in rows:
        before = len(errors)
        data_, mapping_errors = _form_data(cells)
        for field, message in mapping_errors:
            err(row_number, field, message, cells)
        form = LedgerLineForm(data=data_)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    err(row_number, None if field == "__all__" else field, message, cells)
        if len(errors) > before:
            if data_.get("direction") != Direction.SALE:
                failed_purchases.setdefault(_goods_key(cells), row_number)
            continue
        line = form.line()
        failed = failed_purchases.get(_goods_key(cells))
        if line.get("direction") == Direction.SALE and failed is not None:
            # Its purchase is in this file but has an error: say that, not "no purchase on record".
            message = _("%(s)s表第%(n)d行有错误，先改正该行。") % {"s": sheet.name, "n": failed}
            err(row_number, "product_name", message, cells)
            continue
        lines.append(line)
        line_rows.append((row_number, cells))
    try:
        if errors:
            ledger_lines_build(business=business, lines=lines, user=user)
        else:
            created = ledger_lines_create(business=business, lines=lines, user=user)
            return ImportResult(created=len(created), errors=[], notices=notices)
    except LedgerLinesInvalid as exc:
        for e in exc.line_errors:
            row_number, cells = line_rows[e.index]
            err(row_number, e.field, e.message, cells)
    errors.sort(key=lambda e: e.row)
    return ImportResult(created=0, errors=errors, notices=notices)


def template_workbook() -> bytes:
    """The import template: the header row, two example rows, and a sheet explaining the values."""
    from .choices import Unit

    book = sheets.Book()
    sheet = book.sheet(
        "台账",
        [label + ("*" if field in REQUIRED else "") for label, field, _others in COLUMNS],
        title="经营台账导入模板",
    )
    today = datetime.date.today()
    examples = [
        [
            "进货",
            today.isoformat(),
            "复合肥",
            "50千克/袋",
            "肥料",
            20,
            "袋",
            "B2401",
            "",
            "",
            "",
            "粤农肥（2020）准字1234号",
            "金丰农资批发部",
            "",
            "是",
            "合格证",
            "是",
            "",
            f"示例，{SAMPLE_MARKER}",
        ],
        [
            "销售",
            today.isoformat(),
            "复合肥",
            "50千克/袋",
            "肥料",
            2,
            "袋",
            "B2401",
            "",
            "",
            "",
            "粤农肥（2020）准字1234号",
            "",
            "",
            "",
            "",
            "",
            "新华村 陈志明",
            f"示例，{SAMPLE_MARKER}",
        ],
    ]
    for values in examples:
        sheet.write(values)
    notes = book.sheet("填写说明", ["填写说明"], [100], title="经营台账导入模板")
    lines = [
        "两行示例的备注列写有“导入前请删除本行”，导入时会跳过；可照着填写后删除。",
        "带 * 的列必填；一行一笔进货或销售；整个文件有任何一处错误，全部不导入，并列出出错的行和列。",
        "类型：进货 或 销售。日期：2026-03-01 或 2026/3/1，不能晚于今天。",
        "商品类别：" + "、".join(str(label) for _v, label in ProductKind.choices),
        "单位：" + "、".join(Unit.values) + "（kg、公斤 视为 千克）",
        "进货须填供货方；销售须填购货方（去向），且此前须有同品名、同批号的进货记录。",
        "农药填农药登记证号，肥料填肥料登记证号；缺少的会被标记。已索证、已索票：是 或 否。",
    ]
    for text in lines:
        notes.write([text])
    return book.close()
