"""Time the targets dashboard and `target_report` on a large synthetic town in PostgreSQL (issue 9, "Speed").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuxiao_bench9 \
        .venv/bin/python bench/dashboard_targets.py [--businesses 100000] [--visits-per 2] [--ledger-per 3]

Migrates, fills a town of --businesses businesses (INSERT ... SELECT generate_series: licences for each
requirement, --visits-per submitted visits each with the checklist's answers, --ledger-per ledger lines
in the G2 window), ANALYZEs, then prints the median of 5 runs of:
- figures.compute_splits (every target, every split: the dashboard's one aggregate query),
- the dashboard page for a leader (every query of the request) and `target_report --json`,
- a single hand-written SQL aggregate computing G1, G2, G3 and D1 for the town (the floor), and
  checks that it gives the same numbers as the ORM.
A second run with the same --businesses reuses the data. Not a test: the numbers go in the report.
"""

from __future__ import annotations

import argparse
import io
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

WEIGHTS = [("agri", 18), ("workshop", 14), ("grocery", 34), ("pharmacy", 10), ("restaurant", 24)]


def fill(n: int, visits_per: int, ledger_per: int) -> None:
    from campaigns.models import Business, Campaign, Category, Town, Village

    town, _ = Town.objects.get_or_create(code="bench9", defaults={"name": "基准镇"})
    if Business.objects.filter(village__town=town).count() >= n:
        print(f"reusing {Business.objects.filter(village__town=town).count():,} businesses")
        return
    villages = [
        Village.objects.get_or_create(
            code=f"b9v{i}", defaults={"town": town, "name": f"基准{i}村", "order": i}
        )[0]
        for i in range(20)
    ]
    Campaign.objects.update(is_current=False)
    today = timezone.localdate()
    Campaign.objects.create(
        name="基准专项",
        town=town,
        starts_on=today.replace(day=1).replace(month=1),
        ends_on=today.replace(month=12, day=31),
    )
    cats = {c.code: c.pk for c in Category.objects.all()}
    pick = [cats[code] for code, weight in WEIGHTS for _ in range(weight)]
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench9")
    started = time.perf_counter()
    with connection.cursor() as cur:

        def step(label: str, sql: str, params=None) -> None:
            cur.execute(sql, params or {})
            print(f"  {label} ({time.perf_counter() - started:.0f} s)", flush=True)

        step(
            "businesses",
            """
            INSERT INTO campaigns_business (name, category_id, village_id, address, operator, phone,
              credit_code, status, is_town_centre, market_id, is_model, created_at, updated_at)
            SELECT '基准单位' || g, (%(pick)s::bigint[])[1 + g %% 100], (%(villages)s::bigint[])[1 + g %% 20],
              '', '', '', NULL, CASE WHEN g %% 50 = 0 THEN 'closed' ELSE 'operating' END, g %% 7 = 0, NULL,
              g %% 40 = 0, now(), now()
            FROM generate_series(1, %(n)s) g
            """,
            {"pick": pick, "villages": [v.pk for v in villages], "n": n},
        )
        scope = "b.village_id IN (SELECT id FROM campaigns_village WHERE town_id = %(town)s)"
        step(
            "licences",
            f"""
            INSERT INTO campaigns_licence (business_id, licence_type_id, number, issuer, issued_on,
              expires_on, state, displayed, displayed_seen_on, note, created_at, updated_at)
            SELECT b.id, r.licence_type_id, 'L' || b.id || '-' || r.id, '', date '2020-01-01',
              current_date + (b.id %% 900)::int - 30, 'valid', (b.id + r.id) %% 6 <> 0, NULL, '', now(), now()
            FROM campaigns_business b JOIN campaigns_licencerequirement r
              ON r.category_id = b.category_id AND r.subtype_id IS NULL
            WHERE {scope} AND (b.id * 7 + r.id) %% 11 <> 0
            """,
            {"town": town.pk},
        )
        step(
            "visits",
            f"""
            INSERT INTO inspections_visit (business_id, template_id, kind, status, created_by_id,
              started_at, submitted_at, outcome, notes, requirements_text, referral_note, is_relapse,
              created_at, updated_at)
            SELECT b.id, t.id, CASE WHEN k %% 5 = 0 THEN 'surprise' ELSE 'routine' END, 'submitted', %(user)s,
              now() - ((b.id * 13 + k * 37) %% 200) * interval '1 day', now(),
              CASE WHEN (b.id + k) %% 4 = 0 THEN 'rectify' ELSE 'passed' END, '', '', '', false, now(), now()
            FROM campaigns_business b
            JOIN inspections_checklisttemplate t ON t.category_id = b.category_id AND t.is_current
            CROSS JOIN generate_series(1, %(per)s) k
            WHERE {scope} AND (b.id + k) %% 5 <> 0
            """,
            {"town": town.pk, "user": user.pk, "per": visits_per},
        )
        step(
            "answers",
            f"""
            INSERT INTO inspections_visitanswer (visit_id, item_id, "order", code, requirement, text, basis,
              requires_photo_on_failure, weight, answer, note, is_relapse)
            SELECT v.id, i.id, i."order", i.code, i.requirement, i.text, i.basis, i.requires_photo_on_failure,
              i.weight, CASE WHEN (v.id + i.id) %% 23 = 0 THEN 'fail' ELSE 'pass' END, '', false
            FROM inspections_visit v JOIN inspections_checklistitem i ON i.template_id = v.template_id
            JOIN campaigns_business b ON b.id = v.business_id WHERE {scope}
            """,
            {"town": town.pk},
        )
        step(
            "ledger lines",
            f"""
            INSERT INTO ledgers_ledgerentry (business_id, direction, occurred_on, product_name, product_key,
              specification, kind, quantity, unit, batch, batch_key, registration_number, supplier_name,
              supplier_key, supplier_code, certificate_collected, certificate_kind, invoice_collected,
              buyer_name, buyer_key, note, flag_no_registration, flag_expired_sale, flag_no_certificate,
              flag_no_invoice, entered_at)
            SELECT b.id, CASE WHEN k = 1 THEN 'out' ELSE 'in' END, current_date - ((b.id + k) %% 45)::int,
              '食品' || k, '食品' || k, '', 'food', 1, '瓶', '', '', '',
              CASE WHEN k = 1 THEN '' ELSE '供货商' END, CASE WHEN k = 1 THEN '' ELSE '供货商' END, '',
              (b.id + k) %% 9 <> 0, '', (b.id + k) %% 8 <> 0,
              CASE WHEN k = 1 THEN '顾客' ELSE '' END, CASE WHEN k = 1 THEN '顾客' ELSE '' END, '',
              false, false, (b.id + k) %% 9 = 0, (b.id + k) %% 8 = 0, now()
            FROM campaigns_business b CROSS JOIN generate_series(1, %(per)s) k
            WHERE {scope} AND b.id %% 10 <> 0
            """,
            {"town": town.pk, "per": ledger_per},
        )
        for table in (
            "campaigns_business",
            "campaigns_licence",
            "inspections_visit",
            "inspections_visitanswer",
            "ledgers_ledgerentry",
        ):
            cur.execute(f"ANALYZE {table}")
    print(f"filled in {time.perf_counter() - started:.0f} s")


