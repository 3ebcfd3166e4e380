"""What `plan_order` plans, whole (issue 8, issue 22: found by mutation testing): every reminder's
recipient, kind, due time, title, body, link and key, for an open order before, on and after its deadline,
its re-inspection day (复查) and the E2 return check (回头查) of a closed one; who follows an order up
(the village's inspectors, the visit's inspectors who may open it, the order's own department) and in
which town (issue 24)."""

import datetime

import pytest

from campaigns.choices import BusinessStatus
from campaigns.models import Business
from inspections.choices import OrderStatus, VisitKind, VisitOutcome
from inspections.models import RectificationOrder
from inspections.reminders import order_candidates, plan_order
from lib.gongwen import cn_date
from notifications.choices import ReminderKind
from notifications.models import Reminder
from notifications.registry import PlanContext, Planned
from tests import factories as f
from tests.factories_inspections import at, inspect, visit_input
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business)
    return business


def order_due_in(shop, user, days, issued=TODAY - 10 * DAY):
    visit = inspect(shop, user, day=issued, fails=("C2-1",), deadline=TODAY + days * DAY)
    Reminder.objects.all().delete()
    return RectificationOrder.objects.get(visit=visit)


def planned(order, now=NOW):
    order = RectificationOrder.objects.get(pk=order.pk)  # fresh, as the planner reads it
    return plan_order(order, PlanContext(now=now))


def what(order):
    return f"{order.business.name}（{order.number}）"


def expect(order, uids, kind, due_at, title, body, key):
    return [
        Planned(
            recipient_id=uid,
            kind=kind,
            due_at=due_at,
            title=title,
            body=body,
            url=order.get_absolute_url(),
            dedupe_key=f"order:{order.pk}:{key}:u{uid}",
        )
        for uid in sorted(uids)
    ]


def due(order, uids, due_at, when, days):
    deadline = order.deadline
    return expect(
        order,
        uids,
        ReminderKind.RECTIFICATION_DUE,
        due_at,
        f"整改期限{when}到期：{what(order)}",
        f"{what(order)}的整改期限为{cn_date(deadline)}（{when}到期），请按期复查（回头查）。",
        f"{deadline:%Y%m%d}:d{days}",
    )


def overdue(order, uids, day):
    deadline = order.deadline
    return expect(
        order,
        uids,
        ReminderKind.RECTIFICATION_OVERDUE,
        local(day, 8),
        f"整改逾期{(day - deadline).days}天：{what(order)}",
        f"{what(order)}的整改期限{cn_date(deadline)}已过，尚未复查销号，请督促落实。",
        f"{deadline:%Y%m%d}:overdue:{day:%Y%m%d}",
    )


def test_an_open_order_3_days_before_and_on_its_deadline_tells_inspectors_and_lead_department(
    shop, inspector, aic_user, office
):
    order = order_due_in(shop, inspector, 4)
    people = [inspector.pk, aic_user.pk]  # not the office before the deadline
    assert planned(order) == [
        *due(order, people, local(TODAY + DAY, 8), "3天后", 3),
        *due(order, people, local(TODAY + 4 * DAY, 8), "今天", 0),
    ]


def test_a_catch_up_goes_out_now_with_the_days_really_left(shop, inspector, aic_user):
    order = order_due_in(shop, inspector, 2)
    people = [inspector.pk, aic_user.pk]
    assert planned(order) == [
        *due(order, people, NOW, "2天后", 3),
        *due(order, people, local(TODAY + 2 * DAY, 8), "今天", 0),
    ]


def test_on_the_deadline_day_it_is_due_today_and_tomorrows_first_overdue_day_is_planned(
    shop, inspector, aic_user, office
):
    order = order_due_in(shop, inspector, 0)
    assert planned(order) == [
        *due(order, [inspector.pk, aic_user.pk], local(TODAY, 8), "今天", 0),
        *overdue(order, [aic_user.pk], TODAY + DAY),
        *overdue(order, [office.pk], TODAY + DAY),
    ]


def test_the_first_overdue_day_tells_the_department_and_the_office_the_second_the_department(
    shop, inspector, aic_user, office
):
    order = order_due_in(shop, inspector, -1)
    assert planned(order) == [
        *overdue(order, [aic_user.pk], TODAY),
        *overdue(order, [office.pk], TODAY),
        *overdue(order, [aic_user.pk], TODAY + DAY),
    ]


