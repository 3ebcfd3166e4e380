"""Issue 4, "Bad files": each gets one clear Chinese message, quickly, and nothing is written."""

import io
import zipfile

import pytest

from campaigns.models import Business
from campaigns.roster_io.importing import roster_import
from lib.workbook import OLE_SIGNATURE
from tests import roster_books as rb

pytestmark = pytest.mark.django_db


def import_error(path, user=None) -> str:
    result = roster_import(path=path, user=user, dry_run=False)
    assert not result.ok
    assert Business.objects.count() == 0
    return result.file_error


def test_text_is_read_as_csv_whatever_its_name(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("单位名称,类别\n兴隆士多店,小食杂店\n", encoding="utf-8")
    assert "工作表“CSV”第1行（表头）缺少必填列：村（社区）" in import_error(path)


def test_not_a_table(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"%PDF-1.4\n")
    assert "这是 PDF 文件，不是表格" in import_error(path)
    path.write_bytes(b"<html><table><tr><td>1</td></tr></table></html>")
    assert "网页（HTML）" in import_error(path)
    path.write_bytes(bytes(range(256)) * 4)
    assert "无法识别的文件格式" in import_error(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "这是 Word 文档（.docx），不是表格" in import_error(path)


def test_truncated_xlsx(tmp_path, village):
    good = rb.write_book(tmp_path / "good.xlsx", [rb.business_row()])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "已损坏或不完整" in import_error(path)


def test_corrupt_sheet_inside_a_valid_zip(tmp_path, village):
    good = rb.write_book(tmp_path / "good.xlsx", [rb.business_row()])
    path = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    message = import_error(path)
    assert "损坏" in message


def test_password_protected_workbook(tmp_path):
    # An encrypted OOXML workbook is an OLE compound file whose directory names EncryptionInfo.
    path = tmp_path / "locked.xlsx"
    body = bytearray(4096)
    body[:8] = OLE_SIGNATURE
    name = "EncryptionInfo".encode("utf-16-le")
    body[1024 : 1024 + len(name)] = name
    path.write_bytes(bytes(body))
    assert "密码" in import_error(path)


def test_unreadable_xls_and_et_name_their_format(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_SIGNATURE + bytes(4088))
    assert "文件是 Excel 97–2003 工作簿（.xls） 格式，但已损坏或不完整" in import_error(path)
    path = tmp_path / "wps.et"
    path.write_bytes(OLE_SIGNATURE + bytes(4088))
    result = roster_import(path=path, file_name="wps.et")
    assert "WPS 表格（.et）" in result.file_error and "另存为” .xlsx" in result.file_error


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "空的" in import_error(path)


def test_empty_sheet(tmp_path):
    path = rb.write_book(tmp_path / "blank.xlsx", [], headers=[])
    assert "工作表“经营单位”是空的" in import_error(path)


def test_header_only(tmp_path):
    path = rb.write_book(tmp_path / "header.xlsx", [])
    assert "只有表头" in import_error(path)


def test_missing_required_column(tmp_path, village):
    headers = [h for h in rb.BUSINESS_HEADERS if h not in ("类别", "村（社区）")]
    path = rb.write_book(tmp_path / "cols.xlsx", [rb.business_row()], headers=headers)
    message = import_error(path)
    assert "缺少必填列：类别、村（社区）" in message and "第1行" in message


def test_over_the_size_limit(tmp_path, settings):
    settings.WUXIAO_UPLOAD_MAX_MB = 1
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(1024 * 1024 + 10))
    message = import_error(path)
    assert "文件过大" in message and "1 MB" in message


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "压缩炸弹" in import_error(path)


def test_xml_entities_are_refused(tmp_path, village):
    good = rb.write_book(tmp_path / "good.xlsx", [rb.business_row()])
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            dst.writestr(item, data)
    assert "DTD" in import_error(path)


def test_bad_file_through_the_command(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(CommandError, match="这是 PDF 文件"):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_encrypted_ods_and_an_undecodable_csv_are_one_clear_message(tmp_path):
    path = tmp_path / "locked.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", '<manifest:encryption-data manifest:checksum="x"/>')
    assert "已加密" in import_error(path)
    path = tmp_path / "roster.csv"
    path.write_bytes(b"name,\xff\xff\xff\n")
    assert "文字编码无法识别" in import_error(path)


def test_csv_in_gbk_and_utf8_with_or_without_bom_reads_the_same(tmp_path, village):
    text = "单位名称,类别,村（社区）\n兴隆士多店,小食杂店,东村\n"
    results = []
    for encoding in ("gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"):
        path = tmp_path / f"roster-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        result = roster_import(path=path, dry_run=True)
        assert result.ok, (encoding, result.file_error, result.errors)
        results.append(result.counts)
    assert all(r == results[0] for r in results) and results[0]["businesses_created"] == 1
