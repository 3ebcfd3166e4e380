"""One-off announcements and tip-off reminders, whole (issue 8, issue 22: found by mutation testing):
a visit assigned by someone else (P2 随机抽查 or any other kind) tells each of its active inspectors once
with who assigned it, when, where and with whom; withdrawn visits cancel what was not sent and tell who
was told; a tip-off not finished in time (W5) is told to its town's office and its department, weekly."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Department
from inspections.choices import TipOffStatus, VisitKind
from inspections.models import RectificationOrder, Visit
from inspections.reminders import (
    announce_referral,
    announce_visit_assigned,
    announce_visits_assigned,
    announce_visits_withdrawn,
    plan_tipoff,
)
from inspections.services import visit_start
from lib.gongwen import cn_date
from notifications.choices import ReminderKind
from notifications.models import Reminder
from notifications.registry import PlanContext, Planned
from tests import factories as f
from tests.factories_enforcement import TipOffFactory
from tests.factories_inspections import at
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)
DAY = datetime.timedelta(days=1)
VISIT_DAY = datetime.date(2026, 3, 12)


def rows(**filters):
    return list(Reminder.objects.filter(cancelled_at__isnull=True, **filters).order_by("recipient_id"))


def pk(user):
    return user.pk


def name(user):
    return "张三" if user.username == "inspector_user" else user.username


def frozen(monkeypatch, moment=NOW):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def shop(village):
    return f.BusinessFactory(village=village, name="东村小店")


@pytest.fixture
def team(inspector, other_inspector):
    inspector.first_name = "张三"  # told by full name where there is one, else by username
    inspector.save()
    return [inspector, other_inspector]


def test_a_tipoff_check_assigned_by_the_office_tells_each_inspector_with_the_others_named(
    monkeypatch, shop, office, team
):
    everyone = sorted([*team, office], key=pk)
    visit = visit_start(
        business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=everyone, started_at=at(VISIT_DAY)
    )
    frozen(monkeypatch)
    assert announce_visit_assigned(visit) == 2  # the office assigned it: not told of its own doing
    title = "检查任务已分派：东村小店（举报核查，3月12日）"
    body = (
        "office_user安排您于2026年3月12日对东村小店（东村）开展举报核查，同组人员：{}。"
        "请按时到场检查，并在系统中填写、提交检查记录。"
    )
    got = [
        (r.recipient_id, r.kind, r.due_at, r.title, r.body, r.url, r.dedupe_key, r.object_id) for r in rows()
    ]
    assert got == [
        (
            user.pk,
            ReminderKind.VISIT_ASSIGNED,
            NOW,
            title,
            body.format(others),
            visit.get_absolute_url(),
            f"visit:{visit.pk}:assigned:u{user.pk}",
            visit.pk,
        )
        for user, others in [
            (u, "、".join(name(o) for o in everyone if o != u)) for u in sorted(team, key=pk)
        ]
    ]


def test_assigned_by_someone_named_who_is_then_not_told(shop, office, team):
    inspector, other = team
    visit = visit_start(
        business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=team, started_at=at(VISIT_DAY)
    )
    assert announce_visits_assigned([visit], by=inspector) == 1
    (row,) = rows()
    assert row.recipient == other
    assert row.body.startswith("张三安排您于2026年3月12日") and "同组人员：张三。" in row.body


def test_a_lone_inspector_hears_of_no_companions(shop, office, inspector):
    visit = visit_start(
        business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=[inspector], started_at=at(VISIT_DAY)
    )
    assert announce_visit_assigned(visit, by=office) == 1
    assert rows()[0].body == (
        "office_user安排您于2026年3月12日对东村小店（东村）开展举报核查。请按时到场检查，并在系统中填写、提交检查记录。"
    )


def test_a_random_visit_without_a_draw_is_a_spot_check_on_its_own_day(shop, office, inspector):
    visit = visit_start(
        business=shop, user=office, kind=VisitKind.RANDOM, inspectors=[inspector], started_at=at(VISIT_DAY)
    )
    assert announce_visits_assigned([visit]) == 1
    (row,) = rows()
    assert (row.kind, row.title) == (ReminderKind.SPOT_CHECK_ASSIGNED, "随机抽查任务：东村小店（3月12日）")
    assert row.body.startswith("office_user安排您于2026年3月12日对东村小店（东村）开展随机抽查。")


def test_no_visits_announce_nothing(office):
    assert announce_visits_assigned([]) == 0
    assert announce_visits_withdrawn([], why="名单有误") == 0


@pytest.fixture
def told(shop, office, team):
    """A visit announced to two inspectors: the first one's reminder sent, the second's not yet."""
    visit = visit_start(
        business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=team, started_at=at(VISIT_DAY)
    )
    announce_visit_assigned(visit)
    sent, unsent = rows()
    Reminder.objects.filter(pk=sent.pk).update(sent_at=NOW, claimed_at=NOW)
    return visit, sent, unsent


def test_withdrawing_cancels_the_unsent_and_tells_who_was_told_once(monkeypatch, told):
    visit, sent, unsent = told
    other_visit = visit_start(
        business=visit.business, user=visit.created_by, kind=VisitKind.TIPOFF, inspectors=[sent.recipient]
    )
    announce_visit_assigned(other_visit)
    frozen(monkeypatch, local(TODAY, 10))
    assert announce_visits_withdrawn([visit], why="名单有误") == 1
    unsent.refresh_from_db()
    assert (unsent.cancelled_at, unsent.cancel_reason) == (local(TODAY, 10), "检查任务已撤回：名单有误")
    sent.refresh_from_db()
    assert sent.cancelled_at is None
    assert Reminder.objects.filter(object_id=other_visit.pk, cancelled_at__isnull=True).count() == 1
    notice = Reminder.objects.get(dedupe_key=f"visit:{visit.pk}:withdrawn:u{sent.recipient_id}")
    assert (notice.recipient_id, notice.kind, notice.due_at, notice.url) == (
        sent.recipient_id,
        ReminderKind.VISIT_ASSIGNED,
        local(TODAY, 10),
        "",
    )
    assert (notice.content_type, notice.object_id) == (None, None)  # the visit is about to go
    assert notice.title == "检查任务已撤回：东村小店（3月12日）"
    assert notice.body == (
        f"原安排您于{cn_date(VISIT_DAY)}对东村小店开展的举报核查已撤回（名单有误），无需前往；如有新的安排，将另行通知。"
    )
    assert announce_visits_withdrawn([visit], why="名单有误") == 0  # once


def test_a_reminder_being_sent_is_not_cancelled_and_nobody_told_means_none(told):
    visit, sent, unsent = told
    Reminder.objects.filter(pk=sent.pk).update(sent_at=None)  # claimed by a sweep, not yet sent
    Reminder.objects.filter(pk=unsent.pk).update(claimed_at=NOW)
    assert announce_visits_withdrawn([visit], why="名单有误") == 0
    assert Reminder.objects.filter(cancelled_at__isnull=False).count() == 0


def test_a_long_reason_is_cut_to_the_field(told):
    visit, _sent, unsent = told
    assert announce_visits_withdrawn([visit], why="理" * 300) == 1
    unsent.refresh_from_db()
    assert unsent.cancel_reason == ("检查任务已撤回：" + "理" * 300)[:200]


def test_only_assignment_reminders_of_the_visit_are_withdrawn(told):
    visit, sent, unsent = told
    Reminder.objects.filter(pk=unsent.pk).update(
        dedupe_key=f"visit:{visit.pk}:referral:u{unsent.recipient_id}"
    )
    Reminder.objects.filter(pk=sent.pk).update(kind=ReminderKind.REFERRAL)
    assert announce_visits_withdrawn([visit], why="名单有误") == 0
    assert Reminder.objects.filter(cancelled_at__isnull=False).count() == 0


def test_a_told_spot_check_is_withdrawn_as_a_spot_check(told):
    visit, sent, _unsent = told
    Reminder.objects.filter(pk=sent.pk).update(kind=ReminderKind.SPOT_CHECK_ASSIGNED)
    assert announce_visits_withdrawn([visit], why="名单有误") == 1
    assert Reminder.objects.get(dedupe_key__contains=":withdrawn:").kind == ReminderKind.SPOT_CHECK_ASSIGNED


# W5: tip-offs not finished in time.


def test_an_unanswered_tipoff_is_told_whole_to_its_office_and_department(settings, office, aic_user):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    received = TODAY - 7 * DAY
    tipoff = TipOffFactory(
        submitted_at=local(received, 15), status=TipOffStatus.ASSIGNED, lead_department=f.department("aic")
    )
    status = tipoff.get_status_display()
    assert plan_tipoff(tipoff, PlanContext(now=NOW)) == [
        Planned(
            recipient_id=uid,
            kind=ReminderKind.TIPOFF_UNANSWERED,
            due_at=local(TODAY, 8),
            title=f"举报{tipoff.reference}已7天未办结（{status}）",
            body=f"{cn_date(received)}收到的举报仍在“{status}”，请及时受理、核查并答复（W5）。",
            url=tipoff.get_absolute_url(),
            dedupe_key=f"tipoff:{tipoff.pk}:{TODAY:%Y%m%d}:u{uid}",
        )
        for uid in sorted([office.pk, aic_user.pk])
    ]


def test_a_week_later_the_title_counts_the_days_waited(settings, office):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    tipoff = TipOffFactory(submitted_at=local(TODAY - 13 * DAY, 15))
    (tomorrow,) = plan_tipoff(tipoff, PlanContext(now=NOW))
    assert tomorrow.due_at == local(TODAY + DAY, 8) and f"已{14}天未办结" in tomorrow.title


@pytest.fixture
def two_towns(village, other_village):
    """Issue 24: 东村 in the test town, 西村 moved to 西镇; an office and an aic member in each."""
    far = f.TownFactory(name="西镇", code="xizhen")
    other_village.town = far
    other_village.save()
    here = {
        "office": f.user_with_role("office", "office_here", town=village.town),
        "aic": f.user_with_role("department", "aic_here", department=f.department("aic"), town=village.town),
    }
    there = {
        "office": f.user_with_role("office", "office_there", town=far),
        "aic": f.user_with_role("department", "aic_there", department=f.department("aic"), town=far),
    }
    return here, there


def told_of(tipoff):
    return {p.recipient_id for p in plan_tipoff(tipoff, PlanContext(now=NOW))}


@pytest.mark.parametrize("by", ["village", "business"])
def test_a_tipoff_is_told_in_the_town_of_its_village_or_of_its_business(
    settings, two_towns, other_village, by
):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    _here, there = two_towns
    where = (
        {"village": other_village}
        if by == "village"
        else {"business": f.BusinessFactory(village=other_village)}
    )
    tipoff = TipOffFactory(
        submitted_at=local(TODAY - 7 * DAY, 15),
        status=TipOffStatus.ASSIGNED,
        lead_department=f.department("aic"),
        **where,
    )
    assert told_of(tipoff) == {there["office"].pk, there["aic"].pk}


def test_a_tipoff_naming_no_place_goes_to_every_towns_office(settings, two_towns):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    here, there = two_towns
    tipoff = TipOffFactory(submitted_at=local(TODAY - 7 * DAY, 15))
    assert told_of(tipoff) == {here["office"].pk, there["office"].pk}


def test_announcing_without_naming_who_assigned_costs_no_query_per_visit(
    shop, office, team, django_assert_num_queries
):
    # The assigner is each visit's creator, read with the visits (select_related), not once per visit.
    visits = [
        visit_start(business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=team, reuse=False)
        for _ in range(3)
    ]
    with CaptureQueriesContext(connection) as one:
        assert announce_visits_assigned(visits[:1]) == 2
    Reminder.objects.all().delete()
    with django_assert_num_queries(len(one.captured_queries)):
        assert announce_visits_assigned(visits) == 6


def test_a_drawn_visit_is_announced_for_the_draws_planned_day(office):
    # P2: the day told is the draw's planned day, not the day the visit's draft was started on.
    from tests.test_spotcheck_service import make
    from tests.test_spotcheck_service import town as town_fixture

    town = town_fixture.__wrapped__(
        f.VillageFactory(name="东村", code="dongcun"), f.VillageFactory(name="西村", code="xicun")
    )
    draw = make(office, town, count=1)
    visit = draw.pairs.select_related("visit").get().visit
    Visit.objects.filter(pk=visit.pk).update(started_at=at(VISIT_DAY))
    Reminder.objects.all().delete()
    assert announce_visits_assigned([visit], by=office) == 2
    day = draw.planned_on
    for row in rows():
        assert row.title == f"随机抽查任务：{visit.business.name}（{day.month}月{day.day}日）"
        assert row.body.startswith(f"“第三季度随机抽查”抽取结果：office_user安排您于{cn_date(day)}对")


# O5: a referral tells the receiving department's people, not the one who referred it.


@pytest.fixture
def referred(shop, inspector):
    drug = Department.objects.get(code="city_drug")
    bureau = [
        f.user_with_role("city_bureau", "drug_user", department=drug),
        f.user_with_role("city_bureau", "drug_head", department=drug),
    ]
    visit = visit_start(business=shop, user=inspector, started_at=at(VISIT_DAY))
    Visit.objects.filter(pk=visit.pk).update(referral_department=drug)
    visit.refresh_from_db()
    return visit, drug, bureau


def test_a_referral_is_told_whole_to_the_bureau_but_not_to_who_referred_it(monkeypatch, referred):
    visit, drug, (user, head) = referred
    frozen(monkeypatch)
    assert announce_referral(visit, by=head) == 1
    (row,) = rows()
    assert (row.recipient_id, row.kind, row.due_at, row.url, row.dedupe_key, row.object_id) == (
        user.pk,
        ReminderKind.REFERRAL,
        NOW,
        visit.get_absolute_url(),
        f"visit:{visit.pk}:referral:u{user.pk}",
        visit.pk,
    )
    assert row.title == "案件移送：东村小店（东村）"
    assert row.body == (
        f"2026年3月12日对东村小店（东村）的日常检查移送{drug.name}处理（移送人：drug_head）。请查看检查记录并依法处理。"
    )


def test_a_referral_announced_by_nobody_names_no_referrer(referred):
    visit, drug, _bureau = referred
    assert announce_referral(visit) == 2
    assert {r.body for r in rows()} == {
        f"2026年3月12日对东村小店（东村）的日常检查移送{drug.name}处理。请查看检查记录并依法处理。"
    }


def test_a_visit_referred_nowhere_announces_nothing(shop, inspector):
    visit = visit_start(business=shop, user=inspector, started_at=at(VISIT_DAY))
    assert announce_referral(visit, by=inspector) == 0
    assert not Reminder.objects.exists()


def test_withdrawing_leaves_alone_a_reminder_cancelled_before_and_one_about_something_else(told):
    visit, _sent, unsent = told
    Reminder.objects.filter(pk=unsent.pk).update(cancelled_at=NOW, cancel_reason="已另行安排")
    order_type = ContentType.objects.get_for_model(RectificationOrder)
    elsewhere = Reminder.objects.create(  # an order's reminder whose object id is the visit's number
        recipient=unsent.recipient,
        kind=ReminderKind.VISIT_ASSIGNED,
        content_type=order_type,
        object_id=visit.pk,
        due_at=NOW,
        title="别的提醒",
        dedupe_key=f"order:{visit.pk}:assigned:u{unsent.recipient_id}",
    )
    assert announce_visits_withdrawn([visit], why="名单有误") == 1
    unsent.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (unsent.cancelled_at, unsent.cancel_reason) == (NOW, "已另行安排")
    assert elsewhere.cancelled_at is None