def test_the_eighth_overdue_day_tomorrow_tells_the_office_again(shop, inspector, aic_user, office):
    order = order_due_in(shop, inspector, -7, issued=TODAY - 20 * DAY)
    assert planned(order) == [
        *overdue(order, [aic_user.pk], TODAY),
        *overdue(order, [aic_user.pk], TODAY + DAY),
        *overdue(order, [office.pk], TODAY + DAY),
    ]


def test_a_re_inspection_day_apart_from_the_deadline_is_told_to_the_inspectors(shop, inspector, aic_user):
    order = order_due_in(shop, inspector, 10)
    reinspect = TODAY + 12 * DAY
    RectificationOrder.objects.filter(pk=order.pk).update(reinspection_due_on=reinspect)
    order.refresh_from_db()
    assert planned(order) == [
        *due(order, [inspector.pk, aic_user.pk], local(TODAY + 7 * DAY, 8), "3天后", 3),
        *due(order, [inspector.pk, aic_user.pk], local(TODAY + 10 * DAY, 8), "今天", 0),
        *expect(
            order,
            [inspector.pk],  # the inspectors only, not the department
            ReminderKind.REINSPECTION_DUE,
            local(reinspect, 8),
            f"今天复查：{what(order)}",
            f"{what(order)}的复查（回头查）定于今天。",
            f"{reinspect:%Y%m%d}:reinspect",
        ),
    ]


def test_a_re_inspection_on_the_deadline_itself_is_not_told_twice(shop, inspector, aic_user):
    order = order_due_in(shop, inspector, 10)
    assert order.reinspection_due_on == order.deadline
    assert {p.kind for p in planned(order)} == {ReminderKind.RECTIFICATION_DUE}


def test_an_order_of_another_department_tells_that_department_not_the_lead_one(shop, inspector, aic_user):
    # O3: the order names its department; the category's lead department is only the default.
    order = order_due_in(shop, inspector, 0)
    health = f.user_with_role("department", "health_user", department=f.department("health"))
    RectificationOrder.objects.filter(pk=order.pk).update(department=f.department("health"))
    order.refresh_from_db()
    assert planned(order)[:2] == due(order, [inspector.pk, health.pk], local(TODAY, 8), "今天", 0)
    overdue_rows = planned(order, now=local(TODAY + DAY, 9))
    assert {p.recipient_id for p in overdue_rows} == {health.pk}


def test_the_visits_inactive_inspector_and_one_who_cannot_open_the_order_are_not_told(
    shop, inspector, other_inspector, aic_user, office
):
    """P2: a visit's inspectors are told if they may open the order (the village's, the lead department's,
    those who read the whole town) and are active; a drawn inspector of another village may not."""
    issued = TODAY - 10 * DAY
    leader = f.user_with_role("leader", "leader_user")
    gone = f.user_with_role("department", "gone_user", department=f.department("aic"))
    visit = inspect(shop, inspector, day=issued, fails=("C2-1",), deadline=TODAY)
    visit.inspectors.add(other_inspector, leader, gone)
    gone.is_active = False
    gone.save()
    Reminder.objects.all().delete()
    order = RectificationOrder.objects.get(visit=visit)
    told = {p.recipient_id for p in planned(order) if p.kind == ReminderKind.RECTIFICATION_DUE}
    assert told == {inspector.pk, leader.pk, aic_user.pk}


def test_a_lead_department_member_on_the_visit_is_told_as_one_of_its_inspectors(
    shop, inspector, aic_user, settings
):
    # Told of the re-inspection day, which goes to the inspectors only: so as one who may open the order.
    order = order_due_in(shop, inspector, 10)
    order.visit.inspectors.add(aic_user)
    RectificationOrder.objects.filter(pk=order.pk).update(reinspection_due_on=TODAY + 12 * DAY)
    rows = [p for p in planned(order) if p.kind == ReminderKind.REINSPECTION_DUE]
    assert [p.recipient_id for p in rows] == sorted([inspector.pk, aic_user.pk])


def test_a_drawn_team_without_village_inspectors_is_told_when_it_may_open_the_order(shop, office, aic_user):
    """P2: with no inspector in the business's village, the visit's team is told if it reads the town."""
    supervisor = f.user_with_role("supervisor", "supervisor_user")
    issued = TODAY - 10 * DAY
    visit = inspect_by(shop, office, [supervisor], issued, deadline=TODAY + 10 * DAY)
    order = RectificationOrder.objects.get(visit=visit)
    RectificationOrder.objects.filter(pk=order.pk).update(reinspection_due_on=TODAY + 12 * DAY)
    rows = [p for p in planned(order) if p.kind == ReminderKind.REINSPECTION_DUE]
    assert [p.recipient_id for p in rows] == [supervisor.pk]


