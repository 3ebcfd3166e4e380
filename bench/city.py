"""The synthetic city's activity, written server-side (INSERT … SELECT generate_series) after the roster.

Registered as writers in bench/generate.py (WRITERS). Every "random" choice is a hash of a row's key and
the seed (hashint8extended), so the same --seed gives the same rows, on any machine, in any order of
execution. Measured against Python-side COPY (rows built in Python, streamed with cursor.copy): for the
10M-row ledger, COPY spends most of its time building tuples in Python (~60 s per million rows on the
shared 2-core machine) where the server-side INSERT … SELECT writes a million rows in ~10 s, so the big
tables are generated in SQL; the roster (a few hundred thousand rows, Python-side logic) stays on COPY.

The load runs with the tables' secondary indexes dropped (rebuilt once at the end: maintaining them row
by row is what makes a bulk load slow) and with session_replication_role = replica (no foreign-key trigger
per row: the rows are consistent by construction).

What is written, per business (averages at the defaults):
- visits: 10 submitted visits spread over the campaign up to the anchor day (kinds and outcomes in
  realistic proportions), each with an answer for every item of its category's current checklist, a
  licence check for every licence its category (and sub-types) require, its inspector, and a photo for
  every failed item whose checklist line requires one. About 15 % of visits find something wrong: at least
  one failed item; 90 % of those end in 限期整改 (a rectification order), the rest in a referral;
- rectification orders from those visits: closed by the business's next visit when it passed (that visit
  becomes the 回头查), escalated when it failed again (successor: the next visit's order), open when there
  is no later visit;
- ledgers: 100 lines (50–150), 60 % purchases and 40 % sales, dated over the 300 days before the anchor day
  (8 % of businesses stopped 45 days before it: no line in the G2 window). 20 % of purchases come from the
  town's wholesaler of the category (supplier_business set: traces follow it), the rest from named outside
  suppliers; sales go to named customers;
- unlicensed cases (3 % of food businesses: 60 % open, 40 % licensed), tip-offs (one per 50 businesses, in
  every state) and samples (one per 20 businesses; pass, fail, pending).
"""

from __future__ import annotations

import datetime
import time

VISIT_KINDS = [  # (kind, share in ‰) — reinspections are set from the orders they close
    ("routine", 760),
    ("surprise", 120),
    ("random", 50),
    ("undercover", 30),
    ("acceptance", 25),
    ("tipoff", 15),
]
CAMPAIGN_DAYS = 300
LEDGER_PREFIX = {  # category → (product name prefix, unit, kinds by product number % 3)
    "agri": ("农药", "瓶", ("pesticide", "fertilizer", "seed")),
    "workshop": ("原料", "千克", ("food", "food", "food")),
    "grocery": ("食品", "千克", ("food", "food", "food")),
    "pharmacy": ("药品", "盒", ("drug", "drug", "drug")),
    "restaurant": ("食材", "千克", ("food", "food", "food")),
    "slaughter": ("生猪", "千克", ("meat", "meat", "meat")),
}
BIG_TABLES = [
    "inspections_visit",
    "inspections_visitanswer",
    "inspections_visitlicencecheck",
    "inspections_visitphoto",
    "inspections_visit_inspectors",
    "ledgers_ledgerentry",
]


SECONDS: dict[str, float] = {}  # label → seconds of the last run, for the results


def _step(cur, label: str, sql: str, params=None) -> int:
    started = time.perf_counter()
    cur.execute(sql, params or {})
    rows = cur.rowcount
    SECONDS[label] = round(time.perf_counter() - started, 1)
    print(f"  {label:<40} {rows:>12,} rows {time.perf_counter() - started:7.1f} s", flush=True)
    return rows


def _functions(cur, seed: int) -> None:
    # r(x, salt): a deterministic number 0…999999 from a row key, a salt and the seed (inlined by the
    # planner).
    cur.execute(
        f"""
        CREATE OR REPLACE FUNCTION pg_temp.r(x bigint, salt int) RETURNS int LANGUAGE sql IMMUTABLE AS
        $$ SELECT (abs(hashint8extended(x, {int(seed)} * 1000 + salt)) % 1000000)::int $$
        """
    )


