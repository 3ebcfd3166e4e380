"""Backups and restores: the database and the media folder in one dated archive with a manifest.

An archive (`wuxiao-backup-YYYYMMDD-HHMMSS.tar`) holds
- `database.dump` — `pg_dump --format=custom` on PostgreSQL, or `database.sqlite3` — SQLite's online
  backup API on SQLite (a consistent copy while the site runs);
- `media/…` — every file of WUXIAO_MEDIA_ROOT;
- `manifest.json` — when, which engine, the rows of every table *as dumped* and every file with its size
  and sha256.

The row counts are taken from the same state as the dump: on PostgreSQL inside one REPEATABLE READ
transaction whose snapshot pg_dump shares (`pg_export_snapshot()` / `pg_dump --snapshot`), on SQLite from
the copy itself. A restore goes into an empty database (or, told `force`, replaces the database), then
counts the rows and hashes the files again and fails on any difference from the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

FORMAT = 1
PREFIX = "wuxiao-backup-"
SUFFIX = ".tar"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """What went wrong, in one Chinese sentence (commands print it as it is)."""


@dataclass
class Archive:
    path: Path
    manifest: dict


@dataclass
class RestoreReport:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


# --- helpers ------------------------------------------------------------------------------------------


def backup_dir() -> Path:
    return Path(settings.WUXIAO_BACKUP_DIR)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持的数据库类型：{vendor}（仅支持 PostgreSQL 和 SQLite）。")
    return vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(names)}
    finally:
        con.close()


def _pg_env_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {cmd[0]}：请安装与数据库服务器同版本的 PostgreSQL 客户端。") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：{detail[-1] if detail else f'退出码 {done.returncode}'}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- backup -------------------------------------------------------------------------------------------


def backup_create(*, directory: Path | None = None, now: datetime.datetime | None = None) -> Archive:
    """Write one archive into `directory` (WUXIAO_BACKUP_DIR) and return it."""
    engine = _engine()
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime(now or timezone.now())
    path = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    if path.exists():
        raise BackupError(f"备份文件已存在：{path.name}（一秒内只能备份一次）。")
    with tempfile.TemporaryDirectory(prefix="wuxiao-backup-") as tmp:
        tmp = Path(tmp)
        if engine == "postgresql":
            dump_name = PG_DUMP
            tables = _pg_dump(tmp / dump_name)
        else:
            dump_name = SQLITE_COPY
            tables = _sqlite_copy(tmp / dump_name)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": dump_name,
            "tables": tables,
            "files": [],
        }
        partial = path.with_name(path.name + ".part")
        try:
            with tarfile.open(partial, "w") as tar:
                tar.add(tmp / dump_name, arcname=dump_name)
                root = Path(settings.MEDIA_ROOT)
                for file in _media_files(root):
                    rel = file.relative_to(root).as_posix()
                    manifest["files"].append(_add_hashed(tar, file, f"{MEDIA}/{rel}", rel))
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return Archive(path=path, manifest=manifest)


class _HashingReader:
    def __init__(self, f):
        self.f, self.digest = f, hashlib.sha256()

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        return data


def _add_hashed(tar: tarfile.TarFile, file: Path, arcname: str, rel: str) -> dict:
    """Add a file, hashing the very bytes that go into the archive."""
    with open(file, "rb") as f:
        info = tar.gettarinfo(fileobj=f, arcname=arcname)
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return {"path": rel, "size": info.size, "sha256": reader.digest.hexdigest()}


def _pg_dump(target: Path) -> dict[str, int]:
    """pg_dump in custom format, sharing the snapshot in which the rows are counted."""
    db = connection.settings_dict
    env, args = _pg_env_args(db)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _table_counts(cursor, connection.introspection.table_names(cursor))
            cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            _run([*cmd, *args, "--file", str(target), str(db["NAME"])], env, "pg_dump 导出数据库")
    return counts


def _sqlite_copy(target: Path) -> dict[str, int]:
    """SQLite's online backup API: a consistent copy while other processes write."""
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
    finally:
        dest.close()
    return _sqlite_counts(target)


def backups_list(directory: Path | None = None) -> list[Path]:
    """Complete archives, oldest first (the name carries the date)."""
    directory = Path(directory or backup_dir())
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def backups_prune(*, directory: Path | None = None, keep: int | None = None) -> list[str]:
    """Remove all but the newest `keep` (WUXIAO_BACKUP_KEEP) archives; returns the removed names."""
    keep = settings.WUXIAO_BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError(f"保留份数应至少为 1，实为 {keep}。")
    archives = backups_list(directory)
    removed = archives[:-keep]
    for path in removed:
        path.unlink()
    return [p.name for p in removed]


