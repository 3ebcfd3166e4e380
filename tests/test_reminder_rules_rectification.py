"""Reminder rules for rectification orders at their boundaries (issue 8): 3 days before and on the day
to the inspectors and the lead department; overdue daily to the lead department and weekly to the
office until closed; the E2 return check; a deadline moved earlier; the visit saved with the broker down."""

import datetime
import logging

import pytest
from django.utils import timezone

from inspections import services as inspections
from inspections.choices import OrderStatus, VisitKind, VisitOutcome
from inspections.models import RectificationOrder
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.registry import PlanContext
from notifications.services import reminders_plan, reminders_replan_all, reminders_sweep
from tests import factories as f
from tests.factories_inspections import inspect
from tests.factories_notifications import local
from wuxiao.celery import app as celery_app

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business)
    return business


def order_due_in(shop, user, days, issued=TODAY - datetime.timedelta(days=10)):
    """An order issued `issued`, due `days` from TODAY; the rows its service planned on the real clock
    are cleared so each test plans on its own fixed day."""
    visit = inspect(shop, user, day=issued, fails=("C2-1",), deadline=TODAY + datetime.timedelta(days=days))
    Reminder.objects.all().delete()
    return visit.orders_issued.get()


def plan(order, now=NOW):
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=now))
    return list(
        Reminder.objects.filter(object_id=order.pk, cancelled_at__isnull=True).order_by("due_at", "pk")
    )


def summary(rows):
    """{(label, recipient username): due_at}"""
    return {(r.dedupe_key.split(":")[3], r.recipient.username): r.due_at for r in rows}


def test_deadline_in_4_days_plans_3_days_before_and_on_the_day(shop, inspector, aic_user, office):
    order = order_due_in(shop, inspector, 4)
    rows = plan(order)
    tomorrow = local(TODAY + datetime.timedelta(days=1), 8)
    deadline = local(TODAY + datetime.timedelta(days=4), 8)
    assert summary(rows) == {
        ("d3", "inspector_user"): tomorrow,
        ("d3", "aic_user"): tomorrow,
        ("d0", "inspector_user"): deadline,
        ("d0", "aic_user"): deadline,
    }
    assert {r.kind for r in rows} == {ReminderKind.RECTIFICATION_DUE}
    assert rows[0].url == order.get_absolute_url()


def test_deadline_in_3_days_is_due_this_morning(shop, inspector, aic_user):
    rows = plan(order_due_in(shop, inspector, 3))
    assert {due for (label, _), due in summary(rows).items() if label == "d3"} == {local(TODAY, 8)}


def test_deadline_in_2_days_sends_the_3_day_reminder_at_once_saying_2_days(shop, inspector, aic_user):
    rows = plan(order_due_in(shop, inspector, 2))
    catch_up = [r for r in rows if ":d3:" in r.dedupe_key]
    assert {r.due_at for r in catch_up} == {NOW}
    assert all("2天后" in r.title for r in catch_up)


def test_on_the_deadline_day_only_the_day_reminder(shop, inspector, aic_user):
    rows = [r for r in plan(order_due_in(shop, inspector, 0)) if timezone.localdate(r.due_at) == TODAY]
    assert summary(rows) == {("d0", "inspector_user"): local(TODAY, 8), ("d0", "aic_user"): local(TODAY, 8)}
    assert all("今天" in r.title for r in rows)


def test_first_overdue_day_goes_to_lead_department_and_office_not_inspectors(
    shop, inspector, aic_user, office
):
    rows = plan(order_due_in(shop, inspector, -1))
    assert {r.kind for r in rows} == {ReminderKind.RECTIFICATION_OVERDUE}
    by_day = {}
    for r in rows:
        by_day.setdefault(timezone.localdate(r.due_at), set()).add(r.recipient.username)
    assert by_day == {
        TODAY: {"aic_user", "office_user"},  # overdue day 1: the office hears too
        TODAY + datetime.timedelta(days=1): {"aic_user"},  # day 2: the department only
    }
    assert "逾期1天" in rows[0].title


