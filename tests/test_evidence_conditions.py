"""Each evidence condition of dashboard/evidence.py on its own, case by case (issue 22, mutation testing).

Small, direct and cheap (no dashboard, no figures): the mutants of evidence.py run against this file.
G2's two halves for every selling category and the restaurant's one; C2's food purchases with 索证 and 索票
each; A4's unregistered fertilizer (not pesticide) and its window; C7's severities and dates; the latest
visit's tie on the same moment; E1d's outcomes that deal with a violation; F2's requirements; D4's dates;
each town's own ledger window and campaign start (issue 24); and the catalogue of these targets: labels,
goals, categories, evidence and the rule's wording (DOMAIN §3–§4).
"""

import datetime

import pytest
from django.conf import settings

from campaigns.models import Business, Campaign, Category, TownSettings
from dashboard import evidence, targets
from dashboard.targets import Ctx
from inspections.choices import Answer, VisitOutcome, VisitStatus
from inspections.models import Incident, Visit, VisitAnswer
from inspections.services import visits as visit_services
from ledgers.models import LedgerEntry
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_inspections import at, inspect
from tests.factories_ledgers import TODAY, line, record

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta
START = datetime.date(2026, 1, 1)  # the city's campaign
FOOD = {"kind": "food", "product": "花生油", "unit": "瓶"}


@pytest.fixture(autouse=True)
def current_campaign(db):
    return campaign(starts_on=START)


def meets(condition, business, day=TODAY) -> bool:
    return Business.objects.filter(condition(Ctx.at(day)), pk=business.pk).exists()


def shop(code: str, **extra) -> Business:
    return f.BusinessFactory(category=f.category(code), **extra)


# --- G2: both halves for units that sell ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["agri", "workshop", "grocery", "pharmacy", "slaughter"])
def test_g2_a_unit_that_sells_needs_purchases_and_sales(code):
    unit = shop(code)
    record(unit, line("in"))
    assert not meets(evidence.keeps_ledger, unit)
    record(unit, line("out", quantity="2", days_ago=5))
    assert meets(evidence.keeps_ledger, unit)
    LedgerEntry.objects.filter(business=unit, direction="in").delete()
    assert not meets(evidence.keeps_ledger, unit)  # sales alone


def test_g2_a_restaurant_needs_purchases_only_and_sales_alone_are_no_ledger():
    restaurant = shop("restaurant")
    assert not meets(evidence.keeps_ledger, restaurant)
    record(restaurant, line("in", **FOOD))
    assert meets(evidence.keeps_ledger, restaurant)
    LedgerEntry.objects.filter(business=restaurant).update(direction="out", buyer_name="食客")
    assert not meets(evidence.keeps_ledger, restaurant)


# --- C2: food purchases, each with 索证 and 索票 ---------------------------------------------------------


def test_c2_every_food_purchase_in_the_window_has_certificate_and_invoice():
    grocery = shop("grocery")
    food = record(grocery, line("in", **FOOD))[0]
    fertilizer = record(grocery, line("in"))[0]
    c2 = evidence.food_ledger_documented
    assert meets(c2, grocery)
    # A purchase of something else, undocumented, is not C2's business.
    LedgerEntry.objects.filter(pk=fertilizer.pk).update(certificate_collected=False, invoice_collected=False)
    assert meets(c2, grocery)
    for missing in ({"certificate_collected": False}, {"invoice_collected": False}):
        LedgerEntry.objects.filter(pk=food.pk).update(**missing)
        assert not meets(c2, grocery), missing
        LedgerEntry.objects.filter(pk=food.pk).update(certificate_collected=True, invoice_collected=True)
    assert meets(c2, grocery)
    # Only a documented purchase of something else in the window: no food purchase ledger.
    LedgerEntry.objects.filter(pk=fertilizer.pk).update(certificate_collected=True, invoice_collected=True)
    LedgerEntry.objects.filter(pk=food.pk).update(direction="out", buyer_name="顾客")
    assert not meets(c2, grocery)
    LedgerEntry.objects.filter(pk=food.pk).update(direction="in", occurred_on=TODAY + DAYS(1))
    assert not meets(c2, grocery)  # after the date
    assert meets(c2, grocery, TODAY + DAYS(1))


