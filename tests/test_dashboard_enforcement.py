"""The enforcement branch owns U1 for the whole town (DOMAIN §1, unlicensed): its dashboard shows the
town's U1, not U1 over the unlicensed businesses its scope reaches (which would be 0% by definition)."""

import datetime

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


def test_at_city_scale_enforcement_reads_kept_figures_of_its_own_scope(client, town, settings):
    """Its scope (every business missing a licence) is not a set of villages or categories: its figures
    are kept apart (scope "unlicensed"), equal to the live ones, and refreshed like the town's."""
    from django.utils import timezone

    from dashboard import figures, services
    from dashboard.models import StoredMatrix

    def shown(response):
        return [(x.target.id, x.numerator, x.denominator) for x in response.context["town"]]

    enforcer = f.user_with_role("department", "enforce_user", department=f.department("enforcement"))
    client.force_login(enforcer)
    live = client.get(INDEX, {"as_of": AFTER.isoformat()})
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    kept = client.get(INDEX, {"as_of": AFTER.isoformat()})
    assert set(StoredMatrix.objects.values_list("scope", flat=True)) == {"town", "unlicensed"}
    assert shown(kept) == shown(live)
    f.licensed(town["a2"])  # the seed shop gets its licences: it leaves the enforcement branch's scope
    assert shown(client.get(INDEX, {"as_of": AFTER.isoformat()})) == shown(kept)  # kept, as of when
    assert figures.refresh_stored(as_of=AFTER) == 2  # the town's and the enforcement branch's
    settings.WUXIAO_FIGURES_LIVE_MS = 10**9
    StoredMatrix.objects.all().delete()
    now_live = shown(client.get(INDEX, {"as_of": AFTER.isoformat()}))
    assert now_live != shown(kept)
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    figures.town_matrix(figures.available(), figures.Ctx.at(AFTER), scope="unlicensed")
    figures.town_matrix(figures.available(), figures.Ctx.at(AFTER))
    assert shown(client.get(INDEX, {"as_of": AFTER.isoformat()})) == now_live
    # beat keeps today's figures of every scope kept on an earlier day
    today = timezone.localdate()
    yesterday = figures.Ctx.at(today - datetime.timedelta(days=1))
    for scope in ("town", "unlicensed"):
        figures.town_matrix(figures.available(), yesterday, scope=scope)
    services.figures_refresh()
    assert set(StoredMatrix.objects.filter(as_of=today).values_list("scope", flat=True)) == {
        "town",
        "unlicensed",
    }