@pytest.mark.parametrize(("overdue", "office_today"), [(7, False), (8, True), (15, True), (14, False)])
def test_office_hears_weekly(shop, inspector, aic_user, office, overdue, office_today):
    rows = plan(order_due_in(shop, inspector, -overdue, issued=TODAY - datetime.timedelta(days=overdue + 5)))
    today_recipients = {r.recipient.username for r in rows if timezone.localdate(r.due_at) == TODAY}
    assert today_recipients == ({"aic_user", "office_user"} if office_today else {"aic_user"})


def test_overdue_order_is_reminded_daily_and_weekly_until_closed(shop, inspector, aic_user, office):
    order = order_due_in(shop, inspector, -1)
    for day_offset in range(9):  # overdue days 1 … 9, the nightly re-plan then the morning sweep
        now = local(TODAY + datetime.timedelta(days=day_offset), 9)
        reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=now))
        reminders_sweep(now=now)
        reminders_sweep(now=now)  # a second sweep the same morning sends nothing more
    assert Message.objects.filter(user=aic_user).count() == 9
    assert Message.objects.filter(user=office).count() == 2  # overdue days 1 and 8
    assert not Message.objects.filter(user=inspector).exists()
    # Closed by a passing re-inspection: nothing more, and the pending row for tomorrow is cancelled.
    inspect(shop, inspector, day=TODAY + datetime.timedelta(days=8), kind=VisitKind.REINSPECTION)
    order.refresh_from_db()
    later = local(TODAY + datetime.timedelta(days=9), 9)
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=later))
    assert reminders_sweep(now=later).sent == 0
    assert not Reminder.objects.filter(
        object_id=order.pk,
        kind=ReminderKind.RECTIFICATION_OVERDUE,
        sent_at__isnull=True,
        cancelled_at__isnull=True,
    ).exists()


def test_closed_order_not_replanned_is_dropped_at_send_time(shop, inspector, aic_user, caplog):
    order = order_due_in(shop, inspector, 3)
    plan(order)
    # Closed behind the services' back (an admin edit): no re-plan ran, the send-time check catches it.
    RectificationOrder.objects.filter(pk=order.pk).update(status=OrderStatus.CLOSED, closed_on=TODAY)
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        result = reminders_sweep(now=NOW)
    assert result.sent == 0 and result.dropped == 2
    assert "dropped" in caplog.text


def test_closed_order_plans_the_e2_return_check_for_the_village_inspectors(
    shop, inspector, aic_user, settings
):
    settings.WUXIAO_RETURN_CHECK_DAYS = 10
    order = order_due_in(shop, inspector, 3)
    inspections.rectification_close(order=order, visit=order.visit, on=TODAY)
    rows = plan(order)
    assert summary(rows) == {("returncheck", "inspector_user"): local(TODAY + datetime.timedelta(days=10), 8)}
    assert rows[0].kind == ReminderKind.REINSPECTION_DUE


def test_escalated_order_cancels_its_pending_reminders(shop, inspector, aic_user):
    order = order_due_in(shop, inspector, 4)
    plan(order)
    inspections.rectification_escalate(order=order, visit=order.visit, on=TODAY)
    assert plan(order) == []
    assert Reminder.objects.filter(object_id=order.pk, cancelled_at__isnull=False).count() == 4


def test_deadline_moved_earlier_replans_with_the_new_date(shop, inspector, aic_user):
    today = timezone.localdate()
    visit = inspect(shop, inspector, day=today, fails=("C2-1",), deadline=today + datetime.timedelta(days=12))
    order = visit.orders_issued.get()
    old = set(Reminder.objects.filter(object_id=order.pk).values_list("pk", flat=True))
    assert old  # 3 days before falls within the planning horizon
    inspections.rectification_reschedule(
        order=order, deadline=today + datetime.timedelta(days=5), user=inspector, reason="经营者申请"
    )
    assert Reminder.objects.filter(pk__in=old, cancelled_at__isnull=False).count() == len(old)
    new = Reminder.objects.filter(object_id=order.pk, cancelled_at__isnull=True)
    stamp = f"{today + datetime.timedelta(days=5):%Y%m%d}"
    assert new.exists() and all(stamp in r.dedupe_key for r in new)


def test_reschedule_refuses_a_closed_order(shop, inspector):
    from django.core.exceptions import ValidationError

    order = order_due_in(shop, inspector, 3)
    inspections.rectification_close(order=order, visit=order.visit, on=TODAY)
    with pytest.raises(ValidationError):
        inspections.rectification_reschedule(
            order=order, deadline=TODAY, user=inspector, reason="改期", today=TODAY
        )


