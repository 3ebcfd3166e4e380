"""The weekly work bulletin (U2) is announced in the inbox of those who may open it, once (issue 8)."""

import datetime

import pytest

from dashboard import tasks
from notifications.choices import ReminderKind
from notifications.models import Message
from notifications.services import reminders_sweep
from tests.factories_dashboard import campaign, small_town

pytestmark = pytest.mark.django_db


def test_weekly_bulletin_reaches_read_all_roles_once(
    village, other_village, settings, tmp_path, office, leader, aic_user
):
    settings.MEDIA_ROOT = tmp_path
    current = campaign()
    small_town(village, other_village)
    current.starts_on, current.ends_on = datetime.date(2020, 1, 1), datetime.date(2099, 1, 1)
    current.save()
    assert tasks.weekly_bulletin() == 1
    assert tasks.weekly_bulletin() is None
    assert reminders_sweep().sent == 2
    messages = Message.objects.filter(kind=ReminderKind.BULLETIN)
    assert sorted(m.user.username for m in messages) == ["leader_user", "office_user"]  # not aic: 404 for it
    assert all("工作专报第1期" in m.title and m.link == "/dashboard/bulletins/" for m in messages)
