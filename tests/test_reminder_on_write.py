"""A licence saved, renewed or revoked plans its reminders in the same transaction (issue 22, G1).

Before, the roster's services never called the planner: a licence entered today to expire in 30 days got
its 30-day reminder at the nightly re-plan — tomorrow, or never if the nightly job did not run.
"""

import datetime

import pytest
from django.utils import timezone

from campaigns import services as roster
from campaigns.choices import LicenceState
from campaigns.models import Licence
from notifications.choices import ReminderKind
from notifications.models import Reminder
from notifications.registry import planners
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def grocery(village, aic_user):  # 工商分局 leads groceries and receives their licence reminders
    return f.BusinessFactory(village=village, category=f.category("grocery"))


def pending(licence):
    return Reminder.objects.filter(object_id=licence.pk, planner="licence", cancelled_at__isnull=True)


def test_a_licence_saved_today_to_expire_in_30_days_is_reminded_today(grocery, aic_user):
    today = timezone.localdate()
    licence = roster.licence_save(
        licence=Licence(
            business=grocery,
            licence_type=f.licence_type("food_circulation"),
            number="JY-1",
            issued_on=today - datetime.timedelta(days=300),
            expires_on=today + datetime.timedelta(days=30),
            state=LicenceState.VALID,
        )
    )
    rows = list(pending(licence))
    assert [(r.recipient_id, r.kind) for r in rows] == [(aic_user.pk, ReminderKind.LICENCE_EXPIRING)]
    assert timezone.localdate(rows[0].due_at) == today and "30天内到期" in rows[0].title


def test_a_renewal_cancels_the_old_licences_reminders_and_plans_its_own(grocery):
    today = timezone.localdate()
    old = f.LicenceFactory(
        business=grocery,
        licence_type=f.licence_type("food_circulation"),
        expires_on=today + datetime.timedelta(days=5),
    )
    roster.licence_save(licence=old)
    assert pending(old).exists()
    new = roster.licence_renew(
        licence=old, number="JY-2", issued_on=today, expires_on=today + datetime.timedelta(days=20)
    )
    assert not pending(old).exists()
    assert pending(new).exists()  # 20 days out: inside the 30-day threshold


def test_a_revoked_licence_has_no_reminder_left(grocery):
    today = timezone.localdate()
    licence = f.LicenceFactory(business=grocery, expires_on=today + datetime.timedelta(days=7))
    roster.licence_save(licence=licence)
    assert pending(licence).exists()
    roster.licence_revoke(licence=licence, reason="违法经营")
    assert not pending(licence).exists()


def test_planners_that_promise_on_write_planning_are_the_ones_tested_here():
    """The registry says which models are planned on write; each one has its test (here: licences;
    rectification orders in test_reminder_rules_rectification.py). A new on_write planner fails until
    its services plan and a test shows it."""
    assert {p.name for p in planners() if p.on_write} == {"licence", "rectification"}
