"""The three imports (roster, ledger lines, lab results) read files as offices really keep them (issue 16).

Each import gets the same kind of sheet — a merged title, a note, a blank row, a 序号 column, headers over
two lines, numbers stored as numbers, dates typed as text in several forms, rows of spaces, a 合计 row and
a helper column — saved as .xlsx, converted to .xls and .ods by LibreOffice, and written as .csv (UTF-8
with and without BOM, GBK). Every format imports with the same result and the same 提示; an export of the
roster re-saved in each format is, to a dry run, nothing to change. They share one reader (lib.workbook)
and these tests run the same cases for all three.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from campaigns.models import Business, Licence
from campaigns.roster_io.exporting import write_roster
from campaigns.roster_io.importing import roster_import
from inspections import sample_io
from inspections.choices import SampleKind
from inspections.models import Sample
from inspections.services import sampling
from ledgers.imports import ledger_import
from ledgers.models import LedgerEntry
from lib.workbook import BadFile
from tests import factories as f
from tests.office_books import (
    FORMATS,
    OfficeSheet,
    convert,
    in_every_format,
    text_date,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SAMPLED = TODAY - datetime.timedelta(days=20)

ROSTER_HEADER = ["单位名称", "类别", "村（社区）", "地址", "联系电话", "统一社会信用代码", "经营状态"]
# Today's header spellings: 证照名称 for 证照类型, 许可证号 for 证照编号.
LICENCE_HEADER = ["统一社会信用代码", "证照名称", "许可证号", "发证日期", "有效期至", "亮证"]


def roster_sheets(codes: list[str]) -> list[OfficeSheet]:
    businesses = [
        ["兴隆士多店", "小食杂店", "东村", "中心路18号", 13812345678, codes[0], "正常经营"],
        ["好味小炒", "餐饮店", "东村", "河边街2号", 13900001111, codes[1], "正常经营"],
        ["李记豆腐坊", "小作坊", "东村", "后巷5号", 13700002222, codes[2], "正常经营"],
    ]
    licences = [
        [codes[0], "营业执照", "JY001", text_date(0), text_date(1).replace("2020", "2030"), "是"],
        [
            codes[0],
            "食品经营许可证",
            "JY14406060000001",
            text_date(2),
            text_date(3).replace("2020", "2030"),
            "是",
        ],
        [codes[1], "营业执照", "JY002", text_date(4), "2030-01-05", "是"],
        [codes[1], "小餐饮登记证", "XCY0002", text_date(0), "2030年1月5日", "否"],
        [codes[2], "小作坊登记证", "ZF0003", text_date(1), "2030/1/5", "是"],
    ]
    return [
        OfficeSheet(
            "经营单位",
            ROSTER_HEADER,
            businesses,
            title="某某镇五小经营单位花名册（2026年）",
            note="填报日期：2026年3月1日",
            wrap={"统一社会信用代码", "村（社区）"},
        ),
        OfficeSheet("证照", LICENCE_HEADER, licences, title="证照登记表", wrap={"统一社会信用代码"}),
    ]


LEDGER_HEADER = [
    "类型",
    "日期",
    "品名",
    "商品类别",
    "数量",
    "单位",
    "批号",
    "登记证号",
    "供货方",
    "已索证",
    "已索票",
    "购货方（去向）",
]


def ledger_sheets() -> list[OfficeSheet]:
    purchase = (TODAY - datetime.timedelta(days=10)).strftime("%Y年%-m月%-d日")
    sale = (TODAY - datetime.timedelta(days=3)).strftime("%Y/%-m/%-d")
    rows = [
        [
            "进货",
            purchase,
            "复合肥",
            "肥料",
            20,
            "袋",
            2401,
            "粤农肥（2020）准字1234号",
            "金丰农资批发部",
            "是",
            "是",
            None,
        ],
        [
            "销售",
            sale,
            "复合肥",
            "肥料",
            2.5,
            "袋",
            2401,
            "粤农肥（2020）准字1234号",
            None,
            None,
            None,
            "陈志明",
        ],
        [
            "进货",
            (TODAY - datetime.timedelta(days=5)).strftime("%Y%m%d"),
            "尿素",
            "肥料",
            10,
            "千克",
            "B7",
            "",
            "金丰农资批发部",
            "否",
            "是",
            None,
        ],
    ]
    return [
        OfficeSheet(
            "台账", LEDGER_HEADER, rows, title="丰收农资店进销货台账", note="2026年度", wrap={"商品类别"}
        )
    ]


RESULT_HEADER = ["样品编号", "检验结果", "不合格项目", "检验日期", "处理方式", "整改期限", "移送部门"]


def result_sheets() -> list[OfficeSheet]:
    rows = [
        [
            "S-001",
            "合格",
            None,
            (TODAY - datetime.timedelta(days=2)).strftime("%Y年%-m月%-d日"),
            None,
            None,
            None,
        ],
        [
            "S-002",
            "不合格",
            "酸价超标",
            (TODAY - datetime.timedelta(days=2)).strftime("%Y.%-m.%-d"),
            "移送处理",
            None,
            "工商分局",
        ],
        [
            1003,
            "合格",
            None,
            (TODAY - datetime.timedelta(days=1)).strftime("%Y%m%d"),
            None,
            None,
            None,
        ],
    ]
    return [
        OfficeSheet("检验结果", RESULT_HEADER, rows, title="县食品检测中心检验结果通知", wrap={"检验日期"})
    ]


@pytest.fixture(scope="module")
def codes():
    from campaigns.validators import credit_code_check_char

    found = []
    for i in range(3):
        body = f"92440606MA4W1{i:04d}"
        found.append(body + credit_code_check_char(body))
    return found


@pytest.fixture(scope="module")
def files(tmp_path_factory, codes):
    """Every book in every format: LibreOffice runs twice for the module (to .xls, to .ods)."""
    return in_every_format(
        {"roster": roster_sheets(codes), "ledger": ledger_sheets(), "results": result_sheets()},
        tmp_path_factory.mktemp("office"),
    )


NOTICES = ("表头在第", "序号", "合计", "只有空格", "辅助列")


def said(notices: list[str], sheet: str) -> None:
    """The reader said, as 提示, each thing it left out of the sheet."""
    text = " ".join(notices)
    for word in NOTICES:
        assert word in text, (word, notices)


# -- roster ------------------------------------------------------------------------------------------


def roster_state():
    businesses = sorted(
        Business.objects.values_list(
            "name", "category__code", "village__name", "phone", "credit_code", "address"
        )
    )
    licences = sorted(
        Licence.objects.values_list(
            "business__credit_code", "licence_type__name", "number", "issued_on", "expires_on", "displayed"
        )
    )
    return businesses, licences


def import_roster(paths, **kw):
    results = [roster_import(path=p, file_name=p.name, **kw) for p in paths]
    for r in results:
        assert r.ok, (paths, r.file_error, r.errors)
    return results


@pytest.mark.parametrize("fmt", FORMATS)
def test_roster_imports_the_same_from_every_format(fmt, files, village, office):
    with transaction.atomic():
        results = import_roster(files["roster"][fmt], user=office)
        state = roster_state()
        transaction.set_rollback(True)
    businesses, licences = state
    assert [b[0] for b in businesses] == ["兴隆士多店", "好味小炒", "李记豆腐坊"] or len(businesses) == 3
    assert {b[3] for b in businesses} == {"13812345678", "13900001111", "13700002222"}  # numbers as numbers
    assert {b[1] for b in businesses} == {"grocery", "restaurant", "workshop"}
    assert len(licences) == 5
    assert {lic[1] for lic in licences} == {"营业执照", "食品经营许可证", "小餐饮登记证", "食品小作坊登记证"}
    assert {lic[3] for lic in licences} == {datetime.date(2020, 1, 5)}  # dates typed in five forms
    assert {lic[4] for lic in licences} == {datetime.date(2030, 1, 5)}
    for result in results:
        notices = [
            f"工作表“{w['sheet']}”：{w['message']}" if w["sheet"] else w["message"] for w in result.warnings
        ]
        said(notices, "")
        assert any("某某镇五小经营单位花名册" in n or "证照登记表" in n for n in notices)
    assert state == REFERENCE.setdefault("roster", state)


REFERENCE: dict = {}


def test_grocery_with_todays_licence_is_complete(files, village, office):
    """G1: the grocery holds 食品经营许可证, not the 食品流通许可证 §7 names — it counts (DOMAIN §8)."""
    import_roster(files["roster"]["xlsx"], user=office)
    from campaigns.selectors import missing_licence_exists
    from campaigns.services import licence_types_missing

    complete = set(Business.objects.licences_complete().values_list("name", flat=True))
    assert complete == {"兴隆士多店", "好味小炒"}  # SQL rule
    lacking = set(Business.objects.filter(missing_licence_exists()).values_list("name", flat=True))
    assert lacking == {"李记豆腐坊"}  # queryset rule
    annotated = {b.name: b.licences_complete for b in Business.objects.with_licence_status()}
    assert annotated == {"兴隆士多店": True, "好味小炒": True, "李记豆腐坊": False}
    # Python rule: the workshop's 卫生许可证 is met by its 食品小作坊登记证 (it has no 营业执照 on file).
    workshop = Business.objects.get(name="李记豆腐坊")
    assert [lt.name for lt in licence_types_missing(workshop)] == ["营业执照", "质量承诺书"]


@pytest.mark.parametrize("fmt", ["xls", "ods", "csv-gbk", "csv-utf8-bom"])
def test_an_export_resaved_in_any_format_is_nothing_to_change(fmt, tmp_path, files, village, office):
    import_roster(files["roster"]["xlsx"], user=office)
    export = tmp_path / "名册导出.xlsx"
    write_roster(Business.objects.all(), str(export))
    if fmt in ("xls", "ods"):
        paths = convert([export], fmt, tmp_path)
    else:
        book = load_workbook(export, read_only=True)
        paths = []
        for name in ("经营单位", "证照"):
            sheet = OfficeSheet(name, [], [], serial=False, total=False, blank_rows=0, helper=False)
            rows = [list(r) for r in book[name].iter_rows(values_only=True)]
            sheet.header, sheet.rows = [str(h) for h in rows[0]], rows[1:]
            paths.append(
                write_csv(tmp_path / f"{name}.csv", sheet, "gbk" if fmt == "csv-gbk" else "utf-8-sig")
            )
    for path in paths:
        out = io.StringIO()
        call_command("import_roster", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
        assert "新增单位 0，更新单位 0" in out.getvalue() and "新增证照 0，更新证照 0" in out.getvalue(), (
            out.getvalue()
        )


def test_command_prints_the_notices(files, village, office):
    out = io.StringIO()
    call_command(
        "import_roster", str(files["roster"]["xlsx"][0]), "--dry-run", stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert "提示 经营单位：表头在第4行" in text and "合计" in text and "检查通过" in text


# -- ledger --------------------------------------------------------------------------------------------


@pytest.fixture
def shop(village):
    return f.BusinessFactory(name="丰收农资店", category=f.category("agri"), village=village)


def ledger_state():
    return sorted(
        (e.direction, e.occurred_on, e.product_name, str(e.quantity), e.unit, e.batch)
        for e in LedgerEntry.objects.all()
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_ledger_imports_the_same_from_every_format(fmt, files, shop, office):
    (path,) = files["ledger"][fmt]
    with transaction.atomic():
        result = ledger_import(business=shop, data=path.read_bytes(), user=office, display_name=path.name)
        assert result.ok, result.errors
        state = ledger_state()
        transaction.set_rollback(True)
    assert result.created == 3 and len(state) == 3
    assert ("out", TODAY - datetime.timedelta(days=3), "复合肥", "2.500", "袋", "2401") in state
    said([str(n) for n in result.notices], "台账")
    assert state == REFERENCE.setdefault("ledger", state)


# -- lab results ---------------------------------------------------------------------------------------


@pytest.fixture
def samples(shop, office):
    for number in ("S-001", "S-002", "1003"):
        sampling.sample_register(
            sample=Sample(
                number=number,
                business=shop,
                kind=SampleKind.FOOD,
                product="散装菜籽油",
                quantity="1L",
                lab="县食品检测中心",
                sampled_on=SAMPLED,
            ),
            user=office,
        )


def results_state():
    return sorted(Sample.objects.values_list("number", "result", "result_on", "failing_items", "action"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_lab_results_import_the_same_from_every_format(fmt, files, samples, office):
    (path,) = files["results"][fmt]
    with transaction.atomic():
        result = sample_io.sample_results_import(path=path, user=office, display_name=path.name)
        assert result.ok, [str(e) for e in result.errors]
        state = results_state()
        transaction.set_rollback(True)
    assert len(result.updated) == 3 and result.failed == 1
    assert {s[2] for s in state} == {TODAY - datetime.timedelta(days=2), TODAY - datetime.timedelta(days=1)}
    said(result.warnings, "检验结果")
    assert state == REFERENCE.setdefault("results", state)


# -- the same bad cases for all three ------------------------------------------------------------------

IMPORTS = {
    "roster": (ROSTER_HEADER, "经营单位"),
    "ledger": (LEDGER_HEADER, "台账"),
    "results": (RESULT_HEADER, "检验结果"),
}


def run_import(kind, path, *, shop, office):
    """The import's outcome as (file error, [RowError-like (sheet, row, column, value, message)])."""
    if kind == "roster":
        result = roster_import(path=path, user=office)
        return result.file_error, [
            (e["sheet"], e["row"], e["letter"], e["value"], e["message"]) for e in result.errors
        ]
    try:
        if kind == "ledger":
            result = ledger_import(business=shop, data=path.read_bytes(), user=office, display_name=path.name)
        else:
            result = sample_io.sample_results_import(path=path, user=office)
    except BadFile as exc:
        return str(exc), []
    return "", [(e.sheet, e.row, e.column, e.value, e.message) for e in result.errors]


