"""The dashboard's periodic tasks in django-celery-beat: written idempotently, and a running beat notices."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from dashboard import schedule

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 8))


def _age_the_beat_stamp():
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": LONG_AGO})


def test_dashboard_schedule_command_is_idempotent_and_moves_the_beat_stamp():
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    _age_the_beat_stamp()
    out = io.StringIO()
    call_command("dashboard_schedule", stdout=out)
    assert "每周工作专报" in out.getvalue()
    assert (
        PeriodicTask.objects.count(),
        CrontabSchedule.objects.count(),
    ) == before  # migration 0002 wrote them
    assert PeriodicTasks.objects.get(ident=1).last_update > LONG_AGO


def test_install_with_historical_models_moves_the_beat_stamp():
    """As migration 0002 calls it: historical models skip the library's save hooks, install() bumps itself."""
    apps = MigrationExecutor(connection).loader.project_state().apps
    _age_the_beat_stamp()
    PeriodicTask.objects.filter(task="dashboard.tasks.weekly_bulletin").update(enabled=False)
    schedule.install(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )
    assert PeriodicTask.objects.get(task="dashboard.tasks.weekly_bulletin").enabled
    assert PeriodicTasks.objects.get(ident=1).last_update > LONG_AGO