# --- restore ------------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.loads(tar.extractfile(member).read())
    except KeyError:
        raise BackupError(f"{archive.name} 里没有 {MANIFEST}：不是本系统的备份文件。") from None
    except (tarfile.TarError, json.JSONDecodeError, UnicodeDecodeError, OSError):
        raise BackupError(f"{archive.name} 无法读取：文件损坏，或不是本系统的备份文件。") from None
    if manifest.get("format") != FORMAT or "tables" not in manifest or "files" not in manifest:
        raise BackupError(f"{archive.name} 的清单格式不符（format={manifest.get('format')!r}）。")
    return manifest


def database_tables() -> dict[str, int]:
    """Every table of the configured database and its rows."""
    with connection.cursor() as cursor:
        return _table_counts(cursor, connection.introspection.table_names(cursor))


def restore_check_target(*, force: bool) -> None:
    """Refuse a database that already has tables, or a media folder with files, unless forced."""
    if force:
        return
    tables = database_tables()
    if tables:
        raise BackupError(
            f"目标数据库不是空的（已有 {len(tables)} 张表、{sum(tables.values())} 行）。"
            "请恢复到新建的空数据库，或加 --force 清空并替换它。"
        )
    files = _media_files(Path(settings.MEDIA_ROOT))
    if files:
        raise BackupError(
            f"媒体目录 {settings.MEDIA_ROOT} 已有 {len(files)} 个文件。请使用空目录，或加 --force 替换。"
        )


def backup_restore(*, archive: Path, force: bool = False) -> RestoreReport:
    """Restore the database and the media folder from `archive`, then verify them against its manifest."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库。")
    restore_check_target(force=force)
    with tempfile.TemporaryDirectory(prefix="wuxiao-restore-") as tmp:
        tmp = Path(tmp)
        with tarfile.open(archive, "r") as tar:
            dump = tmp / manifest["database"]
            _extract(tar, manifest["database"], dump)
            if engine == "postgresql":
                _pg_restore(dump, force=force)
            else:
                _sqlite_restore(dump)
            _media_restore(tar, manifest, force=force)
    return backup_verify(manifest)


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份文件中的路径不安全：{name}")
    return path


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> None:
    _safe_member_name(name)
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(f"备份文件缺少 {name}。") from None
    if not member.isfile():
        raise BackupError(f"备份文件中的 {name} 不是普通文件。")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _pg_restore(dump: Path, *, force: bool) -> None:
    db = connection.settings_dict
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connections.close_all()
    env, args = _pg_env_args(db)
    cmd = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run([*cmd, *args, "--dbname", str(db["NAME"]), str(dump)], env, "pg_restore 恢复数据库")


def _sqlite_restore(copy: Path) -> None:
    target = connection.settings_dict["NAME"]
    connections.close_all()
    src = sqlite3.connect(copy)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)  # replaces every page of the destination: the restored file is the copy
    finally:
        src.close()
        dest.close()


def _media_restore(tar: tarfile.TarFile, manifest: dict, *, force: bool) -> None:
    root = Path(settings.MEDIA_ROOT)
    if force and root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    root.mkdir(parents=True, exist_ok=True)
    for entry in manifest["files"]:
        rel = _safe_member_name(entry["path"])
        _extract(tar, f"{MEDIA}/{rel.as_posix()}", root.joinpath(*rel.parts))


def backup_verify(manifest: dict) -> RestoreReport:
    """Count every table and hash every file again; each difference from the manifest is a problem."""
    report = RestoreReport(manifest=manifest)
    now = database_tables()
    for table, rows in sorted(manifest["tables"].items()):
        if table not in now:
            report.problems.append(f"表 {table} 不存在（备份中有 {rows} 行）")
        elif now[table] != rows:
            report.problems.append(f"表 {table} 有 {now[table]} 行，备份中为 {rows} 行")
    for table in sorted(set(now) - set(manifest["tables"])):
        report.problems.append(f"表 {table} 不在备份清单中")
    root = Path(settings.MEDIA_ROOT)
    for entry in manifest["files"]:
        path = root.joinpath(*PurePosixPath(entry["path"]).parts)
        if not path.is_file():
            report.problems.append(f"文件 {entry['path']} 缺失")
        elif _sha256(path) != entry["sha256"]:
            report.problems.append(f"文件 {entry['path']} 校验值不符")
    report.tables = len(manifest["tables"])
    report.rows = sum(manifest["tables"].values())
    report.files = len(manifest["files"])
    return report
