"""The sweep (issue 8): exactly once under repeated and concurrent sweeps, on-commit enqueueing,
the broker-down path, and the channels each user gets."""

import datetime
import io
import logging
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from notifications.choices import ReminderKind
from notifications.models import ChannelPreference, ContactDetails, Message, Reminder
from notifications.services import (
    publish_sweep,
    reminder_add,
    reminder_deliver,
    reminders_plan,
    reminders_sweep,
)
from notifications.sms import LocmemSmsBackend, mask_phone
from tests import factories as f
from tests.factories_notifications import ReminderFactory
from wuxiao.celery import app as celery_app


def _queue_size() -> int:
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.queue_declare("celery", passive=False).message_count


def _purge() -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


@pytest.fixture
def broker_down():
    """Point the Celery app at a closed port for the duration of a test."""
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    celery_app.conf.broker_url = original


# --- exactly once -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_sweep_sends_each_due_reminder_once():
    due = ReminderFactory.create_batch(3)
    ReminderFactory(due_at=timezone.now() + datetime.timedelta(hours=1))  # not yet due
    first = reminders_sweep()
    second = reminders_sweep()
    assert (first.sent, second.sent) == (3, 0)
    assert Message.objects.count() == 3
    for reminder in due:
        reminder.refresh_from_db()
        assert reminder.sent_at and reminder.claimed_at and reminder.message.user == reminder.recipient


@pytest.mark.django_db
def test_a_retried_delivery_of_a_claimed_reminder_does_nothing():
    reminder = ReminderFactory()
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    assert reminder_deliver(reminder_id=reminder.pk) == "taken"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_cancelled_reminder_is_never_sent():
    ReminderFactory(cancelled_at=timezone.now())
    assert reminders_sweep().sent == 0
    assert Message.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    """On PostgreSQL two threads (two connections) sweep at the same moment; SQLite, one writer at a
    time, runs the two sweeps one after the other."""
    reminders = ReminderFactory.create_batch(40)
    results = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)

        def sweep():
            try:
                barrier.wait()
                results.append(reminders_sweep())
            finally:
                connection.close()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Both sweeps selected every row and raced for each claim; each row went to exactly one.
        assert [r.sent + r.taken for r in results] == [40, 40]
    else:
        results = [reminders_sweep(), reminders_sweep()]
    assert len(results) == 2
    assert sum(r.sent for r in results) == 40
    assert Message.objects.count() == 40
    assert set(Message.objects.values_list("user_id", flat=True)) == {r.recipient_id for r in reminders}
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_send_due_reminders_command_runs_one_sweep():
    ReminderFactory.create_batch(2)
    out = io.StringIO()
    call_command("send_due_reminders", stdout=out)
    assert Message.objects.count() == 2
    assert "已发送 2 条" in out.getvalue()
    call_command("send_due_reminders", stdout=out)
    assert Message.objects.count() == 2
    assert "已发送 0 条" in out.getvalue()


# --- enqueued on commit, and the broker-down path -----------------------------------------------------


