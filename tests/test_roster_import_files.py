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


def test_not_an_xlsx(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("单位名称,类别\n兴隆士多店,小食杂店\n", encoding="utf-8")
    assert "不是 Excel 工作簿" in import_error(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "没有工作簿内容" in import_error(path)


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


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE_SIGNATURE + bytes(4088))
    assert ".xls" in import_error(path)


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
    path.write_text("not a workbook")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=io.StringIO())
