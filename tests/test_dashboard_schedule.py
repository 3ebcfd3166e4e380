"""The periodic tasks of every app (lib.schedule) in django-celery-beat: one declaration per app, one
command, written idempotently (and by every migrate), and a running beat notices."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from dashboard import schedule
from lib.schedule import Periodic, declared, write_schedule
from notifications import schedule as reminder_schedule

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 8))


def _age_the_beat_stamp():
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": LONG_AGO})


def test_one_command_writes_every_apps_schedule_idempotently_and_moves_the_beat_stamp():
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    _age_the_beat_stamp()
    out = io.StringIO()
    call_command("sync_schedule", stdout=out)
    assert "每周工作专报" in out.getvalue() and "提醒：发送到期提醒" in out.getvalue()
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
    write_schedule(apps.get_model, schedule.SCHEDULE)
    assert PeriodicTask.objects.get(task="dashboard.tasks.weekly_bulletin").enabled
    assert PeriodicTasks.objects.get(ident=1).last_update > LONG_AGO


def test_every_apps_declaration_is_collected_once():
    names = [item.name for item in declared()]
    assert {item.name for item in schedule.SCHEDULE} <= set(names)
    assert {item.name for item in reminder_schedule.SCHEDULE} <= set(names)
    assert len(names) == len(set(names))
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= set(names)  # migrate wrote them


def test_a_periodic_needs_exactly_one_timing():
    with pytest.raises(ValueError):
        Periodic(name="x", task="t")
    with pytest.raises(ValueError):
        Periodic(name="x", task="t", every_seconds=60, crontab={"minute": "0"})
