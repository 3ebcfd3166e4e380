"""The table on the terminal and docs/benchmarks.md, both written from bench/out/results.json."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

GOAL_TEXT = {
    "pages": "under 500 ms at the default size (100,000 businesses); today's figures and drill-downs under "
    "300 ms",
    "ratio": "what users call (dashboard at each scope, target_report kept and --live, each drill-down) "
    "within 3× of the floor of its scope",
    "growth": "today's figures and every list page grow less than 2× per 10× of N",
    "reads": "the read mix at ≥ 60 requests/s with p95 < 300 ms (2 cores, 4 workers)",
    "import": "roster import within 3× of its floor",
    "queries": "every page's query count equal at both sizes (same code path)",
    "load": "zero errors under load",
}


def _rows(results: dict, key: str) -> list[dict]:
    data = results.get(key) or {}
    return [row for rows in (data.get("sections") or {}).values() for row in rows]


def _fmt(x, digits=1) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def loaded(load: float | None, cores: int | None) -> bool:
    """A figure measured while the 1-minute load average was above the core count: other processes shared
    the CPU, so its time is inflated."""
    return load is not None and load > (cores or 1)


def _load_cell(row: dict, cores: int | None) -> str:
    load = row.get("load_at_start")
    if load is None:
        return "—"
    return f"{load:.1f} **loaded**" if loaded(load, cores) else f"{load:.1f}"


def _met(row) -> str:
    if "met" not in row:
        return ""
    return "yes" if row["met"] else "**no**"


def print_table(results: dict) -> None:
    small = {r["id"]: r for r in _rows(results, "small")}
    print(f"\n{'measure':<66}{'median ms':>11}{'queries':>9}{'small N':>9}{'ratio':>8}  goal")
    for row in _rows(results, "city"):
        s = small.get(row["id"], {})
        print(
            f"{row['measure'][:65]:<66}{_fmt(row['median_ms']):>11}{_fmt(row.get('queries')):>9}"
            f"{_fmt(s.get('queries')):>9}{_fmt(row.get('ratio')):>8}  {row.get('goal', '')} {_met(row)}"
        )
    for row in (results.get("import") or {}).get("rows", []):
        print(f"{row['measure'][:65]:<66}{_fmt(row['median_ms']):>11}{'':>18}{_fmt(row.get('ratio')):>8}")
    load = results.get("load")
    if load:
        s = load["submit"]
        print(
            f"\nload: {s['requests_per_s']} requests/s, {s['visits_per_s']} visits submitted/s, p50 "
            f"{s['p50_ms']} "
            f"p95 {s['p95_ms']} p99 {s['p99_ms']} ms, non-2xx/3xx {s['non_2xx_3xx']}, socket errors "
            f"{s['socket_errors']}, visits in the database {load['visits_submitted']}"
        )


def _queries_flat(results) -> tuple[bool, list[str]]:
    grown = []
    for key in ("small", "mid"):
        other = {r["id"]: r for r in _rows(results, key)}
        n = (results.get(key) or {}).get("dataset", {}).get("businesses")
        for row in _rows(results, "city"):
            s = other.get(row["id"])
            if s and row.get("queries") is not None and row["queries"] != s.get("queries"):
                at = f" at {n:,}" if n else ""
                grown.append(f"{row['measure']} ({s['queries']}{at} → {row['queries']})")
    return not grown, grown


# Issue 26: what must grow less than 2× per 10× of N — today's figures and every list page.
GROWTH_GOAL = 2.0
GROWTH_IDS = (
    "roster_p1",
    "roster_late",
    "roster_search",
    "dashboard_city",
    "dashboard_village",
    "drill_G1",
    "drill_G3",
    "target_report_city",
    "target_report_village",
    "trace_page",
)


def growth_rows(results: dict) -> list[dict]:
    """Each measure at the three sizes, with its growth factor per 10× of N (from the smaller to the next)."""
    sizes = [
        (key, (results.get(key) or {}).get("dataset", {}).get("businesses"))
        for key in ("small", "mid", "city")
    ]
    if not all(n for _key, n in sizes):
        return []
    by_size = {key: {r["id"]: r for r in _rows(results, key)} for key, _n in sizes}
    out = []
    for row in _rows(results, "city"):
        ms = [by_size[key].get(row["id"], {}).get("median_ms") for key, _n in sizes]
        if None in ms:
            continue
        factors = []
        for (_a, na), (_b, nb), ma, mb in zip(sizes, sizes[1:], ms, ms[1:], strict=False):
            # per 10× of N: (mb / ma) ** (1 / log10(nb / na)) — the plain ratio when the sizes are 10× apart
            decades = math.log10(nb / na) if nb > na else 1.0
            factors.append(round((max(mb, 0.1) / max(ma, 0.1)) ** (1 / decades), 2))
        item = {"id": row["id"], "measure": row["measure"], "ms": ms, "factors": factors}
        if row["id"] in GROWTH_IDS:
            item["met"] = max(factors) < GROWTH_GOAL
        out.append(item)
    return out


def growth_section(results: dict) -> list[str]:
    rows = growth_rows(results)
    if not rows:
        return []
    ns = [(results.get(k) or {}).get("dataset", {}).get("businesses") for k in ("small", "mid", "city")]
    lines = [
        "## Growth with N",
        "",
        f"The same measures on three cities generated from the same seed ({', '.join(_fmt(n) for n in ns)} "
        "businesses), in one run. *×10* is the time at the larger size over the time at the smaller, per 10× "
        f"of N; the goal ({GOAL_TEXT['growth']}) applies to the rows with a *met* cell.",
        "",
        f"| measure | {' | '.join(_fmt(n) for n in ns)} (ms) | ×10 ({_fmt(ns[0])}→{_fmt(ns[1])}) | "
        f"×10 ({_fmt(ns[1])}→{_fmt(ns[2])}) | met |",
        "|---|" + "---:|" * (len(ns) + 2) + "---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['measure']} | {' | '.join(_fmt(m) for m in r['ms'])} | "
            f"{' | '.join(f'{f:.2f}' for f in r['factors'])} | {_met(r)} |"
        )
    return [*lines, ""]


def import_section(imp: dict) -> list[str]:
    """The "## Roster import" section of docs/benchmarks.md (also rewritten alone: run.py --import-only)."""
    lines = [
        "## Roster import (bench/roster_import.py)",
        "",
        "PostgreSQL scratch database; the floor reads the workbook with python-calamine and writes it "
        "with one bulk_create per table (no validation, matching or audit); the import validates every "
        "row, matches it by key and writes an audit row per business and licence, 5,000 rows at a time "
        "in one transaction (memory flat); the export streams with XlsxWriter's constant-memory mode. "
        "The 100,000-row runs are one run each, in their own process (peak RSS = ru_maxrss). The .xls "
        "rows read the same workbook converted by LibreOffice to Excel 97–2003 (.xls), floor and import "
        "alike. Full output: bench/out/roster_import.txt.",
    ]
    if imp.get("at"):
        lines += [
            "",
            f"Measured {imp['at']} at commit {imp.get('commit', '?')}; load average (1, 5, 15 min) "
            f"before: {imp.get('load_before')}, after: {imp.get('load_after')}, on {imp.get('cores', '?')} "
            "cores (a shared, loaded machine inflates both the floor and the import).",
        ]
    lines += [
        "",
        "| measure | median (ms) | ratio to floor | peak RSS (MB) | goal | met | load |",
        "|---|---:|---:|---:|---|---|---:|",
    ]
    for row in imp["rows"]:
        lines.append(
            f"| {row['measure']} | {_fmt(row['median_ms'])} | {_fmt(row.get('ratio'), 2)} | "
            f"{_fmt(row.get('peak_rss_mb'), 0)} | {row.get('goal', '')} | {_met(row)} | "
            f"{_load_cell(row, imp.get('cores'))} |"
        )
    return lines


def replace_import_section(imp: dict, path: Path) -> None:
    """Rewrite only the roster import section of an existing docs/benchmarks.md; the rest stays."""
    text = path.read_text()
    head, sep, rest = text.partition("## Roster import (bench/roster_import.py)")
    if not sep:
        raise SystemExit("docs/benchmarks.md has no roster import section: run make bench")
    tail = rest[rest.index("\n## ") :] if "\n## " in rest else "\n"
    section = import_section(imp)
    # Rows this run did not measure (the 100,000-row runs need --import-big) stay, marked as earlier.
    measured = {line.split(" | ")[0] for line in section if line.startswith("| ")}
    earlier = [
        line if "(earlier run)" in line else line.replace(" |", " (earlier run) |", 1)
        for line in rest[: len(rest) - len(tail)].splitlines()
        if line.startswith("| roster") and line.split(" | ")[0] not in measured
    ]
    path.write_text(head + "\n".join(section + earlier) + "\n" + tail)


def write_docs(results: dict, path: Path) -> None:
    meta = results["meta"]
    m = meta["machine"]
    city = results.get("city") or {}
    ds = city.get("dataset", {})
    counts = ds.get("counts", {})
    small = {r["id"]: r for r in _rows(results, "small")}
    small_n = (results.get("small") or {}).get("dataset", {}).get("businesses")
    run_loaded = loaded(meta["load_before"][0], m["cores"])
    lines = [
        "# Benchmarks",
        "",
        *(
            [
                f"**Loaded run**: the 1-minute load average was {meta['load_before'][0]} at the start, above "
                f"the {m['cores']} cores; the times below are inflated by other processes and are not the "
                "reference figures. Figures whose own start saw such a load are marked **loaded**.",
                "",
            ]
            if run_loaded
            else []
        ),
        "Written by `make bench` (bench/run.py → bench/report.py) from `bench/out/results.json`: every "
        "number "
        "below is measured, none is typed by hand. Rerun `make bench` to refresh it; the lead's reference "
        "run "
        "is on a quiet machine (a shared, loaded machine inflates every time below).",
        "",
        "## Machine and run",
        "",
        f"- Date: {meta['at']}, commit {m['commit']}",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_mb']:,} MB; Python {m['python']}; "
        f"PostgreSQL {city.get('postgresql', '?')}",
        f"- Load average (1, 5, 15 min) before: {meta['load_before']}, after: {meta.get('load_after')} — "
        + (
            f"the 1-minute load before the run was above the core count ({m['cores']}): other processes "
            "shared the CPU and the figures are inflated"
            if run_loaded
            else f"below the core count ({m['cores']}) before the run: a quiet machine (the load during the "
            "run is the benchmark's own)"
        ),
        f"- Whole run: {meta.get('seconds', 0):.0f} s; data {'reused' if ds.get('reused') else 'built'} "
        f"(build time when it was built: {ds.get('seconds_total', '?')} s)",
        "",
        "## The data",
        "",
        f"bench/generate.py, seed {ds.get('seed')}, dates up to {ds.get('anchor')} (database "
        f"{city.get('database_size', '?')}): "
        f"{_fmt(counts.get('towns'))} towns, {_fmt(counts.get('villages'))} villages, "
        f"{_fmt(counts.get('businesses'))} businesses, {_fmt(counts.get('licences'))} licences, "
        f"{_fmt(counts.get('visits'))} submitted visits with {_fmt(counts.get('visit_answers'))} answers, "
        f"{_fmt(counts.get('licence_checks'))} licence checks and {_fmt(counts.get('visit_photos'))} photos, "
        f"{_fmt(counts.get('orders'))} rectification orders, {_fmt(counts.get('ledger_lines'))} ledger "
        "lines, "
        f"{_fmt(counts.get('unlicensed_cases'))} unlicensed cases, {_fmt(counts.get('tipoffs'))} tip-offs, "
        f"{_fmt(counts.get('samples'))} samples. What each table holds is described in bench/city.py.",
        "",
    ]
    steps = counts.get("seconds_by_step") or {}
    if steps:
        lines += [
            "Build time per table (seconds; roster by COPY from Python, the rest INSERT … SELECT on the "
            "server, "
            "indexes rebuilt once at the end): "
            + ", ".join(
                f"{k} {v}"
                for k, v in sorted(
                    [("roster", counts.get("seconds_roster") or 0), *steps.items()], key=lambda kv: -kv[1]
                )
            )
            + f", VACUUM ANALYZE {counts.get('seconds_vacuum_analyze')}.",
            "",
        ]
    lines += [
        "## Pages, reports and traces",
        "",
        f"Median of {meta['runs']} runs (3 for figures over 2 s) after one warm-up, in-process through "
        "Django's test client (the whole "
        "request: middleware, session, scoping, templates; no network), production settings (DEBUG off, "
        "manifest static files). *Queries* is the SQL query count of the same request at this size, "
        f"*small N* at {_fmt(small_n)} businesses (bench/run.py `--small`): they must be equal. *Ratio* is "
        "the median over the SQL floor's median for the same scope. *Load* is the 1-minute load average "
        f"when the figure's runs started (**loaded** above the {m['cores']} cores).",
        "",
        "| measure | median (ms) | queries | queries, small N | ratio to floor | goal | met | load |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    for row in _rows(results, "city"):
        s = small.get(row["id"], {})
        ratio = None if row["id"].endswith("_cached") else row.get("ratio")
        ratio_cell = _fmt(ratio)
        if "ratio_met" in row:
            ratio_cell = ratio_cell if row["ratio_met"] else f"**{ratio_cell}** (> {3}×)"
        lines.append(
            f"| {row['measure']} | {_fmt(row['median_ms'])} | {_fmt(row.get('queries'))} | "
            f"{_fmt(s.get('queries'))} | {ratio_cell} | "
            f"{row.get('goal', '')} | {_met(row)} | {_load_cell(row, m['cores'])} |"
        )
    lines += ["", "What the rows mean:", ""]
    lines += [
        "- *roster list*: `/campaigns/businesses/` filtered by category (50 a page), its first and a late "
        "page, "
        "and the licences-incomplete filter with a name search, as the office;",
        "- *business detail*: one pharmacy's page (its licences, visits, orders) as the office;",
        "- *per-business status*: dashboard.status.rebuild() — today's standing of every business on every "
        "target (BusinessTargetStatus), what the daily sweep does when the table is not built for today (its "
        "worst case); writes keep it in their own transaction afterwards;",
        "- *dashboard, every figure computed for the request*: `/dashboard/` for the leader with the status "
        "not serving (in a transaction rolled back) — what a past date or a first run costs; its ratio is to "
        "the raw-table SQL floor (which computes 4 targets where the page computes ~23);",
        "- *dashboard, today (per-business status)*: the same page as users get it today — one aggregate "
        'over the status rows (no "数据截至"), for the leader (whole city) and for the inspector of one '
        "village (only that village's rows are aggregated); its ratio is to the status floor of the same "
        "scope;",
        "- *dashboard, 30 days ago*: a past date, computed once and kept (dashboard.StoredMatrix, "
        '"数据截至 …");',
        "- *drill-down list*: `/dashboard/drill/?target=…` for the leader, the first 50 businesses not "
        "meeting the target (today read from the status rows: a COUNT and the page), beside the one "
        "statement a DBA would write for the same page (*drill-down floor*);",
        "- *target_report --json*: `manage.py target_report --json` for the city and `--village CODE`, "
        "every target: from the kept figures, and with `--live` computed now (the city's whole matrix; a "
        "village's own businesses only);",
        "- *the app's aggregate of the floor's four targets*: dashboard.figures.rows for G1, G2, G3, D1 over "
        "the same scope — the apples-to-apples comparison with the floor (goal: within 3×);",
        "- *status floor*: one aggregate over the per-business status for the scope, every target "
        "(bench/measure.py STATUS_FLOOR_SQL) — the floor of today's figures; whichever of it and the SQL "
        "floor is faster is the scope's floor for the kept paths (its numbers are checked against "
        "target_report);",
        "- *totals floor*: one aggregate over the totals kept per town × category × target (issue 24: "
        "bench/measure.py TOTALS_FLOOR_SQL, what target_report for the city is summed from), for the city, "
        "checked equal to the status floor's counts; the fastest of the floors is the floor of "
        "target_report; a dashboard, which splits by village × category, is compared with the fastest of "
        "the status floor, the SQL floor and the village totals floor;",
        "- *village totals floor*: one aggregate over the totals kept per village × category × target "
        "(issue 26: bench/measure.py VILLAGE_TOTALS_FLOOR_SQL, what a town's page, a village's and a "
        "department's are summed from), for each scope, checked equal to the status floor's counts;",
        "- *SQL floor*: one hand-written SQL statement (bench/measure.py FLOOR_SQL) computing G1, G2, G3 "
        "and D1 "
        "for the same scope and date — the least any implementation must do. Its numbers are checked against "
        "target_report's JSON on every run (below). The app computes every target (~23) where the floor "
        "computes 4, so the ratio overstates the overhead per figure;",
        "- *trace*: ledgers.trace over the whole ledger (forward by product and batch, forward from the "
        "town's "
        "wholesaler, backward from a business), and the trace page (`/ledgers/trace/`) for a forward trace.",
        "",
        "Floor check (numerator / denominator):",
        "",
        "| scope | target | SQL floor | target_report | equal |",
        "|---|---|---|---|---|",
    ]
    for row in _rows(results, "city"):
        if "figures" in row:
            for t, hand in row["figures"].items():
                app = row["app_figures"].get(t)
                lines.append(
                    f"| {row['id'].removeprefix('floor_')} | {t} | {hand[0]:,} / {hand[1]:,} | "
                    f"{_fmt(app[0])} / {_fmt(app[1])} | {'yes' if app == hand else '**NO**'} |"
                )
    over = [r for r in _rows(results, "city") if r.get("met") is False]
    if over:
        lines += [
            "",
            "Where the time goes in the rows over their goal: the slowest SQL statement of the counted run "
            "(bench/measure.py records every statement's time; *rest* is the request's time outside it — "
            "Python, templates, the other statements).",
            "",
            "| measure | slowest statement (ms) | rest (ms) | statement |",
            "|---|---:|---:|---|",
        ]
        for r in over:
            rest = max(0.0, r.get("first_run_ms", 0) - r.get("slowest_query_ms", 0))
            sql = r.get("slowest_query", "").replace("|", "\\|")
            lines.append(f"| {r['measure']} | {_fmt(r.get('slowest_query_ms'))} | {rest:,.0f} | `{sql}…` |")
    flat, grown = _queries_flat(results)
    imp = results.get("import")
    if imp:
        lines += ["", *import_section(imp)]
    load = results.get("load")
    if load:
        s = load["submit"]
        lines += [
            "",
            "## Load test: visit submission (bench/load.py)",
            "",
            f"gunicorn ({load['workers']} workers = 2 × cores) on 127.0.0.1 against the city's database; wrk "
            f"(`-t{load['connections']} -c{load['connections']} -d{round(s['duration_us'] / 1e6)}s "
            "--latency`) "
            "with a Lua "
            "script that walks an inspector's real path for one business after another: POST the start form "
            "(creates the draft, 302), GET the visit form (200; the answer and licence fields are read "
            "off the "
            "page), POST it with action=submit, every item 符合 and outcome 合格 (302). Session cookie made "
            "in the "
            "database, CSRF cookie and form field sent with every POST. The visits created are deleted "
            f"afterwards ({load.get('cleanup')}) and the licence and business rows it changed restored "
            f"from a copy taken before ({json.dumps(load.get('restored'), ensure_ascii=False)}). "
            f"Load average when it started: {load.get('load_before')}"
            + (
                " (**loaded**: above the core count)."
                if load.get("load_before") and loaded(float(load["load_before"][0]), m["cores"])
                else "."
            ),
            "",
            "| figure | value |",
            "|---|---:|",
            f"| requests/s (all three steps) | {s['requests_per_s']} |",
            f"| visits submitted/s (counted in the database) | {s['visits_per_s']} |",
            f"| visits submitted (database) / walks completed (wrk script) | {load['visits_submitted']} / "
            f"{s['flows']} |",
            f"| latency p50 / p95 / p99 / max (ms) | {s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} / "
            f"{s['max_ms']} |",
            f"| responses not 2xx/3xx | {s['non_2xx_3xx']} |",
            f"| socket errors (connect, read, write, timeout) | {s['socket_errors']} |",
            f"| steps with an unexpected status (script) | {s['script_errors']} |",
        ]
        r = load.get("read")
        if r:
            lines += [
                "",
                f"Read mix, as the inspector of one village ({r.get('user', 'the load user')}), "
                f"{', '.join(f'`{p}`' for p in r['paths'])} in turn: "
                f"{r['requests_per_s']} requests/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 "
                f"{r['p99_ms']} "
                f"ms, not 2xx/3xx {r['non_2xx_3xx']}, socket errors {r['socket_errors']}.",
            ]
        lines += _api_lines(load)
    if results.get("public"):
        lines += ["", *public_lines(results["public"])]
    city_rows = _rows(results, "city")
    slow = [r for r in city_rows if r.get("met") is False]
    ratio_rows = [r for r in city_rows if "ratio_met" in r]
    ratio_bad = [r for r in ratio_rows if not r["ratio_met"]]
    growth = [r for r in growth_rows(results) if "met" in r]
    growth_bad = [r for r in growth if not r["met"]]
    reads = (load or {}).get("read")
    reads_met = bool(reads) and reads["requests_per_s"] >= 60 and reads["p95_ms"] < 300
    import_row = next((r for r in (imp or {}).get("rows", []) if r["id"] == "import"), None)
    errors = None
    if load:
        s = load["submit"]
        errors = s["non_2xx_3xx"] + s["socket_errors"] + s["script_errors"]
        if load["visits_submitted"] < s["flows"]:
            errors += s["flows"] - load["visits_submitted"]
        for r in (load.get("api") or {}).values():
            if isinstance(r, dict):
                errors += r["non_2xx_3xx"] + r["socket_errors"] + r["script_errors"]
    lines += [
        "",
        "## Goals",
        "",
        "| goal | met | measured |",
        "|---|---|---|",
        f"| pages, target_report and traces {GOAL_TEXT['pages']} | {'yes' if not slow else '**no**'} | "
        + (
            "all under"
            if not slow
            else "over: " + "; ".join(f"{r['measure']} {r['median_ms']:,.0f} ms" for r in slow)
        )
        + " |",
        f"| {GOAL_TEXT['ratio']} | {'yes' if ratio_rows and not ratio_bad else '**no**'} | "
        + "; ".join(f"{r['measure']}: {r['ratio']}×" for r in ratio_rows)
        + " |",
        f"| {GOAL_TEXT['growth']} | "
        + ("not run" if not growth else ("yes" if not growth_bad else "**no**"))
        + " | "
        + (
            "; ".join(f"{r['measure']}: {max(r['factors']):.2f}×" for r in growth_bad)
            if growth_bad
            else ("largest " + f"{max(max(r['factors']) for r in growth):.2f}×" if growth else "—")
        )
        + " |",
        f"| {GOAL_TEXT['reads']} | "
        + ("not run" if not reads else ("yes" if reads_met else "**no**"))
        + " | "
        + (f"{reads['requests_per_s']} requests/s, p95 {reads['p95_ms']} ms" if reads else "—")
        + " |",
        f"| {GOAL_TEXT['import']} | {_met(import_row) if import_row else 'not run'} | "
        f"{_fmt(import_row.get('ratio'), 2) if import_row else '—'}× |",
        f"| {GOAL_TEXT['queries']} | {'yes' if flat and small else ('not run' if not small else '**no**')} | "
        + ("same counts at both sizes" if flat else "grew: " + "; ".join(grown))
        + " |",
        f"| {GOAL_TEXT['load']} | {('yes' if errors == 0 else '**no**') if load else 'not run'} | "
        + (f"{errors} errors" if load else "—")
        + " |",
        "",
    ]
    lines += growth_section(results)
    lines += browser_section()
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines))


BROWSER_HEADING = "## Browser: the dashboard on a repeat visit"


def browser_section(source: Path | None = None) -> list[str]:
    """The browser journey's timings (tests/browser/test_journey_dashboard_speed.py writes
    bench/out/browser.json), or nothing when it has not run."""
    from bench.common import OUT

    source = source or OUT / "browser.json"
    if not source.exists():
        return []
    b = json.loads(source.read_text())
    first, repeat = b["first_visit"], b["repeat_visit"]

    def ms(v) -> str:
        return "—" if v is None else f"{v:,}"

    loaded = b["load_before"][0] > (os.cpu_count() or 1)
    return [
        BROWSER_HEADING,
        "",
        "Headless Chromium (1366×900) against the test server, a leader's dashboard on a small town, static "
        "files with the Cache-Control whitenoise gives hashed names in production (a year, immutable; "
        "tests/test_static_caching.py). *Charts drawn* is dashboard.js's `wuxiao-charts-drawn` mark: "
        "ECharts loaded and the page's charts drawn. Measured by "
        "`pytest tests/browser/test_journey_dashboard_speed.py` (then `python -m bench.report --browser`).",
        "",
        f"- Date: {b['at']}; {b['machine']}; database {b['database']}",
        f"- Load average (1, 5, 15 min) before: {b['load_before']}, after: {b['load_after']}"
        + (" — above the core count: a shared, loaded machine inflates these times" if loaded else ""),
        "",
        "| visit | HTML received (ms) | first contentful paint (ms) | charts drawn (ms) | ECharts bytes |",
        "|---|---:|---:|---:|---:|",
        f"| first | {ms(first['html_ms'])} | {ms(first['fcp_ms'])} | {ms(first['charts_drawn_ms'])} | "
        f"{first['echarts_bytes_transferred']:,} |",
        f"| repeat | {ms(repeat['html_ms'])} | {ms(repeat['fcp_ms'])} | {ms(repeat['charts_drawn_ms'])} | "
        f"{repeat['echarts_bytes_transferred']:,} |",
        "",
    ]


def splice_browser_section(path: Path) -> None:
    """Rewrite only the browser section of an existing docs/benchmarks.md (the rest is kept as it is)."""
    text = path.read_text()
    section = "\n".join(browser_section())
    if BROWSER_HEADING in text:
        start = text.index(BROWSER_HEADING)
        nxt = text.find("\n## ", start + len(BROWSER_HEADING))
        text = text[:start] + section + (text[nxt:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


PUBLIC_HEADING = "## Public page behind the QR placards (bench/public_page.py)"


def public_lines(pub: dict) -> list[str]:
    """The section about the public page (一公开, issue 25), from bench/public_page.py's result."""
    ip, lo = pub["in_process"], pub["load"]
    return [
        PUBLIC_HEADING,
        "",
        f"Measured {pub['at']} at commit {pub.get('commit', '?')}, on the demo town in a PostgreSQL "
        "database of its own, cache in Redis (as in production). Load average (1, 5, 15 min) before: "
        f"{pub['load_before']}, after: {pub['load_after']} on {pub['cores']} cores"
        + (
            " — a busy shared machine: the rates are a lower bound, the times an upper bound."
            if pub["load_before"][0] > pub["cores"]
            else " — a quiet machine."
        ),
        "",
        f"In-process (Django's test client, the whole request), {ip['pages']} units × {ip['runs']} runs:",
        "",
        "| request | median (ms) | SQL queries |",
        "|---|---:|---:|",
        f"| `/p/<code>/` from the cache (hit) | {ip['hit_median_ms']} | "
        f"{', '.join(map(str, ip['hit_queries']))} |",
        f"| `/p/<code>/` rebuilt (the unit's stamp touched first) | {ip['miss_median_ms']} | "
        f"{', '.join(map(str, ip['miss_queries']))} |",
        "",
        f"Under load: gunicorn ({lo['workers']} workers) on 127.0.0.1, wrk `-t{lo['connections']} "
        f"-c{lo['connections']} -d{lo['seconds']}s` cycling through all {lo['pages']} units' addresses, "
        "every page cached first (per-address limit lifted: wrk is one address). Load average during the "
        "run: "
        f"{lo['load_before']} → {lo['load_after']}.",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| requests/s | {lo['requests_per_s']} |",
        f"| latency p50 / p95 / p99 / max (ms) | {lo['p50_ms']} / {lo['p95_ms']} / {lo['p99_ms']} / "
        f"{lo['max_ms']} |",
        f"| responses not 200 | {lo['not_200']} |",
        f"| socket errors | {lo['socket_errors']} |",
    ]


