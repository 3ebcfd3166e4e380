"""The periodic schedule, declared here and written to django-celery-beat (Asia/Shanghai).

`python manage.py sync_schedule` (and migration 0002) write it; both are idempotent: a task is found by
its name and updated in place, never duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass

TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: dict | None = None  # minute, hour, day_of_week, day_of_month, month_of_year
    description: str = ""


SCHEDULE = [
    Periodic(
        name="提醒：发送到期提醒",
        task="notifications.tasks.sweep_due_reminders",
        every_seconds=60,
        description="每分钟扫描到期的提醒行并发送（每条只发送一次）。",
    ),
    Periodic(
        name="提醒：夜间刷新证照状态并重排提醒",
        task="notifications.tasks.nightly_refresh",
        crontab={"minute": "30", "hour": "1", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        description="每天01:30：过期证照标记为已过期，重新计算全部提醒。",
    ),
    # Running the site (ops): the beat container's healthcheck reads the heartbeat row this task moves.
    Periodic(
        name="运维：beat 心跳",
        task="ops.tasks.heartbeat",
        every_seconds=60,
        description="每分钟更新心跳行；beat 容器的健康检查（manage.py beat_alive）读取它。",
    ),
    Periodic(
        name="运维：夜间备份",
        task="ops.tasks.nightly_backup",
        crontab={"minute": "30", "hour": "2", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
        description="每天02:30：备份数据库和媒体目录到 WUXIAO_BACKUP_DIR，只保留最新 WUXIAO_BACKUP_KEEP 份。",
    ),
]


def write_schedule(get_model=None) -> list[str]:
    """Create or update every declared periodic task; returns their names.

    `get_model(app_label, model_name)` lets a data migration pass its historical models.
    """
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    PeriodicTask = get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTasks = get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    names = []
    for item in SCHEDULE:
        defaults = {"task": item.task, "description": item.description, "enabled": True}
        if item.every_seconds:
            interval, _ = IntervalSchedule.objects.get_or_create(every=item.every_seconds, period="seconds")
            defaults.update(interval=interval, crontab=None)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(timezone=TIMEZONE, **item.crontab)
            defaults.update(crontab=crontab, interval=None)
        PeriodicTask.objects.update_or_create(name=item.name, defaults=defaults)
        names.append(item.name)
    # Beat's DatabaseScheduler reloads when this timestamp moves (historical models skip the signal).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return names
