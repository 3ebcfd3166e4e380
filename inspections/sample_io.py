"""Lab results in bulk (A5, D6): the office uploads the results that came back from the lab
(.xlsx, .xls, .ods or .csv).

The file goes through the roster import's safety checks and reader (lib.workbook: size,
not-xlsx, encrypted, corrupt, zip bomb, DTDs), every row is checked against the same rules as the
single result form (services.sampling.sample_result_apply), and only when every row is right is anything
written — one transaction: the results in one bulk update with their audit entries, and for each 责令整改
row the rectification order through the visits' order service, as the single form does. Otherwise
nothing is written and each error names the sheet, the row, the column and the value, in Chinese.

Queries: a constant number for the whole file (samples, departments, one update, one audit insert),
plus what order_issue costs for each 责令整改 row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from accounts.audit import record_bulk
from accounts.scoping import scope
from campaigns.models import Department
from campaigns.roster_io.columns import ParseError, cell_text, lookup_key, parse_date
from lib import sheets
from lib.workbook import (
    BadFile,
    Column,
    RowError,
    SheetRows,
    SheetSpec,
    no_data_error,
    open_workbook,
    read_sheet,
)

from . import selectors
from .choices import SampleAction, SampleResult
from .models import Sample
from .services.sampling import sample_result_apply, sample_result_issue_order

SHEET = "检验结果"
MAX_ROWS = 5000
COLUMNS = (
    Column("样品编号", "number", required=True),
    Column("检验结果", "result", required=True),
    Column("不合格项目", "failing_items"),
    Column("检验日期", "result_on", required=True),
    Column("处理方式", "action"),
    Column("整改期限", "deadline"),
    Column("移送部门", "referral_department"),
    # A6: a vegetable residue sample's lab result
    Column("检出农药", "pesticide"),
    Column("检出值", "residue_value"),
    Column("限量值", "residue_limit"),
)
# Other spellings seen on lab sheets and in the single form.
ALIASES = {
    "抽样单编号": "样品编号",
    "样品编码": "样品编号",
    "检验结论": "检验结果",
    "结果": "检验结果",
    "结果日期": "检验日期",
    "报告日期": "检验日期",
    "农药名称": "检出农药",
    "检出值（mg/kg）": "检出值",
    "检出值(mg/kg)": "检出值",
    "限量值（mg/kg）": "限量值",
    "限量值(mg/kg)": "限量值",
    "最大残留限量": "限量值",
}
HEADERS = {c.field: c.header for c in COLUMNS}
RESULT_WORDS = {
    "合格": SampleResult.PASS,
    "不合格": SampleResult.FAIL,
    "pass": SampleResult.PASS,
    "fail": SampleResult.FAIL,
}
ACTION_WORDS = {
    "责令整改": SampleAction.RECTIFY,
    "整改": SampleAction.RECTIFY,
    "限期整改": SampleAction.RECTIFY,
    "移送处理": SampleAction.REFER,
    "移送": SampleAction.REFER,
}
WRITTEN = (
    "result", "result_on", "failing_items", "action", "order", "referral_department", "updated_at",
    "pesticide", "residue_value", "residue_limit",
)  # fmt: skip


@dataclass
class ImportResult:
    updated: list[Sample] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def failed(self) -> int:
        return sum(1 for s in self.updated if s.result == SampleResult.FAIL)


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)


class _Rollback(Exception):
    pass


def write_template(target: str | IO[bytes]) -> None:
    """The downloadable workbook: the headers (required ones in red), lists for 检验结果 and 处理方式,
    and a sheet that says how to fill it in; written by lib.sheets."""
    book = sheets.Book(target)
    sheet = book.sheet(
        SHEET,
        [c.header for c in COLUMNS],
        [18] * len(COLUMNS),
        title="抽检结果导入模板",
        required=[c.required for c in COLUMNS],
    )
    sheet.choices(1, ["合格", "不合格"], rows=MAX_ROWS)
    sheet.choices(4, ["责令整改", "移送处理"], rows=MAX_ROWS)
    notes = book.sheet("填写说明", ["填写说明"], [100], title="抽检结果导入模板")
    for line in (
        "每行一份样品的检验结果；样品须已在系统中登记（抽样时），按样品编号（抽样单编号）对应。",
        "检验结果：合格 或 不合格；检验日期：如 2026-03-05。",
        "不合格时须填写：不合格项目、处理方式（责令整改 或 移送处理）；",
        "责令整改须填写整改期限（今天以后），且样品须关联抽样时的检查；移送处理须填写移送部门（部门名称或简称）。",
        "蔬菜农残检测样品另填：检出农药、检出值、限量值（mg/kg）；不合格时检出农药必填（据此追溯售药门店）。",
        "全部行无误才会导入；有错误时一行也不写入，并列出每处错误的工作表、行、列和值。",
    ):
        notes.write([line])
    book.close()


SPEC = SheetSpec(SHEET, COLUMNS, ALIASES, other_names=("检验结果汇总", "检测结果"))


def read_rows(path: Path, *, display_name: str = "") -> tuple[SheetRows, list[Row], list[str]]:
    """(the sheet, rows, notices); BadFile when the file cannot be used. Read through the shared reader
    (lib.workbook): the header found below titles, 合计/blank/sample rows and a 序号 column left out."""
    with open_workbook(path, display_name=display_name) as book:
        sheet = read_sheet(book, SPEC)
        rows = []
        for number, cells in sheet.rows:
            rows.append(Row(number, {f: cell_text(v) for f, v in sheet.values(cells).items()}))
            if len(rows) > MAX_ROWS:
                raise BadFile(_("一次最多导入 %(n)d 行，请拆分后分批导入。") % {"n": MAX_ROWS})
        if not rows:
            raise no_data_error(sheet.name, book.notices)
        return sheet, rows, [str(n) for n in book.notices]


# The order service's fields as the sheet's columns; anything else is about the 处理方式 chosen.
ORDER_COLUMNS = {"deadline": "deadline", "reinspection_due_on": "deadline", "issued_on": "result_on"}


def _result_column(name: str) -> str:
    """The column a sample_result_apply error belongs to: its own column when the sheet has one; the
    sample itself (visit, business: what the 样品编号 designates) under 样品编号; the whole row otherwise."""
    if name in HEADERS:
        return name
    if name == NON_FIELD_ERRORS:
        return ""
    return "number"


def _keyed(exc: ValidationError) -> list[tuple[str, list[str]]]:
    return list(exc.message_dict.items()) if hasattr(exc, "error_dict") else [("", exc.messages)]


def _departments(user) -> dict[str, Department]:
    """The departments a row may name, by name, short name or code: the user's towns', the shared ones and
    the city's (issue 24: another town's same-named 派出所 is not theirs)."""
    found = {}
    for d in scoping.departments(user):
        for key in (d.name, d.short_name, d.code):
            if key:
                found.setdefault(lookup_key(key), d)
    return found


def _parse(row: Row, departments: dict[str, Department]) -> list[tuple[str, str]]:
    """Turn the row's text into values; returns (field, message) for what cannot be read."""
    errors = []
    cells, values = row.cells, row.values
    values["number"] = cells.get("number", "")
    if not values["number"]:
        errors.append(("number", _("必填，请填写样品编号（抽样单编号）。")))
    text = lookup_key(cells.get("result", ""))
    if not text:
        errors.append(("result", _("必填，请填写“合格”或“不合格”。")))
    elif text not in RESULT_WORDS:
        errors.append(("result", _("应填“合格”或“不合格”。")))
    else:
        values["result"] = RESULT_WORDS[text]
    for name, required in (("result_on", True), ("deadline", False)):
        try:
            values[name] = parse_date(cells.get(name, ""))
        except ParseError as exc:
            errors.append((name, str(exc)))
            continue
        if required and values[name] is None:
            errors.append((name, _("必填，请填写检验日期，如 2026-03-05。")))
    values["failing_items"] = cells.get("failing_items", "")
    text = lookup_key(cells.get("action", ""))
    values["action"] = ACTION_WORDS.get(text, "")
    if text and not values["action"]:
        errors.append(("action", _("应填“责令整改”或“移送处理”。")))
    values["pesticide"] = cells.get("pesticide", "")
    for name in ("residue_value", "residue_limit"):
        text = cells.get(name, "").strip()
        values[name] = None
        if text:
            try:
                values[name] = Decimal(text)
            except InvalidOperation:
                errors.append((name, _("应填数字，如 0.05。")))
                continue
            if not values[name].is_finite() or values[name] < 0:
                errors.append((name, _("应填不小于0的数字，如 0.05。")))
    text = lookup_key(cells.get("referral_department", ""))
    values["referral_department"] = departments.get(text) if text else None
    if text and values["referral_department"] is None:
        errors.append(("referral_department", _("找不到该部门，请填写部门名称或简称。")))
    return errors


