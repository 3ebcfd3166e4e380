"""G1 'licences complete' derived at a date from DOMAIN §7 requirements, in one query for a list."""

import datetime

import pytest

from campaigns.models import Business
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def status(business, as_of=DAY):
    return Business.objects.with_licence_status(as_of).get(pk=business.pk)


def test_grocery_needs_business_and_food_circulation_licence():
    shop = f.BusinessFactory(category=f.category("grocery"))
    f.LicenceFactory(business=shop, licence_type=f.licence_type("business"))
    s = status(shop)
    assert (s.required_count, s.missing_count, s.licences_complete) == (2, 1, False)
    f.LicenceFactory(business=shop, licence_type=f.licence_type("food_circulation"))
    assert status(shop).licences_complete is True


def test_agri_subtype_adds_its_own_licence():
    """A pesticide shop needs 农药经营许可证; a feed shop does not (DOMAIN §7)."""
    cat = f.category("agri")
    pesticide = cat.subtypes.get(code="pesticide")
    feed = cat.subtypes.get(code="feed")
    pesticide_shop = f.BusinessFactory(category=cat, subtypes=[pesticide])
    feed_shop = f.BusinessFactory(category=cat, subtypes=[feed])
    f.LicenceFactory(business=pesticide_shop)
    f.LicenceFactory(business=feed_shop)
    assert status(pesticide_shop).required_count == 2
    assert status(pesticide_shop).licences_complete is False
    assert status(feed_shop).required_count == 1
    assert status(feed_shop).licences_complete is True
    f.LicenceFactory(business=pesticide_shop, licence_type=f.licence_type("pesticide"))
    assert status(pesticide_shop).licences_complete is True


def test_completeness_depends_on_the_date():
    shop = f.BusinessFactory(category=f.category("restaurant"))
    f.licensed(shop, issued_on=datetime.date(2026, 3, 1), expires_on=datetime.date(2026, 9, 30))
    assert status(shop, datetime.date(2026, 2, 28)).licences_complete is False  # not yet issued
    assert status(shop, datetime.date(2026, 3, 1)).licences_complete is True
    assert status(shop, datetime.date(2026, 9, 30)).licences_complete is True  # last valid day
    assert status(shop, datetime.date(2026, 10, 1)).licences_complete is False  # expired


@pytest.mark.parametrize(
    ("state", "held"), [("valid", True), ("temporary", True), ("expired", False), ("revoked", False)]
)
def test_licence_state_decides_whether_it_counts(state, held):
    shop = f.BusinessFactory(category=f.category("restaurant"))
    f.LicenceFactory(business=shop, licence_type=f.licence_type("business"))
    f.LicenceFactory(business=shop, licence_type=f.licence_type("hygiene"), state=state)
    assert status(shop).licences_complete is held


def test_displayed_is_the_second_half_of_g1():
    shop = f.BusinessFactory(category=f.category("grocery"))
    f.LicenceFactory(business=shop, licence_type=f.licence_type("business"), displayed=True)
    f.LicenceFactory(business=shop, licence_type=f.licence_type("food_circulation"), displayed=False)
    s = status(shop)
    assert s.licences_complete is True
    assert s.licences_displayed is False


def test_a_renewed_licence_counts_once():
    shop = f.BusinessFactory(category=f.category("grocery"))
    f.licensed(shop)
    f.LicenceFactory(business=shop, licence_type=f.licence_type("business"), state="expired")
    s = status(shop)
    assert (s.required_count, s.missing_count) == (2, 0)


def test_whole_list_in_one_query(django_assert_num_queries):
    for i in range(6):
        shop = f.BusinessFactory(category=f.category("pharmacy"))
        if i % 2:
            f.licensed(shop)
    with django_assert_num_queries(1):
        rows = list(Business.objects.with_licence_status(DAY).values_list("licences_complete", flat=True))
    assert sorted(rows) == [False, False, False, True, True, True]


def test_filter_by_complete():
    done = f.BusinessFactory(category=f.category("grocery"))
    f.licensed(done)
    missing = f.BusinessFactory(category=f.category("grocery"))
    assert list(Business.objects.licences_complete(True, as_of=DAY)) == [done]
    assert list(Business.objects.licences_complete(False, as_of=DAY)) == [missing]


