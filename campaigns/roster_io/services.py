"""The import's life in the browser: upload → preview (dry run) → confirm → import, each a background job.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random name, tied to the user and session
that uploaded it, and is never served; it is deleted once imported.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.workbook import BadFile, max_upload_bytes

from ..models import ImportRecord, ImportStatus
from .importing import ImportResult, roster_import

IMPORT_DIR = "imports"


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_file(record: ImportRecord) -> Path:
    return import_dir() / (record.stored_path or "missing.xlsx")


def _store_upload(upload) -> str:
    """Copy an upload to a random name, refusing it as soon as it passes the size limit."""
    name = f"{secrets.token_urlsafe(24)}.xlsx"
    path = import_dir() / name
    written = 0
    with path.open("wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > max_upload_bytes():
                out.close()
                path.unlink(missing_ok=True)
                raise BadFile(
                    _("文件过大：超过上限 %(limit)d MB。请拆分后分批导入。")
                    % {"limit": settings.WUXIAO_UPLOAD_MAX_MB}
                )
            out.write(chunk)
    return name


STALE_AFTER = datetime.timedelta(days=1)


def import_files_cleanup() -> int:
    """Delete kept files of previews never confirmed (older than a day); the records stay as history."""
    stale = ImportRecord.objects.filter(created_at__lt=timezone.now() - STALE_AFTER).exclude(stored_path="")
    count = 0
    for record in stale.exclude(status__in=[ImportStatus.PREVIEWING, ImportStatus.IMPORTING]):
        (import_dir() / record.stored_path).unlink(missing_ok=True)
        record.stored_path = ""
        record.save(update_fields=["stored_path"])
        count += 1
    return count


@transaction.atomic
def import_record_create(*, user, session_key: str, upload) -> ImportRecord:
    """Keep the uploaded workbook and queue its preview (dry run)."""
    import_files_cleanup()
    record = ImportRecord.objects.create(
        user=user,
        session_key=session_key or "",
        file_name=Path(upload.name or "roster.xlsx").name[:255],
        stored_path=_store_upload(upload),
        status=ImportStatus.PREVIEWING,
        stage=_("排队等待预检"),
    )
    from ..tasks import roster_import_task

    transaction.on_commit(lambda: roster_import_task.delay(record.pk, True))
    return record


@transaction.atomic
def import_record_confirm(*, record: ImportRecord) -> ImportRecord:
    """Queue the real import of a previewed file without errors."""
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PREVIEWED or record.errors or record.message:
        raise ValueError(_("该文件尚未通过预检，不能导入。"))
    record.status = ImportStatus.IMPORTING
    record.stage = _("排队等待导入")
    record.processed_rows = 0
    record.save(update_fields=["status", "stage", "processed_rows"])
    from ..tasks import roster_import_task

    transaction.on_commit(lambda: roster_import_task.delay(record.pk, False))
    return record


STAGES = {"read": "正在读取文件", "validate": "正在逐行校验", "write": "正在校验并写入名册"}


def import_record_run(*, record_id: int, dry_run: bool) -> ImportRecord:
    """Run a preview or an import for a record (the Celery task's body); progress goes into the record."""
    record = ImportRecord.objects.select_related("user").get(pk=record_id)

    # The import writes inside one long transaction; on PostgreSQL a second connection makes the
    # progress visible to the page meanwhile. (SQLite allows one writer: there it shows at commit.)
    side = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None

    def progress(stage: str, done: int, total: int) -> None:
        values = {"stage": STAGES.get(stage, stage), "processed_rows": done, "total_rows": total}
        if side is None:
            ImportRecord.objects.filter(pk=record_id).update(**values)
            return
        with side.cursor() as cursor:
            cursor.execute(
                "UPDATE campaigns_importrecord SET stage = %s, processed_rows = %s, total_rows = %s"
                " WHERE id = %s",
                [values["stage"], done, total, record_id],
            )

    path = stored_file(record)
    if not path.exists():
        result = ImportResult(dry_run=dry_run, file_error=_("暂存的文件已不存在，请重新上传。"))
    else:
        try:
            result = roster_import(
                path=path, user=record.user, dry_run=dry_run, progress=progress, file_name=record.file_name
            )
        except Exception:
            ImportRecord.objects.filter(pk=record_id).update(
                status=ImportStatus.FAILED, stage=_("处理出错"), message=_("处理文件时出错，未写入任何数据。")
            )
            raise
        finally:
            if side is not None:
                side.close()
    record.refresh_from_db()
    record.counts = result.counts
    record.errors = result.errors
    record.warnings = result.warnings
    record.changes = result.changes
    record.message = result.file_error
    record.total_rows = result.total_rows
    record.processed_rows = result.total_rows
    if result.file_error:
        record.status = ImportStatus.FAILED
        record.stage = _("文件无法导入")
    elif dry_run:
        record.status = ImportStatus.PREVIEWED
        record.stage = _("预检完成")
    elif result.ok:
        record.status = ImportStatus.IMPORTED
        record.stage = _("导入完成")
        record.imported_at = timezone.now()
    else:
        # The roster changed between preview and confirm: nothing was written; show the new errors.
        record.status = ImportStatus.PREVIEWED
        record.stage = _("导入前复核发现错误，未写入")
    record.save()
    if record.status == ImportStatus.IMPORTED:
        path.unlink(missing_ok=True)
    return record
