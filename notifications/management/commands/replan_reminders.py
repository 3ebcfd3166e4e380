"""python manage.py replan_reminders: the nightly refresh by hand (licence states, then every reminder)."""

from lib.commands import BaseCommand
from notifications.tasks import nightly_refresh


class Command(BaseCommand):
    help = "刷新证照过期状态并重新计算全部提醒（与每晚的定时任务相同）。"

    def handle(self, *args, **options):
        result = nightly_refresh.run()
        self.stdout.write(
            f"证照标记过期 {result['licences_expired']} 个，转为整改中 {result['businesses_rectifying']} 家；"
            f"提醒发送 {result['swept']['sent']} 条。"
        )
