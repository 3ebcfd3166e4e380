"""The reminders' periodic tasks (lib.schedule writes every app's SCHEDULE to django-celery-beat)."""

from lib.schedule import Periodic

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
]
