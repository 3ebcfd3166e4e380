"""The dashboard's periodic tasks, declared in code and written to django-celery-beat by migration
0002 (and again, idempotently, by `python manage.py dashboard_schedule`). Times are Asia/Shanghai."""

# name, task, crontab (minute, hour, day_of_week)
SCHEDULE = [
    ("五小整治：每周工作专报", "dashboard.tasks.weekly_bulletin", ("0", "8", "1")),
    ("五小整治：夜间刷新目标趋势", "dashboard.tasks.refresh_snapshots", ("30", "1", "*")),
    # Only does work once a town is large enough for its figures to be kept (figures.town_matrix).
    ("五小整治：刷新已保存的目标数据", "dashboard.tasks.refresh_figures", ("*/5", "*", "*")),
]
TIMEZONE = "Asia/Shanghai"


def install(CrontabSchedule, PeriodicTask) -> None:
    """Create or update the entries; the models are passed in so a migration can use its historical ones.

    Then moves PeriodicTasks.last_update, which a running beat (DatabaseScheduler) polls to reload: historical
    models skip django-celery-beat's save hooks, so without this a beat misses the change (as
    notifications/schedule.write_schedule does). PeriodicTasks comes from the same registry as the models
    passed in, so a migration gets its historical one.
    """
    from django.utils import timezone

    PeriodicTasks = PeriodicTask._meta.apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, (minute, hour, day_of_week) in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