@pytest.mark.django_db
def test_reminder_due_now_enqueues_one_sweep_on_commit(django_capture_on_commit_callbacks):
    user = f.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        reminder_add(recipient=user, kind=ReminderKind.OTHER, title="现在到期", dedupe_key="now:1")
        reminder_add(
            recipient=user,
            kind=ReminderKind.OTHER,
            title="明天到期",
            dedupe_key="later:1",
            due_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert callbacks == [publish_sweep]


@pytest.mark.django_db
def test_nothing_is_enqueued_when_the_saving_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = f.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            reminder_add(recipient=user, kind=ReminderKind.OTHER, title="x", dedupe_key="rolled:1")
            raise RuntimeError("the save failed")
    assert callbacks == []
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_the_enqueued_sweep_reaches_the_real_broker(django_capture_on_commit_callbacks):
    _purge()
    with django_capture_on_commit_callbacks(execute=True):
        reminder_add(recipient=f.UserFactory(), kind=ReminderKind.OTHER, title="x", dedupe_key="q:1")
    assert _queue_size() == 1
    _purge()


@pytest.mark.django_db
def test_with_the_broker_down_the_save_succeeds_and_the_next_sweep_sends(
    broker_down, django_capture_on_commit_callbacks, village, aic_user, caplog
):
    from campaigns.services import licence_save

    licence = f.LicenceFactory.build(
        business=f.BusinessFactory(village=village),
        licence_type=f.licence_type("business"),
        expires_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                licence_save(licence=licence)
                reminders_plan(target=licence, planner="licence")
    # It ran once, and failed quietly (the licence's save also touches its unit's public page on commit).
    assert [c for c in callbacks if c is publish_sweep] == [publish_sweep]
    assert "broker unreachable" in caplog.text
    assert licence.pk and Reminder.objects.filter(object_id=licence.pk).exists()
    assert Message.objects.count() == 0
    # The broker comes back; the periodic sweep (here: run directly) finds the rows and sends them.
    assert reminders_sweep().sent == 1
    assert Message.objects.get().user == aic_user


@pytest.mark.django_db
def test_publish_sweep_reports_a_down_broker_quickly(broker_down):
    started = timezone.now()
    assert publish_sweep() is False
    assert (timezone.now() - started).total_seconds() < 3


# --- channels -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_without_email_gets_in_app_only():
    reminder = ReminderFactory(recipient=f.UserFactory(email=""))
    reminders_sweep()
    reminder.refresh_from_db()
    assert reminder.channels == "inbox"
    assert Message.objects.filter(user=reminder.recipient).count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_user_with_email_gets_email_by_default_with_an_absolute_link(settings):
    settings.WUXIAO_SITE_URL = "https://wuxiao.example.gov.cn"
    reminder = ReminderFactory(recipient=f.UserFactory(email="chen@example.gov.cn"), url="/businesses/1/")
    reminders_sweep()
    reminder.refresh_from_db()
    assert reminder.channels == "inbox,email"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chen@example.gov.cn"]
    assert reminder.title in mail.outbox[0].subject
    assert "https://wuxiao.example.gov.cn/businesses/1/" in mail.outbox[0].body


@pytest.mark.django_db
def test_email_switched_off_for_a_kind_leaves_in_app_only():
    user = f.UserFactory(email="chen@example.gov.cn")
    ChannelPreference.objects.create(user=user, kind=ReminderKind.LICENCE_EXPIRING, email=False)
    ReminderFactory(recipient=user, kind=ReminderKind.LICENCE_EXPIRING)
    ReminderFactory(recipient=user, kind=ReminderKind.PHASE_END)
    reminders_sweep()
    assert Message.objects.filter(user=user).count() == 2
    assert [m.subject for m in mail.outbox] == [f"【五小整治】{Reminder.objects.get(kind='phase_end').title}"]


@pytest.mark.django_db
def test_sms_goes_through_the_configured_backend_when_chosen(settings):
    settings.WUXIAO_SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    user = f.UserFactory(email="")
    ContactDetails.objects.create(user=user, mobile="13812345678")
    ChannelPreference.objects.create(user=user, kind=ReminderKind.RECTIFICATION_OVERDUE, email=True, sms=True)
    reminder = ReminderFactory(recipient=user, kind=ReminderKind.RECTIFICATION_OVERDUE)
    ReminderFactory(recipient=user, kind=ReminderKind.PHASE_END)  # SMS off by default
    reminders_sweep()
    reminder.refresh_from_db()
    assert reminder.channels == "inbox,sms"
    assert LocmemSmsBackend.outbox == [("13812345678", f"【五小整治】{reminder.title}")]


@pytest.mark.django_db
def test_default_sms_backend_logs_without_the_phone_number(caplog):
    user = f.UserFactory(email="")
    ContactDetails.objects.create(user=user, mobile="13812345678")
    ChannelPreference.objects.create(user=user, kind=ReminderKind.OTHER, email=False, sms=True)
    ReminderFactory(recipient=user)
    with caplog.at_level(logging.INFO):
        reminders_sweep()
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text
    assert mask_phone("0750-1234567") == "075****4567"
    assert mask_phone("1234567") == "*****67"


@pytest.mark.django_db
def test_an_inactive_recipient_is_dropped_not_sent():
    ReminderFactory(recipient=f.UserFactory(is_active=False))
    result = reminders_sweep()
    assert (result.sent, result.dropped) == (0, 1)


@pytest.mark.django_db
def test_sweep_query_count_does_not_grow_with_pending_rows_not_yet_due(django_assert_max_num_queries):
    ReminderFactory.create_batch(30, due_at=timezone.now() + datetime.timedelta(days=1))
    with django_assert_max_num_queries(1):
        assert reminders_sweep().sent == 0


@pytest.mark.django_db
def test_one_sweep_is_enqueued_per_transaction_however_many_rows(django_capture_on_commit_callbacks):
    users = f.UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for i, user in enumerate(users):
            reminder_add(recipient=user, kind=ReminderKind.OTHER, title="x", dedupe_key=f"many:{i}")
    assert callbacks == [publish_sweep]
