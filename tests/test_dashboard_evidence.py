"""Targets computed from visits and ledgers, on the small town with a known set of visits and ledgers.

Visits (all submitted, started 2026-06-10 unless said):
  g1 all pass · w1 fails G3-1 · r1 fails E1-2 · p1 all pass · p2 fails D1-3 · a1 all pass · a2 all pass
  s1 fails F4-2 on 06-10, passes everything on 07-15 (the latest visit decides)
Ledgers (window 30 days before 2026-08-01):
  g1 food purchase with certificate and invoice, entered by its own business account (C3)
  g2 food purchase without invoice · a1 fertilizer purchase and sale · a2 buys 甲胺磷 (banned: A4 alert)
Active businesses: g1 g2 g3 a1 a2 w1 s1 r1 (small town) + r2 p1 p2 p3 = 12.
"""

import datetime

import pytest

from dashboard import figures, targets
from dashboard.targets import Ctx
from tests import factories as f
from tests.factories_dashboard import AFTER, BEFORE, campaign, small_town
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2026, 6, 10)
JULY = datetime.date(2026, 7, 15)
LEDGER_DAY = datetime.date(2026, 7, 20)


@pytest.fixture
def town(village, other_village, office):
    b = {"campaign": campaign(), **small_town(village, other_village)}
    pharmacy = f.category("pharmacy")
    retail = [pharmacy.subtypes.get(code="retail")]
    for key, v in (("p1", village), ("p2", village), ("p3", other_village)):
        b[key] = f.BusinessFactory(name=f"{v.name}{key}大药房", village=v, category=pharmacy, subtypes=retail)
        f.licensed(b[key])
    b["r2"] = f.BusinessFactory(name="西村大排档", village=other_village, category=f.category("restaurant"))
    f.licensed(b["r2"])
    for key in ("g1", "g2"):
        b[key].is_town_centre = True
        b[key].save()

    inspect(b["g1"], office, day=JUNE)
    inspect(b["w1"], office, day=JUNE, fails=("G3-1",))
    inspect(b["r1"], office, day=JUNE, fails=("E1-2",))
    inspect(b["p1"], office, day=JUNE)
    inspect(b["p2"], office, day=JUNE, fails=("D1-3",))
    inspect(b["a1"], office, day=JUNE)
    inspect(b["a2"], office, day=JUNE)
    inspect(b["s1"], office, day=JUNE, fails=("F4-2",))
    inspect(b["s1"], office, day=JULY)

    shop = f.user_with_role("business", "g1_shop", business=b["g1"])
    food = {"kind": "food", "product": "花生油", "unit": "瓶"}
    on = {"occurred_on": LEDGER_DAY}
    next_day = {"occurred_on": LEDGER_DAY + datetime.timedelta(days=1)}
    record(b["g1"], line("in", **food, **on), user=shop, today=AFTER)
    record(b["g2"], line("in", invoice_collected=False, **food, **on), user=office, today=AFTER)
    record(b["a1"], line("in", **on), line("out", quantity="2", **next_day), user=office, today=AFTER)
    record(b["a2"], line("in", product="甲胺磷", kind="pesticide", unit="瓶", **on), user=office, today=AFTER)
    return b


def town_figures(as_of):
    return {
        x.target.id: (x.numerator, x.denominator) for x in figures.compute(targets.available(), Ctx.at(as_of))
    }


def test_every_target_of_domain_is_available():
    ids = {t.id for t in targets.available()}
    assert ids == {
        "G1", "G2", "G3", "G4", "A1", "A2", "A3", "A4", "B1", "C1", "C2", "C3", "C5", "C7",
        "D1", "D2", "D4", "E1a", "E1b", "E1c", "E1d", "F1", "F2", "F4", "U1",
    }  # fmt: skip
    assert targets.get("D4").goal == 0.30


def test_visit_targets_after_the_visits(town):
    got = town_figures(AFTER)
    assert got["G3"] == (7, 12)  # visited: g1 w1 r1 p1 p2 a1 a2 s1 = 8, less w1 (failed G3-1)
    assert got["G4"] == (8, 12)
    assert got["A1"] == (2, 2)
    assert got["D1"] == (1, 3)
    assert got["D2"] == (2, 3)
    assert got["D4"] == (2, 3)
    assert got["E1a"] == (1, 2)
    assert got["E1b"] == (1, 2)
    assert got["E1c"] == (0, 2)
    assert got["E1d"] == (1, 1)
    assert got["F2"] == (0, 0)
    assert got["F4"] == (1, 1)


def test_before_any_visit_nothing_is_met(town):
    got = town_figures(BEFORE)
    for target_id in ("G3", "G4", "A1", "D1", "D2", "D4", "E1a", "E1b", "E1c", "F4"):
        assert got[target_id][0] == 0, target_id
    assert got["E1d"] == (0, 0)


