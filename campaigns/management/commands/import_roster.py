"""python manage.py import_roster FILE [--dry-run] — the browser's import, from the shell (issue 4)."""

from django.utils import timezone

from campaigns.models import ImportRecord, ImportStatus
from campaigns.roster_io.importing import roster_import
from lib.commands import BaseCommand, CommandError

LABELS = {
    "businesses_created": "新增单位",
    "businesses_updated": "更新单位",
    "businesses_unchanged": "未变单位",
    "licences_created": "新增证照",
    "licences_updated": "更新证照",
    "licences_unchanged": "未变证照",
}


class Command(BaseCommand):
    help = "导入经营单位名册（.xlsx、.xls、.ods 或 .csv）。有任何错误时不写入，并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件 .xlsx、.xls、.ods 或 .csv")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file, dry_run, **options):
        result = roster_import(path=file, dry_run=dry_run, file_name=file)
        if result.file_error:
            raise CommandError(result.file_error)
        for warning in result.warnings:
            where = f"{warning['sheet']}：" if warning["sheet"] else ""
            self.stdout.write(f"提示 {where}{warning['message']}")
        for e in result.errors:
            letter = f"（{e['letter']}列）" if e.get("letter") else ""
            column = f" 列“{e['column']}”{letter}" if e["column"] else ""
            value = f" 值“{e['value']}”" if e["value"] else ""
            self.stderr.write(f"错误 {e['sheet']} 第{e['row']}行{column}{value}：{e['message']}")
        summary = "，".join(f"{label} {result.counts.get(key, 0)}" for key, label in LABELS.items())
        if result.errors:
            raise CommandError(f"{len(result.errors)} 处错误，未写入任何数据。（{summary}）")
        if not dry_run:
            ImportRecord.objects.create(
                file_name=file[-255:],
                status=ImportStatus.IMPORTED,
                counts=result.counts,
                changes=result.changes,
                warnings=result.warnings,
                total_rows=result.total_rows,
                processed_rows=result.total_rows,
                imported_at=timezone.now(),
                stage="命令行导入",
            )
        verb = "检查通过，可以导入" if dry_run else "已导入"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{summary}"))
