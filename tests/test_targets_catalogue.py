"""The target catalogue (dashboard/targets.py) at its edges (issue 22, mutation testing).

The catalogue's conditions are built once, when the module is imported (ROSTER_TARGETS): these tests
build them again at run time — `both` (C1: 合法经营 *and* 亮照), `holds_licence` (a type or its equivalent,
DOMAIN §8; displayed or not; bounded by `within`) — and check the dates a Ctx carries (each town's own
campaign start, issue 24), the population of a category target, and the catalogue's order and look-up.
"""

import datetime

import pytest

from campaigns.models import Business, Campaign
from dashboard import targets
from dashboard.targets import ORDER, Ctx, Target
from tests import factories as f
from tests.factories_dashboard import campaign

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 7, 1)
DAYS = datetime.timedelta


def met(condition, ctx) -> set[int]:
    return set(Business.objects.filter(condition(ctx)).values_list("pk", flat=True))


@pytest.fixture
def second_town(db):
    return f.TownFactory(name="西岗镇", code="xigang")


@pytest.fixture
def groceries(village):
    """Three groceries: every licence displayed; every licence but the food licence hidden (合法, 亮照);
    the business licence displayed but no food licence (亮照, not 合法)."""
    shops = {name: f.BusinessFactory(name=name, village=village) for name in ("全", "藏证", "缺证")}
    f.licensed(shops["全"])
    f.licensed(shops["藏证"])
    shops["藏证"].licences.filter(licence_type__code="food_circulation").update(displayed=False)
    f.LicenceFactory(business=shops["缺证"], licence_type=f.licence_type("business"))
    return {name: shop.pk for name, shop in shops.items()}


def test_c1_is_both_conditions_not_either_nor_the_last(groceries):
    ctx = Ctx(as_of=DAY, campaign_start=DAY)
    c1 = targets.both(targets.licences_complete, targets.holds_licence("business", displayed=True))
    assert met(c1, ctx) == {groceries["全"], groceries["藏证"]}
    # In the other order: still both (the last condition alone would let 缺证 in, either would too).
    c1 = targets.both(targets.holds_licence("business", displayed=True), targets.licences_complete)
    assert met(c1, ctx) == {groceries["全"], groceries["藏证"]}
    assert met(targets.both(), ctx) >= set(groceries.values())  # no condition: every business


def test_the_catalogues_c1_counts_the_same(groceries):
    ctx = Ctx(as_of=DAY, campaign_start=DAY)
    counted = met(targets.get("C1").meets_q, ctx) & set(groceries.values())
    assert counted == {groceries["全"], groceries["藏证"]}


def test_g1_needs_every_licence_displayed_u1_only_held(groceries):
    ctx = Ctx(as_of=DAY, campaign_start=DAY)
    assert met(targets.licences_complete_and_displayed, ctx) == {groceries["全"]}
    assert met(targets.licences_complete, ctx) == {groceries["全"], groceries["藏证"]}


def test_holds_licence_counts_the_type_or_its_equivalent_displayed_if_asked(village):
    ctx = Ctx(as_of=DAY, campaign_start=DAY)
    old = f.BusinessFactory(village=village)  # 食品流通许可证, the old name of 食品经营许可证 (DOMAIN §8)
    f.LicenceFactory(business=old, licence_type=f.licence_type("food_circulation"))
    new = f.BusinessFactory(village=village)
    f.LicenceFactory(business=new, licence_type=f.licence_type("food_business"), displayed=False)
    neither = f.BusinessFactory(village=village)
    f.LicenceFactory(business=neither, licence_type=f.licence_type("business"))
    assert met(targets.holds_licence("food_business"), ctx) == {old.pk, new.pk}
    assert met(targets.holds_licence("food_business", displayed=True), ctx) == {old.pk}
    assert met(targets.holds_licence("business"), ctx) == {neither.pk}


def test_holds_licence_on_the_date_only(village):
    shop = f.BusinessFactory(village=village)
    f.LicenceFactory(business=shop, licence_type=f.licence_type("business"), expires_on=DAY)
    held = targets.holds_licence("business")
    assert met(held, Ctx(as_of=DAY, campaign_start=DAY)) == {shop.pk}
    assert met(held, Ctx(as_of=DAY + DAYS(1), campaign_start=DAY)) == set()


def test_a_licence_condition_bounded_by_within_looks_at_those_businesses_only(village):
    one, other = (f.BusinessFactory(village=village) for _ in range(2))
    for shop in (one, other):
        f.licensed(shop)
    ctx = Ctx(as_of=DAY, campaign_start=DAY, within=Business.objects.filter(pk=one.pk).values("pk"))
    assert met(targets.holds_licence("business"), ctx) == {one.pk}
    assert met(targets.holds_licence("business", displayed=True), ctx) == {one.pk}


# --- the dates of a Ctx (issue 24) ------------------------------------------------------------------------


