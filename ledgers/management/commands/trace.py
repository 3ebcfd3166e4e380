"""python manage.py trace --product NAME [--batch B] [--since DATE] [--json]: a forward trace in the shell."""

import json

from ledgers.trace import trace_forward
from lib.commands import BaseCommand, iso_date, non_empty


class Command(BaseCommand):
    help = "正向追溯：购进该产品（批号）的经营单位及其去向。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--product", required=True, type=non_empty, help="产品名称（可用别名、全角等写法）"
        )
        parser.add_argument("--batch", default="", help="批号")
        parser.add_argument("--since", default=None, type=iso_date, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, product, batch, since, json: bool = False, **options):
        result = trace_forward(product=product, batch=batch, since=since)
        if json:
            self.stdout.write(_dumps(result.as_json()))
            return
        self.stdout.write(f"产品“{product}”（规范化：{result.key}）：{len(result.rows)} 条记录")
        for row in result.rows:
            self.stdout.write(
                f"[{row.level}] {row.occurred_on} {row.business}（{row.village}）{row.direction_label} "
                f"{row.product_name} {row.batch or '-'} {row.quantity}{row.unit} ↔ {row.counterparty}"
            )
        if result.truncated:
            self.stdout.write("结果过多，已截断。")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
