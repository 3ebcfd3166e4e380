"""Audit rows for bulk writes: bulk_create/bulk_update send no signals, so the import writes LogEntry itself.

A small local helper; accounts/audit.py (another issue) is meant to hold the shared one — unify on merge.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

BATCH = 2000


def log_entry(
    *,
    instance: models.Model,
    repr_text: str,
    action: int,
    changes: dict,
    actor,
    additional_data: dict | None = None,
) -> LogEntry:
    """An unsaved LogEntry shaped like auditlog's own: changes is {field: [old, new]} as text."""
    return LogEntry(
        content_type=ContentType.objects.get_for_model(type(instance)),  # cached after the first call
        object_pk=str(instance.pk),
        object_id=instance.pk,
        object_repr=repr_text[:1000],
        action=action,
        changes={
            k: [None if a is None else str(a), None if b is None else str(b)] for k, (a, b) in changes.items()
        },
        changes_text="",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data=additional_data,
    )


def log_entries_bulk(entries: list[LogEntry]) -> None:
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)


CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE
