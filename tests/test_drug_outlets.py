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


def test_d5_drug_sales_are_findings_counted_by_village_and_kind(client, office, inspector, village, zone):
    """D5: a unit found selling drugs unlicensed, affiliated (挂靠) or out of scope is a finding with what
    was sold and what was done; the page counts the units by village and kind; the unit's page lists it."""
    from inspections.models import DrugSaleFinding

    store = f.BusinessFactory(name="工业区百佳超市", village=village, subtypes=[zone])
    corner = f.BusinessFactory(name="东村街口杂货铺", village=village)
    bureau = f.department("city_drug")
    client.force_login(office)
    url = reverse("inspections:drug_sale_list")
    today = timezone.localdate()
    data = {
        "business": store.name,
        "found_on": today.isoformat(),
        "kind": "affiliated",
        "goods": "感冒灵 5袋",
    }
    page = client.post(url, data).content.decode()
    assert "须填写被挂靠的药品经营企业" in page and "请至少选择一项处理措施" in page
    data.update(affiliated_with="市康泰大药房", referred_to=bureau.pk)
    assert client.post(url, data).status_code == 302
    unlicensed = {"business": store.name, "found_on": today.isoformat(), "kind": "unlicensed"}
    unlicensed.update(goods="阿莫西林 2盒", confiscated="on", ordered_to_stop="on")
    assert client.post(url, unlicensed).status_code == 302
    later = (today + datetime.timedelta(days=1)).isoformat()
    assert "不能晚于今天" in client.post(url, {**unlicensed, "found_on": later}).content.decode()
    scope = {**unlicensed, "business": corner.name, "kind": "out_of_scope", "goods": "处方药 1盒"}
    assert client.post(url, scope).status_code == 302
    finding = DrugSaleFinding.objects.get(kind="affiliated")
    assert finding.referred_to == bureau and finding.recorded_by == office
    response = client.get(url)
    (row,) = response.context["by_village"]
    assert (row["village"], row["units"], row["zone_units"], row["findings"]) == (village, 2, 1, 3)
    assert {k: n for k, _label, n in row["kinds"]} == {
        "unlicensed": 1, "affiliated": 1, "out_of_scope": 1, "out_of_mode": 0,
    }  # fmt: skip
    in_zone = client.get(url, {"zone": "yes"}).content.decode()
    assert "工业区百佳超市" in in_zone and "东村街口杂货铺" not in in_zone
    assert "违法售药" in client.get(store.get_absolute_url()).content.decode()  # the unit's page
    client.force_login(inspector)  # a village inspector records in their village
    assert client.post(url, {**scope, "goods": "又查获 1盒"}).status_code == 302


def test_d5_a_draw_can_target_the_units_with_drug_sales(office, village, other_village, zone):
    """D5: the spot-check draw takes, when asked, only the units with a drug sale on record."""
    from inspections.models import DrugSaleFinding

    found = f.BusinessFactory(name="查获售药士多", village=village, subtypes=[zone])
    for i in range(4):
        f.BusinessFactory(name=f"守法士多{i}", village=other_village, subtypes=[zone])
    DrugSaleFinding.objects.create(business=found, kind="unlicensed", goods="药", ordered_to_stop=True)
    draw = spotchecks.spotcheck_draw(
        user=office,
        title="违法售药回头查",
        pool_users=[f.user_with_role("inspector", "d5_back", village=village)],
        planned_on=timezone.localdate() + datetime.timedelta(days=2),
        drug_sales=True,
        percentage=100,
        team_size=1,
        seed=3,
    )
    assert [p.business for p in draw.pairs.all()] == [found]
    assert draw.criteria["drug_sales"] is True and "违法售药" in draw.criteria_text