def test_c2_an_undocumented_food_sale_does_not_undo_the_purchases():
    grocery = shop("grocery")
    record(grocery, line("in", **FOOD))
    sale = record(grocery, line("out", quantity="1", days_ago=5, **FOOD))[0]
    LedgerEntry.objects.filter(pk=sale.pk).update(certificate_collected=False, invoice_collected=False)
    assert meets(evidence.food_ledger_documented, grocery)


# --- C3 and A4 in the window -------------------------------------------------------------------------------


def test_c3_the_shops_own_lines_count_within_the_window_only():
    grocery = shop("grocery")
    account = f.user_with_role("business", "own_grocery", business=grocery)
    entry = record(grocery, line("in", **FOOD), user=account)[0]
    assert meets(evidence.files_electronically, grocery)
    window = settings.WUXIAO_LEDGER_WINDOW_DAYS
    LedgerEntry.objects.filter(pk=entry.pk).update(occurred_on=TODAY - DAYS(window + 1))
    assert not meets(evidence.files_electronically, grocery)


def test_a4_a_fertilizer_without_registration_fails_a_pesticide_is_not_a4s_ledger_check():
    agri = shop("agri")
    fertilizer = record(agri, line("in"))[0]
    assert meets(evidence.no_banned_goods, agri)
    LedgerEntry.objects.filter(pk=fertilizer.pk).update(flag_no_registration=True)
    assert not meets(evidence.no_banned_goods, agri)
    LedgerEntry.objects.filter(pk=fertilizer.pk).update(kind="pesticide")
    assert meets(evidence.no_banned_goods, agri)
    LedgerEntry.objects.filter(pk=fertilizer.pk).update(kind="fertilizer", occurred_on=TODAY + DAYS(1))
    assert meets(evidence.no_banned_goods, agri)  # after the date
    assert not meets(evidence.no_banned_goods, agri, TODAY + DAYS(1))


def test_a4_a_banned_product_counts_within_the_window_only():
    agri = shop("agri")
    banned = record(agri, line("in", product="甲胺磷", kind="pesticide", unit="瓶"))[0]
    assert banned.alerts.exists()
    assert not meets(evidence.no_banned_goods, agri)
    window = settings.WUXIAO_LEDGER_WINDOW_DAYS
    LedgerEntry.objects.filter(pk=banned.pk).update(occurred_on=TODAY - DAYS(window + 1))
    assert meets(evidence.no_banned_goods, agri)


def test_a4_needs_both_the_visit_and_the_ledger(office):
    a4 = targets.get("A4").meets_q
    agri = shop("agri")
    f.licensed(agri)
    visit = inspect(agri, office, day=TODAY - DAYS(3))
    assert meets(a4, agri)
    VisitAnswer.objects.filter(visit=visit, code="A4-2").update(answer=Answer.FAIL)
    assert not meets(a4, agri)  # the visit alone
    VisitAnswer.objects.filter(visit=visit, code="A4-2").update(answer=Answer.PASS)
    record(agri, line("in", product="甲胺磷", kind="pesticide", unit="瓶"))
    assert not meets(a4, agri)  # the ledger alone


# --- each town's own window and start (issue 24) ---------------------------------------------------------


@pytest.fixture
def second_town_village(db):
    town = f.TownFactory(name="西岗镇", code="xigang")
    return f.VillageFactory(town=town, name="西岗村", code="xigangcun")


