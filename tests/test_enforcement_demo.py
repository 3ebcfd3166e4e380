"""The demo town's tip-off times (issue 7); what it shows is read in tests/test_demo_town.py."""

import pytest
from django.core.management import call_command

from inspections.choices import TipOffStatus
from inspections.models import TipOff

pytestmark = pytest.mark.django_db


def test_demo_tipoff_times_hang_off_the_local_date_not_the_clock(monkeypatch):
    """Two seeds on the same local day, one just after midnight and one just before the next (Asia/Shanghai),
    give the same tip-off times, so the same reminder days (a re-seed near midnight used to shift them)."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    seen = []
    for hour, minute in ((0, 5), (23, 55)):
        moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour, minute)))
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        call_command("seed_demo", businesses=60, seed=2009)
        seen.append(
            sorted(TipOff.objects.exclude(status=TipOffStatus.SPAM).values_list("reference", "submitted_at"))
        )
    assert seen[0] == seen[1]
    assert all(timezone.localtime(at).date() < today for _ref, at in seen[0])
