"""python manage.py beat_alive [--max-age SECONDS]: the beat container's healthcheck.

Beat schedules ops.tasks.heartbeat every minute and a worker moves the "beat" heartbeat row; exit 0 when
the row is younger than --max-age, 1 otherwise (one line saying how old it is).
"""

import argparse

from django.utils import timezone

from lib.commands import BaseCommand, CommandError
from ops.models import Heartbeat


def _seconds(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是整数秒数") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"应至少为 1 秒，实为 {number}")
    return number


class Command(BaseCommand):
    help = "检查定时任务（celery beat）的心跳是否在指定秒数内更新过（容器健康检查用）。"

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=_seconds, default=180, help="心跳最长间隔秒数（默认180）")

    def handle(self, *args, max_age: int, **options):
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is None:
            raise CommandError("beat 尚无心跳：beat 未运行，或没有 worker 执行它发出的任务。")
        age = (timezone.now() - beat.at).total_seconds()
        if age > max_age:
            raise CommandError(f"beat 心跳已 {age:.0f} 秒未更新（上限 {max_age} 秒）。")
        self.stdout.write(f"ok：beat 心跳 {age:.0f} 秒前")
