"""A synthetic city written straight into PostgreSQL (issue 11).

Deterministic from --seed and --anchor (the day the data ends: DEFAULT_ANCHOR unless given, never the
clock, so the same command writes the same rows on any day). Towns × villages, N
businesses across the categories with licences in every state (COPY from Python streams); then, per
business, ~10 submitted visits with their answers, licence checks and photos, rectification orders, ~100
ledger lines, unlicensed cases, tip-offs and samples (server-side INSERT … SELECT: bench/city.py).

The parameters are recorded in the table bench_params: a second run with the same parameters (the anchor
included) reuses the data, different ones rebuild it.

    python -m bench.generate [--businesses 100000] [--towns 10] [--villages 12] [--seed 1]
        [--visits-per 10] [--ledger-per 100] [--anchor YYYY-MM-DD] [--force]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import time

from bench import city
from bench.common import ensure_database, setup_django

# Bump when the generator writes different rows: a stored dataset of another version is rebuilt.
VERSION = 2
# The last day of the generated data. Fixed, not today: the rows depend on the seed and this date alone.
DEFAULT_ANCHOR = datetime.date(2026, 12, 1)

CATEGORY_WEIGHTS = {
    "agri": 18,
    "workshop": 14,
    "grocery": 34,
    "pharmacy": 10,
    "restaurant": 23,
    "slaughter": 1,
}
STATES = ["valid"] * 85 + ["temporary"] * 4 + ["expired"] * 6 + ["revoked"] * 3 + ["missing"] * 2
WORDS = "兴隆 鸿福 永安 金丰 丰收 万家 和记 顺发 民生 惠民 福源 康泰 新城 利民 宏达 佳美 百顺 满意".split()
SUFFIX = {
    "agri": "农资店",
    "workshop": "豆腐坊",
    "grocery": "便利店",
    "pharmacy": "大药房",
    "restaurant": "饭店",
    "slaughter": "屠宰场",
}


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


PARAMS = ("businesses", "towns", "villages", "seed", "visits_per", "ledger_per")


def stored_params() -> dict | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_params (id int PRIMARY KEY, params jsonb NOT NULL)")
        cur.execute("SELECT params FROM bench_params WHERE id = 1")
        row = cur.fetchone()
    if row is None:
        return None
    return row[0] if isinstance(row[0], dict) else json.loads(row[0])


def wanted_params(args) -> dict:
    return {"version": VERSION, **{k: getattr(args, k) for k in PARAMS}, "anchor": args.anchor.isoformat()}


def matches(stored: dict | None, wanted: dict) -> bool:
    """A complete stored dataset written with exactly the wanted parameters (anchor included)."""
    return bool(stored and stored.get("complete")) and all(stored.get(k) == wanted[k] for k in wanted)


def dataset_present(args) -> dict | None:
    """The stored parameters when they match the wanted ones."""
    stored = stored_params()
    return stored if matches(stored, wanted_params(args)) else None


def _record(params: dict) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_params (id, params) VALUES (1, %s) "
            "ON CONFLICT (id) DO UPDATE SET params = EXCLUDED.params",
            [json.dumps(params)],
        )


def wipe() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for writer in reversed(WRITERS):
            writer["wipe"](cur)


def _wipe_roster(cur) -> None:
    # The towns are deleted, not truncated: TRUNCATE … CASCADE empties every table referencing them, and
    # since issue 24 departments may name a town — the categories (their lead department), licence
    # requirements and checklists would go with them. The town rows are the generator's own.
    cur.execute(
        "TRUNCATE campaigns_licence, campaigns_business_subtypes, campaigns_business, campaigns_market, "
        "campaigns_village, campaigns_campaign, campaigns_townsettings RESTART IDENTITY CASCADE"
    )
    cur.execute("UPDATE campaigns_department SET town_id = NULL WHERE town_id IS NOT NULL")
    cur.execute("DELETE FROM campaigns_town")


def _write_roster(cur, rng: random.Random, args, today: datetime.date) -> dict:
    from campaigns.models import Category, LicenceRequirement, LicenceType, SubType
    from campaigns.validators import CREDIT_CODE_ALPHABET, credit_code_check_char

    categories = {c.code: c.pk for c in Category.objects.all()}
    subtypes: dict[int, list[int]] = {}
    for st in SubType.objects.all():
        subtypes.setdefault(st.category_id, []).append(st.pk)
    reqs: dict[int, list[tuple[int, int | None]]] = {}
    for r in LicenceRequirement.objects.all():
        reqs.setdefault(r.category_id, []).append((r.licence_type_id, r.subtype_id))
    type_codes = dict(LicenceType.objects.values_list("pk", "code"))

    # Every row's timestamps from the anchor day, not the clock.
    now = datetime.datetime.combine(today, datetime.time(18), tzinfo=datetime.UTC)
    town_rows = [(t + 1, f"基准{t + 1}镇", f"bench-{t + 1}") for t in range(args.towns)]
    _copy(cur, "campaigns_town", ["id", "name", "code"], town_rows)
    village_rows = []
    for t in range(args.towns):
        for v in range(args.villages):
            vid = t * args.villages + v + 1
            village_rows.append(
                (vid, t + 1, f"基准{t + 1}镇第{v + 1}村", f"bench-{t + 1}-{v + 1}", v == 0, v)
            )
    _copy(
        cur, "campaigns_village", ["id", "town_id", "name", "code", "is_town_centre", '"order"'], village_rows
    )
    village_ids = [row[0] for row in village_rows]

    codes = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    plan = rng.choices(codes, weights=weights, k=args.businesses)
    business_rows, subtype_rows, licence_rows = [], [], []
    lic_id = 0
    for i, code in enumerate(plan, start=1):
        cat = categories[code]
        village = rng.choice(village_ids)
        cc = None
        if rng.random() < 0.7:
            body = "92" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(15))
            cc = body + credit_code_check_char(body)
        status = rng.choices(["operating", "rectifying", "closed", "banned"], [90, 6, 3, 1])[0]
        business_rows.append(
            (
                i,
                f"{rng.choice(WORDS)}{SUFFIX[code]}{i}",
                cat,
                village,
                f"第{village}村{i}号",
                "张三",
                f"138{rng.randrange(10**8):08d}",
                cc,
                status,
                village % args.villages == 1,
                None,
                rng.random() < 0.03,
                now,
                now,
            )
        )
        chosen = set()
        if subtypes.get(cat):
            chosen = set(rng.sample(subtypes[cat], k=min(len(subtypes[cat]), rng.choice([1, 1, 2]))))
            subtype_rows.extend((i, st) for st in chosen)
        for lt, st in reqs.get(cat, []):
            if st is not None and st not in chosen:
                continue
            state = rng.choice(STATES)
            if state == "missing":
                continue
            issued = today - datetime.timedelta(days=rng.randint(30, 1800))
            expires = issued + datetime.timedelta(days=rng.choice([3, 5]) * 365)
            if state == "expired":
                expires = today - datetime.timedelta(days=rng.randint(1, 300))
                issued = expires - datetime.timedelta(days=1095)
            lic_id += 1
            licence_rows.append(
                (
                    lic_id,
                    i,
                    lt,
                    f"{type_codes[lt][:2].upper()}{lic_id:09d}",
                    "发证机关",
                    issued,
                    expires,
                    state,
                    rng.random() < 0.85,
                    today,
                    "",
                    now,
                    now,
                )
            )
    _copy(
        cur,
        "campaigns_business",
        [
            "id",
            "name",
            "category_id",
            "village_id",
            "address",
            "operator",
            "phone",
            "credit_code",
            "status",
            "is_town_centre",
            "market_id",
            "is_model",
            "created_at",
            "updated_at",
        ],
        business_rows,
    )
    _copy(cur, "campaigns_business_subtypes", ["business_id", "subtype_id"], subtype_rows)
    _copy(
        cur,
        "campaigns_licence",
        [
            "id",
            "business_id",
            "licence_type_id",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "state",
            "displayed",
            "displayed_seen_on",
            "note",
            "created_at",
            "updated_at",
        ],
        licence_rows,
    )
    return {
        "towns": args.towns,
        "villages": len(village_rows),
        "businesses": len(business_rows),
        "licences": len(licence_rows),
    }


WRITERS = [
    {"name": "roster", "write": _write_roster, "wipe": _wipe_roster},
    {"name": "activity", "write": city.write_activity, "wipe": city.wipe},
]


def _reset_sequences(cur) -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
        cur.execute(sql)


def model_defaults() -> list[tuple[str, str, object]]:
    """(table, column, value) for every NOT NULL column of our models whose field has a constant default.

    The generator writes rows with COPY and INSERT … SELECT, naming its columns; a column added later by a
    migration (a flag with default False, say) would make those writes fail on NOT NULL. For the length of
    the generation these defaults are set on the columns in the database, so the writers need name only
    the columns they mean to vary; they are dropped again afterwards (Django keeps defaults in Python)."""
    from django.apps import apps
    from django.db import connection

    ours = {"accounts", "campaigns", "notifications", "ledgers", "inspections", "dashboard", "api", "ops"}
    out = []
    for model in apps.get_models():
        if model._meta.app_label not in ours or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.null or field.primary_key or not field.has_default():
                continue
            default = field.default
            if callable(default):
                if default not in (dict, list):
                    continue  # a clock or a generator: never the same twice, the writers give their own
                default = default()
            out.append((model._meta.db_table, field.column, field.get_db_prep_save(default, connection)))
    return out


def _set_defaults(cur, defaults, *, on: bool) -> None:
    from psycopg import sql

    for table, column, value in defaults:
        if on:
            statement = sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                sql.Identifier(table), sql.Identifier(column), sql.Literal(value)
            )
        else:
            statement = sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT").format(
                sql.Identifier(table), sql.Identifier(column)
            )
        cur.execute(statement)


def generate(args) -> dict:
    from django.db import connection, transaction

    rng = random.Random(args.seed)
    today = args.anchor
    counts = {}
    defaults = model_defaults()
    with connection.cursor() as cur:
        _set_defaults(cur.cursor, defaults, on=True)
    try:
        with transaction.atomic(), connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor: COPY
            for writer in WRITERS:
                started = time.perf_counter()
                counts.update(writer["write"](raw, rng, args, today))
                counts[f"seconds_{writer['name']}"] = round(time.perf_counter() - started, 1)
            _reset_sequences(cur)
    finally:
        with connection.cursor() as cur:
            _set_defaults(cur.cursor, defaults, on=False)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    counts["seconds_vacuum_analyze"] = round(time.perf_counter() - started, 1)
    return counts


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--towns", type=int, default=10)
    parser.add_argument("--villages", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--visits-per", type=int, default=10, help="submitted visits per business (average)")
    parser.add_argument("--ledger-per", type=int, default=100, help="ledger lines per business (average)")
    parser.add_argument(
        "--anchor",
        type=datetime.date.fromisoformat,
        default=DEFAULT_ANCHOR,
        help=f"last day of the data (default {DEFAULT_ANCHOR}, never today: the data depend on the seed)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the data is present")
    return parser


def main(argv=None) -> dict:
    args = parser().parse_args(argv)
    setup_django()
    ensure_database()
    stored = None if args.force else dataset_present(args)
    if stored:
        print(
            f"数据已存在（参数相同）：{stored['businesses']:,} 家经营单位，"
            f"截至 {stored['anchor']}，跳过生成。"
        )
        return {**stored, "reused": True}
    started = time.perf_counter()
    _record({**wanted_params(args), "complete": False})
    wipe()
    counts = generate(args)
    params = {
        **wanted_params(args),
        "complete": True,
        "counts": counts,
        "seconds_total": round(time.perf_counter() - started, 1),
    }
    _record(params)
    print("生成完成：", json.dumps(counts, ensure_ascii=False))
    return {**params, "reused": False}


if __name__ == "__main__":
    main()
