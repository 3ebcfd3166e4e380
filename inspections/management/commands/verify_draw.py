"""python manage.py verify_draw <id> [<id> ...]: re-run recorded random draws and compare (P2 audit).

Recomputes each draw from its recorded seed, population and inspector pool, and checks the stored pairs
and the digest; exits non-zero if any draw does not reproduce.
"""

from inspections.models import SpotCheckDraw
from inspections.services.spotchecks import draw_verify
from lib.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "按留存的随机种子和条件重新计算随机抽查，核对结果与校验码。"

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="抽取记录ID（不填则核对全部）")

    def handle(self, *args, ids, **options):
        draws = SpotCheckDraw.objects.order_by("pk")
        if ids:
            draws = draws.filter(pk__in=ids)
            missing = set(ids) - set(draws.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"没有这些抽取记录：{sorted(missing)}")
        bad = []
        for draw in draws:
            ok, _replay = draw_verify(draw)
            self.stdout.write(f"{draw.pk}\t{draw.title}\t种子 {draw.seed}\t{'一致' if ok else '不一致'}")
            if not ok:
                bad.append(draw.pk)
        if bad:
            raise CommandError(f"以下抽取复核不一致：{bad}")
