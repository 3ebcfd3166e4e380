"""python manage.py backup [--dir DIR] [--keep N]: the database and the media folder in one dated archive."""

from pathlib import Path

from lib.commands import BaseCommand, CommandError
from ops.backup import BackupError, backup_create, backups_prune


def _positive(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是整数") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"应至少为 1，实为 {number}")
    return number


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和媒体目录到一个带清单的日期命名归档。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="备份目录（默认 WUXIAO_BACKUP_DIR）")
        parser.add_argument(
            "--keep", type=_positive, default=None, help="只保留最新的 N 份（不填则不删除旧备份）"
        )

    def handle(self, *args, dir=None, keep=None, **options):
        try:
            archive = backup_create(directory=dir)
            removed = backups_prune(directory=dir, keep=keep) if keep else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = archive.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {archive.path}：{len(manifest['tables'])} 张表、"
                f"{sum(manifest['tables'].values())} 行，{len(manifest['files'])} 个文件。"
            )
        )
        for name in removed:
            self.stdout.write(f"已删除旧备份：{name}")
