"""seed_demo fills the demo users' inboxes and plans their reminders (issue 8), repeatably."""

import pytest
from django.core.management import call_command

from notifications.models import Message, Reminder

pytestmark = pytest.mark.django_db


def test_seed_demo_plans_reminders_and_fills_inboxes_repeatably():
    call_command("seed_demo", businesses=60, seed=2009)

    def planned():
        # Keys carry row ids, which a re-seed renews; what was planned for whom must not change.
        return sorted(Reminder.objects.values_list("recipient__username", "kind", "title", "due_at__date"))

    reminders = planned()
    assert reminders, "the demo town has licences near expiry"
    assert Message.objects.filter(user__username="office").exists()
    assert Message.objects.filter(user__username="aic", read_at__isnull=True).exists()
    assert (
        Reminder.objects.filter(recipient__username="agri").exists()
        or Reminder.objects.filter(recipient__username="aic").exists()
    )
    call_command("seed_demo", businesses=60, seed=2009)
    assert planned() == reminders
