"""python manage.py seed_demo [--businesses N] [--seed S] [--towns N]: a deterministic demo town (with
--towns N, N - 1 small neighbouring towns for the city's dashboard, issue 24).

Each local app contributes a `demo` module with `clear(ctx)` and `seed(ctx)`; this command runs the
clears in reverse app order and the seeds in app order, in one transaction, so a second run with the
same arguments replaces the demo town with the same data (no duplicates).
"""

import importlib
import random

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from campaigns.demo import DemoContext
from lib.commands import BaseCommand, CommandError

# Seeded in this order, cleared in the reverse one. The demo users (campaigns.demo_users) come after the
# roster: a shop account needs its business.
DEMO_MODULES = (
    "campaigns.demo",
    "campaigns.demo_users",
    "inspections.demo",
    "ledgers.demo",
    "dashboard.demo",
    "notifications.demo",
    "api.demo",
    "campaigns.demo_towns",  # nothing before touches the neighbouring towns
    "ledgers.demo_towns",  # their ledger lines (issue 24: the towns' own G2 windows)
    "dashboard.demo_city",  # last: the city's papers rank every town (issue 24)
)


def demo_modules():
    modules = []
    for name in DEMO_MODULES:
        if not apps.is_installed(name.split(".")[0]):
            continue
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


class Command(BaseCommand):
    help = "填充演示镇：村（社区）、部门、领导小组、各类经营单位及证照、演示用户。"

    def add_arguments(self, parser):
        parser.add_argument("--businesses", type=int, default=120, help="经营单位数量（默认120）")
        parser.add_argument("--seed", type=int, default=2009, help="随机种子（默认2009）")
        parser.add_argument(
            "--towns",
            type=int,
            default=1,
            help="镇（街道）数量（默认1；多于1时另建若干小镇，供全市各镇对比）",
        )

    def handle(self, *args, businesses: int, seed: int, towns: int = 1, **options):
        if businesses < 0:
            raise CommandError("--businesses 不能为负数。")
        if towns < 1:
            raise CommandError("--towns 至少为 1。")
        ctx = DemoContext(
            rng=random.Random(seed), businesses=businesses, today=timezone.localdate(), seed=seed
        )
        ctx.extra["towns"] = towns
        modules = demo_modules()
        with transaction.atomic():
            for module in reversed(modules):
                module.clear(ctx)
            for module in modules:
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"演示镇“{ctx.town.name}”已就绪：{businesses} 家经营单位。"))
        for line in ctx.report:
            self.stdout.write(line)