def test_a_towns_own_ledger_window_decides_for_its_businesses(second_town_village):
    TownSettings.objects.create(town=second_town_village.town, ledger_window_days=10)
    here, there = shop("agri"), shop("agri", village=second_town_village)
    for unit in (here, there):
        record(unit, line("in", days_ago=11), line("out", quantity="2", days_ago=11))
    assert meets(evidence.keeps_traceable_ledger, here)
    assert not meets(evidence.keeps_traceable_ledger, there)
    assert meets(evidence.keeps_traceable_ledger, there, TODAY - DAYS(1))  # its window's first day


def test_a_towns_own_campaign_start_decides_for_its_businesses(second_town_village, office):
    own_start = datetime.date(2026, 3, 1)
    Campaign.objects.create(
        name="西岗镇专项", town=second_town_village.town, starts_on=own_start, ends_on=TODAY + DAYS(100),
        is_current=True,
    )  # fmt: skip
    here, there = shop("restaurant"), shop("restaurant", village=second_town_village)
    for unit in (here, there):
        inspect(unit, office, day=own_start - DAYS(1))
    assert meets(evidence.visited_since_start, here)
    assert not meets(evidence.visited_since_start, there)
    Visit.objects.filter(business=there).update(started_at=at(own_start, 0))
    assert meets(evidence.visited_since_start, there)


# --- C7: major incidents since the start ------------------------------------------------------------------


def test_c7_a_major_incident_counts_from_the_start_to_the_date(village):
    restaurant, neighbour = shop("restaurant", village=village), shop("restaurant", village=village)
    incident = Incident.objects.create(
        title="集体食物中毒", place="东村祠堂", village=village, severity="II", occurred_on=TODAY
    )
    incident.businesses.add(restaurant)
    c7 = evidence.no_major_incident
    assert not meets(c7, restaurant) and meets(c7, neighbour)
    assert meets(c7, restaurant, TODAY - DAYS(1))  # not yet
    for day, counted in ((START, True), (START - DAYS(1), False)):
        Incident.objects.filter(pk=incident.pk).update(occurred_on=day)
        assert meets(c7, restaurant) is not counted, day
    for severity, major in (("I", True), ("II", True), ("III", False), ("IV", False)):
        Incident.objects.filter(pk=incident.pk).update(severity=severity, occurred_on=TODAY)
        assert meets(c7, restaurant) is not major, severity


# --- visits: the latest one, violations and their outcomes, D4 ------------------------------------------


def test_the_latest_visit_of_two_at_the_same_moment_is_the_last_saved(office):
    restaurant = shop("restaurant")
    first = inspect(restaurant, office, day=TODAY - DAYS(5))
    second = inspect(restaurant, office, day=TODAY - DAYS(5))
    e1b = evidence.latest_visit_passes(codes=("E1-1",))
    g3 = evidence.latest_visit_fails_none("G3")
    VisitAnswer.objects.filter(visit=second, code__in=("E1-1", "G3-1")).update(answer=Answer.FAIL)
    assert not meets(e1b, restaurant) and not meets(g3, restaurant)
    VisitAnswer.objects.filter(visit=second).update(answer=Answer.PASS)
    VisitAnswer.objects.filter(visit=first, code__in=("E1-1", "G3-1")).update(answer=Answer.FAIL)
    assert meets(e1b, restaurant) and meets(g3, restaurant)


def test_the_latest_visit_is_the_last_started_not_the_last_entered(office):
    """A visit entered after a later one (a paper form typed in afterwards) does not become the latest."""
    restaurant = shop("restaurant")
    inspect(restaurant, office, day=TODAY - DAYS(2))
    inspect(restaurant, office, day=TODAY - DAYS(9), fails=("G3-1", "E1-1"))
    assert meets(evidence.latest_visit_fails_none("G3"), restaurant)
    assert meets(evidence.latest_visit_passes(codes=("E1-1",)), restaurant)


