"""G2 asks purchase AND sales ledgers of units that sell; C3 is a rate with a goal the office sets,
counting only lines a shop's own account entered."""

import datetime

import pytest
from django.urls import reverse

from dashboard import figures, targets
from dashboard.targets import Ctx
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
DAY = {"occurred_on": datetime.date(2026, 7, 20)}
FOOD = {"kind": "food", "product": "花生油", "unit": "瓶"}


def _figures(as_of=AFTER):
    return {x.target.id: x for x in figures.compute(targets.available(), Ctx.at(as_of))}


def test_g2_a_grocery_needs_sales_as_well_as_purchases(village, office):
    campaign()
    grocery = f.BusinessFactory(village=village)
    record(grocery, line("in", **FOOD, **DAY), user=office, today=AFTER)
    assert (_figures()["G2"].numerator, _figures()["G2"].denominator) == (0, 1)
    record(grocery, line("out", **FOOD, **DAY), user=office, today=AFTER)
    assert _figures()["G2"].numerator == 1


def test_g2_a_restaurant_keeps_the_purchase_half(village, office):
    campaign()
    restaurant = f.BusinessFactory(village=village, category=f.category("restaurant"))
    record(restaurant, line("in", **FOOD, **DAY), user=office, today=AFTER)
    assert (_figures()["G2"].numerator, _figures()["G2"].denominator) == (1, 1)


def test_c3_counts_only_lines_the_shop_entered_itself(village, office):
    campaign()
    own, helped = f.BusinessFactory(village=village), f.BusinessFactory(village=village)
    shop = f.user_with_role("business", "own_shop", business=own)
    record(own, line("in", **FOOD, **DAY), user=shop, today=AFTER)
    record(helped, line("in", **FOOD, **DAY), user=office, today=AFTER)  # typed in by the office
    c3 = _figures()["C3"]
    assert (c3.numerator, c3.denominator) == (1, 2)


def test_c3_goal_is_the_offices_not_100_percent(client, office, village):
    c = campaign()
    own = f.BusinessFactory(village=village)
    f.BusinessFactory(village=village)  # a grocery not (yet) on the e-ledger
    record(own, line("in", **FOOD, **DAY), user=f.user_with_role("business", "s1", business=own), today=AFTER)
    assert _figures()["C3"].target.goal == c.e_ledger_goal / 100 < 1
    client.force_login(office)
    response = client.post(reverse("campaigns:e_ledger_goal"), {"percent": "40"})
    assert response.status_code == 302
    c3 = _figures()["C3"]
    assert c3.target.goal == 0.4 and c3.status == "green"  # 1 of 2 groceries is above the office's 40%
    bad = client.post(reverse("campaigns:e_ledger_goal"), {"percent": "0"})
    assert bad.status_code == 200 and "1" in bad.context["form"].errors["percent"][0]


def test_c3_goal_is_the_offices_to_set(client, inspector):
    campaign()
    client.force_login(inspector)
    assert client.get(reverse("campaigns:e_ledger_goal")).status_code == 404


def test_f1_is_the_monthly_designated_slaughter_rate(client, office, village):
    """F1 is head slaughtered at the designated plant against the town's consumption, month by month —
    holding the certificate is not enough."""
    campaign()
    plant = f.BusinessFactory(village=village, category=f.category("slaughter"))
    f.licensed(plant)
    assert _figures()["F1"].numerator == 0  # no return yet: the rate is unknown, not met
    client.force_login(office)
    response = client.post(
        reverse("inspections:slaughter_returns"),
        {
            "business": plant.pk,
            "month": "2026-06",
            "head_slaughtered": "1900",
            "head_consumed": "2000",
            "head_for_hire": "250",
        },
    )
    assert response.status_code == 302
    assert _figures()["F1"].numerator == 0  # 95%
    from inspections.models import SlaughterReturn
    from inspections.services import slaughter_return_save

    slaughter_return_save(
        entry=SlaughterReturn(
            business=plant, month=datetime.date(2026, 7, 1), head_slaughtered=2050, head_consumed=2000
        )
    )
    assert (_figures()["F1"].numerator, _figures()["F1"].denominator) == (1, 1)  # July reached 102.5%
    assert _figures(datetime.date(2026, 6, 30))["F1"].numerator == 0  # as it stood in June
    bad = client.post(
        reverse("inspections:slaughter_returns"),
        {
            "business": plant.pk,
            "month": "2026-07",
            "head_slaughtered": "10",
            "head_consumed": "20",
            "head_for_hire": "30",
        },
    )
    errors = bad.context["form"].errors
    assert "代宰头数不能多于屠宰头数。" in errors["head_for_hire"] and "已填报" in str(errors)
