"""Issue 4 in the browser: upload → preview (a background job) → confirm → import, with progress."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Business, ImportRecord, ImportStatus
from campaigns.roster_io.services import stored_file
from campaigns.tasks import roster_import_task
from tests import factories as f
from tests import roster_books as rb

pytestmark = pytest.mark.django_db
UPLOAD = reverse("campaigns:roster_import")


def upload(client, path, django_capture_on_commit_callbacks):
    with path.open("rb") as fh, django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(UPLOAD, {"file": fh})
    return response, callbacks


def test_upload_keeps_the_file_privately_and_enqueues_the_preview_on_commit(
    tmp_path, village, office_client, django_capture_on_commit_callbacks
):
    path = rb.write_book(tmp_path / "名册.xlsx", [rb.business_row()])
    response, callbacks = upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:roster_import_detail", args=[record.pk]
    )
    assert len(callbacks) == 1  # roster_import_task.delay(record.pk, True), sent once the row is committed
    assert record.status == ImportStatus.PREVIEWING and record.file_name == "名册.xlsx"
    stored = stored_file(record)
    assert stored.exists() and stored.parent.name == "imports" and "名册" not in stored.name
    page = office_client.get(response["Location"])
    assert "import-progress" in page.content.decode()
    assert "office_user 于" in page.content.decode()  # no full name: the username
    record.user.first_name, record.user.last_name = "梁", "秀英"  # Chinese names: family name first
    record.user.save()
    page = office_client.get(response["Location"]).content.decode()
    assert "梁 秀英 于" in page and "office_user 于" not in page  # who uploaded it, by name
    progress = office_client.get(reverse("campaigns:roster_import_progress", args=[record.pk])).json()
    assert progress["running"] is True


def test_preview_then_confirm_writes(
    tmp_path, village, office, office_client, django_capture_on_commit_callbacks
):
    path = rb.write_book(tmp_path / "ok.xlsx", [rb.business_row(), rb.business_row(name="二号")])
    upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    assert roster_import_task(record.pk, True) == ImportStatus.PREVIEWED  # the task's body, synchronously
    assert Business.objects.count() == 0
    page = office_client.get(reverse("campaigns:roster_import_detail", args=[record.pk])).content.decode()
    assert 'id="count-created">2<' in page and "确认导入" in page
    progress = office_client.get(reverse("campaigns:roster_import_progress", args=[record.pk])).json()
    assert progress == {
        "status": "previewed",
        "running": False,
        "stage": "预检完成",
        "processed": 2,
        "total": 2,
        "percent": 100,
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = office_client.post(reverse("campaigns:roster_import_confirm", args=[record.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    assert roster_import_task(record.pk, False) == ImportStatus.IMPORTED
    record.refresh_from_db()
    assert Business.objects.count() == 2
    assert record.user == office and record.imported_at and record.counts["businesses_created"] == 2
    assert [c["name"] for c in record.changes] == ["兴隆士多店", "二号"]
    assert not stored_file(record).exists()  # deleted once imported


def test_preview_with_errors_cannot_be_confirmed_and_errors_download(
    tmp_path, village, office_client, django_capture_on_commit_callbacks
):
    path = rb.write_book(
        tmp_path / "bad.xlsx", [rb.business_row(), rb.business_row(name="坏", 联系电话="123")]
    )
    upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    roster_import_task(record.pk, True)
    page = office_client.get(reverse("campaigns:roster_import_detail", args=[record.pk])).content.decode()
    assert "联系电话格式不正确" in page and "确认导入" not in page
    response = office_client.post(reverse("campaigns:roster_import_confirm", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED and Business.objects.count() == 0

    download = office_client.get(reverse("campaigns:roster_import_errors", args=[record.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book["经营单位"].values)
    assert rows[0][0] == "原行号" and rows[0][-1] == "错误"
    assert len(rows) == 2 and rows[1][0] == 3 and rows[1][1] == "坏"
    assert "联系电话" in rows[1][-1]


def test_bad_file_shows_one_message(tmp_path, office_client, django_capture_on_commit_callbacks):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    assert roster_import_task(record.pk, True) == ImportStatus.FAILED
    page = office_client.get(reverse("campaigns:roster_import_detail", args=[record.pk])).content.decode()
    assert "前 15 行中找不到表头" in page


def test_upload_over_the_limit_is_refused_at_once(tmp_path, settings, office_client):
    settings.WUXIAO_UPLOAD_MAX_MB = 1
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(1024 * 1024 + 1))
    with path.open("rb") as fh:
        response = office_client.post(UPLOAD, {"file": fh})
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_another_user_cannot_see_an_import(
    tmp_path, village, client, office_client, django_capture_on_commit_callbacks
):
    path = rb.write_book(tmp_path / "ok.xlsx", [rb.business_row()])
    upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    other = f.user_with_role("office", "second_office")
    client.force_login(other)
    for name in ("roster_import_detail", "roster_import_progress", "roster_import_errors"):
        assert client.get(reverse(f"campaigns:{name}", args=[record.pk])).status_code == 404
    assert client.post(reverse("campaigns:roster_import_confirm", args=[record.pk])).status_code == 404


def test_who_may_import(client, leader, inspector):
    client.force_login(leader)
    assert client.get(UPLOAD).status_code == 404
    client.force_login(inspector)
    assert client.get(UPLOAD).status_code == 200


def test_roster_page_has_the_buttons(office_client, client, leader):
    page = office_client.get(reverse("campaigns:business_list"), {"status": "operating"}).content.decode()
    assert reverse("campaigns:roster_import") in page
    assert reverse("campaigns:roster_export") + "?status=operating" in page
    client.force_login(leader)
    page = client.get(reverse("campaigns:business_list")).content.decode()
    assert reverse("campaigns:roster_export") in page and reverse("campaigns:roster_import") not in page


def test_template_workbook(village, office_client):
    response = office_client.get(reverse("campaigns:roster_template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:2] == ["经营单位", "证照"]
    sheet = book["经营单位"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["单位名称", "类别", "子类", "村（社区）"]
    assert sheet.cell(row=2, column=2).value == "小食杂店"
    validated = {str(dv.sqref).split(":")[0][0] for dv in sheet.data_validations.dataValidation}
    assert {"B", "D", "I"} <= validated  # 类别, 村（社区）, 经营状态
    options = book["选项"]
    assert options.sheet_state == "hidden"
    assert "东村" in [c.value for c in options["A"]]  # the lists, one after another


def test_files_of_old_unconfirmed_previews_are_deleted(
    tmp_path, village, office_client, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from campaigns.roster_io.services import import_files_cleanup

    path = rb.write_book(tmp_path / "ok.xlsx", [rb.business_row()])
    upload(office_client, path, django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    roster_import_task(record.pk, True)
    kept = stored_file(record)
    assert import_files_cleanup() == 0 and kept.exists()
    ImportRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert import_files_cleanup() == 1
    assert not kept.exists()
    record.refresh_from_db()
    assert record.stored_path == "" and record.counts["businesses_created"] == 1
