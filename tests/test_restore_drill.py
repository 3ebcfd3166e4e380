"""The restore drill (issue 21): seed the demo town, back it up, restore it into a fresh database and media
folder, and compare every table's rows and every file's sha256 — counted here, independently of the
restore command's own check; then the restored app answers /healthz.

It runs on the engine of the test run: SQLite's online-backup copy in the first CI pass, pg_dump /
pg_restore in the PostgreSQL pass (scratch databases <test db>_drill_src and _drill_dst). Every step is the
real command line (`python manage.py …`, the compose file's gunicorn command).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from tests import production as prod


class Database:
    """A scratch database of the run's engine: created empty, counted table by table, dropped."""

    def __init__(self, tmp: Path, name: str):
        self.postgres = prod.is_postgres()
        if self.postgres:
            self.name = prod.scratch_name(f"drill_{name}")
            self.url = prod.pg_recreate(self.name)
        else:
            self.path = tmp / f"{name}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def counts(self) -> dict[str, int]:
        if self.postgres:
            tables = [
                r[0]
                for r in prod.pg_query(
                    self.url,
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                )
            ]
            return {t: prod.pg_query(self.url, f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in sorted(tables)}
        con = sqlite3.connect(self.path)
        try:
            tables = [
                r[0]
                for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not r[0].startswith("sqlite_")
            ]
            return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
        finally:
            con.close()

    def drop(self) -> None:
        if self.postgres:
            prod.pg_drop(self.name)


def _checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def databases(tmp_path):
    made = []

    def make(name):
        made.append(Database(tmp_path, name))
        return made[-1]

    yield make
    for db in made:
        db.drop()


def test_restore_drill(tmp_path, databases):
    source, target = databases("src"), databases("dst")
    common = {
        "DJANGO_SECRET_KEY": prod.TEST_SECRET_KEY,
        "WUXIAO_BROKER_DIR": str(tmp_path / "broker"),
        "WUXIAO_BACKUP_DIR": str(tmp_path / "backups"),
    }
    src_env = prod.base_env(
        common, {"DATABASE_URL": source.url, "WUXIAO_MEDIA_ROOT": str(tmp_path / "media-src")}
    )
    dst_env = prod.base_env(
        common, {"DATABASE_URL": target.url, "WUXIAO_MEDIA_ROOT": str(tmp_path / "media-dst")}
    )
    for env in (src_env, dst_env):
        env.pop("REDIS_URL")  # .env.example's redis://redis:6379 is the compose service; the drill needs none

    prod.run(["python", "manage.py", "migrate", "--noinput", "-v0"], src_env)
    prod.run(["python", "manage.py", "seed_demo", "--businesses", "10"], src_env)
    before_rows, before_files = source.counts(), _checksums(tmp_path / "media-src")
    assert before_files, "the demo town writes files (work bulletins): the drill must compare some"
    assert before_rows["campaigns_business"] == 10

    done = prod.run(["python", "manage.py", "backup"], src_env)
    (archive,) = sorted((tmp_path / "backups").glob("wuxiao-backup-*.tar"))
    assert str(archive) in done.stdout

    done = prod.run(["python", "manage.py", "restore", str(archive)], dst_env)
    assert "与清单一致" in done.stdout
    assert target.counts() == before_rows
    assert _checksums(tmp_path / "media-dst") == before_files

    # A second restore into the now non-empty database is refused in one line; --force replaces it.
    again = prod.run(["python", "manage.py", "restore", str(archive)], dst_env, check=False)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.strip().startswith("目标数据库不是空的") and "\n" not in again.stderr.strip()
    prod.run(["python", "manage.py", "restore", "--force", str(archive)], dst_env)
    assert target.counts() == before_rows
    assert _checksums(tmp_path / "media-dst") == before_files

    # The restored app starts (the compose file's web command) and answers the orchestrator's probe.
    port = prod.free_port()
    web = prod.compose_argv(prod.compose()["services"]["web"]["command"])
    web = [a.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for a in web]
    assert f"127.0.0.1:{port}" in web
    service = prod.Service("web", web, dst_env, tmp_path)
    try:
        body = prod.wait_until(
            lambda: json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()),
            timeout=120,
            what="the restored app's /healthz",
            services=[service],
        )
    finally:
        service.stop()
    assert body["db"] == "ok"
