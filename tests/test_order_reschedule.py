"""Moving a rectification order's deadline (issue 8, "a deadline edited to an earlier date re-plans its
reminders"): the page for the office and the order's lead department, its Chinese refusals, the record
and the audit entry, and the reminders re-planned at the boundaries.

What a clerk expects, and what is tested: moved earlier into the 3-day window, the inspectors and the
lead department hear of the new date at the next sweep ("N天后到期"), once; moved to today, only the
on-the-day reminder; moved later, the old date's unsent reminders are cancelled — even one already due
that a stopped sweep had not sent — and the new date's come in as their day nears; an overdue order
given more time stops being chased as overdue.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspections
from inspections.models import DeadlineChange, RectificationOrder
from lib.gongwen import cn_date
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.registry import PlanContext
from notifications.services import reminders_replan_all, reminders_sweep
from tests import factories as f
from tests.factories_inspections import inspect
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"), name="东村便利店")
    f.licensed(business)
    return business


@pytest.fixture
def order_in(shop, inspector, aic_user):
    """An order issued 10 days ago by the inspector, due in `n` days; its reminders planned by its service."""

    def make(n):
        visit = inspect(shop, inspector, day=days(-10), fails=("C2-1",), deadline=days(n))
        return visit.orders_issued.get()

    return make


def pending(order):
    return Reminder.objects.filter(object_id=order.pk, planner="rectification", claimed_at__isnull=True)


def move(order, n, user, reason="经营者申请延期，已批准"):
    return inspections.rectification_reschedule(order=order, deadline=days(n), user=user, reason=reason)


# --- the reminders at the boundaries -------------------------------------------------------------------


def test_moved_earlier_into_the_3_day_window_is_told_at_the_next_sweep_once(order_in, office, inspector):
    order = order_in(10)
    old = set(pending(order).filter(cancelled_at__isnull=True).values_list("pk", flat=True))
    assert old  # the 3-days-before reminder (day 7) is inside the planning horizon
    move(order, 2, office)
    assert not pending(order).filter(pk__in=old, cancelled_at__isnull=True).exists()
    live = pending(order).filter(cancelled_at__isnull=True)
    catch_up = [r for r in live if ":d3:" in r.dedupe_key]
    assert {r.recipient.username for r in catch_up} == {"inspector_user", "aic_user"}
    assert all(r.due_at <= timezone.now() and "2天后到期" in r.title for r in catch_up)
    on_the_day = {r.due_at for r in live if ":d0:" in r.dedupe_key}
    assert on_the_day == {PlanContext().at(days(2))}
    assert reminders_sweep().sent == 2
    assert reminders_sweep().sent == 0  # once
    assert set(Message.objects.values_list("user__username", flat=True)) == {"inspector_user", "aic_user"}
    assert all(f"{cn_date(days(2))}" in m.body for m in Message.objects.all())


def test_moved_to_today_sends_only_the_on_the_day_reminder(order_in, office):
    order = order_in(10)
    move(order, 0, office)
    live = pending(order).filter(cancelled_at__isnull=True)
    by_label = {(r.dedupe_key.split(":")[3], timezone.localdate(r.due_at)) for r in live}
    assert by_label == {("d0", today()), ("overdue", days(1))}  # no 3-day catch-up; overdue from tomorrow
    assert reminders_sweep(now=local(today(), 9)).sent == 2  # at or after the reminder hour
    assert all("今天" in m.title for m in Message.objects.all())


def test_moved_later_cancels_the_old_reminders_even_one_already_due_and_unsent(order_in, office):
    order = order_in(2)  # the 3-day reminder was caught up: due at once …
    due_now = pending(order).filter(cancelled_at__isnull=True, due_at__lte=timezone.now())
    assert due_now.count() == 2  # … but the sweep has not run (the worker was down)
    move(order, 20, office)
    assert not pending(order).filter(cancelled_at__isnull=True).exists()  # day 17 is beyond the horizon
    assert reminders_sweep().sent == 0  # the old date's reminder is not sent
    # The nightly re-plan brings the new date's reminders in as their day nears.
    reminders_replan_all(ctx=PlanContext(now=local(days(5), 1)))
    live = pending(order).filter(cancelled_at__isnull=True)
    assert {(r.dedupe_key.split(":")[2], r.dedupe_key.split(":")[3]) for r in live} == {
        (f"{days(20):%Y%m%d}", "d3")
    }
    assert {r.due_at for r in live} == {PlanContext().at(days(17))}


def test_an_overdue_order_given_more_time_is_no_longer_chased_as_overdue(shop, inspector, aic_user, office):
    visit = inspect(shop, inspector, day=days(-20), fails=("C2-1",), deadline=days(-2))
    order = visit.orders_issued.get()
    assert order.is_overdue
    overdue = pending(order).filter(kind=ReminderKind.RECTIFICATION_OVERDUE, cancelled_at__isnull=True)
    assert overdue.exists()
    move(order, 5, office)
    order.refresh_from_db()
    assert not order.is_overdue and order.reinspection_due_on == days(5)
    assert not overdue.exists()
    live = pending(order).filter(cancelled_at__isnull=True)
    assert {r.kind for r in live} == {ReminderKind.RECTIFICATION_DUE}


# --- the service's refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "reason", "field", "text"),
    [
        (-11, "改期", "deadline", "不能早于下达日期"),
        (-1, "改期", "deadline", "不能早于今天"),
        (10, "改期", "deadline", "与原期限"),
        (12, "   ", "reason", "请填写调整原因"),
    ],
)
def test_refused_in_chinese_and_nothing_changes(order_in, office, n, reason, field, text):
    order = order_in(10)
    with pytest.raises(ValidationError) as caught:
        move(order, n, office, reason=reason)
    assert text in " ".join(caught.value.message_dict[field])
    order.refresh_from_db()
    assert order.deadline == days(10) and not DeadlineChange.objects.exists()


def test_a_closed_order_is_refused(order_in, office):
    order = order_in(10)
    inspections.rectification_close(order=order, visit=order.visit, on=today())
    with pytest.raises(ValidationError, match="不能再调整整改期限"):
        move(order, 12, office)


def test_today_itself_is_allowed_as_the_boundary(order_in, office):
    change = move(order_in(10), 0, office)
    assert change.previous_deadline == days(10) and change.deadline == today()


# --- the page -----------------------------------------------------------------------------------------


def url(order):
    return reverse("inspections:order_reschedule", args=[order.pk])


def test_office_moves_the_deadline_with_a_reason_on_record_and_in_the_audit_trail(client, order_in, office):
    order = order_in(10)
    client.force_login(office)
    page = client.get(order.get_absolute_url()).content.decode()
    assert url(order) in page
    assert client.get(url(order)).status_code == 200
    response = client.post(
        url(order), {"deadline": f"{days(20):%Y-%m-%d}", "reason": "经营者申请延期，已批准"}
    )
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    order.refresh_from_db()
    assert order.deadline == days(20) and order.reinspection_due_on == days(20)
    change = DeadlineChange.objects.get()
    assert (change.previous_deadline, change.deadline, change.changed_by) == (days(10), days(20), office)
    entry = LogEntry.objects.get_for_object(order).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == office and entry.changes_dict["deadline"] == [str(days(10)), str(days(20))]
    assert LogEntry.objects.get_for_object(change).get().actor == office
    page = client.get(order.get_absolute_url()).content.decode()
    assert "期限调整记录" in page and "经营者申请延期，已批准" in page
    assert "提醒已按新期限重新安排" in page


def test_the_lead_department_may_move_it_too(client, order_in, aic_user):
    order = order_in(10)
    client.force_login(aic_user)
    assert url(order) in client.get(order.get_absolute_url()).content.decode()
    client.post(url(order), {"deadline": f"{days(4):%Y-%m-%d}", "reason": "原期限填写有误"})
    order.refresh_from_db()
    assert order.deadline == days(4)


def test_others_get_404_and_no_link(client, order_in, inspector, leader):
    order = order_in(10)
    health = f.user_with_role("department", "health_user", department=f.department("health"))
    for user in (inspector, leader, health):
        client.force_login(user)
        assert client.get(url(order)).status_code == 404
        assert client.post(url(order), {"deadline": f"{days(20):%Y-%m-%d}", "reason": "x"}).status_code == 404
    client.force_login(inspector)
    assert url(order) not in client.get(order.get_absolute_url()).content.decode()  # reads, cannot move
    assert RectificationOrder.objects.get(pk=order.pk).deadline == days(10)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"deadline": "", "reason": "改期"}, "这个字段是必填项"),
        ({"deadline": "2026-13-40", "reason": "改期"}, "输入一个有效的日期"),
        ({"reason": "改期"}, "这个字段是必填项"),
        ({"deadline": "DAY-1", "reason": "改期"}, "不能早于今天"),
        ({"deadline": "DAY+10", "reason": ""}, "请填写调整原因"),
    ],
)
def test_bad_input_is_refused_on_the_form_in_chinese(client, order_in, office, data, text):
    order = order_in(10)
    offsets = {"DAY-1": -1, "DAY+10": 12}
    if data.get("deadline") in offsets:
        data = {**data, "deadline": f"{days(offsets[data['deadline']]):%Y-%m-%d}"}
    client.force_login(office)
    response = client.post(url(order), data)
    assert response.status_code == 200 and text in response.content.decode()
    assert not DeadlineChange.objects.exists()


def test_a_closed_order_has_no_link_and_the_page_sends_back_with_a_message(client, order_in, office):
    order = order_in(10)
    inspections.rectification_close(order=order, visit=order.visit, on=today())
    client.force_login(office)
    assert url(order) not in client.get(order.get_absolute_url()).content.decode()
    response = client.get(url(order), follow=True)
    assert "不能再调整整改期限" in response.content.decode()
