"""Product sampling (A5, D6): a failing result opens a rectification order or a referral and marks the
business for follow-up sampling; bad input is refused whole. D4 coverage of retail pharmacies."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections import selectors
from inspections.choices import OrderStatus, SampleAction, SampleKind, SampleResult
from inspections.models import RectificationOrder, Sample
from inspections.services import sampling as services
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pharmacy(village):
    return f.BusinessFactory(name="东村仁心大药房", village=village, category=f.category("pharmacy"))


def register(business, user, visit=None, number="CY2026-001", kind=SampleKind.HERBAL, **kw):
    sample = Sample(
        number=number,
        business=business,
        visit=visit,
        kind=kind,
        product="当归饮片",
        batch="20260301",
        quantity="500g×2",
        lab="市药品检验所",
        bureau=f.department("city_drug"),
        sampled_on=TODAY - datetime.timedelta(days=10),
        **kw,
    )
    return services.sample_register(sample=sample, user=user)


def test_failing_sample_issues_a_rectification_order_and_needs_follow_up(pharmacy, office):
    visit = inspect(pharmacy, office, day=TODAY - datetime.timedelta(days=10))
    register(pharmacy, office, visit=visit)
    sample = services.sample_record_result(
        number="CY2026-001",
        user=office,
        result=SampleResult.FAIL,
        result_on=TODAY,
        failing_items="二氧化硫残留量超标",
        action=SampleAction.RECTIFY,
        deadline=TODAY + datetime.timedelta(days=15),
    )
    order = sample.order
    assert order.status == OrderStatus.OPEN and order.visit == visit and order.business == pharmacy
    assert "二氧化硫残留量超标" in order.requirements_text and "CY2026-001" in order.requirements_text
    pharmacy.refresh_from_db()
    assert pharmacy.status == "rectifying"
    assert list(selectors.samples_awaiting_follow_up(user=office)) == [pharmacy]
    # The next sample of the business is its follow-up (D6); then it is no longer awaited.
    follow = register(pharmacy, office, number="CY2026-002")
    assert follow.follow_up_of == sample
    assert not selectors.samples_awaiting_follow_up(user=office).exists()


def test_failing_sample_can_be_referred(pharmacy, office):
    register(pharmacy, office)
    sample = services.sample_record_result(
        number="CY2026-001",
        user=office,
        result=SampleResult.FAIL,
        result_on=TODAY,
        failing_items="性状不符合规定",
        action=SampleAction.REFER,
        referral_department=f.department("city_drug"),
    )
    assert sample.referral_department.code == "city_drug" and sample.order is None


def test_rectify_without_a_visit_is_refused_and_nothing_saved(pharmacy, office):
    register(pharmacy, office)
    with pytest.raises(ValidationError, match="未关联检查记录"):
        services.sample_record_result(
            number="CY2026-001",
            user=office,
            result=SampleResult.FAIL,
            result_on=TODAY,
            failing_items="含量不足",
            action=SampleAction.RECTIFY,
            deadline=TODAY + datetime.timedelta(days=7),
        )
    assert Sample.objects.get().result == SampleResult.PENDING
    assert not RectificationOrder.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"number": "NOPE-9"}, "未找到抽样单编号为“NOPE-9”的样品"),
        ({"failing_items": ""}, "不合格须填写不合格项目"),
        ({"action": ""}, "不合格样品须选择处理方式"),
        ({"action": SampleAction.REFER}, "移送处理须选择接收部门"),
    ],
)
def test_bad_results_are_refused_with_a_message(pharmacy, office, kwargs, message):
    register(pharmacy, office)
    params = {
        "number": "CY2026-001",
        "user": office,
        "result": SampleResult.FAIL,
        "result_on": TODAY,
        "failing_items": "含量不足",
        "action": SampleAction.NONE,
    }
    params.update(kwargs)
    with pytest.raises(ValidationError, match=message):
        services.sample_record_result(**params)
    assert Sample.objects.get().result == SampleResult.PENDING


def test_a_result_cannot_be_recorded_twice(pharmacy, office):
    register(pharmacy, office)
    services.sample_record_result(number="CY2026-001", user=office, result=SampleResult.PASS, result_on=TODAY)
    with pytest.raises(ValidationError, match="已登记结果（合格）"):
        services.sample_record_result(
            number="CY2026-001", user=office, result=SampleResult.FAIL, result_on=TODAY
        )


def test_result_form_unknown_and_out_of_scope_numbers_read_the_same(
    client, pharmacy, office, other_inspector
):
    register(pharmacy, office)
    client.force_login(other_inspector)  # another village: the sample is out of scope
    for number in ("CY2026-001", "NOPE-1"):
        response = client.post(
            reverse("inspections:sample_result"),
            {"number": number, "result": "pass", "result_on": TODAY.isoformat()},
        )
        assert f"未找到抽样单编号为“{number}”的样品" in response.content.decode()
    assert Sample.objects.get().result == SampleResult.PENDING


def test_result_form_needs_write_scope(client, pharmacy, office, other_village):
    """A leader who is also another village's inspector reads the sample but may not record its result."""
    from accounts.models import RoleAssignment

    register(pharmacy, office)
    user = f.user_with_role("leader", "leader_inspector")
    RoleAssignment.objects.create(user=user, kind="inspector", village=other_village)
    client.force_login(user)
    response = client.post(
        reverse("inspections:sample_result"),
        {"number": "CY2026-001", "result": "pass", "result_on": TODAY.isoformat()},
    )
    assert "未找到抽样单编号为“CY2026-001”的样品" in response.content.decode()
    assert Sample.objects.get().result == SampleResult.PENDING


