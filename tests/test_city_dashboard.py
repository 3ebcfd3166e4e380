"""O5 / issue 24: the city's dashboard — every target per town side by side, towns ranked by a chosen
target, drill-down town → the town dashboard cut to that town → village → business; a constant number of
queries whatever the number of towns."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Business, Town
from dashboard import status
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town

pytestmark = pytest.mark.django_db
CITY = reverse("dashboard:city")
INDEX = reverse("dashboard:index")


@pytest.fixture
def town(village, other_village):
    """测试镇 (small_town: G1 4 of 8) and 第二镇 with one village: two groceries, one licensed (G1 1 of 2),
    and a pharmacy without licences."""
    b = {"campaign": campaign(), **small_town(village, other_village)}
    second = f.TownFactory(name="第二镇", code="dier")
    far = f.VillageFactory(town=second, name="第二镇一村", code="dier1")
    b["far_ok"] = f.licensed(f.BusinessFactory(name="第二镇达标士多", village=far))[0].business
    b["far_bad"] = f.BusinessFactory(name="第二镇无证士多", village=far)
    b["far_pharmacy"] = f.BusinessFactory(name="第二镇药店", village=far, category=f.category("pharmacy"))
    return b


@pytest.fixture
def city_leader():
    return f.user_with_role("city_leader", "city_board_leader")


def board(client, **query):
    response = client.get(CITY, {"as_of": AFTER.isoformat(), **query})
    assert response.status_code == 200
    return response


def cells(response, target_id: str) -> dict[str, tuple[int, int]]:
    index = [t.id for t in response.context["targets"]].index(target_id)
    return {
        row.town.name: (row.cells[index].numerator, row.cells[index].denominator)
        for row in response.context["rows"]
    }


def test_every_target_per_town_ranked_by_the_chosen_target(client, town, city_leader):
    client.force_login(city_leader)
    response = board(client, rank="G1")
    assert cells(response, "G1") == {"测试镇": (4, 8), "第二镇": (1, 3)}
    assert [row.town.name for row in response.context["rows"]] == ["测试镇", "第二镇"]  # 50% before 33%
    assert [row.rank for row in response.context["rows"]] == [1, 2]
    # Ranked by another target the order follows it: C1 (groceries' licences) 1/2 in 第二镇, 2/3 here.
    by_c1 = board(client, rank="C1")
    assert cells(by_c1, "C1") == {"测试镇": (2, 3), "第二镇": (1, 2)}
    page = response.content.decode()
    assert f"{INDEX}?town=dier&amp;as_of={AFTER.isoformat()}" in page  # town → its dashboard
    assert "全市各镇对比" in page and "drill/?target=G1&amp;town=dier" in page


def test_drill_down_town_then_village_then_business(client, town, city_leader, village):
    client.force_login(city_leader)
    response = client.get(INDEX, {"town": "dier", "as_of": AFTER.isoformat()})
    assert response.status_code == 200
    g1 = next(f for f in response.context["town"] if f.target.id == "G1")
    assert (g1.numerator, g1.denominator) == (1, 3) and g1.town.code == "dier"
    assert [v.name for v, _cells in response.context["by_village"]] == ["第二镇一村"]  # its villages only
    query = {"target": "G1", "town": "dier", "as_of": AFTER.isoformat()}
    drill = client.get(reverse("dashboard:drill"), query)
    assert {b.name for b in drill.context["page"].object_list} == {"第二镇无证士多", "第二镇药店"}
    assert "第二镇" in drill.content.decode()
    assert client.get(INDEX, {"town": "nowhere"}).status_code == 404
    # The town dashboard without ?town= is unchanged: every business the user reads.
    whole = client.get(INDEX, {"as_of": AFTER.isoformat()})
    g1 = next(f for f in whole.context["town"] if f.target.id == "G1")
    assert (g1.numerator, g1.denominator) == (5, 11) and g1.town is None


def test_a_bureau_compares_the_towns_on_its_categories_only(client, town):
    bureau = f.user_with_role("city_bureau", "city_board_drug", department=f.department("city_drug"))
    client.force_login(bureau)
    response = board(client)
    assert cells(response, "G1") == {"测试镇": (0, 0), "第二镇": (0, 1)}  # the pharmacies only
    assert "A2" not in {t.id for t in response.context["targets"]}


def test_only_the_citys_roles_open_it(client, town, office, leader):
    for user in (office, leader):
        client.force_login(user)
        assert client.get(CITY).status_code == 404
        assert "全市各镇对比" not in client.get(INDEX).content.decode()  # a town's menu is unchanged


def test_today_the_towns_are_summed_in_the_database_and_agree_with_live(client, town, city_leader):
    """Issue 24 at scale: today's city page sums the kept rows per town in the aggregate (one row per town
    and target, not every village × category cell of the city) and gives exactly the figures computed
    live for the same towns — for the city's leadership and for a bureau's categories."""
    from dashboard.models import TargetStatusState

    bureau = f.user_with_role("city_bureau", "city_board_drug_today", department=f.department("city_drug"))
    status.rebuild()
    kept = {}
    for user in (city_leader, bureau):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CITY, {"rank": "G1"})
        assert response.context["exact"]
        # the totals kept per town × category (issue 24), summed per town and target: no village, no
        # category column selected; the per-business rows read only for those already due (none here)
        aggregate = [q["sql"] for q in queries if "dashboard_targetstatustotal" in q["sql"]]
        assert len(aggregate) == 1 and '"dashboard_targetstatustotal"."town_id"' in aggregate[0]
        assert "campaigns_village" not in aggregate[0]
        assert '"dashboard_targetstatustotal"."category_id" AS' not in aggregate[0]
        rows = [q["sql"] for q in queries if "dashboard_businesstargetstatus" in q["sql"]]
        assert rows and all('"changes_on" <=' in sql for sql in rows)
        kept[user.pk] = {t.id: cells(response, t.id) for t in response.context["targets"]}
    TargetStatusState.objects.all().delete()  # the status no longer serves: every figure computed live
    for user in (city_leader, bureau):
        client.force_login(user)
        response = client.get(CITY, {"rank": "G1"})
        assert not response.context["exact"]
        assert kept[user.pk] == {t.id: cells(response, t.id) for t in response.context["targets"]}
    assert kept[city_leader.pk]["G1"]["第二镇"][1] == 3 and kept[bureau.pk]["G1"]["第二镇"] == (0, 1)


def _queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        board(client, **query)
    return len(queries)


@pytest.mark.parametrize("today", [True, False], ids=["today-kept-status", "past-date-live"])
def test_query_count_is_constant_in_the_number_of_towns(client, town, city_leader, today):
    client.force_login(city_leader)
    query = {"rank": "G1"} if today else {"rank": "G1", "as_of": AFTER.isoformat()}
    if today:
        query["as_of"] = ""
        status.rebuild()
    small = _queries(client, **query)
    for i in range(3, 9):  # six more towns, each with villages and businesses
        t = f.TownFactory(name=f"第{i}镇", code=f"town{i}")
        for _village in range(2):
            v = f.VillageFactory(town=t)
            f.licensed(f.BusinessFactory(village=v))
            f.BusinessFactory(village=v, category=f.category("restaurant"))
    if today:
        status.rebuild()
    response = board(client, **query)
    assert len(response.context["rows"]) == 8
    assert _queries(client, **query) == small


def test_seed_demo_towns_gives_the_city_several_towns(client):
    """`seed_demo --towns 3`: the demo town and two neighbours, each its own row on the city's dashboard with
    today's kept figures; the default (one town) adds none; a second run replaces them."""
    call_command("seed_demo", businesses=12, towns=3, verbosity=0)
    call_command("seed_demo", businesses=12, towns=3, verbosity=0)  # idempotent
    assert Town.objects.count() == 3
    client.force_login(get_user_model().objects.get(username="city"))
    response = client.get(CITY)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 3 and all(r.cells for r in rows)
    g1 = [t.id for t in response.context["targets"]].index("G1")
    assert all(r.cells[g1].denominator > 0 for r in rows)
    assert len({r.cells[g1].rate for r in rows}) > 1  # the towns differ
    call_command("seed_demo", businesses=12, verbosity=0)
    assert Town.objects.count() == 1
    with pytest.raises(CommandError, match="--towns 至少为 1"):
        call_command("seed_demo", businesses=1, towns=0, verbosity=0)


