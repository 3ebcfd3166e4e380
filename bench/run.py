"""make bench: build the synthetic city if missing, measure, print a table, write JSON and docs/benchmarks.md.

    python -m bench.run [--businesses 100000] [--small 1000] [--mid 10000] [--runs 5] [--load-seconds 30]
        [--no-small] [--no-import] [--import-big] [--no-load] [--no-docs] [--import-only]

BENCH_DATABASE_URL names the city's database (default postgres://…/wuxiao_bench); the small dataset goes
in <name>_small and roster_import.py makes its own scratch database from <name>_import. Steps, each in
its own process (one Django database per process):

1. the city (bench/generate.py: built once, reused while its parameters are the same), then its pages
   measured in-process with Django's test client (the full request: middleware, scoping, templates), each
   the median of --runs runs after a warm-up, with the SQL query count of the same request; the
   hand-written SQL floor of the dashboard figures; traces over the ledger (bench/measure.py);
2. the same measures on a small and a middle city (--small, --mid businesses): the query counts side by
   side (they must be equal) and the growth of each time per 10× of N;
3. the roster import against its floor (bench/roster_import.py, unchanged, PostgreSQL part);
4. the load test: gunicorn on 127.0.0.1 and wrk driving visit submission (bench/load.py);
5. the public page behind the QR placards, from the cache (bench/public_page.py, its own database).

Then bench/out/results.json and docs/benchmarks.md (written from the JSON: never by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench.common import DEFAULT_DB, OUT, ROOT

PY = sys.executable
# The smaller cities: every section, three runs — their query counts are compared with the big city's and
# their times make the growth table (issue 26: 1,000, 10,000 and 100,000 businesses in one run).
SMALL_ARGS = ("--runs", "3", "--businesses")


def _sub_url(url: str, suffix: str) -> str:
    base, name = url.rsplit("/", 1)
    return f"{base}/{name}{suffix}"


def _run_json(args: list[str], env: dict, label: str) -> dict:
    """Run a bench module in its own process; its last stdout line is the JSON result. Its other output
    (progress) goes through to the terminal."""
    started = time.perf_counter()
    out_file = OUT / f".{label}.json"
    out_file.unlink(missing_ok=True)
    proc = subprocess.run([PY, *args, "--json-out", str(out_file)], env=env, cwd=ROOT, check=False)
    if proc.returncode or not out_file.exists():
        raise SystemExit(f"{label} 失败（退出码 {proc.returncode}）")
    result = json.loads(out_file.read_text())
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


def _roster_import(url: str, big: bool) -> dict:
    """bench/roster_import.py as it is (PostgreSQL part); its printed figures parsed into the JSON.
    The 100,000-row import and export (minutes each) only with --import-big."""
    env = {**os.environ, "DATABASE_URL": _sub_url(url, "_import"), "DJANGO_DEBUG": "true"}
    load = round(os.getloadavg()[0], 2)  # recorded with each figure: a loaded machine inflates them
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    proc = subprocess.run(
        [PY, "bench/roster_import.py", "--only", "postgresql", *([] if big else ["--big", "0"])],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    text = proc.stdout
    print(text, proc.stderr[-2000:] if proc.returncode else "")
    (OUT / "roster_import.txt").write_text(text)

    def num(pattern: str) -> float | None:
        m = re.search(pattern, text)
        return float(m.group(1).replace(",", "")) if m else None

    rows = [
        {
            "id": "import_floor",
            "measure": "roster import floor: calamine read + bulk_create (10,000 rows)",
            "median_ms": _ms(num(r"floor \(calamine.*?median ([\d.]+) s")),
        },
        {
            "id": "import",
            "measure": "roster import, 10,000 rows (validate, match, audit)",
            "median_ms": _ms(num(r"our import.*?median ([\d.]+) s")),
            "ratio": num(r"ratio import / floor:\s+([\d.]+)x"),
            "goal": "≤ 3× floor",
        },
        {
            "id": "import_floor_xls",
            "measure": "roster import floor, .xls: calamine read + bulk_create (10,000 rows)",
            "median_ms": _ms(num(r"xls floor \(calamine.*?median ([\d.]+) s")),
        },
        {
            "id": "import_xls",
            "measure": "roster import, 10,000 rows, .xls (validate, match, audit)",
            "median_ms": _ms(num(r"xls import.*?median ([\d.]+) s")),
            "ratio": num(r"xls ratio import / floor:\s+([\d.]+)x"),
            "goal": "≤ 3× floor",
        },
        {
            "id": "import_100k",
            "measure": "roster import, 100,000 rows (one run)",
            "median_ms": _ms(num(r"100,000-row import: ([\d.]+) s")),
            "peak_rss_mb": num(r"100,000-row import: .*?peak RSS (\d+) MB"),
        },
        {
            "id": "export_100k",
            "measure": "roster export, 100,000 rows (one run)",
            "median_ms": _ms(num(r"-row export .*?: ([\d.]+) s")),
            "peak_rss_mb": num(r"-row export .*?peak RSS (\d+) MB"),
        },
    ]
    for row in rows:
        row["load_at_start"] = load
        if row.get("goal"):
            row["met"] = row.get("ratio") is not None and row["ratio"] <= 3
    rows = [r for r in rows if r["median_ms"] is not None]  # the 100,000-row runs only with --import-big
    return {
        "rows": rows,
        "ok": proc.returncode == 0,
        "seconds": round(time.perf_counter() - started, 1),
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _machine()["commit"],
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _machine() -> dict:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = 0
    try:
        with open("/proc/meminfo") as fh:
            ram = int(next(line.split()[1] for line in fh if line.startswith("MemTotal"))) // 1024
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_mb": ram,
        "python": platform.python_version(),
        "commit": commit + (" (uncommitted changes)" if dirty.strip() else ""),
    }


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000, help="businesses of the small city")
    parser.add_argument(
        "--mid", type=int, default=10_000, help="businesses of the middle city (the growth table; 0: none)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--no-small", action="store_true", help="skip the small city (query counts)")
    parser.add_argument("--no-import", action="store_true", help="skip the roster import benchmark")
    parser.add_argument(
        "--import-big", action="store_true", help="also the 100,000-row import and export (adds ~15 minutes)"
    )
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk load test")
    parser.add_argument("--no-public", action="store_true", help="skip the public page (QR placards) test")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the roster import (.xlsx and .xls); rewrites only its section of docs/benchmarks.md",
    )
    return parser


def main(argv=None) -> None:
    args = parser().parse_args(argv)
    if args.import_only:
        from bench.report import replace_import_section

        OUT.mkdir(parents=True, exist_ok=True)
        imp = _roster_import(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB), args.import_big)
        (OUT / "import.json").write_text(json.dumps(imp, ensure_ascii=False, indent=2))
        if not args.no_docs:
            replace_import_section(imp, ROOT / "docs" / "benchmarks.md")
            print("docs/benchmarks.md（名册导入一节）已更新")
        return

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    meta = {
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "runs": args.runs,
    }
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    common = ["--runs", str(args.runs)]
    results = {"meta": meta}
    print(f"== 城市数据集（{args.businesses:,} 家）：生成（如需要）并测量 ==", flush=True)
    results["city"] = _run_json(
        ["-m", "bench.measure", "--businesses", str(args.businesses), *common], env, "city"
    )
    if not args.no_small:
        for key, n, suffix in (("small", args.small, "_small"), ("mid", args.mid, "_mid")):
            if not n:
                continue
            print(f"\n== 对照数据集（{n:,} 家）：查询次数与增长 ==", flush=True)
            results[key] = _run_json(
                ["-m", "bench.measure", *SMALL_ARGS, str(n)],
                {**env, "BENCH_DATABASE_URL": _sub_url(url, suffix)},
                key,
            )
    if not args.no_import:
        print("\n== 名册导入（bench/roster_import.py）==", flush=True)
        results["import"] = _roster_import(url, args.import_big)
    if not args.no_load:
        print(f"\n== 压力测试：gunicorn + wrk，{args.load_seconds} 秒 ==", flush=True)
        results["load"] = _run_json(["-m", "bench.load", "--seconds", str(args.load_seconds)], env, "load")
    if not args.no_public:
        print("\n== 公示页（一公开）：缓存命中与压力测试 ==", flush=True)
        results["public"] = _run_json(["-m", "bench.public_page"], env, "public")
    meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    meta["seconds"] = round(time.perf_counter() - started, 1)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    from bench.report import print_table, write_docs

    print_table(results)
    if not args.no_docs:
        write_docs(results, ROOT / "docs" / "benchmarks.md")
        print("\ndocs/benchmarks.md 已更新")
    print(f"JSON: {OUT / 'results.json'}（共 {meta['seconds']:.0f} 秒）")


if __name__ == "__main__":
    main()
