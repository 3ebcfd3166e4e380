"""The requirements issue 23 turned from "partly" into workflows the office runs and reports on: each test
names its id and fails without the feature (C5 …)."""

import datetime

import pytest
from django.urls import reverse

from dashboard import figures, targets
from dashboard.targets import Ctx
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2026, 6, 10)


def test_c5_groceries_self_discipline_is_a_target_with_a_drill_down(client, office, village):
    """C5: the latest visit passes every self-discipline item (进货查验、台账、承诺、不合格食品退市)."""
    campaign()
    kept = f.BusinessFactory(name="东村守规士多", village=village)
    lax = f.BusinessFactory(name="东村松散士多", village=village)
    f.BusinessFactory(name="东村未查士多", village=village)
    inspect(kept, office, day=JUNE)
    inspect(lax, office, day=JUNE, fails=("C5-1",))
    c5 = targets.get("C5")
    got = {x.target.id: x for x in figures.compute([c5], Ctx.at(AFTER))}["C5"]
    assert (got.numerator, got.denominator) == (1, 3)
    client.force_login(office)
    page = client.get(reverse("dashboard:drill"), {"target": "C5", "as_of": AFTER.isoformat()})
    listed = page.content.decode()
    assert "东村松散士多" in listed and "东村未查士多" in listed and "东村守规士多" not in listed
