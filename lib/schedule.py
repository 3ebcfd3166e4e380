"""Periodic tasks: declared in code by each app, written to django-celery-beat by one function.

Each app that runs something on a timer declares it in its own `schedule.py`::

    SCHEDULE = [Periodic(name="…", task="app.tasks.x", crontab={"minute": "30", "hour": "1"})]

`write_schedule()` collects every installed app's SCHEDULE and creates or updates the rows (a task is found
by its name, never duplicated); `python manage.py sync_schedule` runs it, and so does every `migrate`
(notifications' post_migrate hook), so a new declaration reaches beat with the deployment that brings it.
Times are Asia/Shanghai.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

TIMEZONE = "Asia/Shanghai"
_CRONTAB_DEFAULTS = {
    "minute": "*",
    "hour": "*",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
}


@dataclass(frozen=True)
class Periodic:
    """One periodic task: every `every_seconds`, or on a crontab (minute, hour, day_of_week, …)."""

    name: str
    task: str
    every_seconds: int | None = None
    crontab: dict | None = None
    description: str = ""

    def __post_init__(self):
        if (self.every_seconds is None) == (self.crontab is None):
            raise ValueError(f"{self.name}: give either every_seconds or crontab")


def declared() -> list[Periodic]:
    """Every installed app's `schedule.SCHEDULE`, in the order of INSTALLED_APPS."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    entries: list[Periodic] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "schedule"):
            entries += getattr(importlib.import_module(f"{config.name}.schedule"), "SCHEDULE", [])
    names = [e.name for e in entries]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"periodic task names declared twice: {sorted(duplicates)}")
    return entries


def write_schedule(get_model: Callable | None = None, entries: Iterable[Periodic] | None = None) -> list[str]:
    """Create or update the periodic tasks (default: every declared one); returns their names.

    `get_model(app_label, model_name)` lets a data migration pass its historical models. Then moves
    PeriodicTasks.last_update, which a running beat (DatabaseScheduler) polls to reload: historical models
    skip django-celery-beat's save hooks, so without this a beat would miss the change.
    """
    from django.utils import timezone

    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    entries = declared() if entries is None else list(entries)
    PeriodicTask = get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTasks = get_model("django_celery_beat", "PeriodicTasks")
    names = []
    for item in entries:
        defaults = {"task": item.task, "description": item.description, "enabled": True}
        if item.every_seconds:
            interval, _ = IntervalSchedule.objects.get_or_create(every=item.every_seconds, period="seconds")
            defaults.update(interval=interval, crontab=None)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                timezone=TIMEZONE, **{**_CRONTAB_DEFAULTS, **item.crontab}
            )
            defaults.update(crontab=crontab, interval=None)
        PeriodicTask.objects.update_or_create(name=item.name, defaults=defaults)
        names.append(item.name)
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return names