def test_each_towns_own_campaign_start_the_others_the_citys(village, second_town):
    city = campaign(starts_on=datetime.date(2026, 5, 1))
    third = f.TownFactory(code="sanzhen", name="三镇")
    fourth = f.TownFactory(code="sizhen", name="四镇")
    for town, starts in (
        (second_town, datetime.date(2026, 6, 1)),  # its own start
        (third, datetime.date(2026, 5, 1)),  # the same day as the city's: not listed apart
        (fourth, DAY + DAYS(10)),  # not started on the date: counted from the date
    ):
        Campaign.objects.create(
            name=f"{town.name}专项", town=town, starts_on=starts, ends_on=DAY + DAYS(100), is_current=True
        )
    ctx = Ctx.at(DAY, city)
    assert ctx.campaign_start == datetime.date(2026, 5, 1)
    assert ctx.default_start == datetime.date(2026, 5, 1)
    assert ctx.town_starts == {second_town.pk: datetime.date(2026, 6, 1), fourth.pk: DAY}


def test_without_a_city_campaign_the_ctxs_start_stands_for_the_towns_without_their_own(second_town):
    Campaign.objects.update(is_current=False)
    Campaign.objects.create(
        name="西岗专项", town=second_town, starts_on=datetime.date(2026, 6, 1), ends_on=DAY, is_current=True
    )
    ctx = Ctx(as_of=DAY, campaign_start=datetime.date(2026, 3, 1))
    assert ctx.default_start == datetime.date(2026, 3, 1)
    assert ctx.town_starts == {second_town.pk: datetime.date(2026, 6, 1)}


def test_ctx_at_a_date_before_the_campaign_starts_from_the_date():
    current = campaign(starts_on=datetime.date(2026, 5, 1))
    before = datetime.date(2026, 4, 1)
    ctx = Ctx.at(before)
    assert (ctx.as_of, ctx.campaign_start) == (before, before)
    assert ctx.default_start == before  # the city's campaign's start, not later than the date
    assert Ctx.at(DAY, current).campaign_start == datetime.date(2026, 5, 1)
    assert Ctx.at(DAY).campaign_start == datetime.date(2026, 5, 1)  # the current campaign by default
    earlier = Campaign.objects.create(
        name="上一轮专项", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 3, 31)
    )
    assert Ctx.at(DAY, earlier).campaign_start == datetime.date(2026, 1, 1)  # the campaign asked for


def test_ctx_at_without_any_campaign_counts_the_year_before():
    Campaign.objects.all().delete()
    ctx = Ctx.at(DAY)
    assert ctx.campaign_start == DAY - DAYS(365)
    assert ctx.default_start == DAY - DAYS(365)
    assert ctx.town_starts == {}


def test_ctx_at_reads_the_towns_windows_and_starts_once(django_assert_num_queries):
    campaign()
    ctx = Ctx.at(DAY)
    with django_assert_num_queries(0):
        assert ctx.ledger_windows == {}
        assert ctx.default_start == datetime.date(2026, 5, 1)


# --- a target's population and the catalogue -------------------------------------------------------------


def test_a_category_targets_population_is_its_categories(village):
    grocery = f.BusinessFactory(village=village)
    agri = f.BusinessFactory(village=village, category=f.category("agri"))
    ctx = Ctx(as_of=DAY, campaign_start=DAY)
    counted = lambda t: met(t.population_q, ctx) & {grocery.pk, agri.pk}  # noqa: E731
    assert counted(targets.get("C1")) == {grocery.pk}
    assert counted(targets.get("A2")) == {agri.pk}
    assert counted(targets.get("G1")) == {grocery.pk, agri.pk}
    assert targets.get("C1").applies_to_category("grocery")
    assert not targets.get("C1").applies_to_category("agri")
    assert targets.get("G1").applies_to_category("agri")


def test_a_target_needing_a_model_that_does_not_exist_is_off():
    always = lambda ctx: targets.Q()  # noqa: E731
    assert Target("X", "x", 1.0, None, always, needs=("inspections.Visit",)).is_available()
    assert not Target("X", "x", 1.0, None, always, needs=("inspections.Nothing",)).is_available()
    assert not Target("X", "x", 1.0, None, always, needs=("nothing",)).is_available()
    assert Target("X", "x", 1.0, None, always).is_available()


def test_the_catalogue_is_in_domain_order_and_get_finds_by_id():
    ids = [t.id for t in targets.available()]
    assert ids == [i for i in ORDER if i in ids]
    assert set(ids) >= {"G1", "A2", "B1", "C1", "U1", "G2", "A3", "A4", "C2"}
    assert targets.get("A3").id == "A3"
    assert targets.get("Z9") is None


def test_a_target_outside_the_order_comes_last(monkeypatch):
    always = lambda ctx: targets.Q()  # noqa: E731
    extra = Target("Z1", "z", 1.0, None, always)
    monkeypatch.setattr(targets, "ROSTER_TARGETS", [extra, *targets.ROSTER_TARGETS])
    ids = [t.id for t in targets.available()]
    assert ids[-1] == "Z1" and ids[0] == "G1"
    assert targets.get("Z1") is extra
