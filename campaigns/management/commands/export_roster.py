"""python manage.py export_roster FILE [filters] — the roster page's export, from the shell (issue 4).

The filters are the roster page's (campaigns.filters.BusinessFilter): category and village by name,
short name or code; status by label or code; the rest as on the page.
"""

import os
from pathlib import Path

from campaigns.filters import BusinessFilter
from campaigns.models import Business
from campaigns.roster_io.columns import lookup_key
from campaigns.roster_io.exporting import write_roster
from campaigns.roster_io.importing import Reference
from lib.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "导出经营单位名册及证照到 .xlsx（可按名册页面的条件筛选）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要写入的 .xlsx 文件")
        parser.add_argument("--q", help="搜索：名称、经营者、信用代码、证照编号")
        parser.add_argument("--category", help="类别：全称、简称或代码")
        parser.add_argument("--subtype", help="子类名称")
        parser.add_argument("--town", help="镇（街道）名称或代码（全市名册中只导出该镇，issue 24）")
        parser.add_argument("--village", help="村（社区）名称或代码")
        parser.add_argument("--status", help="经营状态（如 正常经营 或 operating）")
        parser.add_argument("--complete", choices=["yes", "no"], help="证照齐全")
        parser.add_argument("--expiring", type=int, help="证照N天内到期")
        parser.add_argument("--model", choices=["yes", "no"], help="示范单位")

    def handle(self, *args, file, **options):
        folder = Path(file).resolve().parent
        if not folder.is_dir():
            raise CommandError(f"无法写入“{file}”：目录 {folder} 不存在。")
        if not os.access(folder, os.W_OK):
            raise CommandError(f"无法写入“{file}”：没有目录 {folder} 的写权限。")
        ref = Reference()
        data = {}
        for name in ("q", "complete", "expiring", "model"):
            if options.get(name) is not None:
                data[name] = options[name]
        lookups = {"category": ref.categories, "village": ref.villages}
        for name, table in lookups.items():
            if options.get(name):
                found = table.get(lookup_key(options[name]))
                if found is None:
                    raise CommandError(
                        f"{options[name]}：找不到该{'类别' if name == 'category' else '村（社区）'}。"
                    )
                data[name] = found.pk
        if options.get("town"):
            town = ref.towns.get(lookup_key(options["town"]))
            if town is None:
                raise CommandError(f"{options['town']}：找不到该镇（街道）。可填：{ref.allowed('town')}")
            data["town"] = town.code
        if options.get("subtype"):
            found = ref.subtypes.get(lookup_key(options["subtype"]))
            if not found:
                raise CommandError(f"{options['subtype']}：找不到该子类。")
            data["subtype"] = found[0].pk
        if options.get("status"):
            status = ref.statuses.get(lookup_key(options["status"]))
            if status is None:
                raise CommandError(f"{options['status']}：经营状态应为 {ref.allowed('status')} 之一。")
            data["status"] = status
        queryset = Business.objects.select_related("category", "village", "market").with_licence_status()
        filterset = BusinessFilter(data, queryset=queryset)
        if not filterset.is_valid():
            raise CommandError(f"筛选条件有误：{filterset.errors.as_text()}")
        counts = write_roster(filterset.qs, file)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {counts['businesses']} 家经营单位、{counts['licences']} 张证照到 {file}"
            )
        )
