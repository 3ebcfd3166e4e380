"""Issue 26: every write that can change today's target figures moves them at once — in its own
transaction, no cache to wait for. On the demo town (its per-business status built by seed_demo), each
write path runs through its service and today's report (the kept figures, `target_report` without --live)
then shows the change and equals the live recomputation."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from accounts.services import user_save
from campaigns.choices import HELD_STATES, BusinessStatus
from campaigns.models import Business, Licence, LicenceType, Village
from campaigns.services import business_save, licence_renew, licence_revoke, licence_save
from dashboard import status
from dashboard.models import BusinessTargetStatus
from dashboard.reports import target_report
from dashboard.targets import FOOD_CATEGORIES, available
from inspections.choices import CaseStatus, IncidentSeverity
from inspections.models import Incident, SlaughterReturn, UnlicensedCase
from inspections.services import case_resolve, incident_save, slaughter_return_save
from ledgers.services import ledger_lines_create
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_town")]


def kept() -> dict[str, tuple[int, int]]:
    report = target_report(as_of=timezone.localdate())
    assert report.exact, "today's figures come from the kept status"
    return {f.target.id: (f.numerator, f.denominator) for f in report.figures}


def live() -> dict[str, tuple[int, int]]:
    report = target_report(as_of=timezone.localdate(), live=True)
    assert not report.exact
    return {f.target.id: (f.numerator, f.denominator) for f in report.figures}


def business_with(target: str, *, met: bool, counted: bool = True, **more) -> Business:
    row = (
        BusinessTargetStatus.objects.filter(target=target, met=met, counted=counted, **more)
        .order_by("business_id")
        .first()
    )
    assert row is not None, f"the demo town has a business with {target} met={met} counted={counted}"
    return Business.objects.get(pk=row.business_id)


@pytest.fixture(autouse=True)
def _totals_sum_the_rows():
    """After every write path below, the totals kept per town and per village (issues 24, 26) are still
    the sum of the rows they total — the figures above were read from them."""
    yield
    assert status.total_differences() == []


def by_village(target: str) -> dict[int, tuple[int, int]]:
    """Today's kept figures of one target per village (the town's dashboard's split), from the totals."""
    every = available()
    i = next(k for k, t in enumerate(every) if t.id == target)
    out: dict[int, list[int]] = {}
    for row in status.matrix(every, status.today_ctx()):
        n, d = out.setdefault(row["village_id"], [0, 0]), row
        n[0] += d[f"n{i}"]
        n[1] += d[f"d{i}"]
    return {v: tuple(nd) for v, nd in out.items()}


def held(business: Business) -> list[Licence]:
    today = timezone.localdate()
    return [lic for lic in business.licences.filter(state__in=HELD_STATES) if lic.is_held_on(today)]


def test_revoking_and_renewing_licences_moves_g1_at_once():
    business = business_with("G1", met=True)
    before = kept()
    revoked = [licence_revoke(licence=lic, reason="测试吊销") for lic in held(business)]
    after = kept()
    assert after["G1"] == (before["G1"][0] - 1, before["G1"][1])
    assert after == live()
    today = timezone.localdate()
    for i, lic in enumerate(revoked):
        licence_renew(
            licence=lic,
            number=f"RENEW-{i}",
            issued_on=today,
            expires_on=today + datetime.timedelta(days=365),
            displayed=True,
        )
    assert kept()["G1"] == before["G1"]
    assert kept() == live()


def test_editing_a_licence_to_expire_yesterday_moves_g1_at_once():
    business = business_with("G1", met=True)
    before = kept()
    for lic in held(business):
        lic.issued_on = None
        lic.expires_on = timezone.localdate() - datetime.timedelta(days=1)
        licence_save(licence=lic)
    assert kept()["G1"] == (before["G1"][0] - 1, before["G1"][1])
    assert kept() == live()


def test_submitting_a_visit_moves_the_visit_targets_at_once():
    business = business_with("G3", met=False, counted=True)
    inspector = get_user_model().objects.get(username="office")
    before = kept()
    inspect(business, inspector)  # every item 符合
    after = kept()
    assert after["G3"] == (before["G3"][0] + 1, before["G3"][1])
    assert after == live()


def test_a_ledger_line_moves_g2_at_once():
    business = business_with("G2", met=False, category__code="restaurant")  # a restaurant: purchases only
    before = kept()
    ledger_lines_create(
        business=business,
        lines=[
            {
                "direction": "in",
                "occurred_on": timezone.localdate(),
                "product_name": "大米",
                "kind": "food",
                "quantity": Decimal("10"),
                "unit": "袋",
                "batch": "",
                "registration_number": "",
                "supplier_name": "金丰粮油批发部",
                "certificate_collected": True,
                "certificate_kind": "conformity",
                "invoice_collected": True,
            }
        ],
    )
    after = kept()
    assert after["G2"] == (before["G2"][0] + 1, before["G2"][1])
    assert after == live()


def test_closing_a_business_takes_it_out_of_every_population_at_once():
    business = business_with("G1", met=False)
    before = kept()
    business.status = BusinessStatus.CLOSED
    business_save(business=business)
    after = kept()
    assert after["G1"] == (before["G1"][0], before["G1"][1] - 1)
    assert not BusinessTargetStatus.objects.filter(business=business).exists()
    assert after == live()


