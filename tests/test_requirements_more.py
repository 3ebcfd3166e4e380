"""Requirements the earlier suites exercised without naming: each test here shows one of them working
(O3, A7, B4, C6, E4/W2, E5, E6, F3), so that removing it fails a test that says which."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Business, Market
from campaigns.roster_io.importing import roster_import
from campaigns.services import licence_renew
from dashboard import figures, targets
from dashboard.targets import Ctx
from inspections.services import case_open, case_resolve
from ledgers.models import LedgerAlert
from ledgers.services import ledger_alert_handle
from tests import factories as f
from tests import roster_books as rb
from tests.factories_dashboard import AFTER, campaign
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db


def test_o3_a_lead_department_reaches_the_category_it_leads(client, aic_user, village):
    f.BusinessFactory(name="东村士多店", village=village)  # grocery: 工商分局 leads it
    f.BusinessFactory(name="东村大药房", village=village, category=f.category("pharmacy"))
    client.force_login(aic_user)
    page = client.get(reverse("campaigns:business_list")).content.decode()
    assert "东村士多店" in page and "东村大药房" not in page


def test_a7_a_banned_pesticide_alert_is_closed_with_what_was_done(village):
    shop = f.BusinessFactory(village=village, category=f.category("agri"))
    record(shop, line(product="甲胺磷", kind="pesticide", unit="瓶"), today=timezone.localdate())
    alert = LedgerAlert.objects.get(business=shop)
    agri = f.user_with_role("department", "agri_a7", department=f.department("agri_office"))
    ledger_alert_handle(alert=alert, user=agri, note="已没收禁用农药并立案处罚")
    alert.refresh_from_db()
    assert alert.state == "handled" and "立案处罚" in alert.handling_note


def test_b4_a_workshop_banned_leaves_the_roster_and_counts_as_banned(office, village):
    workshop = f.BusinessFactory(village=village, category=f.category("workshop"))
    enforcement = f.user_with_role("department", "enf_b4", department=f.department("enforcement"))
    case = case_open(business=workshop, user=enforcement)
    case_resolve(case=case, user=enforcement, status="banned", resolved_on=timezone.localdate(), note="取缔")
    workshop.refresh_from_db()
    assert workshop.status == "banned" and not Business.objects.active().filter(pk=workshop.pk).exists()


def test_c6_w2_e4_the_dashboard_shows_the_model_spreading(client, office, village, other_village):
    campaign()
    f.BusinessFactory(village=other_village, is_model=True)  # a point
    Market.objects.create(village=village, name="东村样板市场", is_model=True)  # a line (C6)
    village.is_model = True  # …spread to the whole village
    village.save()
    client.force_login(office)
    models = client.get(reverse("dashboard:index")).context["models"]
    assert [m.name for m in models["markets"]] == ["东村样板市场"]
    assert {r["village"].name: r["stage"] for r in models["spread"]} == {"东村": "面", "西村": "点"}


def test_e5_the_roster_is_kept_current_by_reimporting(tmp_path, village, office):
    code = f.make_credit_code()
    shop = f.BusinessFactory(name="旧名小卖部", village=village, credit_code=code)
    path = rb.write_book(tmp_path / "e5.xlsx", [rb.business_row(name="新名便利店", 统一社会信用代码=code)])
    assert roster_import(path=path, user=office).counts["businesses_updated"] == 1
    shop.refresh_from_db()
    assert shop.name == "新名便利店" and Business.objects.filter(credit_code=code).count() == 1


def test_e6_temporary_licences_of_any_category_are_listed_until_renewed(client, office, village):
    workshop = f.BusinessFactory(name="东村豆腐坊", village=village, category=f.category("workshop"))
    f.licensed(workshop)
    temporary = workshop.licences.get(licence_type__code="hygiene")
    temporary.state = "temporary"
    temporary.expires_on = timezone.localdate() + datetime.timedelta(days=10)
    temporary.save()
    client.force_login(office)
    listed = client.get(reverse("campaigns:business_list"), {"temporary": "yes"}).content.decode()
    assert "东村豆腐坊" in listed
    licence_renew(licence=temporary, number="WS2026001", issued_on=timezone.localdate(), expires_on=None)
    listed = client.get(reverse("campaigns:business_list"), {"temporary": "yes"}).content.decode()
    assert "东村豆腐坊" not in listed


def test_f3_a_procedure_failure_at_the_slaughterhouse_enters_f2(office, village):
    campaign()
    plant = f.BusinessFactory(village=village, category=f.category("slaughter"))
    f.licensed(plant)
    inspect(plant, office, day=datetime.date(2026, 7, 1), fails=("F3-1",))
    got = {x.target.id: x for x in figures.compute(targets.available(), Ctx.at(AFTER))}
    assert (got["F2"].numerator, got["F2"].denominator) == (1, 1)  # found (F3) and ordered to rectify
