"""The nightly refresh, announcements and the periodic schedule in django-celery-beat (issue 8)."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from campaigns.choices import BusinessStatus, LicenceState
from campaigns.services import licences_refresh_expired
from lib.schedule import write_schedule
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.schedule import SCHEDULE
from notifications.services import reminder_add, reminders_announce, reminders_sweep
from notifications.tasks import nightly_refresh
from tests import factories as f
from wuxiao.celery import app as celery_app

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_licence_past_expiry_is_marked_expired_and_its_business_turns_rectifying(village):
    business = f.BusinessFactory(village=village)
    licences = f.licensed(business)
    lapsed = licences[0]
    lapsed.expires_on = TODAY - datetime.timedelta(days=1)
    lapsed.save()
    result = licences_refresh_expired(today=TODAY)
    lapsed.refresh_from_db()
    business.refresh_from_db()
    assert (result.licences_expired, result.businesses_rectifying) == (1, 1)
    assert lapsed.state == LicenceState.EXPIRED and "系统标记为已过期" in lapsed.note
    assert business.status == BusinessStatus.RECTIFYING
    assert LogEntry.objects.get_for_object(lapsed).exists()  # on the audit trail


def test_licence_expiring_today_is_still_valid(village):
    business = f.BusinessFactory(village=village)
    (licence, *_) = f.licensed(business, expires_on=TODAY)
    assert licences_refresh_expired(today=TODAY).licences_expired == 0
    licence.refresh_from_db()
    assert licence.state == LicenceState.VALID


def test_business_holding_a_renewal_stays_operating(village):
    business = f.BusinessFactory(village=village)
    licences = f.licensed(business)
    f.LicenceFactory(
        business=business,
        licence_type=licences[0].licence_type,
        expires_on=TODAY - datetime.timedelta(days=3),
    )
    result = licences_refresh_expired(today=TODAY)
    business.refresh_from_db()
    assert (result.licences_expired, result.businesses_rectifying) == (1, 0)
    assert business.status == BusinessStatus.OPERATING


def test_nightly_refresh_marks_licences_plans_and_sends(village, aic_user):
    business = f.BusinessFactory(village=village)
    (licence, *_) = f.licensed(business)
    licence.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    licence.save()
    result = nightly_refresh.apply().get()
    assert result["licences_expired"] == 1
    assert result["planned"]["licence"]["created"] == 1  # the "expired" reminder, due this morning
    licence.refresh_from_db()
    assert licence.state == LicenceState.EXPIRED
    # Due at 08:00 today: sent now if the nightly run is after 08:00, by the morning sweep otherwise.
    reminder = Reminder.objects.get(object_id=licence.pk)
    assert reminder.kind == ReminderKind.LICENCE_EXPIRED and reminder.recipient == aic_user


def test_announce_tells_each_user_once_however_often_called(office, aic_user):
    ids = [office.pk, aic_user.pk, aic_user.pk]
    for _ in range(2):
        reminders_announce(
            recipient_ids=ids,
            kind=ReminderKind.BULLETIN,
            title="第3期工作简报",
            key="bulletin:3",
            url="/dashboard/",
        )
    assert reminders_sweep().sent == 2
    assert sorted(Message.objects.values_list("user__username", flat=True)) == ["aic_user", "office_user"]


def test_migration_wrote_the_schedule_in_asia_shanghai():
    tasks = {t.name: t for t in PeriodicTask.objects.filter(name__in=[p.name for p in SCHEDULE])}
    assert len(tasks) == len(SCHEDULE)
    sweep = tasks["提醒：发送到期提醒"]
    assert sweep.task == "notifications.tasks.sweep_due_reminders" and sweep.interval.every == 60
    nightly = tasks["提醒：夜间刷新证照状态并重排提醒"]
    assert str(nightly.crontab.timezone) == "Asia/Shanghai" and (
        nightly.crontab.hour,
        nightly.crontab.minute,
    ) == (
        "1",
        "30",
    )
    for item in SCHEDULE:
        assert item.task in celery_app.tasks  # every scheduled task is registered with the worker


def test_sync_schedule_is_idempotent():
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    out = io.StringIO()
    call_command("sync_schedule", stdout=out)
    assert "提醒：发送到期提醒" in out.getvalue()
    write_schedule()
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == before


def test_sync_schedule_restores_an_edited_task():
    PeriodicTask.objects.filter(task="notifications.tasks.sweep_due_reminders").update(enabled=False)
    write_schedule()
    assert PeriodicTask.objects.get(task="notifications.tasks.sweep_due_reminders").enabled


def test_sweep_task_is_thin_and_returns_counts():
    from notifications.tasks import sweep_due_reminders

    reminder_add(recipient=f.UserFactory(), kind=ReminderKind.OTHER, title="x", dedupe_key="t:1")
    assert sweep_due_reminders.apply().get() == {"sent": 1, "dropped": 0, "taken": 0}
    assert Message.objects.count() == 1
