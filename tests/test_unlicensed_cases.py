"""Unlicensed-unit cases (U1): open one or all (idempotent), life cycle to an outcome, scoping, lists."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections import selectors, services
from inspections.choices import CaseStatus
from inspections.models import UnlicensedCase
from tests import factories as f
from tests.factories_enforcement import UnlicensedCaseFactory, enforcement_user

pytestmark = pytest.mark.django_db
LIST = reverse("inspections:case_list")


def unlicensed(**kwargs):
    """A grocery holding only its business licence (missing 食品流通许可证)."""
    b = f.BusinessFactory(**kwargs)
    f.LicenceFactory(business=b, licence_type=f.licence_type("business"))
    return b


def test_open_case_records_missing_licences_and_enforcement_department(office):
    b = unlicensed()
    case = services.case_open(business=b, user=office)
    assert case.status == CaseStatus.OPEN and case.department.leads_unlicensed
    assert case.missing_licences == "食品流通许可证"
    assert case.opened_by == office


def test_open_refused_for_licensed_inactive_or_already_open():
    licensed = f.BusinessFactory(name="齐全店")
    f.licensed(licensed)
    with pytest.raises(ValidationError, match="证照齐全"):
        services.case_open(business=licensed)
    banned = f.BusinessFactory(status="banned")
    with pytest.raises(ValidationError, match="不再经营"):
        services.case_open(business=banned)
    b = unlicensed()
    services.case_open(business=b)
    with pytest.raises(ValidationError, match="已有在办"):
        services.case_open(business=b)
    assert UnlicensedCase.objects.count() == 1


def test_open_all_is_idempotent_and_audited(office, django_assert_max_num_queries):
    f.licensed(f.BusinessFactory())
    due = [unlicensed() for _ in range(3)]
    f.BusinessFactory(status="closed")  # not trading: no case
    already = unlicensed()
    services.case_open(business=already)
    with django_assert_max_num_queries(10):
        cases = services.case_open_all_unlicensed(user=office)
    assert sorted(c.business_id for c in cases) == sorted(b.pk for b in due)
    assert all(c.missing_licences == "食品流通许可证" for c in cases)
    assert LogEntry.objects.filter(additional_data__bulk="case_open_all_unlicensed").count() == 3
    assert services.case_open_all_unlicensed(user=office) == []
    assert UnlicensedCase.objects.filter(status=CaseStatus.OPEN).count() == 4


def test_open_all_query_count_does_not_grow(django_assert_max_num_queries):
    for _ in range(2):
        unlicensed()
    with django_assert_max_num_queries(10) as small:
        services.case_open_all_unlicensed()
    for _ in range(12):
        unlicensed()
    with django_assert_max_num_queries(len(small.captured_queries)):
        services.case_open_all_unlicensed()


def test_life_cycle_licensed_needs_the_licences(office):
    b = unlicensed()
    case = services.case_open(business=b)
    with pytest.raises(ValidationError, match="仍缺少：食品流通许可证"):
        services.case_resolve(case=case, status=CaseStatus.LICENSED)
    f.LicenceFactory(business=b, licence_type=f.licence_type("food_circulation"))
    case = services.case_resolve(
        case=case, status=CaseStatus.LICENSED, user=office, note="已办理食品流通许可证"
    )
    assert case.status == CaseStatus.LICENSED and case.resolved_on == timezone.localdate()
    b.refresh_from_db()
    assert b.status == "operating"
    with pytest.raises(ValidationError, match="不能重复结案"):
        services.case_resolve(case=case, status=CaseStatus.BANNED)


@pytest.mark.parametrize(("outcome", "business_status"), [("banned", "banned"), ("closed", "closed")])
def test_ban_and_close_set_business_status(outcome, business_status):
    b = unlicensed()
    services.case_resolve(case=services.case_open(business=b), status=outcome)
    b.refresh_from_db()
    assert b.status == business_status
    # Once no longer trading, the business needs no new case.
    assert services.case_open_all_unlicensed() == []


def test_moved_to_centralised_site_only_for_workshops():
    grocery = unlicensed()
    with pytest.raises(ValidationError, match="只有小作坊"):
        services.case_resolve(case=services.case_open(business=grocery), status=CaseStatus.MOVED)
    workshop = f.BusinessFactory(category=f.category("workshop"))
    services.case_resolve(case=services.case_open(business=workshop), status=CaseStatus.MOVED)
    workshop.refresh_from_db()
    assert workshop.status == "moved"


def test_relapse_opens_a_new_case_old_one_kept():
    b = unlicensed()
    case = services.case_open(business=b)
    f.LicenceFactory(business=b, licence_type=f.licence_type("food_circulation"))
    services.case_resolve(case=case, status=CaseStatus.LICENSED)
    b.licences.filter(licence_type__code="food_circulation").update(state="revoked")
    services.case_open(business=b)
    assert list(b.unlicensed_cases.values_list("status", flat=True).order_by("pk")) == ["licensed", "open"]


def test_views_resolve_through_the_page(client, village):
    enforce = enforcement_user()
    b = unlicensed(village=village, category=f.category("workshop"))
    client.force_login(enforce)
    response = client.post(reverse("inspections:case_open", args=[b.pk]))
    case = UnlicensedCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    client.post(case.get_absolute_url(), {"action": "note", "note": "已下达责令改正通知书"})
    client.post(case.get_absolute_url(), {"action": "resolve", "status": "banned", "note": "依法取缔"})
    case.refresh_from_db()
    assert case.status == "banned" and "已下达责令改正通知书" in case.note and "依法取缔" in case.note
    b.refresh_from_db()
    assert b.status == "banned"


def test_bad_outcome_is_a_clear_message(client):
    client.force_login(enforcement_user())
    case = services.case_open(business=unlicensed())
    response = client.post(case.get_absolute_url(), {"action": "resolve", "status": "licensed"})
    assert "仍缺少：食品流通许可证" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_scoping_enforcement_sees_all_departments_their_categories(
    client, aic_user, inspector, village, other_village
):
    grocery_case = UnlicensedCaseFactory(business=f.BusinessFactory(village=village))
    restaurant_case = UnlicensedCaseFactory(
        business=f.BusinessFactory(village=other_village, category=f.category("restaurant"))
    )
    # A case whose business has since been licensed stays visible to enforcement.
    licensed = f.BusinessFactory(village=other_village)
    f.licensed(licensed)
    old_case = UnlicensedCaseFactory(business=licensed, status="licensed", resolved_on=timezone.localdate())

    def seen(user):
        return set(selectors.case_list(user=user))

    assert seen(enforcement_user()) == {grocery_case, restaurant_case, old_case}
    assert seen(aic_user) == {grocery_case, old_case}
    assert seen(inspector) == {grocery_case}
    client.force_login(inspector)
    assert client.get(restaurant_case.get_absolute_url()).status_code == 404
    assert client.get(grocery_case.get_absolute_url()).status_code == 200


def test_only_office_and_enforcement_work_cases(client, aic_user, leader):
    b = unlicensed()
    for user in (aic_user, leader):
        client.force_login(user)
        assert client.post(reverse("inspections:case_open", args=[b.pk])).status_code == 404
        assert client.post(reverse("inspections:case_open_all")).status_code == 404
    assert not UnlicensedCase.objects.exists()


def test_open_cases_by_village_and_age(office_client, village, other_village):
    today = timezone.localdate()

    def case(v, days):
        return UnlicensedCaseFactory(
            business=f.BusinessFactory(village=v), opened_on=today - datetime.timedelta(days=days)
        )

    case(village, 3)
    case(village, 45)
    case(village, 200)
    case(other_village, 100)
    UnlicensedCaseFactory(
        business=f.BusinessFactory(village=village), status="banned", opened_on=today, resolved_on=today
    )
    response = office_client.get(LIST)
    summary = {row["village"]: row["bands"] for row in response.context["summary"]}
    assert summary == {"东村": [1, 1, 1], "西村": [0, 0, 1]}
    assert len(response.context["page"].object_list) == 4  # open ones by default, oldest first
    assert response.context["page"].object_list[0].age_days() == 200


def test_case_list_query_count_does_not_grow(office_client, django_assert_max_num_queries):
    UnlicensedCaseFactory.create_batch(2)
    with django_assert_max_num_queries(14) as small:
        office_client.get(LIST)
    UnlicensedCaseFactory.create_batch(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        office_client.get(LIST)


def test_business_page_offers_to_open_a_case(client, village):
    b = unlicensed(village=village)
    client.force_login(enforcement_user())
    body = client.get(b.get_absolute_url()).content.decode()
    assert reverse("inspections:case_open", args=[b.pk]) in body