def test_moving_a_business_to_another_village_moves_its_figures_between_the_villages():
    """Issue 24: the totals move by the business's rows — out of the old village's, into the new one's."""
    business = business_with("G1", met=True)
    old = business.village
    new = Village.objects.filter(town=old.town).exclude(pk=old.pk).order_by("pk").first()
    before = by_village("G1")
    business.village = new
    business_save(business=business)
    after = by_village("G1")
    assert after[old.pk] == (before[old.pk][0] - 1, before[old.pk][1] - 1)
    assert after[new.pk] == (before.get(new.pk, (0, 0))[0] + 1, before.get(new.pk, (0, 0))[1] + 1)
    assert kept() == live()


def test_moving_a_business_to_another_town_moves_it_between_the_towns_totals():
    """Issue 24: the city's figures per town come from the totals kept per town; a business moved into
    another town's village leaves its old town's totals and enters the new one's."""
    business = business_with("G1", met=True)
    old_town = business.village.town
    elsewhere = f.VillageFactory(town=f.TownFactory())
    every = available()
    g1 = next(k for k, t in enumerate(every) if t.id == "G1")

    def per_town():
        rows = status.matrix(every, status.today_ctx(), grain="town")
        return {r["town_id"]: (r[f"n{g1}"], r[f"d{g1}"]) for r in rows}

    before = per_town()
    business.village = elsewhere
    business_save(business=business)
    after = per_town()
    assert after[old_town.pk] == (before[old_town.pk][0] - 1, before[old_town.pk][1] - 1)
    assert after[elsewhere.town_id] == (1, 1)
    assert kept() == live()


def test_deleting_a_business_takes_its_rows_out_of_the_totals():
    """Issue 24: a deletion cascades to the rows past the writers; the totals lose them all the same."""
    before = kept()
    village = Village.objects.order_by("pk").first()
    business = business_save(
        business=f.BusinessFactory.build(village=village, category=f.category("grocery"))
    )
    assert kept()["G1"] == (before["G1"][0], before["G1"][1] + 1)  # counted, without a licence
    business.delete()
    after = kept()
    assert after == before
    assert after == live()


def test_resolving_an_unlicensed_case_as_banned_moves_u1_at_once():
    case = UnlicensedCase.objects.filter(
        status=CaseStatus.OPEN,
        business__status__in=[BusinessStatus.OPERATING, BusinessStatus.RECTIFYING],
        business__category__code__in=FOOD_CATEGORIES,
    )
    case = case.order_by("pk").first()
    assert case is not None, "the demo town has an open unlicensed case of a food business"
    before = kept()
    case_resolve(case=case, status=CaseStatus.BANNED, note="测试取缔")
    after = kept()
    assert after["U1"][1] == before["U1"][1] - 1
    assert after == live()


def test_a_major_incident_moves_c7_at_once():
    business = business_with("C7", met=True)
    before = kept()
    incident = Incident(
        title="测试事故",
        severity=IncidentSeverity.MAJOR,
        occurred_on=timezone.localdate(),
        place=business.address or "镇中心",
        village=business.village,
    )
    incident_save(incident=incident, businesses=[business])
    after = kept()
    assert after["C7"] == (before["C7"][0] - 1, before["C7"][1])
    assert after == live()


def test_a_slaughter_return_and_the_licence_move_f1_at_once():
    row = BusinessTargetStatus.objects.filter(target="F1", counted=True, met=False).order_by("business_id")
    row = row.first()
    assert row is not None, "the demo town's slaughterhouse falls short of F1"
    business = Business.objects.get(pk=row.business_id)
    today = timezone.localdate()
    before = kept()
    if not any(lic.licence_type.code == "slaughter" for lic in held(business)):
        licence_save(
            licence=Licence(
                business=business,
                licence_type=LicenceType.objects.get(code="slaughter"),
                number="TZ-TEST-1",
                issued_on=today - datetime.timedelta(days=30),
                expires_on=today + datetime.timedelta(days=365),
            )
        )
    month = today.replace(day=1)
    entry = SlaughterReturn.objects.filter(business=business, month=month).first()
    entry = entry or SlaughterReturn(business=business, month=month)
    entry.head_slaughtered, entry.head_consumed = 1000, 10
    slaughter_return_save(entry=entry)
    after = kept()
    assert after["F1"] == (before["F1"][0] + 1, before["F1"][1])
    assert after == live()
    entry.head_slaughtered = 1
    slaughter_return_save(entry=entry)
    assert kept()["F1"] == before["F1"]


def test_taking_a_units_own_accounts_away_moves_c3_at_once():
    # C3 counts ledger lines entered by the unit's own account: take its accounts' unit role away.
    row = BusinessTargetStatus.objects.filter(target="C3", met=True).order_by("business_id").first()
    assert row is not None, "the demo town has a grocery filing its own e-ledger"
    roles = RoleAssignment.objects.filter(kind=RoleKind.BUSINESS, business_id=row.business_id)
    before = kept()
    for role in list(roles.select_related("user", "business")):
        user_save(
            user=role.user, roles=[RoleAssignment(kind=RoleKind.INSPECTOR, village=role.business.village)]
        )
    after = kept()
    assert after == live()
    assert after["C3"] == (before["C3"][0] - 1, before["C3"][1])
    assert after == live()


def test_writes_do_nothing_to_the_status_before_it_is_built():
    status.TargetStatusState.objects.all().delete()
    BusinessTargetStatus.objects.all().delete()
    business = business_with_fallback()
    licence_revoke(licence=held(business)[0], reason="测试")
    assert not BusinessTargetStatus.objects.exists()
    report = target_report(as_of=timezone.localdate())
    assert not report.exact  # live until the sweep builds it
    assert status.sweep().rebuilt
    assert kept() == live()


def business_with_fallback() -> Business:
    return next(b for b in Business.objects.active().order_by("pk") if held(b))
