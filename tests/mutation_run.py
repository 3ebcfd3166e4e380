"""`make mutation`: mutation testing of the rule modules with mutmut (issue 22; not in CI — too slow).

A mutant is a small wrong change to the code (`>=` for `>`, a constant off by one, a condition dropped);
a test suite that still passes with it cannot tell the rule from its mistake. Each rule module is mutated
on its own, in a copy of the project under .mutation/<module>/, and only the test files that exercise that
rule are run against its mutants (on SQLite, under `nice`: the machine is shared).

    python -m tests.mutation_run                 # every module of MODULES
    python -m tests.mutation_run draw planners   # some of them
    python -m tests.mutation_run --report        # the table of the last runs, nothing run
    python -m tests.mutation_run ledgers --only _flag banned_matcher   # only these functions' mutants
    python -m tests.mutation_run draw --survivors  # re-run only the last run's survivors (after new tests)

--only restricts a run to the mutants of the named functions (or methods, `Class.method`; shell-style
globs allowed): a large module can be measured on its rule functions. The result then records `only`,
and the report marks the score as covering those functions alone. --survivors re-stages the module (with
the tests as they are now) and runs only the mutants that survived its last run; the killed ones stay
killed, as tests were only added. The result records `rerun` with the count of survivors re-run.

Scores (killed / (killed + survived)) and the surviving mutants are written to
.mutation/<module>/result.json; docs/quality.md records them with the survivors judged equivalent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
            "tests/test_targets_catalogue.py",
        ),
        "the target catalogue (G1 A2 B1 C1 F1 U1)",
    ),
    Module(
        "evidence",
        "dashboard/evidence.py",
        # The focused files only: test_dashboard_evidence.py and test_incidents.py compute every target
        # on a whole town per test (about a mutant a minute); test_evidence_conditions.py asks each
        # condition alone.
        (
            "tests/test_evidence_conditions.py",
            "tests/test_evidence_rules.py",
            "tests/test_rule_boundaries.py",
            "tests/test_ledger_targets_g2_c3.py",  # G2's halves, C3's own account, F1's monthly return
        ),
        "targets from visits and ledgers (G2 G3 G4 A3 A4 C2 C3 D1 D4 E1 F2 F4)",
    ),
    Module(
        "figures",
        "dashboard/figures.py",
        # The counting steps one by one, and the small town's figures in every split (test_dashboard_
        # evidence.py and test_figures_kept.py, a town of visits and ledgers per test, are not listed).
        ("tests/test_figures_counting.py", "tests/test_dashboard_targets.py"),
        "counting a target: numerators, denominators, splits",
    ),
    Module(
        "ledgers",
        "ledgers/services.py",
        (
            "tests/test_ledger_services.py",
            "tests/test_ledger_rules.py",
            "tests/test_ledger_import.py",  # the Excel import builds its lines with ledger_lines_build
            "tests/test_rule_boundaries.py",
        ),
        "ledger flags and the banned list (A3 A4 C2)",
    ),
    Module(
        "visits",
        "inspections/services/visits.py",
        ("tests/test_inspections_services.py", "tests/test_visit_rules.py", "tests/test_rule_boundaries.py"),
        "visits: outcomes, relapse (W3), return checks (E2)",
    ),
    Module(
        "orders",
        "inspections/services/orders.py",
        ("tests/test_inspections_services.py", "tests/test_order_reschedule.py", "tests/test_order_rules.py"),
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
        (
            "tests/test_reminder_rules_roster.py",
            "tests/test_reminder_on_write.py",
            "tests/test_planner_rules.py",
        ),
        "licence and phase reminders",
    ),
    Module(
        "reminders",
        "inspections/reminders.py",
        (
            "tests/test_reminder_rules_rectification.py",
            "tests/test_reminder_rules_plans.py",
            "tests/test_reminder_rules_announce.py",
            "tests/test_reminder_rules_gaps.py",
            "tests/test_reminder_rules_tipoffs.py",
            "tests/test_reminder_visit_assigned.py",
            "tests/test_city_roles.py",  # announce_referral (O5): its 42 mutants had no test listed
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
    # mutmut 3 leaves every decorated function alone, and the services' writes are @transaction.atomic: in
    # the copy only, that decorator comes off the mutated file so their rules are mutated too. Each test
    # runs inside its own transaction anyway; a test that needed the service's own atomic block would fail
    # mutmut's clean run, which stops the run (nothing is counted silently).
    mutated = where / module.source
    text = mutated.read_text(encoding="utf-8")
    undecorated = "\n".join(line for line in text.split("\n") if line.strip() != "@transaction.atomic")
    mutated.write_text(unproperty(undecorated), encoding="utf-8")
    # Every mutant is a fresh pytest session; on an in-memory SQLite database each one would build the
    # schema and run every migration again (~10-20 s, most of a mutant's time). A file kept between
    # sessions (--reuse-db) is built once, by mutmut's first (clean) run. Safe only because no test run
    # here flushes the database (transaction=True tests): the clean run and the forced-fail check of
    # mutmut would not notice, so _stage refuses such a test file.
    for name in module.tests:
        if "transaction=True" in (ROOT / name).read_text(encoding="utf-8"):
            sys.exit(f"{module.name}: {name} has transaction=True tests, which would flush the kept database")
    with (where / "tests" / "settings.py").open("a", encoding="utf-8") as settings:
        settings.write(
            f"\n# tests/mutation_run.py: one test database kept for every mutant\n"
            f"DATABASES['default']['TEST'] = {{'NAME': {str(where / 'test.sqlite3')!r}}}\n"
        )
    lines = "\n    ".join
    (where / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths =\n    {lines(COPY)}\n"
        f"only_mutate =\n    {module.source}\n"
        f"also_copy =\n    {lines(ALSO)}\n"
        f"pytest_add_cli_args_test_selection =\n    {lines(module.tests)}\n"
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    --reuse-db\n",
        encoding="utf-8",
    )
    return where


def unproperty(text: str) -> str:
    """`@property` getters written as `def name__get(self)` and `name = property(name__get)` after them:
    the same class, but mutmut 3 leaves decorated functions unmutated, and a getter can be the rule itself
    (figures' Figure.status, the colour of a figure). A property with a setter or deleter is left alone.
    --only names such a getter `Class.name__get`."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = line[: len(line) - len(line.lstrip())]
        getter = re.match(rf"{indent}def (\w+)\(", lines[i + 1]) if i + 1 < len(lines) else None
        if line.strip() != "@property" or not getter:
            out.append(line)
            i += 1
            continue
        name = getter.group(1)
        if f"@{name}.setter" in text or f"@{name}.deleter" in text:
            out.append(line)
            i += 1
            continue
        out.append(lines[i + 1].replace(f"def {name}(", f"def {name}__get(", 1))
        i += 2
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(indent + " ")):
            out.append(lines[i])
            i += 1
        blank = 0
        while out and not out[-1].strip():
            out.pop()
            blank += 1
        out.append(f"{indent}{name} = property({name}__get)")
        out += [""] * blank
    return "\n".join(out)


