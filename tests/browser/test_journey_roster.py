"""Journey: the office filters the roster by village and opens a business (W1: the whole picture known)."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_office_filters_roster_by_village_and_opens_a_business(
    live_server, desktop, login, shot, village, other_village
):
    person("office", "zhang_office", "张秀英")
    shop = f.BusinessFactory(
        name="东村兴隆士多店", village=village, operator="叶创新", address="东村大道12号"
    )
    f.licensed(shop)
    f.BusinessFactory(name="东村老字号米粉作坊", village=village, category=f.category("workshop"))
    f.BusinessFactory(name="西村仁心药店", village=other_village, category=f.category("pharmacy"))
    page = desktop

    login(page, "zhang_office")  # the office lands on the dashboard
    page.get_by_role("link", name="经营单位").first.click()
    roster = page.locator("#roster")
    expect(roster.get_by_role("link", name="西村仁心药店")).to_be_visible()
    expect(roster.locator("tbody tr")).to_have_count(3)
    shot(page, "01-roster-all-villages")

    page.get_by_label("村（社区）").select_option(label="东村")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(rf"village={village.pk}"))
    expect(roster.locator("tbody tr")).to_have_count(2)
    expect(roster.get_by_role("link", name="西村仁心药店")).to_have_count(0)
    expect(page.get_by_label("村（社区）")).to_have_value(str(village.pk))  # the filter stays visible
    shot(page, "02-roster-filtered-by-village")

    roster.get_by_role("link", name="东村兴隆士多店").click()
    page.wait_for_url(re.compile(rf"/businesses/{shop.pk}/$"))
    expect(page.get_by_role("heading", name=re.compile("东村兴隆士多店"))).to_be_visible()
    expect(page.locator("dl").get_by_text("叶创新")).to_be_visible()
    expect(page.locator("#licences tbody tr")).to_have_count(len(shop.required_licence_types()))
    shot(page, "03-business-page")
