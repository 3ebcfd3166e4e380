"""Reads for the inbox: always the user's own rows, a constant number of queries."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Message, Reminder


def inbox(*, user, unread_only: bool = False) -> QuerySet[Message]:
    qs = Message.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def messages_for(*, user) -> QuerySet[Message]:
    """A user's own messages (nobody reads another's inbox)."""
    return Message.objects.filter(user=user)


def upcoming_reminders(*, user, limit: int = 20) -> QuerySet[Reminder]:
    """What is planned for the user and not yet sent."""
    return Reminder.objects.filter(
        recipient=user, claimed_at__isnull=True, cancelled_at__isnull=True, due_at__gte=timezone.now()
    ).order_by("due_at")[:limit]
