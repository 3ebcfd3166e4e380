"""python manage.py target_status [--sweep | --rebuild | --check [--repair]]

Today's target figures kept per business (dashboard.status, issue 26). Without an option: what is kept
(rows, businesses, for which campaign start and targets, swept on which day, rows due). --sweep rewrites
the rows whose date has come (building the table if it is not built for today); --rebuild builds it
anew; --check compares every row with the live computation and prints each difference (exit status 1 if
any), --repair rewrites the businesses that differ.
"""

from django.db.models import Count
from django.utils import timezone

from dashboard import services, status
from dashboard.models import BusinessTargetStatus
from lib.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "逐单位保存的当日目标状态：查看、巡检（--sweep）、重建（--rebuild）、与实时计算核对（--check）。"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--sweep", action="store_true", help="重新计算当天自动变化（到期）的单位")
        group.add_argument("--rebuild", action="store_true", help="全部重新建立")
        group.add_argument("--check", action="store_true", help="逐单位与实时计算核对，列出不一致之处")
        parser.add_argument("--repair", action="store_true", help="与 --check 同用：重新计算不一致的单位")

    def handle(self, *args, sweep=False, rebuild=False, check=False, repair=False, **options):
        if repair and not check:
            raise CommandError("--repair 只能与 --check 一起使用。")
        if sweep:
            done = services.target_status_sweep()
            said = "已全部重新建立" if done.rebuilt else "已巡检"
            self.stdout.write(f"{said}：{done.businesses} 家单位，写入 {done.rows} 条目标状态。")
        elif rebuild:
            rows = status.rebuild()
            self.stdout.write(f"已全部重新建立：{rows} 条目标状态。")
        elif check:
            found = services.target_status_check(repair=repair)
            for difference in found:
                self.stdout.write(str(difference))
            if found:
                tail = "，已重新计算这些单位" if repair else "（加 --repair 重新计算）"
                raise CommandError(f"共 {len(found)} 处与实时计算（或逐单位记录之和）不一致{tail}。")
            self.stdout.write("保存的目标状态与实时计算一致。")
        self._summary()

    def _summary(self):
        st = status.state()
        if st is None:
            self.stdout.write("尚未建立逐单位目标状态：当日数据实时计算（运行 --sweep 建立）。")
            return
        today = timezone.localdate()
        rows = BusinessTargetStatus.objects.aggregate(
            rows=Count("pk"), businesses=Count("business", distinct=True)
        )
        due = BusinessTargetStatus.objects.filter(changes_on__lte=today).count()
        serving = "是" if status.serves(status.today_ctx()) else "否（专项或目标已变化，待巡检重建）"
        self.stdout.write(
            f"目标状态 {rows['rows']} 条、{rows['businesses']} 家单位；专项开始日 {st.campaign_start}；"
            f"最近巡检 {st.swept_on}；今日到期待巡检 {due} 条；用于今日数据：{serving}。"
        )
