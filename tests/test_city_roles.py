"""O5 / issue 24: the city's roles. City leadership reads every town; a city bureau (市药监局, 市质监局: a
campaigns.Department of level city) reads its categories in every town, records samples there and sees the
referrals sent to it; neither writes the roster (the towns' staff do). All through the one access layer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import access
from accounts.models import RoleAssignment
from inspections.models import Sample
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def city(village):
    """Two towns: in each a pharmacy and a grocery."""
    other_town = f.TownFactory(name="第二镇", code="dier")
    far = f.VillageFactory(town=other_town, name="第二镇一村", code="dier1")
    return {
        "pharmacy": f.BusinessFactory(name="本镇药店", village=village, category=f.category("pharmacy")),
        "grocery": f.BusinessFactory(name="本镇士多", village=village),
        "far_pharmacy": f.BusinessFactory(name="第二镇药店", village=far, category=f.category("pharmacy")),
        "far_grocery": f.BusinessFactory(name="第二镇士多", village=far),
    }


@pytest.fixture
def drug_bureau():
    return f.user_with_role("city_bureau", "city_drug_user", department=f.department("city_drug"))


@pytest.fixture
def city_leader():
    return f.user_with_role("city_leader", "city_leader_user")


def listed(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("campaigns:business_list"))
    assert response.status_code == 200
    return {b.name for b in response.context["page"].object_list}


def test_a_bureau_role_needs_a_city_level_department():
    user = f.UserFactory()
    with pytest.raises(ValidationError, match="该角色必须指定部门"):
        RoleAssignment(user=user, kind="city_bureau").full_clean()
    with pytest.raises(ValidationError, match="市级部门角色须选择市级部门"):
        RoleAssignment(user=user, kind="city_bureau", department=f.department("aic")).full_clean()
    RoleAssignment(user=user, kind="city_bureau", department=f.department("city_quality")).full_clean()
    with pytest.raises(ValidationError, match="该角色不应指定部门"):
        RoleAssignment(user=user, kind="city_leader", department=f.department("city_drug")).full_clean()


def test_city_leadership_reads_every_town_and_writes_nothing(client, city, city_leader):
    assert listed(client, city_leader) == {b.name for b in city.values()}
    far = city["far_grocery"]
    assert client.get(reverse("campaigns:business_detail", args=[far.pk])).status_code == 200
    assert client.get(reverse("campaigns:business_edit", args=[far.pk])).status_code == 404
    assert client.get(reverse("campaigns:business_create")).status_code == 404
    assert client.get(reverse("inspections:sample_create", args=[far.pk])).status_code == 404
    assert access.can_view_dashboard(city_leader) and access.is_city(city_leader)
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_a_bureau_reads_its_categories_in_every_town_and_not_the_roster(client, city, drug_bureau):
    """市药监局 helps the pharmacies (Category.helper_departments): both towns' pharmacies, no grocery."""
    assert listed(client, drug_bureau) == {"本镇药店", "第二镇药店"}
    far = city["far_pharmacy"]
    assert client.get(reverse("campaigns:business_detail", args=[far.pk])).status_code == 200
    assert client.get(reverse("campaigns:business_detail", args=[city["grocery"].pk])).status_code == 404
    # The roster stays with the towns' staff.
    assert client.get(reverse("campaigns:business_edit", args=[far.pk])).status_code == 404
    assert client.get(reverse("campaigns:business_create")).status_code == 404
    assert not access.can_change_business(drug_bureau, far)
    assert not access.can_create_business(drug_bureau)
    # Its dashboard: its categories' targets, headed with its name.
    page = client.get(reverse("dashboard:index"))
    assert page.status_code == 200 and "市药监局" in page.content.decode()
    assert "D1" in {t.id for t in page.context["targets"]}  # the pharmacies' target
    assert "A1" not in {t.id for t in page.context["targets"]}  # not the agri shops'


def test_a_bureau_records_samples_in_every_town_within_its_categories(client, city, drug_bureau):
    client.force_login(drug_bureau)
    far = city["far_pharmacy"]
    data = {
        "number": "SY-CITY-1",
        "kind": "drug",
        "product": "阿莫西林胶囊",
        "quantity": "2盒",
        "lab": "市药品检验所",
        "bureau": f.department("city_drug").pk,
        "sampled_on": TODAY.isoformat(),
    }
    response = client.post(reverse("inspections:sample_create", args=[far.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sample = Sample.objects.get(number="SY-CITY-1")
    assert sample.business == far and sample.created_by == drug_bureau
    # Not at a grocery (outside its categories): the same 404 as a business that does not exist.
    grocery = city["far_grocery"]
    assert client.post(reverse("inspections:sample_create", args=[grocery.pk]), data).status_code == 404


def test_a_bureau_sees_the_referrals_sent_to_it_and_no_other(client, city, drug_bureau, office):
    """A failing grocery sample referred to 市药监局 is in its list though groceries are not its category;
    市质监局 does not see it."""
    referred = Sample.objects.create(
        number="SY-REF-1",
        business=city["far_grocery"],
        kind="food",
        product="散装白酒",
        quantity="1瓶",
        lab="市检验所",
        sampled_on=TODAY,
        result="fail",
        action="refer",
        referral_department=f.department("city_drug"),
        created_by=office,
    )
    client.force_login(drug_bureau)
    response = client.get(reverse("inspections:sample_list"))
    assert referred in list(response.context["page"].object_list)
    assert client.get(reverse("inspections:sample_detail", args=[referred.pk])).status_code == 200
    quality = f.user_with_role("city_bureau", "city_quality_user", department=f.department("city_quality"))
    client.force_login(quality)
    assert referred not in list(client.get(reverse("inspections:sample_list")).context["page"].object_list)
    assert client.get(reverse("inspections:sample_detail", args=[referred.pk])).status_code == 404


def test_a_referral_tells_the_receiving_bureau_once_and_nobody_else(city, drug_bureau, inspector):
    """O5: a visit referred to 市药监局 puts a 案件移送 reminder in that bureau's inbox, linking to the
    visit it may open; 市质监局 and the referring inspector get none; a repeat announcement adds nothing."""
    from inspections.choices import VisitOutcome
    from inspections.reminders import announce_referral
    from notifications.choices import ReminderKind
    from notifications.models import Reminder
    from tests.factories_inspections import inspect

    quality = f.user_with_role("city_bureau", "city_quality_user", department=f.department("city_quality"))
    shop = city["pharmacy"]
    RoleAssignment.objects.get_or_create(user=inspector, kind="inspector", village=shop.village)
    visit = inspect(
        shop,
        inspector,
        day=TODAY,
        fails=("D1-1",),
        outcome=VisitOutcome.REFER,
        referral_department=f.department("city_drug"),
        referral_note="涉嫌销售假药",
    )
    sent = Reminder.objects.filter(kind=ReminderKind.REFERRAL)
    assert list(sent.values_list("recipient", flat=True)) == [drug_bureau.pk]
    reminder = sent.get()
    assert shop.name in reminder.title and "市" in reminder.body and reminder.url == visit.get_absolute_url()
    assert not sent.filter(recipient__in=[quality.pk, inspector.pk]).exists()
    assert announce_referral(visit, by=inspector) == 0  # once per person
