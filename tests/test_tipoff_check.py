"""W5: from the tip-off's office page, schedule the 举报核查 visit of the linked business; the tip-off shows
the visit and, once submitted, its outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections import services as visit_services
from inspections.choices import TipOffStatus, VisitKind, VisitOutcome, VisitStatus
from inspections.models import Visit
from tests import factories as f
from tests.factories_enforcement import TipOffFactory
from tests.factories_inspections import visit_input

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


def detail(tipoff):
    return reverse("inspections:tipoff_detail", args=[tipoff.pk])


@pytest.fixture
def shop(village):
    return f.BusinessFactory(name="东村便民超市", village=village)


@pytest.fixture
def tip(village, shop):
    return TipOffFactory(village=village, business=shop, status=TipOffStatus.RECEIVED)


def schedule(client, tipoff, inspector, day=TOMORROW):
    return client.post(
        detail(tipoff), {"action": "check", "inspector": inspector.pk, "planned_on": day.isoformat()}
    )


def test_office_schedules_a_tipoff_check_visit(office_client, office, inspector, tip, shop):
    response = schedule(office_client, tip, inspector)
    assert response.status_code == 302
    visit = Visit.objects.get(tipoff=tip)
    assert visit.business == shop and visit.kind == VisitKind.TIPOFF and visit.status == VisitStatus.DRAFT
    assert list(visit.inspectors.all()) == [inspector]
    assert timezone.localdate(visit.started_at) == TOMORROW
    tip.refresh_from_db()
    assert tip.status == TipOffStatus.VERIFYING
    assert tip.lead_department.code == "aic"  # from the grocery category, as triage does
    assert tip.triaged_by == office


def test_tipoff_page_shows_the_check_and_its_outcome_once_submitted(client, office, inspector, tip):
    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    client.force_login(inspector)
    body = client.get(detail(tip)).content.decode()
    assert 'id="tipoff-checks"' in body and "待核查" in body and visit.get_absolute_url() in body
    # The inspector sees it among their visits and what the tip-off says on the visit form.
    assert tip.content in client.get(reverse("inspections:visit_edit", args=[visit.pk])).content.decode()
    visit_services.visit_submit(
        visit=visit, user=inspector, data=visit_input(visit, outcome=VisitOutcome.PASSED)
    )
    body = client.get(detail(tip)).content.decode()
    assert "已提交" in body and "合格" in body and "待核查" not in body


def test_scheduling_needs_a_linked_business(office_client, office, inspector, village):
    tip = TipOffFactory(village=village)
    response = schedule(office_client, tip, inspector)
    assert response.status_code == 200
    assert "该举报尚未关联经营单位" in response.content.decode()
    assert not Visit.objects.exists()
    with pytest.raises(ValidationError, match="尚未关联经营单位"):
        services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    tip.refresh_from_db()
    assert tip.status == TipOffStatus.RECEIVED


def test_inspector_of_another_village_cannot_be_sent(office_client, other_inspector, tip):
    response = schedule(office_client, tip, other_inspector)
    assert response.status_code == 200 and not Visit.objects.exists()
    assert response.context["check_form"].errors["inspector"]
    tip.refresh_from_db()
    assert tip.status == TipOffStatus.RECEIVED


def test_service_refuses_an_inspector_out_of_scope_past_date_and_closed_tipoff(
    office, inspector, other_inspector, tip
):
    with pytest.raises(ValidationError, match="不能安排其核查"):
        services.tipoff_schedule_check(tipoff=tip, user=office, inspector=other_inspector, planned_on=TODAY)
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.tipoff_schedule_check(
            tipoff=tip, user=office, inspector=inspector, planned_on=TODAY - datetime.timedelta(days=1)
        )
    tip.status = TipOffStatus.UNFOUNDED
    tip.save()
    with pytest.raises(ValidationError, match="已办结"):
        services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    assert not Visit.objects.exists()


def test_rescheduling_replaces_an_untouched_check(office, inspector, village, tip):
    colleague = f.user_with_role("inspector", "colleague", village=village)
    first = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    second = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=colleague, planned_on=TOMORROW)
    assert not Visit.objects.filter(pk=first.pk).exists()
    assert list(tip.check_visits.all()) == [second]
    assert list(second.inspectors.all()) == [colleague]


def test_a_check_being_filled_in_is_not_replaced(office, inspector, tip):
    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    answer = visit.answers.first()
    answer.answer = "pass"
    answer.save()
    with pytest.raises(ValidationError, match="已开始填写"):
        services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    assert list(tip.check_visits.all()) == [visit]


def test_office_draft_of_the_business_is_not_absorbed(office, inspector, tip, shop):
    own = visit_services.visit_start(business=shop, user=office)
    check = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    assert check != own and check.tipoff == tip and list(check.inspectors.all()) == [inspector]
    own.refresh_from_db()
    assert own.kind == VisitKind.ROUTINE and own.tipoff is None


def test_a_second_tipoff_about_the_business_gets_its_own_check(office, inspector, village, tip, shop):
    """The office is not the owner of the checks it schedules: a second tip-off about the same business
    gets a check of its own from the same office user."""
    first = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    again = TipOffFactory(village=village, business=shop, status=TipOffStatus.RECEIVED)
    second = services.tipoff_schedule_check(tipoff=again, user=office, inspector=inspector, planned_on=TODAY)
    assert second != first
    assert list(tip.check_visits.all()) == [first] and list(again.check_visits.all()) == [second]


def test_office_starting_a_visit_does_not_land_in_the_inspectors_check(
    office_client, office, inspector, tip, shop
):
    check = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    response = office_client.post(
        reverse("inspections:visit_start", args=[shop.pk]), {"kind": VisitKind.ROUTINE}
    )
    assert response.status_code == 302
    own = Visit.objects.exclude(pk=check.pk).get(business=shop)
    assert response.url == reverse("inspections:visit_edit", args=[own.pk])
    assert own.kind == VisitKind.ROUTINE and list(own.inspectors.all()) == [office]
    # A second tap continues the office's own draft, not the check.
    again = office_client.post(
        reverse("inspections:visit_start", args=[shop.pk]), {"kind": VisitKind.ROUTINE}
    )
    assert again.url == response.url


def test_only_the_office_schedules(client, aic_user, inspector, tip):
    tip.status = TipOffStatus.ASSIGNED
    tip.lead_department = f.department("aic")
    tip.save()
    client.force_login(aic_user)
    body = client.get(detail(tip)).content.decode()
    assert "tipoff-check-form" not in body
    assert schedule(client, tip, inspector).status_code == 404
    assert not Visit.objects.exists()


def test_a_check_with_a_sample_taken_is_not_withdrawn(office, inspector, tip, shop):
    from inspections.models import Sample
    from inspections.services import sampling

    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    sampling.sample_register(
        sample=Sample(
            number="JBCHECK-1",
            business=shop,
            visit=visit,
            kind="food",
            product="散装白酒",
            quantity="1瓶",
            lab="县检测中心",
            sampled_on=TODAY,
        ),
        user=inspector,
    )
    with pytest.raises(ValidationError, match="已开始填写"):
        services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_the_inspector_is_told_of_the_check_once_and_of_its_withdrawal(office, inspector, village, tip):
    """Issue 8 × W5: scheduling a 举报核查 tells its inspector (once); rescheduling it to a colleague
    cancels the first inspector's notice."""
    from notifications.choices import ReminderKind
    from notifications.models import Reminder

    colleague = f.user_with_role("inspector", "colleague", village=village)
    first = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    told = Reminder.objects.get(kind=ReminderKind.VISIT_ASSIGNED, recipient=inspector)
    assert told.object_id == first.pk and told.cancelled_at is None
    services.tipoff_schedule_check(tipoff=tip, user=office, inspector=colleague, planned_on=TOMORROW)
    told.refresh_from_db()
    assert told.cancelled_at is not None
    assert Reminder.objects.filter(kind=ReminderKind.VISIT_ASSIGNED, recipient=colleague).count() == 1
    assert not Reminder.objects.filter(recipient=office).exists()  # not told of their own doing


