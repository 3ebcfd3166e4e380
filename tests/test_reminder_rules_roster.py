"""Reminder rules for the roster's dates at their boundaries (issue 8): licence expiry (G1), phase ends."""

import datetime
import logging

import pytest

from campaigns.choices import BusinessStatus, LicenceState, PhaseCode
from campaigns.models import Campaign, Phase
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.registry import PlanContext
from notifications.services import reminders_plan, reminders_replan_all, reminders_sweep
from tests import factories as f
from tests.factories_notifications import local

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)


@pytest.fixture
def ctx():
    return PlanContext(now=NOW)


@pytest.fixture
def grocery(village):
    return f.BusinessFactory(village=village, category=f.category("grocery"))


def licence_expiring_in(business, days):
    return f.LicenceFactory(business=business, expires_on=TODAY + datetime.timedelta(days=days))


def planned(target):
    return list(Reminder.objects.filter(object_id=target.pk, cancelled_at__isnull=True).order_by("due_at"))


def labels(rows):
    return sorted({r.dedupe_key.split(":")[3] for r in rows})


# --- licences: 60, 30 and 7 days before, and expired (to the category's lead department) ----------------


def test_licence_61_days_out_plans_the_60_day_reminder_for_tomorrow_morning(
    ctx, grocery, aic_user, inspector
):
    licence = licence_expiring_in(grocery, 61)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    rows = planned(licence)
    assert labels(rows) == ["d60"]
    assert [r.recipient for r in rows] == [aic_user]  # the lead department only, not the inspector
    assert rows[0].due_at == local(TODAY + datetime.timedelta(days=1), 8)
    assert rows[0].kind == ReminderKind.LICENCE_EXPIRING


def test_licence_exactly_60_days_out_is_due_this_morning(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 60)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    assert [(labels([r]), r.due_at) for r in planned(licence)] == [(["d60"], local(TODAY, 8))]


def test_licence_20_days_out_gets_the_30_day_reminder_now_not_the_60_day_one(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 20)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    rows = planned(licence)
    assert labels(rows) == ["d30", "d7"]
    assert rows[0].due_at == NOW  # the passed threshold goes out at once
    assert rows[1].due_at == local(TODAY + datetime.timedelta(days=13), 8)


def test_licence_7_days_out_is_due_this_morning_with_no_catch_up(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 7)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    rows = planned(licence)
    assert labels(rows) == ["d7", "expired"]
    assert rows[0].due_at == local(TODAY, 8)
    assert rows[1].due_at == local(TODAY + datetime.timedelta(days=8), 8)
    assert rows[1].kind == ReminderKind.LICENCE_EXPIRED


def test_licence_expiring_today_gets_7_day_catch_up_now_and_expired_tomorrow(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 0)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    rows = planned(licence)
    assert [(labels([r]), r.due_at) for r in rows] == [
        (["d7"], NOW),
        (["expired"], local(TODAY + datetime.timedelta(days=1), 8)),
    ]


def test_licence_expired_yesterday_is_announced_this_morning(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, -1)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    assert [(labels([r]), r.due_at) for r in planned(licence)] == [(["expired"], local(TODAY, 8))]


def test_licence_expired_long_ago_is_not_announced_again(ctx, grocery, aic_user):
    recent = licence_expiring_in(grocery, -8)  # expired day + 7 days of grace = today
    old = f.LicenceFactory(business=grocery, expires_on=TODAY - datetime.timedelta(days=9))
    reminders_plan(target=recent, planner="licence", ctx=ctx)
    reminders_plan(target=old, planner="licence", ctx=ctx)
    assert labels(planned(recent)) == ["expired"]
    assert planned(old) == []


def test_each_lead_department_user_gets_one_row_and_planning_twice_adds_nothing(ctx, grocery, aic_user):
    colleague = f.user_with_role("department", "aic_colleague", department=f.department("aic"))
    licence = licence_expiring_in(grocery, 7)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    rows = planned(licence)
    assert len(rows) == 4  # d7 and expired, for each of the two users
    assert {r.recipient for r in rows} == {aic_user, colleague}


def test_expiry_edited_earlier_replans_and_cancels_the_stale_rows(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 61)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    (stale,) = planned(licence)
    licence.expires_on = TODAY + datetime.timedelta(days=10)
    licence.save()
    result = reminders_plan(target=licence, planner="licence", ctx=ctx)
    stale.refresh_from_db()
    assert stale.cancelled_at is not None and stale.sent_at is None
    assert result.cancelled == 1
    assert labels(planned(licence)) == ["d30", "d7", "expired"]
    assert all("20260312" in r.dedupe_key for r in planned(licence))  # the new date is in the key


def test_expiry_moved_back_revives_the_cancelled_row(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 61)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    (first,) = planned(licence)
    licence.expires_on = TODAY + datetime.timedelta(days=200)
    licence.save()
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    assert planned(licence) == []  # nothing within the planning horizon
    licence.expires_on = TODAY + datetime.timedelta(days=61)
    licence.save()
    result = reminders_plan(target=licence, planner="licence", ctx=ctx)
    assert result.revived == 1 and planned(licence) == [first]


def test_licence_with_a_later_one_of_the_same_type_is_treated_as_renewed(ctx, grocery, aic_user):
    old = licence_expiring_in(grocery, 30)
    licence_expiring_in(grocery, 400)
    reminders_replan_all(ctx=ctx)
    assert planned(old) == []


