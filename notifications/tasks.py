"""Celery tasks: thin, no arguments to lose; the Reminder rows are the truth, not the broker."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from campaigns.services import licences_refresh_expired

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_due_reminders() -> dict:
    """Send what is due. Repeats, retries and concurrent workers are safe (rows are claimed)."""
    from .services import reminders_sweep

    return asdict(reminders_sweep())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def nightly_refresh() -> dict:
    """Licences past expiry marked expired (and their businesses' state), then every reminder re-planned."""
    from .services import reminders_replan_all, reminders_sweep

    refreshed = licences_refresh_expired(today=timezone.localdate())
    planned = reminders_replan_all()
    swept = reminders_sweep()
    return {
        "licences_expired": refreshed.licences_expired,
        "businesses_rectifying": refreshed.businesses_rectifying,
        "planned": {name: asdict(r) for name, r in planned.items()},
        "swept": asdict(swept),
    }