@pytest.mark.parametrize("kind", IMPORTS)
def test_two_header_rows_is_one_clear_error(kind, tmp_path, shop, office):
    header, name = IMPORTS[kind]
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.append(["说明"])
    ws.append(header)
    ws.append(header)
    book.save(tmp_path / "two.xlsx")
    error, _rows = run_import(kind, tmp_path / "two.xlsx", shop=shop, office=office)
    assert f"工作表“{name}”第2行和第3行都像表头" in error


@pytest.mark.parametrize("kind", IMPORTS)
def test_several_matching_sheets_is_one_clear_error_and_one_is_found_by_its_header(
    kind, tmp_path, shop, office
):
    header, name = IMPORTS[kind]
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(header)
    book.create_sheet("Sheet2").append(header)
    book.save(tmp_path / "two.xlsx")
    error, _rows = run_import(kind, tmp_path / "two.xlsx", shop=shop, office=office)
    assert "工作表“Sheet1”、“Sheet2”都有" in error and f"命名为“{name}”" in error
    del book["Sheet2"]
    book.create_sheet("填写说明", 0).append(["请按模板填写"])
    book.save(tmp_path / "one.xlsx")
    error, _rows = run_import(kind, tmp_path / "one.xlsx", shop=shop, office=office)
    assert "Sheet1" in error and "只有表头" in error  # found by its header, then read


