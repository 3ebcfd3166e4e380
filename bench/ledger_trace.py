"""Time traces and a business's ledger page on a large synthetic ledger in PostgreSQL (issue 6, "Speed").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuxiao_bench .venv/bin/python bench/ledger_trace.py \
        --rows 10000000 [--businesses 2000] [--keep]

Migrates the database, fills ledgers_ledgerentry with --rows synthetic lines over --businesses businesses
(INSERT ... SELECT generate_series, so 10M rows take minutes, not hours), ANALYZEs, then times each read
several times and prints the median with the EXPLAIN plan's index names. A second run with the same
--rows reuses the data. Not a test: numbers go in the benchmark report.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuxiao.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PRODUCTS = 5000
BATCHES = 50


def fill(rows: int, businesses: int, refill: bool = False) -> None:
    from campaigns.models import Business, Category, Town, Village
    from ledgers.models import LedgerEntry

    if not refill and LedgerEntry.objects.count() >= rows:
        print(f"reusing {LedgerEntry.objects.count():,} rows")
        return
    town, _ = Town.objects.get_or_create(code="bench", defaults={"name": "基准镇"})
    village, _ = Village.objects.get_or_create(code="bench-v", defaults={"town": town, "name": "基准村"})
    agri = Category.objects.get(code="agri")
    have = Business.objects.filter(village=village).count()
    Business.objects.bulk_create(
        Business(name=f"基准农资店{i}", category=agri, village=village, operator="张三")
        for i in range(have, businesses)
    )
    started = time.perf_counter()
    with connection.cursor() as cur:
        # Build the indexes once after the load: maintaining them row by row is what makes a bulk load slow.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledgers_ledgerentry' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        cur.execute("TRUNCATE ledgers_ledgeralert, ledgers_ledgerentry")
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute(
            "SELECT array_agg(id ORDER BY id) FROM campaigns_business WHERE village_id = %s", [village.pk]
        )
        ids = cur.fetchone()[0]
        step = 1_000_000
        for offset in range(0, rows, step):
            n = min(step, rows - offset)
            cur.execute(
                f"""
                INSERT INTO ledgers_ledgerentry (
                  business_id, direction, occurred_on, product_name, product_key, specification, kind,
                  quantity, unit, batch, batch_key, production_date, shelf_life_days, expiry_date,
                  registration_number, supplier_name, supplier_key, supplier_code, supplier_business_id,
                  certificate_collected, certificate_kind, invoice_collected, buyer_name, buyer_key,
                  buyer_business_id, note, flag_no_registration, flag_expired_sale, flag_no_certificate,
                  flag_no_invoice, entered_by_id, entered_at)
                SELECT (%(ids)s::bigint[])[1 + ((i / 3) * 104729) %% %(nb)s],
                  CASE WHEN (i / 7) %% 3 = 0 THEN 'out' ELSE 'in' END,
                  current_date - (i %% 730)::int,
                  '农药' || ((i * 7919) %% {PRODUCTS}) || '号', '农药' || ((i * 7919) %% {PRODUCTS}) || '号',
                  '', 'pesticide', 1 + (i %% 50), '瓶',
                  'B' || ((i / 11) %% {BATCHES}), 'B' || ((i / 11) %% {BATCHES}),
                  NULL, NULL, NULL, 'PD2008' || (i %% 1000),
                  CASE WHEN (i / 7) %% 3 = 0 THEN '' ELSE '供货商' || (i %% 300) END,
                  CASE WHEN (i / 7) %% 3 = 0 THEN '' ELSE '供货商' || (i %% 300) END,
                  '', NULL, i %% 5 <> 0, '', i %% 7 <> 0,
                  CASE WHEN (i / 7) %% 3 = 0 THEN '农户' || (i %% 5000) ELSE '' END,
                  CASE WHEN (i / 7) %% 3 = 0 THEN '农户' || (i %% 5000) ELSE '' END,
                  NULL, '', false, false, i %% 5 = 0, i %% 7 = 0, NULL, now()
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS i
                """,
                {"ids": ids, "nb": len(ids), "lo": offset, "hi": offset + n - 1},
            )
            print(f"  {offset + n:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        for name, definition in indexes:
            cur.execute(definition)
            print(f"  index {name} ({time.perf_counter() - started:.0f} s)", flush=True)
        cur.execute("VACUUM ANALYZE ledgers_ledgerentry")
    print(f"filled {rows:,} rows in {time.perf_counter() - started:.0f} s")


def timed(label: str, fn, repeat: int = 5) -> None:
    fn()  # warm the cache: the figure is for a page someone opens, not the first read after a restart
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    print(
        f"{label:<52} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms  {len(ctx)} queries"
    )
    return ctx.captured_queries


def explain(sql: str) -> None:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql)
        plan = [row[0] for row in cur.fetchall()]
    indexes = sorted({w for line in plan for w in line.replace("(", " ").split() if w.startswith("ledger_")})
    print("    indexes:", ", ".join(indexes) or "none (sequential scan)")
    print("    " + plan[-1].strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--businesses", type=int, default=2000)
    parser.add_argument("--refill", action="store_true", help="regenerate the rows even if enough exist")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE summaries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about PostgreSQL's plans.")
    call_command("migrate", verbosity=0)
    fill(args.rows, args.businesses, args.refill)

    from campaigns.models import Business
    from ledgers.models import LedgerEntry
    from ledgers.selectors import ledger_entries, ledger_rates, with_ledger_metrics
    from ledgers.trace import trace_a6, trace_backward, trace_forward

    # A product, one of its batches, and a business that bought it: traces that find something.
    sample = LedgerEntry.objects.filter(product_key="农药42号", direction="in").order_by("pk").first()
    business, batch = sample.business, sample.batch
    queries = {}
    queries["forward"] = timed(
        "forward trace: product + batch", lambda: trace_forward(product="农药42号", batch=batch)
    )
    queries["forward_all"] = timed(
        "forward trace: product, since 90 days",
        lambda: trace_forward(product="农药42号", since=_days_ago(90)),
    )
    queries["backward"] = timed(
        "backward trace: business + product", lambda: trace_backward(business=business, product="农药42号")
    )
    queries["a6"] = timed(
        "A6: pesticide, 30-day window", lambda: trace_a6(product="农药42号", since=_days_ago(30))
    )
    queries["page"] = timed(
        "business ledger page (first 50 lines)", lambda: list(ledger_entries(business=business)[:50])
    )
    timed("business ledger page count", lambda: ledger_entries(business=business).count())
    timed(
        "metrics for 200 businesses (one query)",
        lambda: list(with_ledger_metrics(Business.objects.filter(village__code="bench-v")[:200])),
    )
    timed("rates over all businesses", lambda: ledger_rates(Business.objects.all()), repeat=3)
    if args.explain:
        for name in ("forward", "backward", "a6", "page"):
            print(f"EXPLAIN {name}:")
            sql = max(queries[name], key=lambda q: ("ledgers_ledgerentry" in q["sql"], len(q["sql"])))["sql"]
            explain(sql)


def _days_ago(n):
    import datetime

    return datetime.date.today() - datetime.timedelta(days=n)


if __name__ == "__main__":
    main()
