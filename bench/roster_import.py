"""Benchmark of the Excel roster import and export (issue 4, "Speed and memory").

    .venv/bin/python bench/roster_import.py                     # SQLite only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuxiao .venv/bin/python bench/roster_import.py

For each database (SQLite always; PostgreSQL when DATABASE_URL points at one — a scratch database named
<name>_bench is created and dropped beside it):
- floor: python-calamine reads the 10,000-row workbook (both sheets) and one bulk_create per table writes
  the businesses and licences into a fresh, empty roster (no validation, no matching, no audit);
- import: campaigns.roster_io.importing.roster_import on the same file and the same empty roster
  (parsed, every row validated, matched by key, created, audited); median of 3 runs each, and the ratio;
- re-import of the same file over itself (every row matched and found unchanged);
- the same floor and import on the workbook converted to .xls (Excel 97–2003) by LibreOffice headless,
  when soffice is installed (--no-xls to skip);
- 100,000 rows (+ licences): import time and peak RSS, export time and peak RSS, each in its own process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VILLAGES = [f"第{i}村" for i in range(1, 21)]
CATEGORIES = ["小食杂店", "食杂店", "小餐饮店", "小作坊", "小农资店", "小药店"]
SUBTYPES = {"小食杂店": "集贸市场内", "食杂店": "镇中心区", "小作坊": "豆制品", "小农资店": "农药、种子"}
HEADERS = [
    "单位名称",
    "类别",
    "子类",
    "村（社区）",
    "地址",
    "经营者",
    "联系电话",
    "统一社会信用代码",
    "经营状态",
    "镇中心区",
    "所在市场",
    "示范单位",
]
LICENCE_HEADERS = [
    "统一社会信用代码",
    "证照类型",
    "证照编号",
    "发证机关",
    "发证日期",
    "有效期至",
    "状态",
    "亮证",
]


def generate(path: Path, rows: int, seed: int = 4) -> int:
    """A roster of `rows` businesses and ~1.5 licences each, typed the way the office types it."""
    import datetime

    import xlsxwriter

    from campaigns.validators import credit_code_check_char

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("经营单位")
    ws.write_row(0, 0, HEADERS)
    codes = []
    for i in range(rows):
        body = f"92440606MA{i:07d}"
        code = body + credit_code_check_char(body)
        codes.append(code)
        category = CATEGORIES[i % len(CATEGORIES)]
        ws.write_row(
            i + 1,
            0,
            [
                f"测试经营单位{i:06d}",
                category,
                SUBTYPES.get(category, ""),
                VILLAGES[i % len(VILLAGES)],
                f"中心路{rng.randint(1, 999)}号",
                rng.choice(["张三", "李四", "王五", "赵六", "陈七"]),
                f"138{rng.randint(0, 99999999):08d}",
                code,
                "正常经营",
                rng.choice(["是", "否"]),
                "",
                rng.choice(["否", "否", "否", "√"]),
            ],
        )
    lws = book.add_worksheet("证照")
    lws.write_row(0, 0, LICENCE_HEADERS)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    row = 1
    for i, code in enumerate(codes):
        types = ["营业执照"] + (["卫生许可证"] if i % 2 else [])
        for j, licence_type in enumerate(types):
            lws.write_row(row, 0, [code, licence_type, f"L{i:07d}-{j}", "发证机关"])
            lws.write_datetime(row, 4, datetime.date(2020, 1, 1), date_format)
            lws.write_datetime(row, 5, datetime.date(2030, 12, 31), date_format)
            lws.write_row(row, 6, ["有效", "是"])
            row += 1
    book.close()
    return row - 1


def to_xls(path: Path, workdir: Path) -> Path | None:
    """The workbook converted to .xls by LibreOffice headless (own profile dir); None without soffice."""
    import shutil

    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: the .xls case is skipped (.ci/install-extras installs it)")
        return None
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xls:MS Excel 97",
            "--outdir",
            str(workdir),
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=600,
    )
    return workdir / (path.stem + ".xls")


# --- in a child process, against one database ----------------------------------------------------------


def django_setup(database_url: str, fresh: bool) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wuxiao.settings"
    if fresh:
        if database_url.startswith("sqlite"):
            Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            import psycopg

            base, name = database_url.rsplit("/", 1)
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from campaigns.models import Town, Village

        town = Town.objects.create(name="基准镇", code="bench")
        Village.objects.bulk_create(
            [Village(town=town, name=name, code=f"v{i}", order=i) for i, name in enumerate(VILLAGES)]
        )


def empty_roster() -> None:
    """Back to an empty roster between runs (outside the timings)."""
    from auditlog.models import LogEntry
    from django.db import connection

    from campaigns.models import Business, Licence

    with connection.cursor() as cursor:
        for model in (LogEntry, Licence, Business.subtypes.through, Business):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE campaigns_business, campaigns_licence")


def floor(path: Path) -> float:
    """The least any import must do: read the cells, map names to ids, one bulk_create per table."""
    import python_calamine
    from django.db import transaction

    from campaigns.models import Business, Category, Licence, LicenceType, Village

    start, cpu = time.perf_counter(), time.process_time()
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("经营单位").to_python()
    licence_rows = book.get_sheet_by_name("证照").to_python()
    categories = {c.name: c.pk for c in Category.objects.all()} | {
        c.short_name: c.pk for c in Category.objects.all()
    }
    villages = {v.name: v.pk for v in Village.objects.all()}
    types = {t.name: t.pk for t in LicenceType.objects.all()}
    with transaction.atomic():
        businesses = Business.objects.bulk_create(
            [
                Business(
                    name=r[0],
                    category_id=categories[r[1]],
                    village_id=villages[r[3]],
                    address=r[4],
                    operator=r[5],
                    phone=str(r[6]),
                    credit_code=r[7],
                )
                for r in rows[1:]
            ],
            batch_size=1000,
        )
        by_code = {b.credit_code: b.pk for b in businesses}
        Licence.objects.bulk_create(
            [
                Licence(
                    business_id=by_code[r[0]],
                    licence_type_id=types[r[1]],
                    number=r[2],
                    issuer=r[3],
                    issued_on=r[4],
                    expires_on=r[5],
                )
                for r in licence_rows[1:]
            ],
            batch_size=1000,
        )
    return time.perf_counter() - start, time.process_time() - cpu


def our_import(path: Path) -> tuple[float, float, dict]:
    from campaigns.roster_io.importing import roster_import

    start, cpu = time.perf_counter(), time.process_time()
    result = roster_import(path=path, dry_run=False)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not result.ok:
        raise SystemExit(f"import failed: {result.file_error or result.errors[:5]}")
    return elapsed, cpu, result.counts


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(mode: str, database_url: str, path: Path, runs: int, out: Path | None) -> dict:
    if mode == "ten":
        django_setup(database_url, fresh=True)
        floors, imports, reimports, floor_cpu, import_cpu = [], [], [], [], []
        for _ in range(runs):
            empty_roster()
            wall, cpu = floor(path)
            floors.append(wall)
            floor_cpu.append(cpu)
            empty_roster()
            elapsed, cpu, counts = our_import(path)
            imports.append(elapsed)
            import_cpu.append(cpu)
            reimport, _cpu, recounts = our_import(path)
            reimports.append(reimport)
        return {
            "floor": floors,
            "import": imports,
            "floor_cpu": floor_cpu,
            "import_cpu": import_cpu,
            "reimport": reimports,
            "counts": counts,
            "recounts": recounts,
        }
    if mode == "big_import":
        django_setup(database_url, fresh=True)
        baseline = peak_rss_mb()
        elapsed, cpu, counts = our_import(path)
        return {
            "seconds": elapsed,
            "cpu_seconds": cpu,
            "peak_rss_mb": peak_rss_mb(),
            "baseline_rss_mb": baseline,
            "counts": counts,
        }
    if mode == "big_export":
        django_setup(database_url, fresh=False)
        from campaigns.models import Business
        from campaigns.roster_io.exporting import write_roster

        baseline = peak_rss_mb()
        start, cpu = time.perf_counter(), time.process_time()
        counts = write_roster(Business.objects.all(), str(out))
        return {
            "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
            "peak_rss_mb": peak_rss_mb(),
            "baseline_rss_mb": baseline,
            "counts": counts,
        }
    raise SystemExit(f"unknown mode {mode}")


def run_child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode:
        raise SystemExit(proc.stderr or proc.stdout)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000, help="rows for the memory run (0 to skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one database only")
    parser.add_argument("--no-xls", action="store_true", help="skip the .xls case")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, url, path, runs, out = (*args.child, "", "", "")[:5]
        result = child(mode, url, Path(path), int(runs or 1), Path(out) if out else None)
        print(json.dumps(result))
        return

    tmp = Path(tempfile.mkdtemp(prefix="wuxiao-bench-"))
    engines = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        engines.append(("PostgreSQL", url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_bench"))
    if args.only:
        engines = [e for e in engines if e[0].lower() == args.only]
    small = tmp / f"roster-{args.rows}.xlsx"
    licences = generate(small, args.rows)
    size = small.stat().st_size / 1e6
    print(f"{args.rows:,} businesses, {licences:,} licences, 12 + 8 columns ({size:.1f} MB)")
    xls = None if args.no_xls else to_xls(small, tmp)
    if xls:
        print(f"the same workbook as .xls (LibreOffice): {xls.stat().st_size / 1e6:.1f} MB")
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start (wall times grow with load)")
    if args.big:
        big = tmp / f"roster-{args.big}.xlsx"
        big_licences = generate(big, args.big)
        print(f"{args.big:,} businesses, {big_licences:,} licences ({big.stat().st_size / 1e6:.1f} MB)")
    for engine, engine_url in engines:
        print(f"\n== {engine} ==")
        r = run_child("ten", engine_url, str(small), str(args.runs))
        f, i, re_ = (statistics.median(r[k]) for k in ("floor", "import", "reimport"))
        runs = {k: ", ".join(f"{x:.2f}" for x in r[k]) for k in ("floor", "import")}
        print(f"floor (calamine read + bulk_create):   median {f:.2f} s   runs {runs['floor']}")
        print(f"our import (validate, match, audit):   median {i:.2f} s   runs {runs['import']}")
        print(f"ratio import / floor:                  {i / f:.2f}x  (wall-clock medians)")
        if "floor_cpu" in r:
            fc, ic = statistics.median(r["floor_cpu"]), statistics.median(r["import_cpu"])
            print(f"CPU time of this process:              floor {fc:.2f} s, import {ic:.2f} s", end="")
            print(f", ratio {ic / fc:.2f}x")
        print(f"re-import, all unchanged:              median {re_:.2f} s   {r['recounts']}")
        if xls:
            rx = run_child("ten", engine_url, str(xls), str(args.runs))
            fx, ix = (statistics.median(rx[k]) for k in ("floor", "import"))
            runs = {k: ", ".join(f"{x:.2f}" for x in rx[k]) for k in ("floor", "import")}
            print(f"xls floor (calamine read + bulk_create): median {fx:.2f} s   runs {runs['floor']}")
            print(f"xls import (validate, match, audit): median {ix:.2f} s   runs {runs['import']}")
            print(f"xls ratio import / floor:              {ix / fx:.2f}x  (wall-clock medians)")
        if args.big:
            imp = run_child("big_import", engine_url, str(big))
            print(
                f"{args.big:,}-row import: {imp['seconds']:.1f} s (CPU {imp.get('cpu_seconds', 0):.1f} s), "
                f"peak RSS {imp['peak_rss_mb']:.0f} MB "
                f"(after Django setup {imp['baseline_rss_mb']:.0f} MB)"
            )
            exp = run_child("big_export", engine_url, str(big), "1", str(tmp / "export.xlsx"))
            print(
                f"{exp['counts']['businesses']:,}-row export (+{exp['counts']['licences']:,} licences): "
                f"{exp['seconds']:.1f} s (CPU {exp.get('cpu_seconds', 0):.1f} s), "
                f"peak RSS {exp['peak_rss_mb']:.0f} MB "
                f"(after Django setup {exp['baseline_rss_mb']:.0f} MB)"
            )
        if engine == "PostgreSQL":
            import psycopg

            base, name = engine_url.rsplit("/", 1)
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