@pytest.mark.parametrize("kind", IMPORTS)
def test_column_letters_are_right_when_leading_columns_are_blank(kind, tmp_path, shop, office):
    header, name = IMPORTS[kind]
    bad = {
        "roster": ["兴隆士多店", "不存在的类别", "东村"],
        "ledger": ["进货", TODAY.isoformat(), "尿素", "肥料", 0, "袋"],
        "results": ["S-404", "合格", None, TODAY.isoformat()],
    }[kind]
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.cell(row=2, column=3, value="标题")
    for col, text in enumerate(header, start=3):  # the header from column C, on Excel row 4
        ws.cell(row=4, column=col, value=text)
    for col, value in enumerate(bad, start=3):
        ws.cell(row=5, column=col, value=value)
    book.save(tmp_path / "shifted.xlsx")
    error, rows = run_import(kind, tmp_path / "shifted.xlsx", shop=shop, office=office)
    assert not error
    expected = {"roster": "D", "ledger": "G", "results": "C"}[kind]  # 类别 / 数量 / 样品编号
    assert rows and rows[0][0] == name and rows[0][1] == 5 and expected in rows[0][2], rows


@pytest.mark.parametrize("kind", IMPORTS)
def test_unreadable_et_file_says_save_as_xlsx(kind, tmp_path, shop, office):
    path = tmp_path / "名册.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    if kind == "roster":
        result = roster_import(path=path, user=office, file_name="名册.et")
        error = result.file_error
    elif kind == "ledger":
        with pytest.raises(BadFile) as caught:
            ledger_import(business=shop, data=path.read_bytes(), user=office, display_name=path.name)
        error = str(caught.value)
    else:
        with pytest.raises(BadFile) as caught:
            sample_io.sample_results_import(path=path, user=office, display_name=path.name)
        error = str(caught.value)
    assert "WPS 表格（.et）" in error and "另存为” .xlsx" in error