def triage(tipoff, office, **kw):
    params = {"status": tipoff.status, "lead_department": None, "business": tipoff.business}
    params.update(kw)
    return services.tipoff_triage(tipoff=tipoff, user=office, **params)


@pytest.mark.parametrize("status", [TipOffStatus.UNFOUNDED, TipOffStatus.SPAM, TipOffStatus.RECEIVED])
def test_closing_or_sending_back_a_tipoff_withdraws_its_untouched_check(office, inspector, tip, status):
    """W5 × issue 8: a tip-off closed or sent back to 待受理 has no check to do: the untouched draft goes
    and its assignment reminder is cancelled before it is sent."""
    from notifications.models import Reminder

    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    tip.refresh_from_db()
    triage(tip, office, status=status)
    assert not Visit.objects.filter(pk=visit.pk).exists()
    told = Reminder.objects.get(recipient=inspector)
    assert told.cancelled_at is not None and "检查任务已撤回" in told.cancel_reason


def test_linking_another_business_withdraws_the_check(office, inspector, village, tip):
    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    tip.refresh_from_db()
    other = f.BusinessFactory(name="东村另一家超市", village=village)
    triage(tip, office, business=other)
    assert not Visit.objects.filter(pk=visit.pk).exists()
    tip.refresh_from_db()
    assert tip.business == other


def test_triage_that_keeps_the_business_and_stays_open_keeps_the_check(office, inspector, tip):
    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TOMORROW)
    tip.refresh_from_db()
    triage(tip, office, triage_note="已电话联系举报人")
    assert Visit.objects.filter(pk=visit.pk, tipoff=tip).exists()


def test_a_check_being_filled_in_blocks_closing_the_tipoff(office_client, office, inspector, tip, shop):
    visit = services.tipoff_schedule_check(tipoff=tip, user=office, inspector=inspector, planned_on=TODAY)
    visit.answers.filter(pk=visit.answers.first().pk).update(answer="pass")
    tip.refresh_from_db()
    with pytest.raises(ValidationError, match="已开始填写，不能关闭、退回或改关联经营单位"):
        triage(tip, office, status=TipOffStatus.UNFOUNDED)
    response = office_client.post(
        detail(tip),
        {"action": "triage", "status": TipOffStatus.UNFOUNDED, "business": shop.name, "lead_department": ""},
    )
    assert "已开始填写，不能关闭、退回或改关联经营单位" in response.content.decode()
    tip.refresh_from_db()
    assert tip.status == TipOffStatus.VERIFYING and Visit.objects.filter(pk=visit.pk).exists()
