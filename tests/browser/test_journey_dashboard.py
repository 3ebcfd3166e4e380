"""Journey 4: leadership opens the 100% targets dashboard; after journey 2 (the shop failed its ledger item,
限期整改) the G2 figure counts the shop as not meeting its target, and the drill-down lists it (G2: keep
purchase and sales ledgers), while the neighbour that keeps its ledger is not listed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_leader_finds_the_shop_behind_the_g2_figure(live_server, desktop, login, shot, village):
    today = timezone.localdate()
    campaign(starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120))
    inspector = person("inspector", "li_inspector", "李建国", village=village)
    person("leader", "ye_leader", "叶创新")
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village, operator="莫锦柱")
    f.licensed(shop)
    inspect(shop, inspector, day=today - datetime.timedelta(days=3), fails=("C2-1",))  # journey 2's visit
    neighbour = f.BusinessFactory(name="东村好邻居便利店", village=village)
    f.licensed(neighbour)
    record(
        neighbour,
        line(kind="food", product="饼干", unit="箱", occurred_on=today - datetime.timedelta(days=5)),
        # G2: a shop that sells keeps its sales too (#23), not only its purchases
        line("out", kind="food", product="饼干", unit="箱", occurred_on=today - datetime.timedelta(days=4)),
        today=today,
    )

    page = login(desktop, "ye_leader")  # leadership lands on the dashboard
    expect(page.get_by_role("heading", name=re.compile("100%目标看板"))).to_be_visible()
    g2 = page.locator("#town-targets tr[data-target=G2]")
    expect(g2).to_contain_text("1/2")
    shot(page, "01-dashboard")

    g2.get_by_role("link", name=re.compile(r"1\s*家")).click()
    page.wait_for_url(re.compile(r"/dashboard/drill/\?target=G2"))
    failing = page.locator("#failing")
    expect(failing.get_by_role("link", name="东村兴隆士多店")).to_be_visible()
    expect(failing.get_by_role("link", name="东村好邻居便利店")).to_have_count(0)
    shot(page, "02-g2-drill-down")

    failing.get_by_role("link", name="东村兴隆士多店").click()
    expect(page.get_by_role("heading", name=re.compile("东村兴隆士多店"))).to_be_visible()
    shot(page, "03-business-page")