def inspect_by(shop, by, team, day, deadline):
    from inspections import services

    visit = services.visit_start(
        business=shop, user=by, kind=VisitKind.RANDOM, inspectors=team, started_at=at(day)
    )
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=deadline)
    submitted = services.visit_submit(visit=visit, user=team[0], data=data, now=at(day, 11))
    Reminder.objects.all().delete()
    return submitted


def test_the_office_and_department_of_another_town_are_not_told(shop, inspector, aic_user, office):
    # Issue 24: in an installation of several towns, an order's reminders go to its own town's staff.
    other_town = f.TownFactory(name="西镇", code="xizhen")
    f.user_with_role("office", "far_office", town=other_town)
    f.user_with_role("department", "far_aic", department=f.department("aic"), town=other_town)
    order = order_due_in(shop, inspector, -1)
    assert {p.recipient_id for p in planned(order)} == {aic_user.pk, office.pk}


@pytest.fixture
def closed(shop, inspector, settings):
    """An order closed 10 days before TODAY; its E2 return check falls on TODAY."""
    settings.WUXIAO_RETURN_CHECK_DAYS = 10
    inspect(shop, inspector, day=TODAY - 20 * DAY, fails=("C2-1",))
    inspect(shop, inspector, day=TODAY - 10 * DAY, kind=VisitKind.REINSPECTION)
    order = shop.rectification_orders.get()
    assert order.status == OrderStatus.CLOSED and order.return_check_due_on == TODAY
    Reminder.objects.all().delete()
    return order


def test_the_e2_return_check_is_told_to_the_village_inspectors_on_its_morning(
    closed, inspector, aic_user, office
):
    assert planned(closed, now=local(TODAY - DAY, 9)) == expect(
        closed,
        [inspector.pk],
        ReminderKind.REINSPECTION_DUE,
        local(TODAY, 8),
        f"回头查到期（E2）：{what(closed)}",
        f"{what(closed)}已于{cn_date(TODAY - 10 * DAY)}整改销号，今天应回头查，防止反弹（W3）。",
        f"{TODAY:%Y%m%d}:returncheck",
    )


def test_the_e2_return_check_of_a_village_without_inspectors_goes_to_the_visits_team(
    closed, inspector, other_village
):
    Business.objects.filter(pk=closed.business_id).update(village=other_village)
    leader = f.user_with_role("leader", "leader_user")
    closed.visit.inspectors.add(leader)
    rows = planned(closed, now=local(TODAY - DAY, 9))
    assert [p.recipient_id for p in rows] == [leader.pk]  # inspector_user reads 东村 only, not the order


def test_no_e2_return_check_once_done_or_for_a_business_that_stopped_trading(closed, inspector):
    assert planned(closed)
    Business.objects.filter(pk=closed.business_id).update(status=BusinessStatus.CLOSED)
    assert planned(closed) == []
    Business.objects.filter(pk=closed.business_id).update(status=BusinessStatus.OPERATING)
    RectificationOrder.objects.filter(pk=closed.pk).update(return_check_visit=closed.visit)
    assert planned(closed) == []
    RectificationOrder.objects.filter(pk=closed.pk).update(return_check_visit=None, return_check_due_on=None)
    assert planned(closed) == []


def test_an_escalated_order_with_a_return_check_day_is_not_told(closed):
    RectificationOrder.objects.filter(pk=closed.pk).update(status=OrderStatus.ESCALATED)
    assert planned(closed) == []


def test_the_nightly_walk_reads_each_order_without_a_query_of_its_own(
    shop, inspector, aic_user, office, django_assert_max_num_queries
):
    # The walk's select_related/prefetch_related: planning the candidates costs no query per order.
    for days in (-1, 0, 4):
        order_due_in(f.BusinessFactory(village=shop.village, category=shop.category), inspector, days)
    ctx = PlanContext(now=NOW)
    for order in order_candidates(ctx):  # warm the context's cached lookups (towns, roles)
        plan_order(order, ctx)
    with django_assert_max_num_queries(2):  # the orders, and their visits' inspectors
        planned_now = [plan_order(order, ctx) for order in order_candidates(ctx)]
    assert len(planned_now) == 3 and all(planned_now)