def test_sample_pages_through_the_browser(client, pharmacy, inspector):
    client.force_login(inspector)
    visit = inspect(pharmacy, inspector, day=TODAY)
    response = client.post(
        reverse("inspections:sample_create", args=[pharmacy.pk]) + f"?visit={visit.pk}",
        {
            "number": "FL-01",
            "kind": SampleKind.FERTILIZER,
            "product": "复合肥",
            "quantity": "1袋",
            "lab": "市农产品质量检测中心",
            "sampled_on": TODAY.isoformat(),
        },
    )
    sample = Sample.objects.get(number="FL-01")
    assert response["Location"] == sample.get_absolute_url() and sample.visit == visit
    assert client.get(reverse("inspections:sample_list")).status_code == 200
    assert client.get(sample.get_absolute_url()).status_code == 200


def test_d4_pharmacy_follow_up_coverage(office, village):
    pharmacies = [f.BusinessFactory(village=village, category=f.category("pharmacy")) for _ in range(10)]
    f.BusinessFactory(village=village, category=f.category("pharmacy"), status="closed")  # not counted
    for p in pharmacies[:2]:
        inspect(p, office, day=TODAY - datetime.timedelta(days=3))
    inspect(pharmacies[2], office, day=TODAY - datetime.timedelta(days=400))  # before the period
    since = TODAY - datetime.timedelta(days=90)
    cov = selectors.pharmacy_followup_coverage(since=since)
    assert (cov.total, cov.covered, cov.percent, cov.met) == (10, 2, 20.0, False)
    inspect(pharmacies[3], office, day=TODAY)
    cov = selectors.pharmacy_followup_coverage(since=since)
    assert (cov.covered, cov.percent, cov.met) == (3, 30.0, True)


def test_d4_without_a_campaign_counts_every_visit_up_to_the_date(office, village):
    from campaigns.models import Campaign

    Campaign.objects.update(is_current=False)
    pharmacy = f.BusinessFactory(village=village, category=f.category("pharmacy"))
    inspect(pharmacy, office, day=TODAY - datetime.timedelta(days=400))
    cov = selectors.pharmacy_followup_coverage()
    assert (cov.since, cov.total, cov.covered) == (None, 1, 1)