def timed(label: str, fn, repeat: int = 5):
    result = (
        fn()
    )  # warm the cache: the figure is for a page someone opens, not the first read after a restart
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
    print(
        f"{label:<58} median {statistics.median(times):8.1f} ms  max {max(times):8.1f} ms  {len(ctx)} queries"
    )
    return result


HAND_SQL = """
WITH latest AS (
  SELECT DISTINCT ON (business_id) id, business_id FROM inspections_visit
  WHERE status = 'submitted' AND started_at < %(end)s ORDER BY business_id, started_at DESC, id DESC
), failed AS (
  SELECT l.business_id, a.requirement FROM latest l JOIN inspections_visitanswer a ON a.visit_id = l.id
  WHERE a.answer = 'fail' AND a.requirement IN ('G3', 'D1') GROUP BY 1, 2
), gap AS (
  SELECT DISTINCT b.id FROM campaigns_business b
  JOIN campaigns_licencerequirement r ON r.category_id = b.category_id
  LEFT JOIN campaigns_business_subtypes bs ON bs.business_id = b.id AND bs.subtype_id = r.subtype_id
  WHERE (r.subtype_id IS NULL OR bs.business_id IS NOT NULL) AND NOT EXISTS (
    SELECT 1 FROM campaigns_licence h WHERE h.business_id = b.id AND h.licence_type_id = r.licence_type_id
      AND h.state IN ('valid', 'temporary') AND (h.issued_on IS NULL OR h.issued_on <= %(day)s)
      AND (h.expires_on IS NULL OR h.expires_on >= %(day)s) AND h.displayed)
), ledger AS (
  SELECT DISTINCT business_id FROM ledgers_ledgerentry WHERE occurred_on BETWEEN %(window)s AND %(day)s
)
SELECT count(*), count(*) FILTER (WHERE gap.id IS NULL),
  count(*) FILTER (WHERE ledger.business_id IS NOT NULL),
  count(*) FILTER (WHERE latest.id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM failed f WHERE f.business_id = b.id AND f.requirement = 'G3')),
  count(*) FILTER (WHERE c.code = 'pharmacy'),
  count(*) FILTER (WHERE c.code = 'pharmacy' AND latest.id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM failed f WHERE f.business_id = b.id AND f.requirement = 'D1'))
FROM campaigns_business b JOIN campaigns_category c ON c.id = b.category_id
LEFT JOIN gap ON gap.id = b.id LEFT JOIN ledger ON ledger.business_id = b.id
LEFT JOIN latest ON latest.business_id = b.id
WHERE b.status NOT IN ('banned', 'closed', 'moved')
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=100_000)
    parser.add_argument("--visits-per", type=int, default=2)
    parser.add_argument("--ledger-per", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about PostgreSQL's plans.")
    call_command("migrate", verbosity=0)
    fill(args.businesses, args.visits_per, args.ledger_per)

    import datetime

    from campaigns.models import Business
    from dashboard import figures, targets
    from ledgers.selectors import window_days

    today = timezone.localdate()
    ctx = targets.Ctx.at(today)
    available = targets.available()
    print(f"{Business.objects.active().count():,} active businesses, {len(available)} targets")
    splits = timed(
        "figures.compute_splits (all targets × all splits)", lambda: figures.compute_splits(available, ctx)
    )
    town = {f.target.id: (f.numerator, f.denominator) for f in splits["town"]}

    User = get_user_model()
    leader, _ = User.objects.get_or_create(username="bench9-leader")
    if not leader.roles.exists():
        leader.roles.create(kind="leader")
    client = Client()
    client.force_login(leader)
    timed("dashboard page (leader, whole request)", lambda: client.get("/dashboard/", HTTP_HOST="127.0.0.1"))
    timed("target_report --json", lambda: call_command("target_report", "--json", stdout=io.StringIO()))

    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    params = {"day": today, "end": end, "window": today - datetime.timedelta(days=window_days())}

    def hand():
        with connection.cursor() as cur:
            cur.execute(HAND_SQL, params)
            return cur.fetchone()

    total, g1, g2, g3, pharmacies, d1 = timed("hand-written SQL aggregate (G1, G2, G3, D1; town)", hand)
    print("figures   ORM              hand SQL")
    for target_id, hand_figure in (
        ("G1", (g1, total)),
        ("G2", (g2, total)),
        ("G3", (g3, total)),
        ("D1", (d1, pharmacies)),
    ):
        mark = "same" if town[target_id] == hand_figure else "DIFFERENT"
        print(f"  {target_id:<4} {town[target_id]!s:<18} {hand_figure!s:<18} {mark}")
    for target_id, (numerator, denominator) in town.items():
        print(f"  {target_id:<4} {numerator:>7,} / {denominator:>7,}")


if __name__ == "__main__":
    main()
