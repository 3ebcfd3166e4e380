"""One dataset's measurements, in one process (called by bench/run.py; BENCH_DATABASE_URL names the database).

    python -m bench.measure --businesses 100000 [--runs 5] [--pages-only] [--json-out FILE]

--pages-only measures the pages alone (roster, dashboard, drill-downs: what the small city's query counts
are compared on), without target_report, the SQL floor and the traces.

Builds the data if missing (bench/generate.py), then measures in-process with Django's test client and
call_command, each figure the median of --runs runs after a warm-up, with the SQL query count of one more
run. Beside the dashboard and `target_report` runs the hand-written SQL floor (FLOOR_SQL): one statement
computing G1, G2, G3 and D1 the way DOMAIN defines them; its numbers must equal target_report's JSON.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import time

from bench.common import median_ms, setup_django

GOAL_MS = 500
TODAY_GOAL_MS = 300  # issue 26: today's figures and their drill-downs, at any size
SLOW_SECONDS = 2.0  # beyond this, a figure is the median of 3 runs whatever --runs says
FLOOR_TARGETS = ("G1", "G2", "G3", "D1")

# The floor: what a DBA would write by hand for G1, G2, G3 and D1 over the active businesses (of one
# village, or of the city), at a date. Same definitions as dashboard/targets.py + evidence.py:
# G1 every required licence held on the date and displayed; G2 a purchase line within the window and, for
# the categories that sell (dashboard/evidence.py SELLING_CATEGORIES), a sales line too; G3 visited
# and the latest visit failed no G3 item; D1 (pharmacies) the latest visit passed a D1 item and failed none.
FLOOR_SQL = """
WITH scoped AS (
  SELECT b.id, b.category_id FROM campaigns_business b
  WHERE b.status NOT IN ('banned', 'closed', 'moved')
    AND (%(village)s::bigint IS NULL OR b.village_id = %(village)s::bigint)
), latest AS (
  SELECT s.id AS business_id, lv.id FROM scoped s CROSS JOIN LATERAL (
    SELECT v.id FROM inspections_visit v
    WHERE v.business_id = s.id AND v.status = 'submitted' AND v.started_at < %(end)s
    ORDER BY v.started_at DESC, v.id DESC LIMIT 1
  ) lv
), flags AS (
  SELECT l.business_id, a.* FROM latest l CROSS JOIN LATERAL (
    SELECT bool_or(a.requirement = 'G3' AND a.answer = 'fail') AS g3_fail,
      bool_or(a.requirement = 'D1' AND a.answer = 'pass') AS d1_pass,
      bool_or(a.requirement = 'D1' AND a.answer = 'fail') AS d1_fail
    FROM inspections_visitanswer a WHERE a.visit_id = l.id AND a.requirement IN ('G3', 'D1')
  ) a
), gap AS (
  SELECT DISTINCT s.id FROM scoped s
  JOIN campaigns_licencerequirement r ON r.category_id = s.category_id
  LEFT JOIN campaigns_business_subtypes bs ON bs.business_id = s.id AND bs.subtype_id = r.subtype_id
  WHERE (r.subtype_id IS NULL OR bs.business_id IS NOT NULL) AND NOT EXISTS (
    SELECT 1 FROM campaigns_licence h WHERE h.business_id = s.id AND h.licence_type_id = r.licence_type_id
      AND h.state IN ('valid', 'temporary') AND (h.issued_on IS NULL OR h.issued_on <= %(day)s)
      AND (h.expires_on IS NULL OR h.expires_on >= %(day)s) AND h.displayed)
)
SELECT count(*),
  count(*) FILTER (WHERE gap.id IS NULL),
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ledgers_ledgerentry e WHERE e.business_id = s.id
    AND e.direction = 'in' AND e.occurred_on BETWEEN %(window)s AND %(day)s)
    AND (c.code NOT IN ('agri', 'workshop', 'grocery', 'pharmacy', 'slaughter')
      OR EXISTS (SELECT 1 FROM ledgers_ledgerentry e WHERE e.business_id = s.id
        AND e.direction = 'out' AND e.occurred_on BETWEEN %(window)s AND %(day)s))),
  count(*) FILTER (WHERE latest.id IS NOT NULL AND NOT coalesce(f.g3_fail, false)),
  count(*) FILTER (WHERE c.code = 'pharmacy'),
  count(*) FILTER (WHERE c.code = 'pharmacy' AND coalesce(f.d1_pass, false)
    AND NOT coalesce(f.d1_fail, false))
