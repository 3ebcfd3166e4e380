"""Audit rows for bulk writes: bulk_create/bulk_update send no signals, so the import writes LogEntry itself.

A small local helper; accounts/audit.py (another issue) is meant to hold the shared one — unify on merge.
The rows are inserted with one executemany (not 25,000 model instances through bulk_create): auditing
a 10,000-row import must not cost more than the import's own writes.
"""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

CREATE = LogEntry.Action.CREATE
UPDATE = LogEntry.Action.UPDATE
COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "timestamp",
    "additional_data",
)


def _text(value) -> str | None:
    return None if value is None else str(value)


class AuditBatch:
    """Collects audit rows shaped like auditlog's own (changes = {field: [old, new]} as text), then writes."""

    def __init__(self, *, actor, additional_data: dict | None = None) -> None:
        self.actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.additional_data = json.dumps(additional_data, ensure_ascii=False) if additional_data else None
        self.timestamp = timezone.now()
        self.rows: list[tuple] = []

    def add(self, *, model, pk: int, repr_text: str, action: int, changes: dict) -> None:
        content_type = ContentType.objects.get_for_model(model)  # cached after the first call
        payload = {k: [_text(a), _text(b)] for k, (a, b) in changes.items()}
        self.rows.append(
            (
                content_type.pk,
                str(pk),
                pk,
                repr_text[:1000],
                action,
                "",
                json.dumps(payload, ensure_ascii=False),
                self.actor_id,
                self.timestamp,
                self.additional_data,
            )
        )

    def write(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(LogEntry._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
        json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
        placeholders = ", ".join(
            f"%s{json_cast}" if c in ("changes", "additional_data") else "%s" for c in COLUMNS
        )
        timestamp = connection.ops.adapt_datetimefield_value(self.timestamp)
        rows = [(*row[:8], timestamp, row[9]) for row in self.rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
