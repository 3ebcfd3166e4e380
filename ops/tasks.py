"""Periodic tasks of running the site: beat's heartbeat and the nightly backup."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, expires=120)
def heartbeat() -> None:
    """Scheduled every minute by beat: the beat container's healthcheck reads the row this moves."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def nightly_backup() -> dict:
    """A dated archive of the database and the media folder; the oldest beyond WUXIAO_BACKUP_KEEP removed."""
    from .backup import backup_create, backups_prune

    archive = backup_create()
    removed = backups_prune()
    logger.info("backup written: %s (%d old archives removed)", archive.path.name, len(removed))
    return {"archive": archive.path.name, "tables": len(archive.manifest["tables"]), "removed": removed}
