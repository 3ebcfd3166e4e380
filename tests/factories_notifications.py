"""Factories and time helpers for the reminder tests (issue 8)."""

import datetime
import itertools

import factory
from django.utils import timezone

from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from tests.factories import UserFactory

_keys = itertools.count(1)


def local(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware datetime at a local (Asia/Shanghai) wall-clock time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    recipient = factory.SubFactory(UserFactory)
    kind = ReminderKind.OTHER
    due_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
    title = factory.Sequence(lambda n: f"提醒{n}")
    body = "请及时处理。"
    dedupe_key = factory.LazyFunction(lambda: f"test:{next(_keys)}")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    user = factory.SubFactory(UserFactory)
    kind = ReminderKind.OTHER
    title = factory.Sequence(lambda n: f"消息{n}")
    body = "内容"
