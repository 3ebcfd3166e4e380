"""python manage.py send_due_reminders: one sweep by hand, for installations that prefer cron."""

from lib.commands import BaseCommand
from notifications.services import reminders_sweep


class Command(BaseCommand):
    help = "发送所有已到期且尚未发送的提醒（每条只发送一次，可重复执行）。"

    def handle(self, *args, **options):
        result = reminders_sweep()
        self.stdout.write(
            f"已发送 {result.sent} 条，已作废 {result.dropped} 条，已被其他进程领取 {result.taken} 条。"
        )
