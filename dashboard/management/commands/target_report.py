"""python manage.py target_report [--as-of DATE] [--town CODE] [--village CODE] [--category CODE] [--json]

The dashboard's target figures for the shell: the town, or one village and/or one category, at a date.
In a city's installation (issue 24) --town CODE counts that town's businesses only.
--json prints a list of objects: target, label, goal, numerator, denominator, rate, status, as_of,
computed_at, the scope (village, category: codes or null; scope: the same as an object, {"town": true}
for the town) and town: the code of the town the row covers (null when it covers several towns: a city's
installation without --town).

The figures are the dashboard's (figures.town_matrix): today's aggregate the per-business status kept by
every write (dashboard.status, issue 26: exact, no "数据截至"); another date's are live at town scale and
kept at city scale ("数据截至" their computed_at). --live computes them now from the raw records (for a
village or category: over its own businesses only) — the check on the kept ones.
"""

import json

from django.utils import timezone

from campaigns.models import Category, Town, Village
from dashboard.reports import target_report
from lib.commands import BaseCommand, CommandError, iso_date

STATUS = {"green": "达标", "amber": "接近", "red": "未达标", "none": "无数据"}


class Command(BaseCommand):
    help = "输出各项100%目标的完成情况（全镇，或指定村（社区）、类别），可按日期统计。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, default=None, help="统计日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--town", help="镇（街道）代码：只统计该镇的经营单位")
        parser.add_argument("--village", help="村（社区）代码")
        parser.add_argument(
            "--category", help="类别代码：agri workshop grocery pharmacy restaurant slaughter"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")
        parser.add_argument(
            "--live", action="store_true", help="现在重新计算（不使用已保存的城市规模目标数据）"
        )

    def handle(
        self, *args, as_of=None, town=None, village=None, category=None, json=False, live=False, **options
    ):
        as_of = as_of or timezone.localdate()
        town_obj = village_obj = category_obj = None
        if town:
            town_obj = Town.objects.filter(code=town).first()
            if town_obj is None:
                codes = "、".join(Town.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(f"没有代码为“{town}”的镇（街道）。可用代码：{codes}")
        if village:
            village_obj = Village.objects.select_related("town").filter(code=village).first()
            if village_obj is None:
                codes = "、".join(Village.objects.values_list("code", flat=True))
                raise CommandError(f"没有代码为“{village}”的村（社区）。可用代码：{codes}")
            if town_obj is not None and village_obj.town_id != town_obj.pk:
                where = f"属于{village_obj.town.name}，不属于{town_obj.name}（--town {town}）"
                raise CommandError(f"村（社区）“{village}”{where}。")
        if category:
            category_obj = Category.objects.filter(code=category).first()
            if category_obj is None:
                codes = "、".join(Category.objects.values_list("code", flat=True))
                raise CommandError(f"没有代码为“{category}”的类别。可用代码：{codes}")
        report = target_report(
            as_of=as_of, village=village_obj, category=category_obj, town=town_obj, live=live
        )
        if json:
            self._json(report.rows())
        else:
            self._table(
                report.figures,
                as_of,
                town_obj,
                village_obj,
                category_obj,
                None if report.exact else timezone.localtime(report.computed_at),
            )

    def _json(self, rows):
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))

    def _table(self, result, as_of, town, village, category, computed_at):
        whole = "全镇" if town is not None or Town.objects.count() <= 1 else "全市各镇"
        scope = "、".join(str(x) for x in (town, village, category) if x) or whole
        # Today's kept per-business figures are exact (issue 26): no "数据截至".
        when = "当日实时" if computed_at is None else f"数据截至：{computed_at:%Y-%m-%d %H:%M}"
        self.stdout.write(f"统计日期：{as_of:%Y-%m-%d}　范围：{scope}　{when}")
        self.stdout.write(f"{'目标':<5}{'目标值':>7}{'达标':>7}{'应统计':>7}{'完成率':>8}  {'状态':<4} 内容")
        for f in result:
            rate = "—" if f.rate is None else f"{f.rate * 100:.1f}%"
            self.stdout.write(
                f"{f.target.id:<6}{f.goal * 100:>7.0f}%{f.numerator:>8}{f.denominator:>8}{rate:>9}  "
                f"{STATUS[f.status]:<4} {f.target.label}"
            )