@pytest.mark.parametrize("kind", IMPORTS)
def test_a_sheet_of_only_the_template_sample_row_imports_nothing(kind, tmp_path, shop, office):
    header, name = IMPORTS[kind]
    book = Workbook()
    ws = book.active
    ws.title = name
    ws.append(header)
    ws.append(["示例：导入前请删除本行"] + [None] * (len(header) - 1))
    book.save(tmp_path / "sample.xlsx")
    error, rows = run_import(kind, tmp_path / "sample.xlsx", shop=shop, office=office)
    assert "没有可导入的数据行" in error and "示例行" in error and not rows


# -- follow-on errors ----------------------------------------------------------------------------------


def test_licence_of_a_failed_business_row_points_at_that_row(tmp_path, codes, village, office):
    sheets = roster_sheets(codes)
    sheets[0].rows[1][1] = "不存在的类别"  # 好味小炒's row fails
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    result = roster_import(path=path, user=office)
    by_sheet = {(e["sheet"], e["row"]): e for e in result.errors}
    assert by_sheet[("经营单位", 6)]["letter"] == "C"  # 类别, right of the 序号 column; row 6 below the title
    follow = [e for e in result.errors if e["sheet"] == "证照"]
    assert {e["message"] for e in follow} == {"经营单位表第6行有错误，先改正该行。"}
    assert {e["row"] for e in follow} == {6, 7}
    assert not Business.objects.exists()


def test_sale_of_a_failed_purchase_row_points_at_that_row(tmp_path, shop, office):
    (sheet,) = ledger_sheets()
    sheet.rows[0][5] = "坨"  # the purchase's unit is wrong
    path = write_xlsx(tmp_path / "bad.xlsx", [sheet])
    result = ledger_import(business=shop, data=path.read_bytes(), user=office, display_name=path.name)
    messages = {e.row: e.message for e in result.errors}
    assert "坨" in messages[5] and messages[6] == "台账表第5行有错误，先改正该行。"
    assert not LedgerEntry.objects.exists()
