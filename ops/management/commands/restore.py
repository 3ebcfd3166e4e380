"""python manage.py restore ARCHIVE [--force]: the database and media folder back from a backup archive.

Into an empty database (and an empty media folder) unless --force, which replaces both. Afterwards every
table's rows and every file's sha256 are compared with the archive's manifest; any difference fails.
"""

from pathlib import Path

from lib.commands import BaseCommand, CommandError
from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份归档恢复数据库和媒体目录，并按清单核对每张表的行数和每个文件的校验值。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份文件 wuxiao-backup-….tar")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或媒体目录不是空的也恢复（先清空再替换）"
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            report = backup_restore(archive=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"恢复后核对不一致：{len(report.problems)} 处（见上）。")
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {archive.name}（{report.manifest['created_at']}）：{report.tables} 张表、"
                f"{report.rows} 行，{report.files} 个文件，与清单一致。"
            )
        )
