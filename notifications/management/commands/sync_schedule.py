"""python manage.py sync_schedule: write every app's declared periodic tasks to django-celery-beat."""

from lib.commands import BaseCommand
from lib.schedule import write_schedule


class Command(BaseCommand):
    help = "将各应用代码中声明的定时任务写入 django-celery-beat（可重复执行，不会重复创建）。"

    def handle(self, *args, **options):
        for name in write_schedule():
            self.stdout.write(f"定时任务已同步：{name}")
