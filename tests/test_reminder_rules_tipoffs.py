"""Tip-offs unanswered (W5, issue 8): the office hears WUXIAO_TIPOFF_ANSWER_DAYS after a tip-off came in,
then weekly, until it is finished; the department it was assigned to hears too."""

import datetime

import pytest
from django.utils import timezone

from inspections.choices import TipOffStatus
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.registry import PlanContext
from notifications.services import reminders_plan, reminders_replan_all, reminders_sweep
from tests import factories as f
from tests.factories_enforcement import TipOffFactory
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)


def came_in(days_ago, **kwargs):
    return TipOffFactory(submitted_at=local(TODAY - datetime.timedelta(days=days_ago), 15), **kwargs)


def rows(tipoff, now=NOW):
    reminders_plan(target=tipoff, planner="tipoff", ctx=PlanContext(now=now))
    return list(Reminder.objects.filter(object_id=tipoff.pk, planner="tipoff", cancelled_at__isnull=True))


def by_day(reminders):
    out = {}
    for r in reminders:
        out.setdefault(timezone.localdate(r.due_at), set()).add(r.recipient.username)
    return out


def test_nothing_before_the_answer_time(settings, office):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    assert rows(came_in(5)) == []


def test_the_day_before_plans_tomorrows_reminder(settings, office):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    assert by_day(rows(came_in(6))) == {TODAY + datetime.timedelta(days=1): {"office_user"}}


def test_on_the_answer_day_the_office_is_reminded_this_morning(settings, office, aic_user):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    planned = rows(came_in(7))
    assert by_day(planned) == {TODAY: {"office_user"}}
    assert planned[0].kind == ReminderKind.TIPOFF_UNANSWERED and planned[0].due_at == local(TODAY, 8)


@pytest.mark.parametrize(("days_ago", "reminded_today"), [(8, False), (13, False), (14, True), (21, True)])
def test_then_weekly(settings, office, days_ago, reminded_today):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    assert (TODAY in by_day(rows(came_in(days_ago)))) is reminded_today


def test_assigned_tipoff_also_reminds_its_department(settings, office, aic_user):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 3
    tipoff = came_in(3, status=TipOffStatus.ASSIGNED, lead_department=f.department("aic"))
    assert by_day(rows(tipoff)) == {TODAY: {"office_user", "aic_user"}}


@pytest.mark.parametrize("status", [TipOffStatus.PROVEN, TipOffStatus.UNFOUNDED, TipOffStatus.SPAM])
def test_finished_tipoffs_are_not_reminded_and_pending_ones_dropped(settings, office, status):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    tipoff = came_in(7)
    assert rows(tipoff)
    tipoff.status = status
    tipoff.save()
    result = reminders_sweep(now=NOW)  # finished before the sweep, without a re-plan: dropped
    assert (result.sent, result.dropped) == (0, 1)
    assert rows(tipoff) == []


def test_unanswered_tipoff_reaches_the_office_inbox_with_its_link(settings, office):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    tipoff = came_in(7)
    reminders_replan_all(ctx=PlanContext(now=NOW))
    assert reminders_sweep(now=NOW).sent == 1
    message = Message.objects.get(user=office)
    assert tipoff.reference in message.title and message.link == tipoff.get_absolute_url()
    assert "13900001111" not in message.title + message.body  # the tipster's phone never travels


def test_the_nightly_walk_takes_open_tipoffs_from_the_day_before_the_answer_time(settings, office):
    # W5: with 7 days to answer, the walk takes open tip-offs that came in before 08:00 five days ago
    # (tomorrow's first reminder is planned tonight); later ones and finished ones are not walked.
    # Issue 22: found by mutation testing.
    from inspections.reminders import tipoff_candidates

    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7

    def at(days_ago, hour, **kwargs):
        return TipOffFactory(submitted_at=local(TODAY - datetime.timedelta(days=days_ago), hour), **kwargs).pk

    inside = [at(30, 15), at(5, 7)]
    outside = [at(5, 9), at(4, 7), at(1, 15), at(30, 15, status=TipOffStatus.PROVEN)]
    walked = [t.pk for t in tipoff_candidates(PlanContext(now=NOW))]
    assert walked == sorted(inside)
    assert not set(outside) & set(walked)
