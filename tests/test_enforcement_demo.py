"""The demo town shows the enforcement tools (issue 7): tip-offs in every state, cases open and closed."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from inspections.choices import CaseStatus, TipOffStatus
from inspections.models import Sample, SpotCheckDraw, SpotCheckPair, TipOff, UnlicensedCase, Visit

pytestmark = pytest.mark.django_db


def test_demo_has_tipoffs_and_cases_and_pages_render(client):
    call_command("seed_demo", businesses=60, seed=2009)
    assert {TipOffStatus.RECEIVED, TipOffStatus.ASSIGNED, TipOffStatus.PROVEN, TipOffStatus.SPAM} <= set(
        TipOff.objects.values_list("status", flat=True)
    )
    assert TipOff.objects.filter(reward_paid_on__isnull=False).exists()
    statuses = set(UnlicensedCase.objects.values_list("status", flat=True))
    assert CaseStatus.OPEN in statuses and len(statuses) >= 2
    assert SpotCheckPair.objects.filter(visit__status="submitted").exists()
    assert SpotCheckPair.objects.filter(visit__status="draft").exists()
    assert set(Sample.objects.values_list("result", flat=True)) == {"pass", "fail", "pending"}
    assert Sample.objects.filter(order__isnull=False).exists()
    # W5: the tip-off being verified has its check scheduled; a proven one shows the check that proved it.
    checks = Visit.objects.filter(kind="tipoff")
    assert checks.filter(tipoff__status=TipOffStatus.VERIFYING, status="draft").exists()
    assert checks.filter(tipoff__status=TipOffStatus.PROVEN, status="submitted").exists()
    first = sorted(TipOff.objects.values_list("reference", "content"))
    call_command("seed_demo", businesses=60, seed=2009)
    assert sorted(TipOff.objects.values_list("reference", "content")) == first

    users = get_user_model().objects
    tipoff = TipOff.objects.exclude(status=TipOffStatus.SPAM).filter(photos__isnull=False).first()
    case = UnlicensedCase.objects.first()
    for username in ("office", "enforce", "aic", "leader", "inspector"):
        client.force_login(users.get(username=username))
        for url in (
            reverse("inspections:tipoff_list"),
            reverse("inspections:case_list"),
            reverse("inspections:sample_list"),
        ):
            assert client.get(url).status_code == 200, (username, url)
    client.force_login(users.get(username="office"))
    assert client.get(tipoff.get_absolute_url()).status_code == 200
    for checked in TipOff.objects.filter(check_visits__isnull=False):
        assert 'id="tipoff-checks"' in client.get(checked.get_absolute_url()).content.decode()
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(case.business.get_absolute_url()).status_code == 200
    for draw in SpotCheckDraw.objects.all():
        assert "复核一致" in client.get(draw.get_absolute_url(), {"verify": 1}).content.decode()
    for sample in Sample.objects.all():
        assert client.get(sample.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(reverse("inspections:tipoff_public_create")).status_code == 200
    results = client.get(reverse("inspections:spotcheck_results_public"))
    assert results.status_code == 200 and results.context["page"].paginator.count > 0


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