def sample_results_import(*, path: Path, user, display_name: str = "") -> ImportResult:
    """Record every row's lab result, or none: see the module's docstring. Samples outside the user's
    scope read as unknown, as on the single form."""
    sheet, rows, warnings = read_rows(path, display_name=display_name)
    result = ImportResult(warnings=warnings)

    def error(row: Row, name: str, message) -> None:
        value = row.cells.get(name, "") if name else ""
        result.errors.append(RowError(sheet.name, row.number, sheet.column_label(name), value, str(message)))

    departments = _departments(user)
    readable: list[tuple[Row, bool]] = []  # (row, whether every cell could be read)
    first_row: dict[str, int] = {}
    for row in rows:
        problems = _parse(row, departments)
        for name, message in problems:
            error(row, name, message)
        number = row.values["number"]
        if number and number in first_row:
            error(row, "number", _("与第 %(n)d 行的样品编号重复。") % {"n": first_row[number]})
            continue
        if number:
            first_row[number] = row.number
            readable.append((row, not problems))
    try:
        with transaction.atomic():
            samples = {
                s.number: s
                # Write scope: a leader who is also a village's inspector records results for that village
                # only, though they read the whole town (as on the single result form).
                for s in scope(
                    user, selectors.sample_list(user=user), "business__", write=True, for_sampling=True
                )
                .select_for_update(of=("self",))
                .select_related("visit", "business__village")
                .filter(number__in=list(first_row))
            }
            checked = []
            now = timezone.now()
            for row, complete in readable:
                sample = samples.get(row.values["number"])
                if sample is None:
                    error(row, "number", _("找不到该样品，请核对检验报告上的编号（须先在系统中登记抽样）。"))
                    continue
                if not complete:
                    continue
                try:
                    sample_result_apply(sample, **{k: v for k, v in row.values.items() if k != "number"})
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        for message in messages:
                            error(row, _result_column(name), message)
                    continue
                sample.updated_at = now  # bulk_update does not apply auto_now
                checked.append((row, sample))
            if result.errors:
                raise _Rollback
            for row, sample in checked:
                if sample.action == SampleAction.RECTIFY:
                    try:
                        sample_result_issue_order(sample, user=user, deadline=row.values["deadline"])
                    except ValidationError as exc:
                        for name, messages in _keyed(exc):
                            for message in messages:
                                error(row, ORDER_COLUMNS.get(name, "action"), message)
            if result.errors:
                raise _Rollback
            updated = [sample for _row, sample in checked]
            Sample.objects.bulk_update(updated, WRITTEN)
            record_bulk(
                user,
                updated,
                "update",
                lambda s: {
                    "result": [SampleResult.PENDING, s.result],
                    "result_on": [None, s.result_on],
                    **({"failing_items": ["", s.failing_items]} if s.failing_items else {}),
                    **({"action": ["", s.action]} if s.action else {}),
                    **({"pesticide": ["", s.pesticide]} if s.pesticide else {}),
                },
            )
            result.updated = updated
    except _Rollback:
        result.updated = []
    result.errors.sort(key=lambda e: e.row)
    return result
