"""D5: groceries in the industrial zone (supermarkets, general stores that sell drugs without a licence)
are marked by a sub-type, listed by it, targeted by spot-check draws and their checks recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import SubType
from inspections.services import spotchecks
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return SubType.objects.get(category__code="grocery", code="industrial_zone")


def test_d5_a_draw_can_target_the_industrial_zone_stores(office, village, other_village, zone):
    targeted = [
        f.BusinessFactory(name=f"工业区士多店{i}", village=village, subtypes=[zone]) for i in range(3)
    ]
    for i in range(5):
        f.BusinessFactory(name=f"普通士多店{i}", village=other_village)
    inspectors = [
        f.user_with_role("inspector", f"d5_{i}", village=v) for i, v in enumerate((village, other_village))
    ]
    draw = spotchecks.spotcheck_draw(
        user=office,
        title="工业区无证售药抽查",
        pool_users=inspectors,
        planned_on=timezone.localdate() + datetime.timedelta(days=2),
        subtypes=[zone],
        percentage=100,
        team_size=1,
        seed=7,
    )
    assert {p.business for p in draw.pairs.select_related("business")} == set(targeted)
    assert draw.criteria["subtypes"] == [zone.pk] and "工业区" in draw.criteria_text


def test_d5_the_roster_lists_the_industrial_zone_stores(client, office, village, zone):
    f.BusinessFactory(name="工业区便利超市", village=village, subtypes=[zone])
    f.BusinessFactory(name="街口士多店", village=village)
    client.force_login(office)
    page = client.get(reverse("campaigns:business_list"), {"subtype": zone.pk}).content.decode()
    assert "工业区便利超市" in page and "街口士多店" not in page
