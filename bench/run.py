"""make bench: build the synthetic city if missing, measure, print a table, write JSON and docs/benchmarks.md.

Each figure is the median of several runs on PostgreSQL, in-process through Django's test client (the
full request: middleware, scoping, templates), with the SQL query count of the same request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime

from bench.common import OUT, ROOT, median_ms, setup_django

MEASURES = []  # (section, function(ctx) -> list of rows); sections add themselves below


def measure(section):
    def register(fn):
        MEASURES.append((section, fn))
        return fn

    return register


def _page(ctx, label, url, params=None, goal_ms=500):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = ctx["client"]

    def hit():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)

    ms = median_ms(hit, runs=ctx["runs"])
    with CaptureQueriesContext(connection) as queries:
        hit()
    return {
        "measure": label,
        "median_ms": round(ms, 1),
        "queries": len(queries),
        "goal": f"< {goal_ms} ms",
        "met": ms < goal_ms,
    }


@measure("Roster pages")
def roster_pages(ctx):
    from django.urls import reverse

    from campaigns.models import Business, Category

    url = reverse("campaigns:business_list")
    grocery = Category.objects.get(code="grocery").pk
    total = Business.objects.filter(category_id=grocery).count()
    last_page = max(1, (total + 49) // 50)
    detail = (
        Business.objects.filter(category__code="pharmacy").order_by("pk").values_list("pk", flat=True)[500]
    )
    return [
        _page(ctx, "roster list, filtered (grocery), page 1", url, {"category": grocery}),
        _page(
            ctx,
            f"roster list, filtered (grocery), page {last_page} (last)",
            url,
            {"category": grocery, "page": last_page},
        ),
        _page(ctx, "roster list, licences incomplete + search", url, {"complete": "no", "q": "便利店"}),
        _page(ctx, "business detail", reverse("campaigns:business_detail", args=[detail])),
    ]


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {pg}; "
        f"load average {load:.1f} when the run started (above the core count, figures are inflated)"
    )


def write_docs(results, meta) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (bench/run.py); never written by hand. Each figure is the median of "
        f"{meta['runs']} runs after a warm-up, on PostgreSQL, through Django's test client in-process "
        "(middleware, scoping, templates included; no network). `queries` is the SQL query count of the same "
        "request — the tests assert that it does not grow with the data.",
        "",
        f"- Run at: {meta['at']}",
        f"- Machine: {meta['machine']}",
        f"- Data: {meta['dataset']}",
        "",
    ]
    for section, rows in results.items():
        lines += [
            f"## {section}",
            "",
            "| measure | median (ms) | SQL queries | goal | met |",
            "|---|---:|---:|---|---|",
        ]
        for r in rows:
            lines.append(
                f"| {r['measure']} | {r['median_ms']} | {r.get('queries', '')} | {r.get('goal', '')} | "
                f"{'yes' if r.get('met') else 'NO'} |"
            )
        lines.append("")
    extra = ROOT / "docs" / "benchmarks-notes.md"
    if extra.exists():
        lines += [extra.read_text()]
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="run only sections whose name contains this text")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    from bench import generate

    counts = generate.main([f"--businesses={args.businesses}"])
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # production static storage (manifest)
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-office", defaults={"is_superuser": True})
    client = Client()
    client.force_login(user)
    ctx = {"client": client, "runs": args.runs, "user": user, "counts": counts}
    results = {}
    for section, fn in MEASURES:
        if args.only and args.only not in section:
            continue
        rows = fn(ctx)
        results[section] = rows
        print(f"\n{section}")
        for r in rows:
            print(
                f"  {r['measure']:<60} {r['median_ms']:>9} ms  {r.get('queries', ''):>4} q  "
                f"{r.get('goal', '')} {'✓' if r.get('met') else '✗'}"
            )
    from campaigns.models import Business, Licence

    meta = {
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "runs": args.runs,
        "dataset": f"{Business.objects.count():,} businesses, {Licence.objects.count():,} licences",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2)
    )
    if not args.no_docs:
        write_docs(results, meta)
    print(f"\nJSON: {OUT / 'results.json'}")


if __name__ == "__main__":
    sys.exit(main())
