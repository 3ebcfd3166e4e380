"""What the demo town shows (seed_demo must show every feature, for any --businesses N ≥ 1), read from one
town seeded once for the module (conftest.demo_town); the re-seed's repeatability is checked against it.
Foundation issue, issues 7 (enforcement) and 8 (notifications), W5, E2, W3."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from campaigns.models import Business, Category, Licence
from inspections.choices import CaseStatus, OrderStatus, TipOffStatus, VisitOutcome, VisitStatus
from inspections.models import (
    DeadlineChange,
    InspectionProfile,
    RectificationOrder,
    Sample,
    SpotCheckDraw,
    SpotCheckPair,
    TipOff,
    UnlicensedCase,
    Visit,
)
from inspections.selectors import due_list
from notifications.choices import ReminderKind
from notifications.models import Message, Reminder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_town")]


def test_seed_demo_covers_every_category_state_and_role():
    assert set(Business.objects.values_list("category__code", flat=True)) == set(
        Category.objects.values_list("code", flat=True)
    )
    assert set(Licence.objects.values_list("state", flat=True)) == {
        "valid",
        "temporary",
        "expired",
        "revoked",
    }
    assert Business.objects.licences_complete(False).exists()
    assert set(RoleAssignment.objects.values_list("kind", flat=True)) == {
        "office",
        "leader",
        "department",
        "inspector",
        "supervisor",
        "business",
        "city_leader",  # O5 / issue 24
        "city_bureau",
    }


def test_demo_has_every_outcome_order_state_relapse_and_due_work():
    today = timezone.localdate()
    outcomes = set(Visit.objects.filter(status=VisitStatus.SUBMITTED).values_list("outcome", flat=True))
    assert outcomes == set(VisitOutcome.values)
    assert set(RectificationOrder.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert RectificationOrder.objects.overdue(today).exists()
    assert Visit.objects.filter(is_relapse=True).exists()
    assert Visit.objects.filter(status=VisitStatus.DRAFT, created_by__username="inspector").exists()
    assert InspectionProfile.objects.exclude(grade="").exists()
    inspector = get_user_model().objects.get(username="inspector")
    due = due_list(user=inspector, today=today)
    assert due.exists() and {b.village.code for b in due} == {"zhongxin"}
    # Issue 8: an order's deadline extended with its reason; drawn inspectors told of their spot checks.
    change = DeadlineChange.objects.get()
    assert change.order.status == OrderStatus.OPEN and change.deadline == change.order.deadline
    assert Message.objects.filter(kind=ReminderKind.SPOT_CHECK_ASSIGNED).exists()


def test_demo_has_tipoffs_and_cases_and_pages_render(client):
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


def _planned():
    # Keys carry row ids, which a re-seed renews; what was planned for whom must not change.
    return sorted(Reminder.objects.values_list("recipient__username", "kind", "title", "due_at__date"))


def test_seed_demo_plans_reminders_and_fills_inboxes():
    assert _planned(), "the demo town has licences near expiry"
    assert Message.objects.filter(user__username="office").exists()
    assert Message.objects.filter(user__username="aic", read_at__isnull=True).exists()
    assert (
        Reminder.objects.filter(recipient__username="agri").exists()
        or Reminder.objects.filter(recipient__username="aic").exists()
    )


def test_reseeding_the_same_town_gives_the_same_tipoffs_and_reminders(demo_town):
    """A second seed_demo with the same arguments over the shared town (inside this test's savepoint)."""
    tipoffs = sorted(TipOff.objects.values_list("reference", "content"))
    reminders = _planned()
    businesses = sorted(Business.objects.values_list("name", "credit_code"))
    call_command("seed_demo", **demo_town)
    assert sorted(TipOff.objects.values_list("reference", "content")) == tipoffs
    assert _planned() == reminders
    assert sorted(Business.objects.values_list("name", "credit_code")) == businesses


def test_the_demo_bureau_records_a_certification_and_a_revocation():
    """O5: citydrug (市药监局) issued one 药品经营许可证 and revoked one, named on the licences."""
    certified = Licence.objects.get(certified_by__code="city_drug", state="valid")
    revoked = Licence.objects.get(revoked_by__code="city_drug")
    assert certified.recorded_by.username == "citydrug" and certified.licence_type.code == "drug_trade"
    assert revoked.state == "revoked" and "吊销（市药监局）" in revoked.note


def test_the_demo_city_leader_drafted_the_citys_papers():
    """Issue 24: the city's bulletin and circular on its towns, drafted by the demo's city leader."""
    from dashboard.models import CityPaper

    papers = CityPaper.objects.filter(created_by__username="city")
    assert set(papers.values_list("kind", flat=True)) == {"bulletin", "circular"}
    assert all(p.figures["towns"] for p in papers)
