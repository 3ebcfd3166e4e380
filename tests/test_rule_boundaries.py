"""The rules at their edges (issue 22): the five weak spots a round of hand-made mutants slipped through.

Each test names the wrong change it catches:
- G1, set-based: a licence off by one day at its expiry (or issue) date;
- A4: a banned pesticide dropped from the list (all five names of DOMAIN, not three);
- C3: any shop's account counting instead of the shop's own;
- A3: the untraceable-line check removed (a negative case);
- E2: the return-check date boundary (the day before is not the return check, the day itself is).
"""

import datetime

import pytest

from campaigns.models import Business
from campaigns.models.business import licence_gap_q
from dashboard import evidence, targets
from dashboard.targets import Ctx
from inspections.choices import VisitKind
from inspections.models import RectificationOrder
from ledgers.models import BannedProduct, LedgerAlert, LedgerEntry
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_inspections import inspect
from tests.factories_ledgers import TODAY, line, record

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta


def meets(condition, business, day) -> bool:
    return Business.objects.filter(condition(Ctx.at(day)), pk=business.pk).exists()


# --- G1: the set-based licence check at its dates ---------------------------------------------------


def test_g1_set_based_counts_a_licence_on_its_issue_and_expiry_days_and_not_a_day_beyond():
    campaign()
    shop = f.BusinessFactory(category=f.category("restaurant"))
    issued, expires = datetime.date(2026, 3, 1), datetime.date(2026, 9, 30)
    f.licensed(shop, issued_on=issued, expires_on=expires)
    for day, complete in [
        (issued - DAYS(1), False),
        (issued, True),
        (expires, True),  # the last valid day
        (expires + DAYS(1), False),
    ]:
        gap = Business.objects.filter(licence_gap_q(as_of=day), pk=shop.pk).exists()
        assert gap is not complete, day
        assert meets(targets.licences_complete, shop, day) is complete, day
        assert meets(targets.licences_complete_and_displayed, shop, day) is complete, day
        row = Business.objects.with_licence_status(day).get(pk=shop.pk)
        assert row.licences_complete is complete, day


# --- A4: every banned pesticide of DOMAIN -------------------------------------------------------------

FIVE = ["甲胺磷", "对硫磷", "甲基对硫磷", "久效磷", "磷胺"]


def test_the_banned_list_holds_the_five_pesticides_of_a4():
    assert set(FIVE) <= set(BannedProduct.objects.values_list("name", flat=True))


@pytest.mark.parametrize("name", FIVE)
def test_each_banned_pesticide_raises_an_a4_alert_and_fails_a4(name):
    campaign()
    shop = f.BusinessFactory(category=f.category("agri"))
    record(shop, line("in", product=f"40%{name}乳油", kind="pesticide", unit="瓶"))
    alert = LedgerAlert.objects.get(business=shop)
    assert alert.banned_product.name == name
    assert not meets(evidence.no_banned_goods, shop, TODAY)


def test_an_allowed_pesticide_keeps_a4():
    campaign()
    shop = f.BusinessFactory(category=f.category("agri"))
    record(shop, line("in", product="吡虫啉", kind="pesticide", unit="瓶"))
    assert not LedgerAlert.objects.exists()
    assert meets(evidence.no_banned_goods, shop, TODAY)


# --- C3: the shop's own account ----------------------------------------------------------------------


def test_c3_counts_lines_entered_by_the_shops_own_account_only(office):
    campaign()
    shop = f.BusinessFactory(category=f.category("grocery"))
    neighbour = f.BusinessFactory(category=f.category("grocery"))
    neighbours_account = f.user_with_role("business", "neighbour_shop", business=neighbour)
    own_account = f.user_with_role("business", "own_shop", business=shop)
    food = {"kind": "food", "product": "花生油", "unit": "瓶"}
    record(shop, line("in", **food), user=office)
    assert not meets(evidence.files_electronically, shop, TODAY)  # the office typed it
    record(shop, line("in", **food), user=neighbours_account)
    assert not meets(evidence.files_electronically, shop, TODAY)  # another shop's account
    record(shop, line("in", **food), user=own_account)
    assert meets(evidence.files_electronically, shop, TODAY)


# --- A3: traceable lines only --------------------------------------------------------------------------


def test_a3_fails_with_one_untraceable_line_and_without_any_line():
    campaign()
    shop = f.BusinessFactory(category=f.category("agri"))
    assert not meets(evidence.keeps_traceable_ledger, shop, TODAY)  # no ledger at all
    record(shop, line("in"), line("out", quantity="2", days_ago=5))
    assert meets(evidence.keeps_traceable_ledger, shop, TODAY)
    # A line from before the rule (or a legacy import) without its buyer: the ledger is not traceable.
    LedgerEntry.objects.filter(business=shop, direction="out").update(buyer_name="")
    assert not meets(evidence.keeps_traceable_ledger, shop, TODAY)
    LedgerEntry.objects.filter(business=shop, direction="out").update(buyer_name="陈志明")
    LedgerEntry.objects.filter(business=shop, direction="in").update(supplier_name="")
    assert not meets(evidence.keeps_traceable_ledger, shop, TODAY)


# --- E2: the return check's day ------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "is_return_check"), [(-1, False), (0, True)])
def test_e2_the_first_visit_on_the_due_day_is_the_return_check_not_one_the_day_before(
    village, inspector, settings, offset, is_return_check
):
    settings.WUXIAO_RETURN_CHECK_DAYS = 30
    shop = f.BusinessFactory(village=village)
    f.licensed(shop)
    today = datetime.date.today()
    inspect(shop, inspector, day=today - DAYS(80), fails=("C2-1",))
    inspect(shop, inspector, day=today - DAYS(70), kind=VisitKind.REINSPECTION)
    order = RectificationOrder.objects.get(business=shop)
    due = order.return_check_due_on
    assert due == today - DAYS(40)
    assert order not in RectificationOrder.objects.return_checks_due(due - DAYS(1))
    assert order in RectificationOrder.objects.return_checks_due(due)
    visit = inspect(shop, inspector, day=due + DAYS(offset))
    order.refresh_from_db()
    assert (order.return_check_visit == visit) is is_return_check


# --- G1, one licence at a date (Licence.is_held_on): found untested by mutation testing (issue 22) ----------

DAY = datetime.date(2026, 6, 15)
BEFORE, AFTER = DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "state, issued, expires, held",
    [
        ("valid", None, None, True),  # no dates on record: held while valid
        ("temporary", BEFORE, AFTER, True),  # a temporary licence is held (E6) …
        ("expired", BEFORE, AFTER, False),  # … an expired or revoked one is not, whatever its dates
        ("revoked", None, None, False),
        ("valid", DAY, None, True),  # issued today: held today
        ("valid", AFTER, None, False),  # issued tomorrow: not yet
        ("valid", None, DAY, True),  # expires today: still held today
        ("valid", None, BEFORE, False),  # expired yesterday
        ("valid", AFTER, AFTER, False),  # issued after the day, though not expired
        ("valid", BEFORE, BEFORE, False),  # issued before, expired before
    ],
)
def test_a_licence_is_held_on_a_day_by_state_and_both_dates(state, issued, expires, held):
    from campaigns.models import Licence

    licence = Licence(state=state, issued_on=issued, expires_on=expires)
    assert licence.is_held_on(DAY) is held