def write_public_section(pub: dict, path: Path) -> None:
    """Rewrite only the public page's section of docs/benchmarks.md (before "## Goals" when it is new)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = "\n".join(public_lines(pub)) + "\n"
    if PUBLIC_HEADING in text:
        start = text.index(PUBLIC_HEADING)
        nxt = text.find("\n## ", start + len(PUBLIC_HEADING))
        text = text[:start] + section + (text[nxt + 1 :] if nxt != -1 else "")
    elif "\n## Goals" in text:
        at = text.index("\n## Goals") + 1
        text = text[:at] + section + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


if __name__ == "__main__":  # python -m bench.report [results.json]: rewrite the docs from a stored run
    from bench.common import OUT, ROOT

    if sys.argv[1:] == ["--browser"]:  # only the browser journey's section, from bench/out/browser.json
        splice_browser_section(ROOT / "docs" / "benchmarks.md")
    else:
        source = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "results.json"
        write_docs(json.loads(source.read_text()), ROOT / "docs" / "benchmarks.md")


def _api_lines(load: dict) -> list[str]:
    """The API under the same server and the same load (issue 18): visit submit and the list endpoints."""
    api = load.get("api")
    if not api:
        return []
    s, r = api["submit"], api["lists"]
    return [
        "",
        "### The API under the same load (bench/load.py, issue 18)",
        "",
        "Same gunicorn, same inspector, with a personal token: `POST /api/v1/visits/submit/` (one request "
        "per "
        "visit: a new client UUID each, every item 符合, outcome 合格), then "
        + ", ".join(f"`{p}`" for p in r["paths"])
        + " in turn (first page of each, cursor-paginated).",
        "",
        "| endpoint | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | not 2xx | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| API visit submit | {s['requests_per_s']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
        f"{s['non_2xx_3xx']} | {s['socket_errors'] + s['script_errors']} |",
        f"| API lists | {r['requests_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
        f"{r['non_2xx_3xx']} | {r['socket_errors'] + r['script_errors']} |",
        "",
        f"Visits recorded through the API (database): {api['visits_submitted']}.",
    ]
