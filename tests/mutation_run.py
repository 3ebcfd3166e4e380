"""`make mutation`: mutation testing of the rule modules with mutmut (issue 22; not in CI — too slow).

A mutant is a small wrong change to the code (`>=` for `>`, a constant off by one, a condition dropped);
a test suite that still passes with it cannot tell the rule from its mistake. Each rule module is mutated
on its own, in a copy of the project under .mutation/<module>/, and only the test files that exercise that
rule are run against its mutants (on SQLite, under `nice`: the machine is shared).

    python -m tests.mutation_run                 # every module of MODULES
    python -m tests.mutation_run draw planners   # some of them
    python -m tests.mutation_run --report        # the table of the last runs, nothing run

Scores (killed / (killed + survived)) and the surviving mutants are written to
.mutation/<module>/result.json; docs/quality.md records them with the survivors judged equivalent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
COPY = ["accounts", "campaigns", "dashboard", "inspections", "ledgers", "notifications", "lib", "wuxiao"]
ALSO = ["tests", "templates", "static", "manage.py", "pyproject.toml"]


@dataclass(frozen=True)
class Module:
    name: str
    source: str  # the file whose functions are mutated
    tests: tuple[str, ...]  # the test files run against its mutants
    rule: str  # the DOMAIN ids it decides


MODULES = [
    Module(
        "licences",
        "campaigns/models/business.py",
        ("tests/test_licences_complete.py", "tests/test_rule_boundaries.py"),
        "G1 (held licences, the set-based gap, per-row status)",
    ),
    Module(
        "targets",
        "dashboard/targets.py",
        (
            "tests/test_dashboard_targets.py",
            "tests/test_dashboard_evidence.py",
            "tests/test_rule_boundaries.py",
        ),
        "the target catalogue (G1 A2 B1 C1 F1 U1)",
    ),
    Module(
        "evidence",
        "dashboard/evidence.py",
        ("tests/test_dashboard_evidence.py", "tests/test_rule_boundaries.py"),
        "targets from visits and ledgers (G2 G3 G4 A3 A4 C2 C3 D1 D4 E1 F2 F4)",
    ),
    Module(
        "figures",
        "dashboard/figures.py",
        ("tests/test_dashboard_targets.py", "tests/test_dashboard_evidence.py", "tests/test_figures_kept.py"),
        "counting a target: numerators, denominators, splits",
    ),
    Module(
        "ledgers",
        "ledgers/services.py",
        ("tests/test_ledger_services.py", "tests/test_rule_boundaries.py"),
        "ledger flags and the banned list (A3 A4 C2)",
    ),
    Module(
        "visits",
        "inspections/services/visits.py",
        ("tests/test_inspections_services.py", "tests/test_rule_boundaries.py"),
        "visits: outcomes, relapse (W3), return checks (E2)",
    ),
    Module(
        "orders",
        "inspections/services/orders.py",
        ("tests/test_inspections_services.py", "tests/test_order_reschedule.py"),
        "rectification orders: numbering, close, escalate",
    ),
    Module(
        "grades",
        "inspections/services/grades.py",
        ("tests/test_inspections_services.py", "tests/test_grades_rules.py"),
        "grades and visit frequency (W3)",
    ),
    Module(
        "planners",
        "notifications/planners.py",
        ("tests/test_reminder_rules_roster.py", "tests/test_reminder_on_write.py"),
        "licence and phase reminders",
    ),
    Module(
        "reminders",
        "inspections/reminders.py",
        (
            "tests/test_reminder_rules_rectification.py",
            "tests/test_reminder_rules_gaps.py",
            "tests/test_reminder_rules_tipoffs.py",
            "tests/test_reminder_visit_assigned.py",
        ),
        "rectification, return-check, tip-off and assignment reminders",
    ),
    Module(
        "draw",
        "inspections/draw.py",
        ("tests/test_spotcheck_draw.py", "tests/test_spotcheck_service.py"),
        "the spot-check draw (P2 随机抽查)",
    ),
]


def _stage(module: Module) -> Path:
    """A fresh copy of the project for one module, with its mutmut configuration in setup.cfg."""
    source = ROOT / module.source
    if not source.exists():
        sys.exit(f"{module.name}: {module.source} does not exist (moved?): update MODULES in {__file__}")
    where = WORK / module.name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants", "artifacts")
    for name in COPY + ALSO:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, where / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, where / name)
    lines = "\n    ".join
    (where / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths =\n    {lines(COPY)}\n"
        f"only_mutate =\n    {module.source}\n"
        f"also_copy =\n    {lines(ALSO)}\n"
        f"pytest_add_cli_args_test_selection =\n    {lines(module.tests)}\n"
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n",
        encoding="utf-8",
    )
    return where


def _mutmut(where: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}  # SQLite
    env["TMPDIR"] = str(where / "tmp")
    (where / "tmp").mkdir(exist_ok=True)
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run(
        ["nice", "-n", "10", str(mutmut), *args], cwd=where, env=env, text=True, capture_output=True
    )


def run(module: Module, max_children: int) -> dict:
    where = _stage(module)
    done = _mutmut(where, "run", "--max-children", str(max_children))
    (where / "run.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return collect(module)


def collect(module: Module) -> dict:
    where = WORK / module.name
    exported = _mutmut(where, "export-cicd-stats")
    stats_file = where / "mutants" / "mutmut-cicd-stats.json"
    if exported.returncode or not stats_file.exists():
        return {"module": module.name, "error": (exported.stdout + exported.stderr)[-2000:]}
    stats = json.loads(stats_file.read_text())
    listed = _mutmut(where, "results").stdout.splitlines()
    survivors = [line.split(":")[0].strip() for line in listed if line.strip().endswith("survived")]
    judged = stats["killed"] + stats["survived"] + stats["timeout"]
    result = {
        "module": module.name,
        "source": module.source,
        "rule": module.rule,
        "tests": list(module.tests),
        **stats,
        "score": round(100 * (stats["killed"] + stats["timeout"]) / judged, 1) if judged else None,
        "survivors": survivors,
    }
    (where / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def report(results: list[dict]) -> str:
    rows = [
        "| module | source | mutants | killed | survived | no tests | score |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "error" in r:
            rows.append(f"| {r['module']} | — | error | | | | |")
            continue
        rows.append(
            f"| {r['module']} | `{r['source']}` | {r['total']} | {r['killed'] + r['timeout']} | "
            f"{r['survived']} | {r['no_tests']} | {r['score']}% |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="names from MODULES (default: all)")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants (default 1)")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.modules or m.name in args.modules]
    unknown = set(args.modules) - {m.name for m in MODULES}
    if unknown:
        sys.exit(f"unknown modules {sorted(unknown)}; known: {[m.name for m in MODULES]}")
    results = []
    for module in chosen:
        if args.report:
            saved = WORK / module.name / "result.json"
            if saved.exists():
                results.append(json.loads(saved.read_text()))
            continue
        print(f"mutation: {module.name} ({module.source}) …", flush=True)
        results.append(run(module, args.max_children))
        print(report(results[-1:]).splitlines()[-1], flush=True)
    print(report(results))


if __name__ == "__main__":
    main()
