"""The enforcement branch owns U1 for the whole town (DOMAIN §1, unlicensed): its dashboard shows the
town's U1, not U1 over the unlicensed businesses its scope reaches (which would be 0% by definition)."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town

pytestmark = pytest.mark.django_db
INDEX = reverse("dashboard:index")


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


def town_figure(response, target_id):
    return next((x.numerator, x.denominator) for x in response.context["town"] if x.target.id == target_id)


@pytest.mark.parametrize("live_ms", [10**9, 0])  # live figures, and kept ones (city scale)
def test_enforcement_sees_the_towns_u1(client, leader, town, settings, live_ms):
    settings.WUXIAO_FIGURES_LIVE_MS = live_ms
    enforcer = f.user_with_role("department", "enforce_user", department=f.department("enforcement"))
    client.force_login(leader)
    towns_u1 = town_figure(client.get(INDEX, {"as_of": AFTER.isoformat()}), "U1")
    assert towns_u1 == (3, 5)
    client.force_login(enforcer)
    response = client.get(INDEX, {"as_of": AFTER.isoformat()})
    assert town_figure(response, "U1") == towns_u1
    owned = [
        (x.numerator, x.denominator)
        for department, figs in response.context["by_department"]
        for x in figs
        if x.target.id == "U1" and department.code == "enforcement"
    ]
    assert owned == [towns_u1]
