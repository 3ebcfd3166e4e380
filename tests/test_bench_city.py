"""The bench's synthetic city is written by the generator on the real schema (issue 26).

The generator writes with COPY and INSERT … SELECT, naming columns; once, a flag added to villages by a
later migration (`is_model`, E4) broke `make bench` while every other test stayed green. Here a small city
is generated into a scratch PostgreSQL database beside the tests' one, as `make bench` does, and counted.
"""

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

pytestmark = pytest.mark.skipif(
    not POSTGRES, reason="the bench's city is PostgreSQL only (COPY): CI's PostgreSQL pass runs this"
)


@pytest.fixture
def scratch_url():
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/") + "_benchcity"
    url = urlunsplit(parts._replace(path="/" + name))
    admin = psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_generator_builds_a_small_city_on_todays_schema(scratch_url):
    env = {**os.environ, "DATABASE_URL": scratch_url, "BENCH_DATABASE_URL": scratch_url}
    args = ["--businesses", "60", "--towns", "2", "--villages", "3", "--visits-per", "3", "--ledger-per", "5"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.generate", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "生成完成" in done.stdout
    with psycopg.connect(scratch_url) as conn:
        count = lambda table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert count("campaigns_town") == 2
        assert count("campaigns_village") == 6
        assert count("campaigns_business") == 60
        assert count("inspections_visit") > 0 and count("ledgers_ledgerentry") > 0
        # The column defaults set for the generation are dropped again: the schema is Django's.
        defaults = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'campaigns_village' "
            "AND column_name = 'is_model' AND column_default IS NOT NULL"
        ).fetchone()[0]
        assert defaults == 0


def test_the_city_of_towns_is_measured_at_each_level(scratch_url, tmp_path):
    """Issue 24's bench (bench/towns.py): a city of towns measured at the city, a town and a village — the
    dashboard, target_report and the roster at each level, each beside its floor over the kept status,
    whose counts equal target_report's for the same scope (the city's town by town)."""
    env = {**os.environ, "DATABASE_URL": scratch_url, "BENCH_DATABASE_URL": scratch_url}
    out = tmp_path / "towns.json"
    args = ["--businesses", "60", "--towns", "2", "--villages", "3", "--visits-per", "3", "--ledger-per", "5"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.towns", *args, "--runs", "1", "--json-out", str(out)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    rows = {r["id"]: r for r in json.loads(out.read_text())["rows"]}
    for level in ("city", "town", "village"):
        for kind in ("floor", "rows", "aggregate", "dashboard", "target_report", "roster"):
            row = rows[f"{kind}_{level}"]
            assert row["level"] == level and row["median_ms"] > 0 and row["queries"] > 0, row
        assert rows[f"floor_{level}"]["equal"], level
        # a town's page splits by village: beside its villages' totals per village (issue 26), not the
        # town's totals
        page_floor = "floor_town_villages" if level == "town" else f"floor_{level}"
        assert rows[f"dashboard_{level}"]["floor_id"] == page_floor
    assert rows["floor_town_villages"]["level"] == "town" and rows["floor_town_villages"]["queries"] == 1
    # the app's own aggregate (dashboard.status.matrix) beside the floor of the same scope (issue 24)
    for level in ("city", "town", "village"):
        assert rows[f"aggregate_{level}"]["floor_id"] == f"floor_{level}"