def _mutmut(where: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}  # SQLite
    env["TMPDIR"] = str(where / "tmp")
    (where / "tmp").mkdir(exist_ok=True)
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run(
        ["nice", "-n", "10", str(mutmut), *args], cwd=where, env=env, text=True, capture_output=True
    )


def mutant_globs(module: Module, functions: list[str]) -> list[str]:
    """mutmut's names for the mutants of these functions: `pkg.mod.x_func__mutmut_3` for a function,
    `pkg.mod.xǁClassǁmethod__mutmut_3` for a method (mutmut 3 matches them with fnmatch)."""
    dotted = module.source.removesuffix(".py").replace("/", ".")
    globs = []
    for name in functions:
        if "." in name:
            cls, method = name.split(".", 1)
            globs.append(f"{dotted}.x\u01c1{cls}\u01c1{method}__mutmut_*")
        else:
            globs.append(f"{dotted}.x_{name}__mutmut_*")
    return globs


def run(module: Module, max_children: int, only: list[str] | None = None) -> dict:
    where = _stage(module)
    names = mutant_globs(module, only) if only else []
    done = _mutmut(where, "run", "--max-children", str(max_children), *names)
    (where / "run.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return collect(module, only)


def rerun_survivors(module: Module, max_children: int) -> dict:
    saved = WORK / module.name / "result.json"
    if not saved.exists():
        sys.exit(f"{module.name}: no earlier run in {saved}")
    before = json.loads(saved.read_text())
    if not before["survivors"]:
        return before
    where = _stage(module)
    done = _mutmut(where, "run", "--max-children", str(max_children), *before["survivors"])
    (where / "run.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    statuses = {}
    for line in _mutmut(where, "results", "--all", "true").stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        statuses[name.strip()] = status.strip()
    still = [name for name in before["survivors"] if statuses.get(name) == "survived"]
    now_killed = [name for name in before["survivors"] if statuses.get(name) in ("killed", "timeout")]
    unknown = set(before["survivors"]) - set(still) - set(now_killed)
    if unknown:
        sys.exit(f"{module.name}: no result for {sorted(unknown)}; see {where / 'run.log'}")
    result = {
        **before,
        "killed": before["killed"] + len(now_killed),
        "survived": len(still),
        "survivors": still,
        "rerun": len(before["survivors"]),
    }
    judged = result["killed"] + result["survived"] + result["timeout"]
    result["score"] = round(100 * (result["killed"] + result["timeout"]) / judged, 1)
    saved.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def collect(module: Module, only: list[str] | None = None) -> dict:
    where = WORK / module.name
    exported = _mutmut(where, "export-cicd-stats")
    stats_file = where / "mutants" / "mutmut-cicd-stats.json"
    if exported.returncode or not stats_file.exists():
        return {"module": module.name, "error": (exported.stdout + exported.stderr)[-2000:]}
    stats = json.loads(stats_file.read_text())
    if only:  # mutants outside the chosen functions were never run: not part of this score
        stats["total"] = stats["killed"] + stats["survived"] + stats["timeout"] + stats["no_tests"]
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
        **({"only": list(only)} if only else {}),
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
            f"| {r['module']}{' (only ' + ', '.join(r['only']) + ')' if r.get('only') else ''} "
            f"| `{r['source']}` | {r['total']} | {r['killed'] + r['timeout']} | "
            f"{r['survived']} | {r['no_tests']} | {r['score']}% |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="names from MODULES (default: all)")
    parser.add_argument(
        "--max-children", type=int, default=1, help="parallel mutants: 1 only (one kept database)"
    )
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--survivors", action="store_true", help="re-run only the last run's survivors")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="FUNCTION",
        help="mutate only these functions (Class.method for a method)",
    )
    args = parser.parse_args()
    if args.max_children > 1:
        # Every mutant's session uses the one kept SQLite file (_stage): two at once lock each other out,
        # and a test failing on "database is locked" counts as a kill (seen: visits' _apply_outcome_87).
        sys.exit(
            "--max-children above 1 shares the kept test database between mutants: some kills may be false"
        )
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
        if args.survivors:
            results.append(rerun_survivors(module, args.max_children))
        else:
            results.append(run(module, args.max_children, args.only))
        print(report(results[-1:]).splitlines()[-1], flush=True)
    print(report(results))


if __name__ == "__main__":
    main()