def test_another_businesss_visit_is_not_this_ones(office):
    restaurant, neighbour = shop("restaurant"), shop("restaurant")
    inspect(neighbour, office, day=TODAY - DAYS(2))
    for condition in (
        evidence.visited_since_start,
        evidence.latest_visit_fails_none("G3"),
        evidence.latest_visit_passes(codes=("E1-1",)),
    ):
        assert meets(condition, neighbour) and not meets(condition, restaurant)


def test_a_requirement_passes_only_with_a_pass_and_no_fail(office):
    pharmacy = shop("pharmacy")
    visit = inspect(pharmacy, office, day=TODAY - DAYS(5))
    d1 = evidence.latest_visit_passes("D1")
    assert meets(d1, pharmacy)
    VisitAnswer.objects.filter(visit=visit, code="D1-3").update(answer=Answer.FAIL)
    assert not meets(d1, pharmacy)  # one of five failed
    VisitAnswer.objects.filter(visit=visit, requirement="D1").update(answer=Answer.NA)
    assert not meets(d1, pharmacy)  # none answered
    VisitAnswer.objects.filter(visit=visit, code="D1-1").update(answer=Answer.PASS)
    assert meets(d1, pharmacy)


def test_g3_fails_only_on_its_own_items_in_the_latest_visit(office):
    restaurant = shop("restaurant")
    earlier = inspect(restaurant, office, day=TODAY - DAYS(9), fails=("G3-1",))
    g3 = evidence.latest_visit_fails_none("G3")
    assert not meets(g3, restaurant)
    latest = inspect(restaurant, office, day=TODAY - DAYS(2))
    assert meets(g3, restaurant)
    VisitAnswer.objects.filter(visit=latest, code="E1-1").update(answer=Answer.FAIL)
    assert meets(g3, restaurant)  # another requirement failed
    assert not meets(g3, restaurant, TODAY - DAYS(3))  # the earlier one was the latest then
    assert earlier.started_at < latest.started_at


def test_a_violation_is_acted_on_by_rectification_a_ban_a_revocation_or_a_referral(office):
    restaurant = shop("restaurant")
    visit = inspect(restaurant, office, day=TODAY - DAYS(5), fails=("E1-2",))
    found, acted = evidence.violation_found(), evidence.violation_acted_on()
    for outcome in VisitOutcome.values:
        Visit.objects.filter(pk=visit.pk).update(outcome=outcome)
        assert meets(found, restaurant), outcome
        assert meets(acted, restaurant) is (outcome != VisitOutcome.PASSED), outcome
    VisitAnswer.objects.filter(visit=visit).update(answer=Answer.PASS)
    assert not meets(found, restaurant) and not meets(acted, restaurant)


def test_a_failed_item_of_a_visit_not_yet_submitted_is_no_violation(office):
    restaurant = shop("restaurant")
    draft = visit_services.visit_start(business=restaurant, user=office, started_at=at(TODAY - DAYS(5)))
    VisitAnswer.objects.filter(visit=draft, code="E1-2").update(answer=Answer.FAIL)
    Visit.objects.filter(pk=draft.pk).update(outcome=VisitOutcome.RECTIFY)
    found, acted = evidence.violation_found(), evidence.violation_acted_on()
    assert not meets(found, restaurant) and not meets(acted, restaurant)
    Visit.objects.filter(pk=draft.pk).update(status=VisitStatus.SUBMITTED)
    assert meets(found, restaurant) and meets(acted, restaurant)


@pytest.mark.parametrize("code", ["F1-1", "F2-1", "F3-1"])
def test_f2_counts_violations_of_f1_to_f3(office, code):
    plant = shop("slaughter")
    inspect(plant, office, day=TODAY - DAYS(5), fails=(code,))
    assert meets(evidence.violation_found("F1", "F2", "F3"), plant)
    assert meets(evidence.violation_acted_on("F1", "F2", "F3"), plant)
    assert not meets(evidence.violation_found("F4"), plant)


