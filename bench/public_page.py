"""The public page behind the QR placards (一公开, issue 25): how fast it answers from the cache.

    python -m bench.public_page [--seconds 15] [--businesses 120] [--json-out FILE] [--docs]

A database of its own (BENCH_DATABASE_URL with the suffix _public; PostgreSQL) holding the demo town
(`seed_demo`, built once and reused), and the production cache: Redis at REDIS_URL (default
redis://127.0.0.1:6379/0), shared by every gunicorn worker as in production.

1. In-process, Django's test client (the whole request: middleware, rate limit, cache, template): the
   median of a cached hit and of a miss (the unit's stamp touched before each run, so the page is rebuilt
   from the database), each with its SQL query count (a hit must make none).
2. Under load: gunicorn (2 × cores workers) on 127.0.0.1 and wrk cycling through every unit's address
   (`/p/<code>/`) for --seconds: requests/s, p50/p95/p99, every status that is not 200. The per-address
   limit is lifted for this run (wrk is one address; the limit's own cost, one cache INCR, is in every
   request all the same).

The load average before and after is recorded: on a shared machine the figures are a floor, not a ceiling.
With --docs the section of docs/benchmarks.md about this page is rewritten from the result (bench/report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import DEFAULT_DB, ROOT

LUA = r"""
local paths = {__PATHS__}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = 0
  bad = 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) % #paths) + 1])
end

function response(status, hdrs, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("bad") end
  io.write(string.format(
    'JSON:{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.0f,"not_200":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e))
end
"""


def _database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    base, name = url.rsplit("/", 1)
    return f"{base}/{name}_public"


def _setup(limit_lifted: bool) -> None:
    os.environ["DATABASE_URL"] = _database_url()
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    if limit_lifted:
        os.environ["WUXIAO_PUBLIC_RATE_PER_MINUTE"] = str(10**9)
    from bench.common import ensure_database, setup_django

    setup_django()
    ensure_database()


def _codes(businesses: int) -> list[str]:
    from django.core.management import call_command

    from inspections.models import PublicCode

    if not PublicCode.objects.filter(retired_at__isnull=True).exists():
        print(f"seed_demo --businesses {businesses} …", flush=True)
        call_command("seed_demo", businesses=businesses, verbosity=0)
    return list(
        PublicCode.objects.filter(retired_at__isnull=True).order_by("pk").values_list("code", flat=True)
    )


def _in_process(codes: list[str], runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspections.models import PublicCode
    from lib import stamps

    client = Client()
    business_of = dict(PublicCode.objects.filter(code__in=codes).values_list("code", "business_id"))
    sample = codes[: min(len(codes), 50)]

    def timed(code: str, *, miss: bool) -> tuple[float, int]:
        url = reverse("public:unit", args=[code])
        if miss:
            stamps.touch(stamps.PUBLIC_PAGE, [business_of[code]])
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries)

    for code in sample:  # warm: every sampled page cached once
        timed(code, miss=False)
    hits, misses, hit_queries, miss_queries = [], [], set(), set()
    for _ in range(runs):
        for code in sample:
            ms, n = timed(code, miss=False)
            hits.append(ms)
            hit_queries.add(n)
            ms, n = timed(code, miss=True)
            misses.append(ms)
            miss_queries.add(n)
            timed(code, miss=False)  # cached again for the next round
    return {
        "pages": len(sample),
        "runs": runs,
        "hit_median_ms": round(statistics.median(hits), 2),
        "hit_queries": sorted(hit_queries),
        "miss_median_ms": round(statistics.median(misses), 2),
        "miss_queries": sorted(miss_queries),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(codes: list[str], seconds: int) -> dict:
    from django.db import connections
    from django.urls import reverse

    connections.close_all()
    cores = os.cpu_count() or 1
    workers = 2 * cores
    connections_n = 2 * workers
    port = _free_port()
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "wuxiao.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    paths = [reverse("public:unit", args=[c]) for c in codes]
    result: dict = {"workers": workers, "connections": connections_n, "seconds": seconds, "pages": len(paths)}
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + paths[0], timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for path in paths:  # every page cached once, as after the first scans of the day
            urllib.request.urlopen(base + path, timeout=10)
        result["load_before"] = [round(x, 2) for x in os.getloadavg()]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
            fh.write(LUA.replace("__PATHS__", ", ".join(f'"{p}"' for p in paths)))
            script = fh.name
        try:
            proc = subprocess.run(
                [
                    "wrk",
                    f"-t{connections_n}",
                    f"-c{connections_n}",
                    f"-d{seconds}s",
                    "--latency",
                    "-s",
                    script,
                    base,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            os.unlink(script)
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
        line = next((x for x in proc.stdout.splitlines() if x.startswith("JSON:")), None)
        if line is None:
            raise SystemExit(f"wrk 没有输出结果：{proc.stdout}\n{proc.stderr}")
        w = json.loads(line[5:])
        secs = w["duration_us"] / 1e6
        result.update(
            {
                "requests": w["requests"],
                "requests_per_s": round(w["requests"] / secs, 1) if secs else 0,
                "p50_ms": round(w["p50_us"] / 1000, 2),
                "p95_ms": round(w["p95_us"] / 1000, 2),
                "p99_ms": round(w["p99_us"] / 1000, 2),
                "max_ms": round(w["max_us"] / 1000, 2),
                "not_200": w["not_200"],
                "socket_errors": sum(w[k] for k in ("connect", "read", "write", "timeout")),
            }
        )
        print(proc.stdout)
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
        result["server_errors"] = [x for x in (err or "").splitlines() if "Traceback" in x or "ERROR" in x][
            :20
        ]
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--businesses", type=int, default=120, help="demo units (seed_demo), built once")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json-out")
    parser.add_argument(
        "--docs", action="store_true", help="rewrite this page's section of docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("需要 wrk：sudo apt-get install wrk（Debian/Ubuntu 软件包 wrk）")
    _setup(limit_lifted=True)
    from django.conf import settings

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        raise SystemExit("需要 Redis 缓存：请设置 REDIS_URL=redis://127.0.0.1:6379/<db>")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest storage
    codes = _codes(args.businesses)
    result = {
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "in_process": _in_process(codes, args.runs),
    }
    print(json.dumps(result["in_process"], ensure_ascii=False), flush=True)
    result["load"] = _load(codes, args.seconds)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    lo = result["load"]
    print(
        f"public page: hit {result['in_process']['hit_median_ms']} ms ({result['in_process']['hit_queries']} "
        f"queries), miss {result['in_process']['miss_median_ms']} ms; "
        f"under load {lo['requests_per_s']} req/s, "
        f"p50 {lo['p50_ms']} ms, p99 {lo['p99_ms']} ms, not 200: {lo['not_200']}, load {lo['load_before']} → "
        f"{lo['load_after']}",
        flush=True,
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if args.docs:
        from bench.report import write_public_section

        write_public_section(result, ROOT / "docs" / "benchmarks.md")
        print("docs/benchmarks.md 已更新（公示页一节）")


if __name__ == "__main__":
    main()