def test_replan_all_finds_orders_near_their_deadline_and_not_far_ones(shop, inspector, aic_user):
    near = order_due_in(shop, inspector, 5)
    far = order_due_in(f.BusinessFactory(village=shop.village), inspector, 60)
    Reminder.objects.all().delete()
    reminders_replan_all(ctx=PlanContext(now=NOW))
    assert Reminder.objects.filter(object_id=near.pk, planner="rectification").exists()
    assert not Reminder.objects.filter(object_id=far.pk, planner="rectification").exists()


def test_visit_saved_with_the_broker_down_still_issues_its_order_and_the_next_sweep_sends(
    shop, inspector, aic_user, django_capture_on_commit_callbacks, caplog
):
    today = timezone.localdate()
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            visit = inspect(
                shop, inspector, day=today, fails=("C2-1",), deadline=today + datetime.timedelta(days=2)
            )
    finally:
        celery_app.conf.broker_url = original
    order = visit.orders_issued.get()  # the save succeeded
    assert "broker unreachable" in caplog.text
    assert Message.objects.count() == 0
    assert reminders_sweep().sent == 2  # the 3-day reminder (caught up) to the inspector and aic
    assert set(Message.objects.values_list("user__username", flat=True)) == {"inspector_user", "aic_user"}
    assert Message.objects.filter(link=order.get_absolute_url()).count() == 2


def test_order_from_a_spot_check_reminds_the_village_not_the_drawn_team(
    client, shop, office, inspector, other_inspector, aic_user
):
    """P2 × issue 8: a drawn inspector of another village who issued the order cannot open its page (404),
    so is not reminded of it; the business's own village inspectors are."""
    from tests.factories_inspections import at, visit_input

    issued = TODAY - datetime.timedelta(days=10)
    visit = inspections.visit_start(
        business=shop, user=office, kind=VisitKind.RANDOM, inspectors=[other_inspector], started_at=at(issued)
    )
    data = visit_input(
        visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + datetime.timedelta(days=4)
    )
    submitted = inspections.visit_submit(visit=visit, user=other_inspector, data=data, now=at(issued, 11))
    order = submitted.orders_issued.get()
    Reminder.objects.all().delete()
    client.force_login(other_inspector)
    assert client.get(order.get_absolute_url()).status_code == 404
    recipients = {r.recipient.username for r in plan(order)}
    assert recipients == {"inspector_user", "aic_user"}


def test_the_nightly_walk_takes_open_orders_due_by_the_horizon_and_return_checks_inside_it(shop, inspector):
    # issue 8, E2: the re-plan walks open orders due up to the horizon (14 days) plus the 3-day reminder
    # (overdue ones included), and closed orders whose return check (回头查) falls from today to the
    # horizon and has not been done; each end on both sides. Issue 22: found by mutation testing.
    from inspections.reminders import order_candidates

    def order(days, issued=TODAY - datetime.timedelta(days=30), **closed):
        made = order_due_in(shop, inspector, days, issued=issued)
        if closed:
            RectificationOrder.objects.filter(pk=made.pk).update(**closed)
        return made.pk

    ctx = PlanContext(now=NOW)
    inside = [order(17), order(0), order(-3)]
    outside = [order(18)]
    closed = {"status": OrderStatus.CLOSED, "closed_on": TODAY}
    inside += [order(5, return_check_due_on=TODAY + datetime.timedelta(days=n), **closed) for n in (0, 14)]
    outside += [order(5, return_check_due_on=TODAY + datetime.timedelta(days=n), **closed) for n in (-1, 15)]
    checked = order(5, return_check_due_on=TODAY + datetime.timedelta(days=3), **closed)
    RectificationOrder.objects.filter(pk=checked).update(
        return_check_visit=RectificationOrder.objects.get(pk=checked).visit
    )
    outside += [checked, order(5, status=OrderStatus.ESCALATED, closed_on=TODAY)]
    walked = [o.pk for o in order_candidates(ctx)]
    assert walked == sorted(inside)
    assert not set(outside) & set(walked)
