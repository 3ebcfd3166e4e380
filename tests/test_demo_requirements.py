"""The demo town shows every requirement the office works with (issue 23): e-ledger lines entered by the
shops themselves (C3), a slaughterhouse violation dealt with (F2, F3), a drafted circular (P2), incidents
(C7), a green-channel workshop (B3), temporary licences running out outside restaurants (E6), help and
the processing site (W4, B5), the work register, and the leading group's office as the source names it
(O1)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import (
    Business,
    GreenChannel,
    HelpRecord,
    LeadingGroupMember,
    Licence,
    LicenceReissue,
    ProcessingSite,
    Village,
    VillageGroupMember,
)
from dashboard import figures, targets
from dashboard.models import Circular
from dashboard.targets import Ctx
from inspections.choices import ActivityKind
from inspections.models import Activity, DrugSaleFinding, HolidayCheckRound, Incident, Sample
from ledgers.trace import trace_a6

pytestmark = pytest.mark.django_db


def test_the_demo_town_shows_each_requirement():
    call_command("seed_demo", businesses=120, seed=2009)
    today = timezone.localdate()
    got = {f.target.id: f for f in figures.compute(targets.available(), Ctx.at(today))}
    assert got["C3"].numerator > 0 and got["C3"].target.goal < 1  # shops enter their own lines (C3)
    assert got["F2"].denominator >= 1  # a slaughterhouse violation found (F3-1) and acted on
    assert got["C7"].numerator < got["C7"].denominator  # the major incident's unit fails C7
    assert Incident.objects.filter(severity="II").exists() and Incident.objects.filter(severity="IV").exists()
    assert Circular.objects.filter(issued_at__isnull=True).exists()  # P2: drafted, not issued
    assert GreenChannel.objects.filter(business__category__code="workshop").exists()  # B3
    assert DrugSaleFinding.objects.filter(kind="affiliated", referred_to__code="city_drug").exists()  # D5
    assert DrugSaleFinding.objects.filter(business__subtypes__code="industrial_zone").exists()  # D5
    held = HolidayCheckRound.objects.get(holiday="春节")  # C4: a round with findings
    assert held.checks.filter(trademark=True).exists() and held.checks.filter(price=False).exists()
    failed_residue = Sample.objects.get(kind="residue", result="fail")  # A6: its trace reaches the shops
    assert trace_a6(product=failed_residue.pesticide, until=failed_residue.sampled_on).businesses
    soon = today + datetime.timedelta(days=30)
    temporary = Licence.objects.filter(state="temporary", expires_on__gte=today, expires_on__lte=soon)
    assert {"workshop", "grocery"} <= set(temporary.values_list("business__category__code", flat=True))  # E6
    assert Licence.objects.filter(state="temporary", rectify_by__lt=today).exists()  # E6: one overdue
    assert Licence.objects.filter(temporary_outcome="licensed").exists()  # E6: one licensed
    assert got["C5"].denominator > 0  # C5 counted among the groceries
    assert LicenceReissue.objects.filter(reissued_on__isnull=False).exists()  # B2 re-issued
    assert LicenceReissue.objects.filter(reissued_on__isnull=True).exists()  # B2 recalled, pending
    assert VillageGroupMember.objects.filter(role="leader").count() == Village.objects.count()  # O2
    assert HelpRecord.objects.filter(kind="concentration", site__in=ProcessingSite.objects.all()).exists()
    assert Business.objects.filter(status="moved", help_records__kind="concentration").exists()  # B5
    assert set(Activity.objects.values_list("kind", flat=True)) >= set(ActivityKind) - {
        "designation_withdrawn"
    }
    assert Activity.objects.filter(kind="exposure", published=True).exists()  # W5
    office = LeadingGroupMember.objects.filter(role__in=["office_director", "office_deputy"])
    assert list(office.filter(role="office_director").values_list("name", flat=True)) == ["叶创新"]
    assert set(office.filter(role="office_deputy").values_list("name", flat=True)) == {
        "莫锦柱", "王沛昌", "郭富良", "陈炳惠", "杨焕明"
    }  # fmt: skip