def test_a_towns_dashboard_for_the_city_counts_that_towns_activity_only(client, town, city_leader, village):
    """Issue 24: the counters of a city user's dashboard cut to one town (?town=CODE) are that town's —
    visits and open orders of the other towns are not counted (nor read: 3 M visits at 300,000)."""
    from tests.factories_inspections import inspect

    office = f.user_with_role("office", "city_counters_office")
    inspect(town["far_bad"], office)
    for business in Business.objects.filter(village=village)[:2]:
        inspect(business, office)
    client.force_login(city_leader)

    def counted(**query):
        response = client.get(INDEX, query)
        assert response.status_code == 200
        return {str(c["label"]): c["value"] for c in response.context["counters"]}

    whole, dier = counted(), counted(town="dier")
    assert whole["专项以来检查"] == 3
    assert dier["专项以来检查"] == 1


def test_a_towns_dashboard_for_the_city_shows_that_towns_model_units_only(client, town, city_leader, village):
    """Issue 24 (W2, E4): the model units and their spread on a city user's dashboard cut to one town are
    that town's, not the whole city's."""
    Business.objects.filter(pk=town["g1"].pk).update(is_model=True)  # 测试镇
    Business.objects.filter(pk=town["far_ok"].pk).update(is_model=True)  # 第二镇
    client.force_login(city_leader)

    def spread(**query):
        response = client.get(INDEX, query)
        assert response.status_code == 200
        models = response.context["models"]
        return {row["village"].code: row["units"] for row in models["spread"]}

    assert spread() == {village.code: 1, "dier1": 1}
    assert spread(town="dier") == {"dier1": 1}