def test_set_based_filter_agrees_with_per_row_annotation():
    """licence_gap_q (used to filter and count at city scale) and with_licence_status give one answer."""
    from campaigns.models.business import licence_gap_q

    agri = f.category("agri")
    pesticide, seed = agri.subtypes.get(code="pesticide"), agri.subtypes.get(code="seed")
    shops = [
        f.BusinessFactory(category=agri, subtypes=[pesticide, seed]),
        f.BusinessFactory(category=agri, subtypes=[seed]),
        f.BusinessFactory(category=f.category("restaurant")),
        f.BusinessFactory(category=f.category("pharmacy")),
        f.BusinessFactory(category=f.category("grocery")),
    ]
    f.licensed(shops[0], expires_on=datetime.date(2026, 5, 1))
    f.licensed(shops[1], displayed=False)
    f.licensed(shops[2], state="temporary")
    f.LicenceFactory(business=shops[3])
    f.licensed(shops[4], issued_on=datetime.date(2026, 7, 1))
    for day in [datetime.date(2026, 4, 1), DAY, datetime.date(2026, 8, 1)]:
        rows = Business.objects.with_licence_status(day)
        assert set(Business.objects.licences_complete(True, as_of=day)) == {
            b for b in rows if b.licences_complete
        }
        assert set(Business.objects.licences_complete(False, as_of=day)) == {
            b for b in rows if not b.licences_complete
        }
        assert set(Business.objects.exclude(licence_gap_q(as_of=day, displayed=True))) == {
            b for b in rows if b.licences_displayed
        }


# Issue 22, found by mutation testing of campaigns/models/business.py (G1).


def test_a_requirement_given_by_type_id_is_met_by_the_type_and_its_equivalents_only():
    # DOMAIN §8: 食品流通许可证 is met by itself, by 食品经营许可证 and by 食品经营备案; not by 营业执照.
    from campaigns.models import Licence
    from campaigns.models.business import satisfies_q

    shop = f.BusinessFactory(category=f.category("grocery"))
    meets = {
        code: f.LicenceFactory(business=shop, licence_type=f.licence_type(code)).pk
        for code in ("food_circulation", "food_business", "food_filing", "business")
    }
    found = set(
        Licence.objects.filter(satisfies_q(f.licence_type("food_circulation").pk)).values_list(
            "pk", flat=True
        )
    )
    assert found == {meets["food_circulation"], meets["food_business"], meets["food_filing"]}


def test_a_category_requiring_nothing_counts_zero_and_is_complete():
    from campaigns.models import LicenceRequirement

    LicenceRequirement.objects.filter(category=f.category("grocery")).delete()
    s = status(f.BusinessFactory(category=f.category("grocery")))
    assert (s.required_count, s.missing_count, s.undisplayed_count) == (0, 0, 0)
    assert (s.licences_complete, s.licences_displayed) == (True, True)


def test_required_licence_types_are_the_categorys_and_its_subtypes_only():
    grocery = f.BusinessFactory(category=f.category("grocery"))
    assert set(grocery.required_licence_types().values_list("code", flat=True)) == {
        "business",
        "food_circulation",
    }
    agri = f.category("agri")
    feed = f.BusinessFactory(category=agri, subtypes=[agri.subtypes.get(code="feed")])
    pesticide = f.BusinessFactory(category=agri, subtypes=[agri.subtypes.get(code="pesticide")])
    assert feed.required_licence_types().count() == 1
    assert pesticide.required_licence_types().count() == 2


def test_licences_complete_by_default_and_within_the_queryset_itself():
    # The roster's "licences incomplete" filter checks the matches (within=True): the same answer.
    complete = f.BusinessFactory(category=f.category("grocery"), name="齐全店")
    f.licensed(complete)
    lacking = f.BusinessFactory(category=f.category("grocery"), name="缺证店")
    f.licensed(f.BusinessFactory(category=f.category("grocery"), name="别的店"))
    both = Business.objects.filter(pk__in=[complete.pk, lacking.pk])
    assert list(both.licences_complete(as_of=DAY).values_list("name", flat=True)) == ["齐全店"]
    for value, names in ((True, ["齐全店"]), (False, ["缺证店"])):
        assert list(both.licences_complete(value, DAY, within=True).values_list("name", flat=True)) == names
        assert list(both.licences_complete(value, DAY).values_list("name", flat=True)) == names