def test_d4_a_gsp_follow_up_since_the_start_to_the_date(office):
    pharmacy = shop("pharmacy", subtypes=[f.category("pharmacy").subtypes.get(code="retail")])
    visit = inspect(pharmacy, office, day=TODAY)
    d4 = targets.get("D4").meets_q
    assert meets(d4, pharmacy) and not meets(d4, pharmacy, TODAY - DAYS(1))
    Visit.objects.filter(pk=visit.pk).update(started_at=at(START, 0))
    assert meets(d4, pharmacy)
    Visit.objects.filter(pk=visit.pk).update(started_at=at(START, 0) - DAYS(seconds=1))
    assert not meets(d4, pharmacy)


# --- the catalogue of these targets ---------------------------------------------------------------------

VISITS = {"inspections.Visit", "inspections.VisitAnswer"}
LEDGERS = {"ledgers.LedgerEntry"}
CATALOGUE = {
    # id: (label, goal, categories, evidence needed)
    "G2": ("建立进货及销售台账", 1.0, None, LEDGERS),
    "G3": ("不使用、不添加非食用原材料", 1.0, None, VISITS),
    "G4": ("不生产、不销售假冒伪劣产品、药品", 1.0, None, VISITS),
    "A1": ("农资店纳入监管范围", 1.0, ("agri",), VISITS),
    "A3": ("农资进销货台账可追溯", 1.0, ("agri",), LEDGERS),
    "A4": ("无假冒伪劣、无禁用农药、肥料有登记证", 1.0, ("agri",),
           VISITS | LEDGERS | {"ledgers.LedgerAlert"}),
    "C2": ("镇中心区食杂店食品进货台账及索证索票", 1.0, ("grocery",), LEDGERS),
    "C3": ("食杂店使用电子台账（信誉通）", 0.5, ("grocery",), LEDGERS | {"accounts.RoleAssignment"}),
    "C5": ("食杂店自律制度落实", 1.0, ("grocery",), VISITS),
    "C7": ("无区域性重大食品安全事故", 1.0, ("workshop", "grocery", "restaurant", "slaughter"),
           {"inspections.Incident"}),
    "D1": ("药店五项制度落实", 1.0, ("pharmacy",), VISITS),
    "D2": ("药品从合法渠道购进、资质齐全", 1.0, ("pharmacy",), VISITS),
    "D4": ("GSP跟踪检查覆盖面", 0.3, ("pharmacy",), VISITS),
    "E1a": ("餐饮店监管率", 1.0, ("restaurant",), VISITS),
    "E1b": ("量化分级管理制度实施率", 1.0, ("restaurant",), VISITS),
    "E1c": ("原料进货索证制度实施率", 1.0, ("restaurant",), VISITS),
    "E1d": ("违法行为查处率", 1.0, ("restaurant",), VISITS),
    "F1": ("定点屠宰率", 1.0, ("slaughter",), {"inspections.SlaughterReturn"}),
    "F2": ("私屠滥宰及违法违规行为查处率", 1.0, ("slaughter",), VISITS),
    "F4": ("屠宰场八项制度落实", 1.0, ("slaughter",), VISITS),
}  # fmt: skip
SINCE_START = {"A1", "C7", "D4", "E1a", "E1d", "F2"}
LATEST_VISIT = {"G3", "G4", "A4", "C5", "D1", "D2", "E1b", "E1c", "F4"}


def test_the_catalogue_of_visit_and_ledger_targets():
    listed = {t.id: t for t in evidence.targets()}
    assert list(listed) == list(CATALOGUE)
    for target_id, (label, goal, categories, needs) in CATALOGUE.items():
        target = listed[target_id]
        expected = (label, goal, categories or targets.ALL, needs)
        assert (target.label, target.default_goal, target.categories, set(target.needs)) == expected, (
            target_id
        )
        assert target.department is None
        assert target.goal_field == ("e_ledger_goal" if target_id == "C3" else ""), target_id


