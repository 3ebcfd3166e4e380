"""Excel import of ledger lines: same rules as the form, row-level errors, all or nothing."""

import datetime
import io

import pytest
import xlsxwriter
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ledgers.imports import BadFile, ledger_import
from ledgers.models import LedgerAlert, LedgerEntry
from tests import factories as f

HEADER = [
    "类型",
    "日期",
    "品名",
    "规格",
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


def workbook(rows, header=HEADER, sheet="台账") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, text in enumerate(header):
        ws.write(0, col, text)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(value.year, value.month, value.day), date_format)
            elif value is not None:
                ws.write(r, c, value)
    book.close()
    return out.getvalue()


def day(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def shop(db):
    return f.BusinessFactory(name="丰收农资店", category=f.category("agri"))


@pytest.fixture
def clerk(db):
    return f.UserFactory(username="clerk")


GOOD = [
    [
        "进货",
        day(10),
        "复合肥",
        "50千克/袋",
        "肥料",
        20,
        "袋",
        "B1",
        "粤农肥（2020）准字1234号",
        "金丰批发部",
        "是",
        "是",
        None,
    ],
    ["进货", day(9).isoformat(), "尿素", None, "肥料", 10.5, "kg", 2401, None, "金丰批发部", "否", "√", None],
    [
        "销售",
        day(5).strftime("%Y/%m/%d"),
        "复合肥",
        None,
        "肥料",
        2,
        "袋",
        "B1",
        None,
        None,
        None,
        None,
        "陈志明",
    ],
    ["进货", day(4), "多灭磷", None, "农药", 3, "瓶", None, None, "流动商贩", "否", "否", None],
]


def test_valid_workbook_imports_every_row_with_audit_rows(shop, clerk):
    result = ledger_import(business=shop, data=workbook(GOOD), user=clerk)
    assert result.ok and result.created == 4
    urea = LedgerEntry.objects.get(product_name="尿素")
    assert (urea.unit, str(urea.quantity), urea.batch) == ("千克", "10.500", "2401")
    assert urea.flag_no_registration and urea.flag_no_certificate and not urea.flag_no_invoice
    assert LedgerEntry.objects.get(direction="out").buyer_name == "陈志明"
    assert LedgerAlert.objects.get().banned_product.name == "甲胺磷"
    assert LogEntry.objects.filter(actor=clerk).count() == 4


def test_errors_name_sheet_row_column_value_and_nothing_is_saved(shop, clerk):
    rows = [
        GOOD[0],
        ["进货", day(3), "尿素", None, "肥料", 0, "袋", None, None, "金丰批发部", "是", "是", None],
        ["进货", day(3), "尿素", None, "肥料", 5, "坨", None, None, "金丰批发部", "是", "是", None],
        ["销售", day(2), "有机肥", None, "肥料", 1, "袋", "Z9", None, None, None, None, "李国强"],
        ["进货", day(-3), "尿素", None, "肥料", 5, "袋", None, None, "金丰批发部", "是", "是", None],
        ["进出", day(3), "尿素", None, "化肥类", 5, "袋", None, None, "金丰批发部", "也许", "是", None],
    ]
    result = ledger_import(business=shop, data=workbook(rows), user=clerk)
    assert not result.ok and result.created == 0
    assert LedgerEntry.objects.count() == 0
    assert not LogEntry.objects.get_for_model(LedgerEntry).exists()
    found = {(e.row, e.column.split("（")[1].removesuffix("列）"), e.value) for e in result.errors}
    assert (3, "F", "0") in found  # quantity
    assert (4, "G", "坨") in found  # unit
    assert (5, "B", day(2).isoformat()) in found  # sale before any purchase of 有机肥 Z9
    assert (6, "B", day(-3).isoformat()) in found  # future
    assert {(7, "A", "进出"), (7, "E", "化肥类"), (7, "K", "也许")} <= found
    assert all(e.sheet == "台账" for e in result.errors)
    messages = {e.row: e.message for e in result.errors}
    assert "数量必须大于0" in messages[3] and "坨" in messages[4] and "没有进货记录" in messages[5]
    assert "晚于今天" in messages[6]


def test_missing_required_column_is_one_clear_message(shop, clerk):
    with pytest.raises(BadFile, match="缺少必填列：数量"):
        ledger_import(business=shop, data=workbook([GOOD[0][:5]], header=HEADER[:5]), user=clerk)


def test_not_an_xlsx_file(shop, clerk):
    with pytest.raises(BadFile, match="找不到表头"):  # text is read as CSV, whatever its name
        ledger_import(business=shop, data=b"name,qty\n", user=clerk)
    with pytest.raises(BadFile, match="PDF"):
        ledger_import(business=shop, data=b"%PDF-1.4\n", user=clerk)


def test_import_page_shows_row_errors(client, shop, office):
    client.force_login(office)
    bad = workbook(
        [["进货", day(3), "尿素", None, "肥料", -1, "袋", None, None, "金丰批发部", "是", "是", None]]
    )
    response = client.post(
        reverse("ledgers:import", args=[shop.pk]), {"file": SimpleUploadedFile("l.xlsx", bad)}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "未导入任何记录" in html and "数量必须大于0" in html
    good = SimpleUploadedFile("l.xlsx", workbook(GOOD[:3]))
    response = client.post(reverse("ledgers:import", args=[shop.pk]), {"file": good})
    assert response.status_code == 302 and LedgerEntry.objects.count() == 3


def test_bad_files_go_through_the_shared_workbook_checks(shop, clerk):
    """The ledger import reads through lib.workbook (as the lab results do): an encrypted
    workbook, a DTD in the XML and a truncated file are each one clear message, and nothing is saved."""
    import zipfile

    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600
    dtd = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(GOOD))) as good, zipfile.ZipFile(dtd, "w") as bad:
        for item in good.infolist():
            body = good.read(item)
            if item.filename == "xl/workbook.xml":
                body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body.split(b"?>", 1)[1]
            bad.writestr(item, body)
    for data, message in (
        (encrypted, "已加密"),
        (dtd.getvalue(), "DTD"),
        (workbook(GOOD)[:600], "损坏或不完整"),
        (b"", "文件是空的"),
    ):
        with pytest.raises(BadFile, match=message):
            ledger_import(business=shop, data=data, user=clerk)
    assert not LedgerEntry.objects.exists()


def test_header_below_blank_rows_and_right_of_a_blank_column_keeps_excel_rows_and_letters(shop, clerk):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("台账")
    rows = [HEADER, ["进货", day(3).isoformat(), "尿素", None, "肥料", 0, "袋", None, None, "金丰批发部"]]
    for r, row in enumerate(rows, start=2):  # header on Excel row 3, from column B
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.write(r, c, value)
    book.close()
    result = ledger_import(business=shop, data=out.getvalue(), user=clerk)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(4, "数量（G列）", "0")]