def test_the_latest_visit_decides(town):
    assert town_figures(datetime.date(2026, 7, 1))["F4"] == (0, 1)
    assert town_figures(AFTER)["F4"] == (1, 1)


def test_ledger_targets(town):
    got = town_figures(AFTER)
    assert got["G2"] == (1, 12)  # G2: only a1 keeps purchases AND sales; g1, g2, a2 sell but only bought
    assert got["A3"] == (2, 2)
    assert got["A4"] == (1, 2)  # a2 bought a banned pesticide
    assert got["C2"] == (1, 2)  # the two town-centre groceries; g2 has no invoice
    assert got["C3"] == (1, 3)  # only g1 files its own ledger
    assert town_figures(AFTER + datetime.timedelta(days=60))["G2"] == (0, 12)  # out of the window


def test_visit_targets_split_by_village_and_department(town, village, other_village):
    ctx = Ctx.at(AFTER)
    by_village = {
        (x.target.id, x.village.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), ctx, "village")
    }
    assert by_village[("D1", village.code)] == (1, 2)
    assert by_village[("D1", other_village.code)] == (0, 1)
    by_department = {
        (x.target.id, x.department.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), ctx, "department")
    }
    assert by_department[("G3", "tech_supervision")] == (0, 1)
    assert by_department[("D4", "economy")] == (2, 3)


def test_drill_down_of_a_visit_target(town):
    failing = figures.failing(targets.get("D1"), Ctx.at(AFTER))
    assert sorted(b.name for b in failing) == sorted([town["p2"].name, town["p3"].name])


def test_counters_on_the_dashboard(town, client, leader, inspector):
    client.force_login(leader)
    counters = {c["label"]: c["value"] for c in client.get("/dashboard/").context["counters"]}
    # w1 r1 p2 s1 got orders on 06-10 (14 days); s1's passed on 07-15 without being its re-inspection
    assert counters["整改中的通知书"] == 4
    assert counters["逾期未复查"] == 4
    assert counters["专项以来检查"] == 9
    client.force_login(inspector)
    counters = {c["label"]: c["value"] for c in client.get("/dashboard/").context["counters"]}
    assert counters["整改中的通知书"] == 2  # p2 and s1 are in 东村


def test_bulletin_reports_visits_and_orders(town, settings, tmp_path):
    import io

    import docx

    from dashboard import services

    settings.MEDIA_ROOT = tmp_path
    bulletin = services.bulletin_create(campaign=town["campaign"], period_end=AFTER)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bulletin.file.read())).paragraphs)
    assert "本期共检查经营单位8家、9次，其中日常检查9次。" in text
    assert "限期整改4家次" in text
    assert "下达责令限期整改通知书4份" in text


def test_acceptance_record_lists_the_undercover_and_random_checks(town, village, office):
    from dashboard import selectors, services
    from dashboard.models import AcceptanceRecord

    inspect(town["g2"], office, day=datetime.date(2026, 7, 20), kind="undercover")
    inspect(town["g3"], office, day=datetime.date(2026, 7, 21), kind="random")  # another village
    record = AcceptanceRecord(
        campaign=town["campaign"],
        kind="village",
        village=village,
        checks_from=JULY,
        checked_on=AFTER,
        conclusion="passed",
    )
    from dashboard.choices import SHEETS

    record = services.acceptance_record_save(
        record=record, scores={c: full for c, _i, _w, full in SHEETS["village"]}
    )
    checks = selectors.acceptance_checks(record)
    assert [(c["business"].name, c["kind"]) for c in checks] == [(town["g2"].name, "暗访")]


def test_two_visits_at_the_same_moment_the_later_recorded_decides(town, office):
    """The latest visit's tie-break: same started_at, the higher pk (recorded later) is the latest."""
    day = datetime.date(2026, 7, 25)
    inspect(town["s1"], office, day=day, fails=("F4-2",))
    inspect(town["s1"], office, day=day)
    assert town_figures(AFTER)["F4"] == (1, 1)
    inspect(town["s1"], office, day=AFTER, fails=("F4-2",))
    inspect(town["s1"], office, day=AFTER, fails=("F4-3",))
    assert town_figures(AFTER)["F4"] == (0, 1)


@pytest.mark.parametrize("as_of", [BEFORE, JULY, AFTER])
def test_a_village_counted_alone_matches_its_cells_of_the_town(town, village, other_village, as_of):
    """figures.rows over one village bounds the set-based conditions to its businesses (Ctx.within):
    every target's figures must equal the village's cells of the town's matrix."""
    every = targets.available()
    ctx = Ctx.at(as_of)
    town_rows = figures.rows(every, ctx, "matrix", figures.businesses())
    for v in (village, other_village):
        alone = figures.rows(every, ctx, "matrix", figures.businesses(village=v))
        cells = [r for r in town_rows if r["village_id"] == v.pk]
        key = lambda r: r["category_id"]  # noqa: E731
        assert sorted(alone, key=key) == sorted(cells, key=key), v.code