def _drop_indexes(cur) -> list[tuple[str, str]]:
    """Drop the big tables' secondary indexes (not the ones behind constraints); return their definitions."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [BIG_TABLES],
    )
    indexes = cur.fetchall()
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return indexes


def wipe(cur) -> None:
    cur.execute(
        "TRUNCATE inspections_sample, inspections_unlicensedcase, inspections_tipoff, "
        "inspections_rectificationorder_items, inspections_rectificationorder, inspections_visitphoto, "
        "inspections_visitlicencecheck, inspections_visitanswer, inspections_visit_inspectors, "
        "inspections_visit, ledgers_ledgeralert, ledgers_ledgerentry RESTART IDENTITY CASCADE"
    )
    cur.execute(
        "DELETE FROM accounts_roleassignment WHERE user_id IN "
        "(SELECT id FROM auth_user WHERE username LIKE 'bench-insp-%')"
    )
    cur.execute("DELETE FROM auth_user WHERE username LIKE 'bench-insp-%'")


def _inspectors(cur, anchor: datetime.date) -> None:
    """One inspector per village (the visits' created_by and inspector), with their role."""
    cur.execute(
        """
        INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
          is_active, date_joined)
        SELECT '!', false, 'bench-insp-' || v.code, '', '检查员' || v.id, '', false, true,
          (%(anchor)s::date + interval '18 hours')
        FROM campaigns_village v WHERE v.code LIKE 'bench-%%' ORDER BY v.id
        """,
        {"anchor": anchor},
    )
    cur.execute(
        """
        INSERT INTO accounts_roleassignment (user_id, kind, village_id, department_id, business_id)
        SELECT u.id, 'inspector', v.id, NULL, NULL FROM campaigns_village v
        JOIN auth_user u ON u.username = 'bench-insp-' || v.code
        """
    )
    cur.execute(
        "CREATE TEMP TABLE bench_insp ON COMMIT DROP AS SELECT v.id AS village_id, u.id AS user_id "
        "FROM campaigns_village v JOIN auth_user u ON u.username = 'bench-insp-' || v.code"
    )


def _campaign(cur, anchor: datetime.date) -> datetime.date:
    start = anchor - datetime.timedelta(days=CAMPAIGN_DAYS)
    cur.execute("UPDATE campaigns_campaign SET is_current = false WHERE is_current")
    cur.execute("DELETE FROM campaigns_campaign WHERE name = '基准专项整治'")
    cur.execute(
        "INSERT INTO campaigns_campaign (name, town_id, starts_on, ends_on, is_current) "
        "VALUES ('基准专项整治', NULL, %s, %s, true)",
        [start, anchor + datetime.timedelta(days=65)],
    )
    return start


def write_activity(cur, rng, args, today) -> dict:
    anchor = args.anchor
    counts: dict = {}
    cur.execute("SET LOCAL session_replication_role = replica")
    cur.execute("SET LOCAL synchronous_commit = off")
    cur.execute("SET LOCAL work_mem = '256MB'")
    cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
    _functions(cur, args.seed)
    indexes = _drop_indexes(cur)
    _inspectors(cur, anchor)
    start = _campaign(cur, anchor)
    per = args.visits_per
    kinds_case = "CASE " + " ".join(
        f"WHEN pg_temp.r(p.id, 7) < {sum(s for _, s in VISIT_KINDS[: i + 1]) * 1000} THEN '{k}'"
        for i, (k, _) in enumerate(VISIT_KINDS)
    )
    kinds_case += " ELSE 'routine' END"
    cur.execute("SELECT id FROM campaigns_department WHERE code = 'enforcement'")
    enforcement = cur.fetchone()[0]
    params = {"start": start, "days": CAMPAIGN_DAYS, "enf": enforcement, "anchor": anchor}

    # Checklist items with their position in the template (0…count-1): the failed item of a failing visit.
    cur.execute(
        """
        CREATE TEMP TABLE bench_items ON COMMIT DROP AS
        SELECT i.*, (row_number() OVER (PARTITION BY i.template_id ORDER BY i."order", i.id) - 1)::int AS pos,
          count(*) OVER (PARTITION BY i.template_id)::int AS cnt
        FROM inspections_checklistitem i JOIN inspections_checklisttemplate t ON t.id = i.template_id
        WHERE t.is_current
        """
    )
    counts["visits"] = _step(
        cur,
        "visits (plan)",
        f"""
        CREATE TEMP TABLE bench_v ON COMMIT DROP AS
        WITH plan AS (
          SELECT b.id AS business_id, b.category_id, b.village_id, t.id AS template_id, k,
            {per // 2} + pg_temp.r(b.id, 1) %% {per + 1} AS n
          FROM campaigns_business b
          JOIN inspections_checklisttemplate t ON t.category_id = b.category_id AND t.is_current
          CROSS JOIN LATERAL generate_series(1, {per // 2} + pg_temp.r(b.id, 1) %% {per + 1}) AS k
        ), p AS (
          SELECT plan.*, row_number() OVER (ORDER BY business_id, k) AS id FROM plan
        )
        SELECT p.id, p.business_id, p.category_id, p.template_id, u.user_id,
          {kinds_case}::varchar(20) AS kind,
          (%(start)s::date + ((p.k - 1 + pg_temp.r(p.id, 2) / 1e6) * %(days)s / p.n)::int)::timestamp
            + make_interval(hours => 8 + pg_temp.r(p.id, 8) %% 9, mins => pg_temp.r(p.id, 9) %% 60)
            AS started_at,
          pg_temp.r(p.id, 3) < 150000 AS fails,
          NULL::bigint AS reinspection_of_id
        FROM p JOIN bench_insp u ON u.village_id = p.village_id
        """,
        params,
    )
    cur.execute("ALTER TABLE bench_v ADD PRIMARY KEY (id)")
    cur.execute(
        """
        CREATE TEMP TABLE bench_next ON COMMIT DROP AS
        SELECT id, lead(id) OVER w AS next_id, lead(fails) OVER w AS next_fails,
          lead(started_at) OVER w AS next_started
        FROM bench_v WINDOW w AS (PARTITION BY business_id ORDER BY started_at, id)
        """
    )
    counts["visit_answers"] = _step(
        cur,
        "visit answers",
        """
        INSERT INTO inspections_visitanswer ("order", code, requirement, text, basis,
          requires_photo_on_failure, weight, answer, note, is_relapse, item_id, visit_id)
        SELECT i."order", i.code, i.requirement, i.text, i.basis, i.requires_photo_on_failure, i.weight,
          CASE WHEN v.fails AND (i.pos = v.id %% i.cnt OR pg_temp.r(v.id * 32 + i.pos, 4) < 120000)
                 THEN 'fail'
               WHEN pg_temp.r(v.id * 32 + i.pos, 5) < 30000 THEN 'na' ELSE 'pass' END,
          '', false, i.id, v.id
        FROM bench_v v JOIN bench_items i ON i.template_id = v.template_id
        """,
    )
    cur.execute(
        """
        CREATE TEMP TABLE bench_score ON COMMIT DROP AS
        SELECT visit_id, round(100.0 * sum(weight) FILTER (WHERE answer = 'pass')
          / nullif(sum(weight) FILTER (WHERE answer IN ('pass', 'fail')), 0))::int AS score
        FROM inspections_visitanswer GROUP BY visit_id
        """
    )
    # Orders from the failing visits that end in rectification (90 %; the rest are referrals).
    counts["orders"] = _step(
        cur,
        "rectification orders (plan)",
        """
        CREATE TEMP TABLE bench_o ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY v.started_at, v.id) AS id, v.id AS visit_id, v.business_id,
          v.user_id, v.started_at::date AS issued_on, v.started_at::date + 15 AS deadline,
          n.next_id, n.next_fails, n.next_started::date AS next_on
        FROM bench_v v JOIN bench_next n ON n.id = v.id
        WHERE v.fails AND pg_temp.r(v.id, 6) < 900000
        """,
    )
    cur.execute(
        "UPDATE bench_v v SET kind = 'reinspection', reinspection_of_id = o.id FROM bench_o o "
        "WHERE o.next_id = v.id"
    )
    _step(
        cur,
        "visits",
        """
        INSERT INTO inspections_visit (id, kind, status, started_at, submitted_at, outcome, score, notes,
          referral_note, is_relapse, created_at, updated_at, business_id, created_by_id,
          referral_department_id, reinspection_of_id, template_id, deadline, requirements_text)
        SELECT v.id, v.kind, 'submitted', v.started_at, v.started_at + interval '40 minutes',
          CASE WHEN NOT v.fails THEN 'passed' WHEN o.id IS NOT NULL THEN 'rectify' ELSE 'refer' END,
          s.score, '', CASE WHEN v.fails AND o.id IS NULL THEN '涉嫌违法，移送查处' ELSE '' END, false,
          v.started_at, v.started_at + interval '40 minutes', v.business_id, v.user_id,
          CASE WHEN v.fails AND o.id IS NULL THEN %(enf)s END, v.reinspection_of_id, v.template_id,
          o.deadline, CASE WHEN o.id IS NOT NULL THEN '按检查表不符合条目限期整改' ELSE '' END
        FROM bench_v v LEFT JOIN bench_score s ON s.visit_id = v.id LEFT JOIN bench_o o ON o.visit_id = v.id
        ORDER BY v.id
        """,
        params,
    )
    _step(
        cur,
        "visit inspectors",
        "INSERT INTO inspections_visit_inspectors (visit_id, user_id) "
        "SELECT id, user_id FROM bench_v ORDER BY id",
    )
    counts["licence_checks"] = _step(
        cur,
        "visit licence checks",
        """
        INSERT INTO inspections_visitlicencecheck (held, displayed, action, licence_id, licence_type_id,
          visit_id)
        SELECT l.id IS NOT NULL AND l.state IN ('valid', 'temporary'),
          CASE WHEN l.id IS NOT NULL AND l.state IN ('valid', 'temporary') THEN l.displayed END, '', l.id,
          r.licence_type_id, v.id
        FROM bench_v v JOIN campaigns_licencerequirement r ON r.category_id = v.category_id
        LEFT JOIN campaigns_licence l
          ON l.business_id = v.business_id AND l.licence_type_id = r.licence_type_id
        WHERE r.subtype_id IS NULL OR EXISTS (SELECT 1 FROM campaigns_business_subtypes bs
          WHERE bs.business_id = v.business_id AND bs.subtype_id = r.subtype_id)
        """,
    )
    counts["visit_photos"] = _step(
        cur,
        "visit photos (failed items needing one)",
        """
        INSERT INTO inspections_visitphoto (image, width, height, size, caption, uploaded_at, answer_id,
          uploaded_by_id, visit_id)
        SELECT 'bench/placeholder.jpg', 1280, 960, 180000, '', v.started_at, a.id, v.user_id, v.id
        FROM inspections_visitanswer a JOIN bench_v v ON v.id = a.visit_id
        WHERE a.answer = 'fail' AND a.requires_photo_on_failure
        """,
    )
    _step(
        cur,
        "rectification orders",
        """
        INSERT INTO inspections_rectificationorder (id, number, year, sequence, issued_on, deadline,
          requirements_text, status, reinspection_due_on, closed_on, return_check_due_on, created_at,
          business_id, department_id, issued_by_id, successor_id, closed_by_id, return_check_visit_id,
          visit_id)
        SELECT o.id, '基准〔' || extract(year FROM o.issued_on)::int || '〕' || seq || '号',
          extract(year FROM o.issued_on)::int, seq, o.issued_on, o.deadline, '按检查表不符合条目限期整改',
          CASE WHEN o.next_id IS NULL THEN 'open' WHEN o.next_fails THEN 'escalated' ELSE 'closed' END,
          o.deadline, o.next_on, CASE WHEN o.next_id IS NOT NULL AND NOT o.next_fails THEN o.next_on + 30 END,
          o.issued_on, o.business_id, NULL, o.user_id,
          NULL, o.next_id, NULL, o.visit_id
        FROM (SELECT *, row_number() OVER (PARTITION BY extract(year FROM issued_on) ORDER BY id) AS seq
              FROM bench_o) o
        """,
    )
    cur.execute(
        "UPDATE inspections_rectificationorder o SET successor_id = n.id FROM bench_o n "
        "WHERE o.status = 'escalated' AND n.visit_id = o.closed_by_id"
    )
    _step(
        cur,
        "order items (failed answers)",
        """
        INSERT INTO inspections_rectificationorder_items (rectificationorder_id, visitanswer_id)
        SELECT o.id, a.id FROM bench_o o JOIN inspections_visitanswer a ON a.visit_id = o.visit_id
        WHERE a.answer = 'fail'
        """,
    )
    counts.update(_write_enforcement(cur, params, args))
    counts["ledger_lines"] = _write_ledger(cur, args)
    index_times = {}
    for name, definition in indexes:
        started = time.perf_counter()
        cur.execute(definition)
        index_times[name] = time.perf_counter() - started
        print(f"  index {name:<34} {time.perf_counter() - started:7.1f} s", flush=True)
    SECONDS["indexes"] = round(sum(v for k, v in index_times.items()), 1)
    cur.execute("SET LOCAL session_replication_role = origin")
    counts["seconds_by_step"] = dict(SECONDS)
    return counts


def _write_enforcement(cur, params, args) -> dict:
    counts = {}
    counts["tipoffs"] = _step(
        cur,
        "tip-offs",
        """
        INSERT INTO inspections_tipoff (reference, content, place, business_name, contact_name, contact_phone,
          wants_reward, status, spam_reason, triage_note, reward_amount, reward_paid_on, client_hash,
          submitted_at, triaged_at, updated_at, business_id, lead_department_id, suggested_business_id,
          triaged_by_id, village_id)
        SELECT 'JB' || translate(lpad(g::text, 10, '0'), '0123456789', '23456789AB'),
          '群众反映该店销售过期食品', '', coalesce(b.name, ''), '', '', pg_temp.r(g, 41) < 300000, s.status,
          CASE WHEN s.status = 'spam' THEN 'office' ELSE '' END, '',
          CASE WHEN s.status = 'proven' AND pg_temp.r(g, 42) < 400000 THEN 200 END,
          CASE WHEN s.status = 'proven' AND pg_temp.r(g, 42) < 200000 THEN %(start)s::date + 250 END, '',
          (%(start)s::date + pg_temp.r(g, 43) %% %(days)s)::timestamp + interval '10 hours',
          CASE WHEN s.status <> 'received' THEN
            (%(start)s::date + pg_temp.r(g, 43) %% %(days)s)::timestamp + interval '1 day' END,
          (%(anchor)s::date + interval '18 hours'), b.id,
          CASE WHEN s.status IN ('assigned', 'verifying', 'proven', 'unfounded') THEN %(enf)s END,
          b.id, NULL, coalesce(b.village_id, (SELECT min(id) FROM campaigns_village))
        FROM generate_series(1, greatest(1, %(n)s / 50)) g
        CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.r(g, 40) < 100000 THEN 'received'
          WHEN pg_temp.r(g, 40) < 200000 THEN 'assigned' WHEN pg_temp.r(g, 40) < 300000 THEN 'verifying'
          WHEN pg_temp.r(g, 40) < 600000 THEN 'proven' WHEN pg_temp.r(g, 40) < 900000 THEN 'unfounded'
          ELSE 'spam' END AS status) s
        LEFT JOIN campaigns_business b ON b.id = 1 + pg_temp.r(g, 44) %% %(n)s AND pg_temp.r(g, 45) < 600000
        """,
        {**params, "n": args.businesses},
    )
    counts["unlicensed_cases"] = _step(
        cur,
        "unlicensed cases",
        """
        INSERT INTO inspections_unlicensedcase (source, missing_licences, status, opened_on, resolved_on,
          note,
          created_at, updated_at, business_id, department_id, opened_by_id, resolved_by_id, tipoff_id)
        SELECT CASE WHEN pg_temp.r(b.id, 51) < 500000 THEN 'roster' WHEN pg_temp.r(b.id, 51) < 850000
            THEN 'visit' ELSE 'tipoff' END, '营业执照、卫生许可证',
          CASE WHEN pg_temp.r(b.id, 52) < 600000 THEN 'open' ELSE 'licensed' END,
          %(start)s::date + pg_temp.r(b.id, 53) %% 200,
          CASE WHEN pg_temp.r(b.id, 52) >= 600000 THEN %(start)s::date + pg_temp.r(b.id, 53) %% 200 + 40 END,
          '', (%(anchor)s::date + interval '18 hours'), (%(anchor)s::date + interval '18 hours'), b.id,
          %(enf)s, NULL, NULL, NULL
        FROM campaigns_business b JOIN campaigns_category c ON c.id = b.category_id
        WHERE c.code IN ('workshop', 'grocery', 'restaurant') AND pg_temp.r(b.id, 50) < 30000
        """,
        params,
    )
    counts["samples"] = _step(
        cur,
        "samples",
        """
        INSERT INTO inspections_sample (number, kind, product, batch, quantity, lab, sampled_on, result,
          failing_items, result_on, action, created_at, updated_at, bureau_id, business_id, created_by_id,
          follow_up_of_id, order_id, referral_department_id, visit_id)
        SELECT 'CY' || lpad(g::text, 8, '0'),
          CASE c.code WHEN 'agri' THEN (ARRAY['pesticide', 'fertilizer', 'seed'])[1 + g %% 3]
            WHEN 'pharmacy' THEN 'drug' ELSE 'food' END,
          '样品' || g %% 200, 'B' || g %% 50, '2件', '市质检所', %(start)s::date + pg_temp.r(g, 61) %% 280,
          res.result, CASE WHEN res.result = 'fail' THEN '标签不合格' ELSE '' END,
          CASE WHEN res.result <> 'pending' THEN %(start)s::date + pg_temp.r(g, 61) %% 280 + 14 END,
          CASE WHEN res.result = 'fail' THEN 'rectify' ELSE '' END,
          (%(anchor)s::date + interval '18 hours'), (%(anchor)s::date + interval '18 hours'),
          NULL, b.id, u.user_id,
          NULL, NULL, NULL, NULL
        FROM generate_series(1, greatest(1, %(n)s / 20)) g
        JOIN campaigns_business b ON b.id = 1 + pg_temp.r(g, 60) %% %(n)s
        JOIN campaigns_category c ON c.id = b.category_id JOIN bench_insp u ON u.village_id = b.village_id
        CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.r(g, 62) < 800000 THEN 'pass'
          WHEN pg_temp.r(g, 62) < 880000 THEN 'fail' ELSE 'pending' END AS result) res
        """,
        {**params, "n": args.businesses},
    )
    return counts


def _write_ledger(cur, args) -> int:
    from campaigns.models import Category

    codes = dict(Category.objects.values_list("pk", "code"))
    rows = [
        (pk, *LEDGER_PREFIX[code][:2], *LEDGER_PREFIX[code][2])
        for pk, code in codes.items()
        if code in LEDGER_PREFIX
    ]
    values = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s)"] * len(rows))
    cur.execute(
        "CREATE TEMP TABLE bench_cat ON COMMIT DROP AS "
        f"SELECT * FROM (VALUES {values}) AS c(id, prefix, unit, k0, k1, k2)",
        [v for row in rows for v in row],
    )
    # The town's wholesaler of each category: its lowest-numbered active business.
    cur.execute(
        """
        CREATE TEMP TABLE bench_wholesale ON COMMIT DROP AS
        SELECT DISTINCT ON (v.town_id, b.category_id) v.town_id, b.category_id, b.id AS business_id, b.name
        FROM campaigns_business b JOIN campaigns_village v ON v.id = b.village_id
        WHERE b.status NOT IN ('banned', 'closed', 'moved') ORDER BY v.town_id, b.category_id, b.id
        """
    )
    per = args.ledger_per
    params = {"anchor": args.anchor}
    total = 0
    chunk = 20_000
    cur.execute("SELECT max(id) FROM campaigns_business")
    last = cur.fetchone()[0] or 0
    started = time.perf_counter()
    for lo in range(1, last + 1, chunk):
        cur.execute(
            f"""
            INSERT INTO ledgers_ledgerentry (direction, occurred_on, product_name, product_key, specification,
              kind, quantity, unit, batch, batch_key, production_date, shelf_life_days, expiry_date,
              registration_number, supplier_name, supplier_key, supplier_code, certificate_collected,
              certificate_kind, invoice_collected, buyer_name, buyer_key, note, flag_no_registration,
              flag_expired_sale, flag_no_certificate, flag_no_invoice, entered_at, business_id,
              buyer_business_id, entered_by_id, supplier_business_id)
            SELECT x.dir, x.day, x.product, x.product, '', x.kind, 1 + pg_temp.r(x.key, 35) %% 50, c.unit,
              x.batch, x.batch, NULL, NULL, NULL,
              CASE WHEN x.kind IN ('pesticide', 'fertilizer') THEN 'PD2008' || x.p ELSE '' END,
              x.supplier, x.supplier, '', x.cert, CASE WHEN x.cert THEN 'conformity' ELSE '' END, x.invoice,
              x.buyer, x.buyer, '', false, false, x.dir = 'in' AND NOT x.cert, x.dir = 'in' AND NOT x.invoice,
              x.day + time '18:00', x.business_id, NULL, NULL, x.supplier_business_id
            FROM (
              SELECT l.*,
                CASE WHEN l.dir = 'in' AND l.from_wholesaler AND w.business_id IS NOT NULL THEN w.name
                  WHEN l.dir = 'in' THEN '供货商' || pg_temp.r(l.key, 36) %% 300 ELSE '' END AS supplier,
                CASE WHEN l.dir = 'in' AND l.from_wholesaler THEN w.business_id END AS supplier_business_id,
                CASE WHEN l.dir = 'out' THEN '顾客' || pg_temp.r(l.key, 37) %% 5000 ELSE '' END AS buyer,
                l.dir = 'in' AND pg_temp.r(l.key, 38) < 920000 AS cert,
                l.dir = 'in' AND pg_temp.r(l.key, 39) < 900000 AS invoice
              FROM (
                SELECT b.id AS business_id, b.category_id, v.town_id, k.k, k.key, k.p,
                  CASE WHEN pg_temp.r(k.key, 31) < 600000 THEN 'in' ELSE 'out' END AS dir,
                  pg_temp.r(k.key, 34) < 200000 AS from_wholesaler,
                  k.day, cat.prefix || k.p || '号' AS product,
                  (ARRAY[cat.k0, cat.k1, cat.k2])[1 + k.p %% 3] AS kind,
                  'B' || to_char(k.day, 'YYMM') || (k.p %% 10) AS batch
                FROM campaigns_business b JOIN campaigns_village v ON v.id = b.village_id
                JOIN bench_cat cat ON cat.id = b.category_id
                CROSS JOIN LATERAL (
                  SELECT g AS k, b.id::bigint * 256 + g AS key,
                    pg_temp.r(b.id::bigint * 256 + g, 33) %% 200 AS p,
                    %(anchor)s::date - CASE WHEN pg_temp.r(b.id, 32) < 80000 THEN 45 ELSE 0 END
                      - ((n.n - g) * 300 / n.n) AS day
                  FROM (SELECT {per // 2} + pg_temp.r(b.id, 30) %% {per + 1} AS n) n,
                    generate_series(1, n.n) g
                ) k
                WHERE b.id BETWEEN {lo} AND {lo + chunk - 1}
              ) l
              LEFT JOIN bench_wholesale w ON w.town_id = l.town_id AND w.category_id = l.category_id
                AND w.business_id <> l.business_id
            ) x JOIN bench_cat c ON c.id = x.category_id
            """,
            params,
        )
        total += cur.rowcount
        SECONDS["ledger lines"] = round(time.perf_counter() - started, 1)
        print(f"  ledger lines {total:>12,} ({time.perf_counter() - started:6.1f} s)", flush=True)
    return total
