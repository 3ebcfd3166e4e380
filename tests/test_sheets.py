"""lib.sheets, the one spreadsheet writer (issue 17, hardening #22): exports are formula-safe and print
well — A4 landscape, one page wide, the header repeated and frozen, an autofilter, a title and 数据截至
in the page header — and no module outside lib/sheets.py writes a workbook another way."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
EVIL = '=HYPERLINK("http://example.com/x","点我")'


def recent(**kw):
    data = line(**kw)
    data["occurred_on"] = timezone.localdate() - datetime.timedelta(days=kw.get("days_ago", 10))
    return data


def book_of(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture
def traced(office_client, village):
    shop = f.BusinessFactory(name="隔壁农资店", category=f.category("agri"), village=village)
    record(
        shop,
        recent(product="吡虫啉", kind="pesticide", batch="P1", days_ago=5),
        recent(direction="out", product="吡虫啉", kind="pesticide", batch="P1", days_ago=2, buyer_name=EVIL),
        today=timezone.localdate(),
    )
    url = reverse("ledgers:trace") + "?mode=forward&product=吡虫啉&batch=P1&export=xlsx"
    return book_of(office_client.get(url))


def test_trace_export_writes_a_formula_like_value_as_text(traced):
    sheet = traced.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == EVIL]
    assert cells, "the counterparty is in the export"
    assert all(c.data_type == "s" for c in cells)  # text, not a live =HYPERLINK formula


def assert_prints_well(sheet, *, header_row: int, title: str):
    setup = sheet.page_setup
    assert setup.paperSize == 9 and setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)  # 1 is the default, left out
    assert sheet.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert re.match(rf"A{header_row}:[A-Z]+\d+$", sheet.auto_filter.ref)
    assert title in sheet.oddHeader.left.text
    assert "数据截至" in (sheet.oddHeader.right.text or "")
    assert "&P" in sheet.oddFooter.center.text


def test_trace_export_prints_well(traced):
    sheet = traced.worksheets[0]
    header = next(r for r in range(1, 8) if sheet.cell(r, 1).value == "层级")
    assert_prints_well(sheet, header_row=header, title="正向追踪")


def test_roster_export_prints_well(office_client, village):
    f.BusinessFactory(name="农资店甲", village=village)
    book = book_of(office_client.get(reverse("campaigns:roster_export")))
    assert_prints_well(book["经营单位"], header_row=1, title="经营单位名册")
    assert_prints_well(book["证照"], header_row=1, title="经营单位证照")


def test_dashboard_export_prints_well(office_client, village):
    f.BusinessFactory(village=village)
    book = book_of(office_client.get(reverse("dashboard:export")))
    for sheet in book.worksheets:
        assert_prints_well(sheet, header_row=1, title="" if sheet.title == "说明" else "目标完成情况")


def test_ledger_template_goes_through_lib_sheets(office_client):
    book = book_of(office_client.get(reverse("ledgers:import_template")))
    assert book["台账"].page_setup.paperSize == 9 and book["台账"].freeze_panes == "A2"


# Writing a workbook: XlsxWriter's or openpyxl's Workbook, or a worksheet's write calls.
WRITERS = re.compile(
    r"xlsxwriter\.Workbook\(|openpyxl\.Workbook\(|from openpyxl import[^\n]*\bWorkbook\b|"
    r"\bWorkbook\(\)|\.add_worksheet\(|\.write_(?:row|string|number|datetime)\(|\.create_sheet\("
)


SKIPPED = {".venv", "tests", "bench", "node_modules", "static"}


def test_no_module_outside_lib_sheets_writes_a_workbook():
    """Every export and template goes through lib/sheets.py (tests and the benchmark's generator of
    input files are not exports)."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "bench", "node_modules"} or relative == Path(
            "lib/sheets.py"
        ):
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITERS.search(text):
                offenders.append(f"{relative}:{number}: {text.strip()}")
    assert not offenders, "\n".join(offenders)
