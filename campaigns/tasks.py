"""Celery tasks of the campaigns app: thin wrappers that take ids and call a service."""

from celery import shared_task


@shared_task(acks_late=True)
def roster_import_task(record_id: int, dry_run: bool) -> str:
    """Preview (dry run) or import an uploaded roster workbook (issue 4: 100,000 rows in the background)."""
    from .roster_io.services import import_record_run

    return import_record_run(record_id=record_id, dry_run=dry_run).status