def test_renewed_licence_drops_the_old_ones_reminder_at_send_time(ctx, grocery, aic_user, caplog):
    """A renewal entered behind the services' back (an admin edit, a bulk import): the send-time check
    drops the old licence's reminder (licence_renew cancels it at once: test_reminder_on_write)."""
    licence = licence_expiring_in(grocery, 60)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    f.LicenceFactory(
        business=grocery,
        licence_type=licence.licence_type,
        number="NEW-1",
        issued_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=1000),
    )
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        result = reminders_sweep(now=NOW)
    assert result.sent == 0 and result.dropped == 1
    assert Message.objects.count() == 0
    assert "dropped" in caplog.text


@pytest.mark.parametrize("close", ["revoke", "business_closed", "delete"])
def test_reminder_of_a_closed_or_deleted_target_is_dropped_with_a_log_line(
    close, ctx, grocery, aic_user, caplog
):
    licence = licence_expiring_in(grocery, 60)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    if close == "revoke":
        licence.state = LicenceState.REVOKED
        licence.save()
    elif close == "business_closed":
        grocery.status = BusinessStatus.CLOSED
        grocery.save()
    else:
        licence.delete()
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        first = reminders_sweep(now=NOW)
        again = reminders_sweep(now=NOW)
    assert (first.sent, first.dropped) == (0, 1)
    assert (again.sent, again.dropped) == (0, 0)  # dropped once, not an error loop
    assert Reminder.objects.get().cancel_reason
    assert "dropped" in caplog.text


def test_due_licence_reminder_reaches_the_inbox_with_a_link_to_the_business(ctx, grocery, aic_user):
    licence = licence_expiring_in(grocery, 60)
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    assert reminders_sweep(now=NOW).sent == 1
    message = Message.objects.get(user=aic_user)
    assert grocery.name in message.title and message.link == grocery.get_absolute_url()


# --- phase ends: 7 days and 1 day before, to the office and every lead department -----------------------


@pytest.fixture
def phase(db):
    campaign = Campaign.objects.create(
        name="五小专项整治",
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY + datetime.timedelta(days=120),
    )
    return Phase.objects.create(
        campaign=campaign,
        code=PhaseCode.P1,
        name="整改实施阶段",
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY + datetime.timedelta(days=7),
    )


def test_phase_ending_in_7_days_tells_office_and_lead_departments_not_inspectors(
    ctx, phase, office, aic_user, inspector
):
    health = f.user_with_role("department", "health_user", department=f.department("health"))
    reminders_plan(target=phase, planner="phase", ctx=ctx)
    rows = planned(phase)
    assert {r.recipient for r in rows} == {office, aic_user, health}
    by_label = {}
    for r in rows:
        by_label.setdefault(labels([r])[0], set()).add(r.due_at)
    assert by_label == {"d7": {local(TODAY, 8)}, "d1": {local(TODAY + datetime.timedelta(days=6), 8)}}


def test_phase_ending_tomorrow_sends_only_the_1_day_reminder(ctx, phase, office):
    phase.ends_on = TODAY + datetime.timedelta(days=1)
    phase.save()
    reminders_plan(target=phase, planner="phase", ctx=ctx)
    assert [(labels([r]), r.due_at) for r in planned(phase)] == [(["d1"], local(TODAY, 8))]


def test_phase_ending_in_8_days_is_reminded_tomorrow(ctx, phase, office):
    phase.ends_on = TODAY + datetime.timedelta(days=8)
    phase.save()
    reminders_plan(target=phase, planner="phase", ctx=ctx)
    assert {r.due_at for r in planned(phase) if labels([r]) == ["d7"]} == {
        local(TODAY + datetime.timedelta(days=1), 8)
    }


def test_phase_of_a_past_campaign_is_not_reminded(ctx, phase, office):
    phase.campaign.is_current = False
    phase.campaign.save()
    reminders_plan(target=phase, planner="phase", ctx=ctx)
    assert planned(phase) == []


def test_replan_all_walks_licences_and_phases(ctx, phase, grocery, office, aic_user):
    licence_expiring_in(grocery, 30)
    licence_expiring_in(f.BusinessFactory(village=grocery.village), 400)  # beyond every threshold
    results = reminders_replan_all(ctx=ctx)
    assert results["licence"].created == 1  # d30 for aic_user
    assert results["phase"].created == 4  # d7 and d1, office and aic
    assert reminders_replan_all(ctx=ctx)["licence"].created == 0
    reminders_sweep(now=NOW)  # sent rows are history: a re-plan neither re-creates nor counts them
    again = reminders_replan_all(ctx=ctx)
    assert (again["licence"].created, again["phase"].created) == (0, 0)


def test_licence_reminder_writes_the_date_as_the_office_does_without_zero_padding(ctx, grocery, aic_user):
    """G1: "2026年4月1日", as in the office's 公文 (GB/T 9704 §7.3.5), never "2026年04月01日"."""
    licence = licence_expiring_in(grocery, 30)  # 2026-04-01
    reminders_plan(target=licence, planner="licence", ctx=ctx)
    [row] = planned(licence)
    assert "2026年4月1日" in row.body
    assert "04月" not in row.body and "月01日" not in row.body