FROM scoped s JOIN campaigns_category c ON c.id = s.category_id
LEFT JOIN gap ON gap.id = s.id LEFT JOIN latest ON latest.business_id = s.id
LEFT JOIN flags f ON f.business_id = s.id
"""


# The floor of today's figures since issue 26: one aggregate over the per-business status (the table the
# dashboard and target_report read), every target, for the scope — the least any implementation that
# keeps today's standing must do. Whichever of this and FLOOR_SQL is faster is the scope's floor.
STATUS_FLOOR_SQL = """
SELECT target, count(*) FILTER (WHERE counted), count(*) FILTER (WHERE counted AND met)
FROM dashboard_businesstargetstatus
WHERE (%(village)s::bigint IS NULL OR village_id = %(village)s::bigint)
GROUP BY target
"""
# ... and since issue 24 the totals kept per town × category × target (what the city's figures are summed
# from): one aggregate over them, for the city (a village has no totals of its own). The fastest of the
# floors is the scope's floor.
TOTALS_FLOOR_SQL = """
SELECT target, sum(counted), sum(met) FROM dashboard_targetstatustotal GROUP BY target
"""
# ... and since issue 26 the totals kept per village × category × target (what a town's page, a village's
# and a department's are summed from): one aggregate over the scope's, every target.
VILLAGE_TOTALS_FLOOR_SQL = """
SELECT target, sum(counted), sum(met)
FROM dashboard_targetstatusvillagetotal
WHERE (%(village)s::bigint IS NULL OR village_id = %(village)s::bigint)
GROUP BY target
"""

# A drill-down's floor: the first 50 businesses counted and not meeting one target, in the page's order,
# with their number (one statement over the status, as a DBA would write it).
DRILL_FLOOR_SQL = """
SELECT b.id, count(*) OVER () FROM dashboard_businesstargetstatus s
JOIN campaigns_business b ON b.id = s.business_id
JOIN campaigns_village v ON v.id = b.village_id JOIN campaigns_category c ON c.id = b.category_id
WHERE s.target = %(target)s AND s.counted AND NOT s.met
ORDER BY v."order", c."order", b.name, b.id LIMIT 50
"""
RATIO_GOAL = 3


def with_ratio(row: dict, floor: dict) -> dict:
    """The row's median over its floor's, and whether that is within RATIO_GOAL (issue 26)."""
    row["ratio"] = round(row["median_ms"] / max(floor["median_ms"], 0.1), 1)
    row["floor_id"] = floor["id"]
    row["ratio_goal"] = f"≤ {RATIO_GOAL}× floor"
    row["ratio_met"] = row["ratio"] <= RATIO_GOAL
    return row


class _Counter:
    """An execute wrapper counting the SQL statements run through the connection (CaptureQueriesContext
    reads connection.queries, which every request_started signal clears)."""

    def __init__(self):
        self.n = 0
        self.slowest = (0.0, "")

    def __len__(self):
        return self.n

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            if ms > self.slowest[0]:
                self.slowest = (ms, sql)


def timed(label: str, key: str, fn, runs: int, goal_ms: float | None = GOAL_MS, warmup: int = 1) -> dict:
    """Median of `runs` runs after `warmup`. The SQL queries are counted on the last run (every execute,
    whatever resets the log): the steady state, not the warm-up's first-request work — at both sizes the
    same code path, so the counts must be equal."""
    from django.db import connection

    load = os.getloadavg()[0]  # the 1-minute load when this figure's runs start
    queries = _Counter()
    started = time.perf_counter()
    fn()  # the warm-up (its time tells a slow figure)
    first = time.perf_counter() - started
    if first > SLOW_SECONDS:
        runs = min(runs, 3)  # a figure of several seconds: 3 runs say enough, and keep make bench short
    calls = {"n": 0}

    def counted_last():
        calls["n"] += 1
        if calls["n"] < runs + warmup - 1:
            return fn()
        with connection.execute_wrapper(queries):
            return fn()

    ms = median_ms(counted_last, runs=runs, warmup=warmup - 1)
    row = {"id": key, "measure": label, "median_ms": round(ms, 1), "queries": len(queries), "runs": runs}
    row["load_at_start"] = round(load, 2)
    # Where the time goes: the slowest statement of the counted run (its time, and its start and tables).
    slow_ms, slow_sql = queries.slowest
    row["slowest_query_ms"] = round(slow_ms, 1)
    row["slowest_query"] = " ".join(slow_sql.split())[:160]
    row["first_run_ms"] = round(first * 1000, 1)
    if goal_ms is not None:
        row["goal"] = f"< {goal_ms:g} ms"
        row["met"] = ms < goal_ms
    print(f"  {label:<62} {ms:>9.1f} ms {len(queries):>4} q", flush=True)
    return row


def _get(client, url, params=None):
    def hit():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return hit


def _users():
    from django.contrib.auth import get_user_model

    from accounts.models import RoleAssignment
    from campaigns.models import Town, Village

    User = get_user_model()
    office, _ = User.objects.get_or_create(username="bench-office")
    leader, _ = User.objects.get_or_create(username="bench-leader")
    # Issue 24, town first: a role is held in a town. The bench's office and leader read the whole city as
    # before: each holds its role in every bench town (scoping then filters nothing by town).
    for town in Town.objects.all():
        RoleAssignment.objects.get_or_create(user=office, kind="office", town=town)
        RoleAssignment.objects.get_or_create(user=leader, kind="leader", town=town)
    village = Village.objects.filter(code__startswith="bench-").order_by("pk").first()
    inspector = User.objects.get(username=f"bench-insp-{village.code}")
    return office, leader, inspector, village


def roster_pages(ctx) -> list[dict]:
    from django.urls import reverse

    from campaigns.models import Business, Category

    client, runs = ctx["office_client"], ctx["runs"]
    url = reverse("campaigns:business_list")
    grocery = Category.objects.get(code="grocery").pk
    total = Business.objects.filter(category_id=grocery).count()
    late = max(1, (total + 49) // 50 - 1)  # the last full page (50 a page)
    detail = Business.objects.filter(category__code="pharmacy").order_by("pk").values_list("pk", flat=True)
    detail = detail[min(500, detail.count() - 1)]
    return [
        timed(
            "roster list, filtered (grocery), page 1",
            "roster_p1",
            _get(client, url, {"category": grocery}),
            runs,
        ),
        timed(
            "roster list, filtered (grocery), a late page",
            "roster_late",
            _get(client, url, {"category": grocery, "page": late}),
            runs,
        ),
        timed(
            "roster list, licences incomplete + search",
            "roster_search",
            _get(client, url, {"complete": "no", "q": "便利店"}),
            runs,
        ),
        timed(
            "business detail (pharmacy with ~10 visits)",
            "business_detail",
            _get(client, reverse("campaigns:business_detail", args=[detail])),
            runs,
        ),
    ]


def dashboard(ctx) -> list[dict]:
    from django.db import transaction
    from django.test import override_settings
    from django.urls import reverse

    from dashboard import status
    from dashboard.models import StoredMatrix, TargetStatusState

    url = reverse("dashboard:index")
    runs = ctx["runs"]
    rows = []
    # Today's figures are kept per business (dashboard.status, issue 26): built once as the daily sweep
    # builds them (timed: its worst case, the whole table), then every page aggregates them.
    load = os.getloadavg()[0]
    started = time.perf_counter()
    written = status.rebuild()
    rows.append(
        {
            "id": "status_rebuild",
            "measure": "per-business status: the whole table built (the sweep's worst case), one run",
            "median_ms": round((time.perf_counter() - started) * 1000, 1),
            "runs": 1,
            "rows_written": written,
            "load_at_start": round(load, 2),
        }
    )
    print(f"  {rows[-1]['measure']:<62} {rows[-1]['median_ms']:>9.1f} ms", flush=True)
    # For comparison, the same page with every figure computed for the request (what the app did before
    # the status, and still does for a past date): in a transaction rolled back, so nothing stays changed.
    with transaction.atomic():
        TargetStatusState.objects.all().delete()
        StoredMatrix.objects.all().delete()
        with override_settings(WUXIAO_FIGURES_LIVE_MS=10**9):
            rows.append(
                timed(
                    "dashboard, leader (whole city), every figure computed for the request",
                    "dashboard_city_live",
                    _get(ctx["leader_client"], url),
                    runs,
                    None,
                )
            )
        transaction.set_rollback(True)
    assert status.serves(status.today_ctx()), "the kept status serves today's figures"
    rows.append(
        timed(
            "dashboard, leader (whole city), today (per-business status)",
            "dashboard_city",
            _get(ctx["leader_client"], url),
            runs,
            TODAY_GOAL_MS,
        )
    )
    rows.append(
        timed(
            f"dashboard, inspector of one village ({ctx['village'].code}), today (per-business status)",
            "dashboard_village",
            _get(ctx["inspector_client"], url),
            runs,
            TODAY_GOAL_MS,
        )
    )
    # A past date: computed once and kept (StoredMatrix, "数据截至 …"), as a city's history is served.
    past = {"as_of": str(ctx["today"] - datetime.timedelta(days=30))}
    StoredMatrix.objects.all().delete()
    with override_settings(WUXIAO_FIGURES_LIVE_MS=0):
        ctx["leader_client"].get(url, past)
        rows.append(
            timed(
                "dashboard, leader (whole city), 30 days ago (kept after the first request)",
                "dashboard_city_past",
                _get(ctx["leader_client"], url, past),
                runs,
            )
        )
    StoredMatrix.objects.all().delete()
    # One click from a figure: the businesses not meeting it (today: the kept rows, 50 a page), beside
    # the one statement a DBA would write for the same page.
    from django.db import connection

    drill = reverse("dashboard:drill")
    for target in ("G1", "G3"):

        def drill_floor(t=target):
            with connection.cursor() as cur:
                cur.execute(DRILL_FLOOR_SQL, {"target": t})
                return cur.fetchall()

        floor = timed(
            f"drill-down floor: one statement, first 50 failing {target} and their number",
            f"drill_floor_{target}",
            drill_floor,
            runs,
            None,
        )
        page = timed(
            f"drill-down list, {target} (whole city, first page)",
            f"drill_{target}",
            _get(ctx["leader_client"], drill, {"target": target}),
            runs,
            TODAY_GOAL_MS,
        )
        rows += [with_ratio(page, floor), floor]
    return rows


def _target_report(*args):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("target_report", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def targets_and_floor(ctx) -> list[dict]:
    from django.db import connection
    from django.utils import timezone

    from dashboard import figures as dashboard_figures
    from dashboard import targets
    from dashboard.evidence import _start_of
    from ledgers.selectors import window_days

    runs, village = ctx["runs"], ctx["village"]
    today = timezone.localdate()
    params = {
        "day": today,
        "end": _start_of(today + datetime.timedelta(days=1)),
        "window": today - datetime.timedelta(days=window_days()),
    }
    rows = []
    four = [t for t in targets.available() if t.id in FLOOR_TARGETS]
    for scope, args, village_pk in (
        ("city", (), None),
        (f"village {village.code}", ("--village", village.code), village.pk),
    ):
        key = "city" if village_pk is None else "village"
        kept = timed(
            f"target_report --json ({scope}, kept figures)",
            f"target_report_{key}",
            lambda a=args: _target_report(*a),
            runs,
        )
        report = timed(
            f"target_report --json --live ({scope}, every target computed now)",
            f"target_report_{key}_live",
            lambda a=args: _target_report(*a, "--live"),
            runs,
            None,
        )
        figures = {r["target"]: (r["numerator"], r["denominator"]) for r in _target_report(*args, "--live")}
        qs = dashboard_figures.businesses(village=village if village_pk else None)
        same = timed(
            f"the app's aggregate of the floor's four targets ({scope})",
            f"orm_four_{key}",
            lambda q=qs: dashboard_figures.rows(four, targets.Ctx.at(today), "town", q),
            runs,
            None,
        )

        def floor(v=village_pk):
            with connection.cursor() as cur:
                cur.execute(FLOOR_SQL, {**params, "village": v})
                return cur.fetchone()

        floor_row = timed(
            f"SQL floor: one hand-written query for G1, G2, G3, D1 ({scope})",
            f"floor_{key}",
            floor,
            runs,
            None,
        )
        total, g1, g2, g3, pharmacies, d1 = floor()
        hand = {"G1": (g1, total), "G2": (g2, total), "G3": (g3, total), "D1": (d1, pharmacies)}
        floor_row["figures"] = {t: list(hand[t]) for t in FLOOR_TARGETS}
        floor_row["app_figures"] = {t: list(figures.get(t, (None, None))) for t in FLOOR_TARGETS}
        floor_row["equal"] = all(tuple(figures.get(t, ())) == hand[t] for t in FLOOR_TARGETS)
        if not floor_row["equal"]:
            print(f"  !! 底线SQL与 target_report 结果不一致：{hand} ≠ {floor_row['app_figures']}", flush=True)

        def status_floor(v=village_pk):
            with connection.cursor() as cur:
                cur.execute(STATUS_FLOOR_SQL, {"village": v})
                return cur.fetchall()

        status_row = timed(
            f"status floor: one aggregate over the per-business status, every target ({scope})",
            f"status_floor_{key}",
            status_floor,
            runs,
            None,
        )
        # The kept status must say what target_report says (its figures today come from the same rows).
        kept_report = {r["target"]: (r["numerator"], r["denominator"]) for r in _target_report(*args)}
        counted = {t: (met, n) for t, n, met in status_floor()}
        status_row["equal"] = all(counted.get(t) == kept_report.get(t) for t in counted)
        if not status_row["equal"]:
            print(f"  !! 逐单位状态与 target_report 不一致：{counted} ≠ {kept_report}", flush=True)

        def village_totals_floor(v=village_pk):
            with connection.cursor() as cur:
                cur.execute(VILLAGE_TOTALS_FLOOR_SQL, {"village": v})
                return cur.fetchall()

        village_totals_row = timed(
            f"village totals floor: one aggregate over the kept village totals, every target ({scope})",
            f"village_totals_floor_{key}",
            village_totals_floor,
            runs,
            None,
        )
        summed_v = {t: (int(met), int(n)) for t, n, met in village_totals_floor() if (met, n) != (0, 0)}
        village_totals_row["equal"] = summed_v == {t: v for t, v in counted.items() if v != (0, 0)}
        if not village_totals_row["equal"]:
            print(f"  !! 目标状态村合计与逐单位状态不一致：{summed_v} ≠ {counted}", flush=True)
        floors = [floor_row, status_row, village_totals_row]
        if village_pk is None:  # the city: its totals per town (issue 24)

            def totals_floor():
                with connection.cursor() as cur:
                    cur.execute(TOTALS_FLOOR_SQL)
                    return cur.fetchall()

            totals_row = timed(
                f"totals floor: one aggregate over the kept totals, every target ({scope})",
                f"totals_floor_{key}",
                totals_floor,
                runs,
                None,
            )
            summed = {t: (int(met), int(n)) for t, n, met in totals_floor() if (met, n) != (0, 0)}
            totals_row["equal"] = summed == {t: v for t, v in counted.items() if v != (0, 0)}
            if not totals_row["equal"]:
                print(f"  !! 目标状态合计与逐单位状态不一致：{summed} ≠ {counted}", flush=True)
            floors.append(totals_row)
        best = min(floors, key=lambda r: r["median_ms"])
        # What users call, each beside the floor of its scope: the kept report beside the least work
        # (best); the live report and the app's four-target aggregate compute from the evidence, beside
        # the hand-written SQL over the same raw tables.
        with_ratio(kept, best)
        for row in (report, same):
            with_ratio(row, floor_row)
        rows += [kept, report, same, *floors]
        ctx[f"floor_{key}"] = best
        # A dashboard splits its figures by village × category: the totals per town cannot serve it, so
        # its least work is the village totals', the rows' aggregate or the raw tables' SQL, the fastest.
        page_floors = (floor_row, status_row, village_totals_row)
        ctx[f"page_floor_{key}"] = min(page_floors, key=lambda r: r["median_ms"])
        ctx[f"raw_floor_{key}"] = floor_row
    # The dashboard pages beside the floor of their scope (the dashboard computes every target, the floor 4).
    return rows


def traces(ctx) -> list[dict]:
    from django.urls import reverse

    from ledgers.models import LedgerEntry
    from ledgers.trace import trace_backward, trace_forward

    runs = ctx["runs"]
    sample = (
        LedgerEntry.objects.filter(product_key="农药42号", direction="in", supplier_business__isnull=False)
        .order_by("pk")
        .first()
    )
    if sample is None:
        return []
    supplier = sample.supplier_name
    rows = [
        timed(
            "trace forward: product + batch (whole ledger)",
            "trace_forward",
            lambda: trace_forward(product=sample.product_key, batch=sample.batch),
            runs,
        ),
        timed(
            "trace forward: supplier (town wholesaler) + product",
            "trace_forward_supplier",
            lambda: trace_forward(product=sample.product_key, supplier=supplier),
            runs,
        ),
        timed(
            "trace backward: business + product",
            "trace_backward",
            lambda: trace_backward(business=sample.business, product=sample.product_key),
            runs,
        ),
        timed(
            "trace page (forward, product + batch), office",
            "trace_page",
            _get(
                ctx["office_client"],
                reverse("ledgers:trace"),
                {"mode": "forward", "product": sample.product_key, "batch": sample.batch},
            ),
            runs,
        ),
    ]
    return rows


SECTIONS = [
    ("Roster pages", roster_pages),
    ("Dashboard", dashboard),
    ("target_report and the SQL floor", targets_and_floor),
    ("Ledger traces", traces),
]


PAGE_SECTIONS = ("Roster pages", "Dashboard")


def sections(pages_only: bool) -> list:
    """The sections to measure: every one, or with --pages-only the pages alone."""
    return [(name, fn) for name, fn in SECTIONS if not pages_only or name in PAGE_SECTIONS]


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json-out")
    parser.add_argument(
        "--pages-only", action="store_true", help="the pages alone: no target_report, SQL floor or traces"
    )
    return parser


def main(argv=None) -> None:
    args = parser().parse_args(argv)

    from bench import generate

    started = time.perf_counter()
    dataset = generate.main([f"--businesses={args.businesses}"])
    build_seconds = round(time.perf_counter() - started, 1)
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("collectstatic", interactive=False, verbosity=0)  # production static storage (manifest)
    office, leader, inspector, village = _users()
    clients = {}
    for name, user in (("office", office), ("leader", leader), ("inspector", inspector)):
        clients[f"{name}_client"] = Client()
        clients[f"{name}_client"].force_login(user)
    ctx = {"runs": args.runs, "village": village, "today": timezone.localdate(), **clients}
    results = {}
    for section, fn in sections(args.pages_only):
        print(f"\n{section}", flush=True)
        results[section] = fn(ctx)
    # The dashboards beside the floor of their scope: today's (the kept status) beside the least work; the
    # page computed for the request beside the hand-written SQL over the raw tables.
    for row in results.get("Dashboard", []):
        if row["id"] == "dashboard_city_live" and "raw_floor_city" in ctx:
            with_ratio(row, ctx["raw_floor_city"])
        elif row["id"] == "dashboard_city" and "page_floor_city" in ctx:
            with_ratio(row, ctx["page_floor_city"])
        elif row["id"] == "dashboard_village" and "page_floor_village" in ctx:
            with_ratio(row, ctx["page_floor_village"])
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    out = {
        "dataset": dataset,
        "build_seconds": build_seconds,
        "postgresql": pg,
        "database_size": size,
        "sections": results,
    }
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=2, default=str)


if __name__ == "__main__":
    main()
