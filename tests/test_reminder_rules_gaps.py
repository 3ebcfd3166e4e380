"""Gaps found auditing issue 8 rule by rule, each at its boundary: an open order of a business that stopped
trading is not chased (dropped with a log line); a return check (E2) joins the inspector's due list on its
day, not the day before, and its reminder is dropped once the return check was done."""

import datetime
import logging

import pytest

from campaigns.choices import BusinessStatus
from campaigns.models import Business
from inspections.choices import VisitKind
from inspections.models import InspectionProfile
from inspections.selectors import due_list
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.registry import PlanContext
from notifications.services import reminders_plan, reminders_sweep
from tests import factories as f
from tests.factories_inspections import inspect
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business)
    return business


def overdue_order(shop, inspector):
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=10), fails=("C2-1",))
    order = visit.orders_issued.get()
    order.deadline = order.reinspection_due_on = TODAY - datetime.timedelta(days=3)
    order.save()
    Reminder.objects.all().delete()
    return order


def live(order):
    return Reminder.objects.filter(object_id=order.pk, planner="rectification", cancelled_at__isnull=True)


@pytest.mark.parametrize("status", [BusinessStatus.CLOSED, BusinessStatus.MOVED, BusinessStatus.BANNED])
def test_open_order_of_a_business_that_stopped_trading_is_not_chased(
    shop, inspector, aic_user, office, status
):
    order = overdue_order(shop, inspector)
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=NOW))
    assert live(order).filter(kind=ReminderKind.RECTIFICATION_OVERDUE).exists()
    Business.objects.filter(pk=shop.pk).update(status=status)
    order.refresh_from_db()
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=NOW))
    assert not live(order).filter(sent_at__isnull=True).exists()  # the nightly re-plan cancels them


def test_still_trading_rectifying_business_is_chased(shop, inspector, aic_user):
    order = overdue_order(shop, inspector)
    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.RECTIFYING)
    order.refresh_from_db()
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=NOW))
    assert live(order).filter(kind=ReminderKind.RECTIFICATION_OVERDUE).exists()


def test_overdue_reminder_of_a_business_closed_since_planning_is_dropped_with_a_log_line(
    shop, inspector, aic_user, caplog
):
    order = overdue_order(shop, inspector)
    reminders_plan(target=order, planner="rectification", ctx=PlanContext(now=NOW))
    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.CLOSED)  # no re-plan ran
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        result = reminders_sweep(now=NOW)
    assert result.sent == 0 and result.dropped >= 1
    assert "dropped" in caplog.text and not Message.objects.exists()


@pytest.fixture
def rectified(shop, inspector, settings):
    """An order closed 10 days before TODAY by a passing re-inspection; its return check falls on TODAY."""
    settings.WUXIAO_RETURN_CHECK_DAYS = 10
    inspect(shop, inspector, day=TODAY - datetime.timedelta(days=20), fails=("C2-1",))
    inspect(shop, inspector, day=TODAY - datetime.timedelta(days=10), kind=VisitKind.REINSPECTION)
    order = shop.rectification_orders.get()
    assert order.return_check_due_on == TODAY
    Reminder.objects.all().delete()
    return order


def test_return_check_joins_the_due_list_on_its_day_not_the_day_before(shop, inspector, rectified):
    profile = InspectionProfile.objects.get(business=shop)
    assert profile.next_due_on > TODAY  # only the return check makes it due
    day_before = TODAY - datetime.timedelta(days=1)
    assert shop not in due_list(user=inspector, today=day_before)
    assert shop in due_list(user=inspector, today=TODAY)


def test_return_check_reminder_goes_on_its_morning_not_before(shop, inspector, rectified):
    ctx = PlanContext(now=local(TODAY - datetime.timedelta(days=1), 9))
    reminders_plan(target=rectified, planner="rectification", ctx=ctx)
    assert reminders_sweep(now=ctx.now).sent == 0
    assert reminders_sweep(now=local(TODAY, 7, 59)).sent == 0
    assert reminders_sweep(now=local(TODAY, 8)).sent == 1
    message = Message.objects.get()
    assert message.user == inspector and message.kind == ReminderKind.REINSPECTION_DUE
    assert "回头查到期" in message.title


def test_return_check_done_before_its_reminder_went_out_drops_it(shop, inspector, rectified, caplog):
    ctx = PlanContext(now=local(TODAY - datetime.timedelta(days=1), 9))
    reminders_plan(target=rectified, planner="rectification", ctx=ctx)
    inspect(shop, inspector, day=TODAY)  # the first visit on the day is the return check
    rectified.refresh_from_db()
    assert rectified.return_check_visit is not None
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        assert reminders_sweep(now=local(TODAY, 12)).dropped == 1
    assert "dropped" in caplog.text and not Message.objects.exists()
