"""python manage.py dashboard_schedule: (re)write the dashboard's periodic tasks to django-celery-beat."""

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from dashboard import schedule
from lib.commands import BaseCommand


class Command(BaseCommand):
    help = "写入看板的定时任务（每周工作专报、夜间刷新目标趋势）。"

    def handle(self, *args, **options):
        schedule.install(CrontabSchedule, PeriodicTask)
        for name, task, _cron in schedule.SCHEDULE:
            self.stdout.write(f"{name}：{task}")