def test_the_catalogues_conditions_by_name():
    listed = {t.id: t for t in evidence.targets()}
    assert listed["G2"].meets is evidence.keeps_ledger
    assert listed["A1"].meets is listed["E1a"].meets is evidence.visited_since_start
    assert listed["A3"].meets is evidence.keeps_traceable_ledger
    assert listed["C2"].meets is evidence.food_ledger_documented
    assert listed["C3"].meets is evidence.files_electronically
    assert listed["C7"].meets is evidence.no_major_incident


ITEMS = [  # a target decided by the latest visit, a category it counts, an item citing its requirement
    ("G3", "grocery", "G3-1"), ("G4", "workshop", "G4-1"), ("A4", "agri", "A4-3"), ("C5", "grocery", "C5-2"),
    ("D1", "pharmacy", "D1-5"), ("D2", "pharmacy", "D2-1"), ("E1b", "restaurant", "E1-1"),
    ("E1c", "restaurant", "E1-2"), ("F4", "slaughter", "F4-8"),
]  # fmt: skip


@pytest.mark.parametrize(("target_id", "code", "item"), ITEMS)
def test_each_latest_visit_target_fails_with_its_own_item(office, target_id, code, item):
    unit = shop(code)
    visit = inspect(unit, office, day=TODAY - DAYS(5))
    target = targets.get(target_id)
    assert meets(target.meets_q, unit), target_id
    VisitAnswer.objects.filter(visit=visit, code=item).update(answer=Answer.FAIL)
    assert not meets(target.meets_q, unit), target_id


@pytest.mark.parametrize(
    ("target_id", "code", "item"), [("E1d", "restaurant", "E1-3"), ("F2", "slaughter", "F2-1")]
)
def test_each_violation_target_counts_the_units_found_in_violation(office, target_id, code, item):
    unit, clean = shop(code), shop(code)
    inspect(unit, office, day=TODAY - DAYS(5), fails=(item,))
    inspect(clean, office, day=TODAY - DAYS(5))
    target = targets.get(target_id)
    ctx = Ctx.at(TODAY)
    assert set(Business.objects.filter(target.population_q(ctx))) == {unit}
    assert set(Business.objects.filter(target.population_q(ctx) & target.meets_q(ctx))) == {unit}


def test_each_rule_says_whom_it_counts_and_how():
    """The rule is one sentence from its population (在营…, or those found in violation since the start)
    to its 。, naming the evidence: the ledger's window, the campaign's start, the latest visit."""
    for target in evidence.targets():
        rule = str(target.rule)
        assert rule.startswith(("在营", "在册在营", "镇中心区在营", "专项开始以来")), target.id
        assert rule.endswith("。"), target.id
        assert ("台账有效期" in rule) is bool(LEDGERS & set(target.needs)), target.id
        assert ("专项开始以来" in rule) is (target.id in SINCE_START), target.id
        assert ("最近一次检查" in rule) is (target.id in LATEST_VISIT), target.id
    rules = {t.id: str(t.rule) for t in evidence.targets()}
    for code in evidence.SELLING_CATEGORIES:  # G2 names the units asked for both halves
        assert Category.objects.get(code=code).short_name in rules["G2"], code
    assert "餐饮店只要求进货台账" in rules["G2"]
    assert f"{settings.WUXIAO_LEDGER_WINDOW_DAYS}天" in rules["G2"]
    assert "不低于30%" in rules["D4"]
    assert "办公室设定" in rules["C3"]


def test_the_catalogues_populations():
    listed = {t.id: t for t in evidence.targets()}
    ctx = Ctx.at(TODAY)
    centre, outskirts = shop("grocery", is_town_centre=True), shop("grocery")
    c2 = Business.objects.filter(listed["C2"].population_q(ctx))
    assert centre in c2 and outskirts not in c2
    assert set(Business.objects.filter(listed["C3"].population_q(ctx))) == {centre, outskirts}
