"""Backups (issue 21): the archive, its manifest, pruning and the restore's refusals and verification.

The full round trip into a fresh database and media folder is the restore drill (test_restore_drill.py);
these run in the test database. transaction=True: on PostgreSQL the dump shares a REPEATABLE READ snapshot,
which must be the first statement of its transaction, and pg_dump sees only committed rows.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns.models import Village
from lib.commands import CommandError
from ops import backup as ops_backup
from ops.backup import BackupError, backup_create, backup_verify, backups_list, backups_prune
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    root = Path(settings.MEDIA_ROOT)
    (root / "photos" / "2026").mkdir(parents=True)
    (root / "photos" / "2026" / "visit-1.jpg").write_bytes(b"\xff\xd8 not really a jpeg " * 100)
    (root / "bulletins").mkdir()
    (root / "bulletins" / "第1期.docx").write_bytes(b"PK docx bytes")
    return root


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_archive_holds_the_dump_the_media_and_a_manifest_of_both(media, tmp_path):
    villages = Village.objects.count()
    f.VillageFactory.create_batch(3)
    archive = backup_create(directory=tmp_path / "backups")
    assert archive.path.name.startswith("wuxiao-backup-") and archive.path.suffix == ".tar"
    members = _members(archive.path)
    manifest = json.loads(members["manifest.json"])
    assert manifest == archive.manifest
    engine = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
    assert manifest["engine"] == engine
    assert manifest["database"] in members
    if engine == "postgresql":
        assert members["database.dump"].startswith(b"PGDMP")  # pg_dump's custom format
    else:
        assert members["database.sqlite3"].startswith(b"SQLite format 3")
    # Row counts per table, as dumped.
    assert manifest["tables"][Village._meta.db_table] == villages + 3
    assert set(manifest["tables"]) >= {"django_migrations", "auth_user", "ops_heartbeat"}
    # Every media file, with its size and sha256, and its bytes in the archive.
    files = {entry["path"]: entry for entry in manifest["files"]}
    assert set(files) == {"photos/2026/visit-1.jpg", "bulletins/第1期.docx"}
    for rel, entry in files.items():
        data = (media / rel).read_bytes()
        assert members[f"media/{rel}"] == data
        assert entry == {"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_prune_keeps_the_newest(tmp_path, media):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"wuxiao-backup-202606{day:02d}-023000.tar").write_bytes(b"x")
    (folder / "wuxiao-backup-20260606-023000.tar.part").write_bytes(b"half")  # an unfinished one
    removed = backups_prune(directory=folder, keep=2)
    assert removed == [f"wuxiao-backup-202606{d:02d}-023000.tar" for d in (1, 2, 3)]
    assert [p.name for p in backups_list(folder)] == [
        "wuxiao-backup-20260604-023000.tar",
        "wuxiao-backup-20260605-023000.tar",
    ]


def test_nightly_task_backs_up_and_keeps_the_configured_number(settings, tmp_path, media):
    from ops.tasks import nightly_backup

    settings.WUXIAO_BACKUP_DIR = tmp_path / "nightly"
    settings.WUXIAO_BACKUP_KEEP = 2
    settings.WUXIAO_BACKUP_DIR.mkdir()
    for day in (1, 2):
        (settings.WUXIAO_BACKUP_DIR / f"wuxiao-backup-2020010{day}-023000.tar").write_bytes(b"old")
    result = nightly_backup.run()
    names = [p.name for p in backups_list(settings.WUXIAO_BACKUP_DIR)]
    assert names == ["wuxiao-backup-20200102-023000.tar", result["archive"]]
    assert result["removed"] == ["wuxiao-backup-20200101-023000.tar"]


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, media):
    archive = backup_create(directory=tmp_path)
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(archive.path))


def test_restore_refuses_an_archive_from_the_other_engine_or_with_unsafe_paths(tmp_path, media):
    other = "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "postgresql"
    manifest = {"format": 1, "engine": other, "database": "database.dump", "tables": {}, "files": []}
    path = tmp_path / "other.tar"
    _write_tar(path, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match=f"备份来自 {other} 数据库"):
        ops_backup.backup_restore(archive=path, force=True)
    with pytest.raises(BackupError, match="路径不安全"):
        ops_backup._safe_member_name("../../etc/passwd")
    with pytest.raises(BackupError, match="路径不安全"):
        ops_backup._safe_member_name("/etc/passwd")


def test_verify_names_every_difference(media, tmp_path):
    f.VillageFactory.create_batch(2)
    rows = Village.objects.count()
    manifest = backup_create(directory=tmp_path).manifest
    assert backup_verify(manifest).problems == []
    Village.objects.order_by("pk").last().delete()
    (media / "bulletins" / "第1期.docx").write_bytes(b"changed")
    (media / "photos" / "2026" / "visit-1.jpg").unlink()
    problems = backup_verify(manifest).problems
    table = Village._meta.db_table
    assert f"表 {table} 有 {rows - 1} 行，备份中为 {rows} 行" in problems
    assert "文件 bulletins/第1期.docx 校验值不符" in problems
    assert "文件 photos/2026/visit-1.jpg 缺失" in problems


def _write_tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
