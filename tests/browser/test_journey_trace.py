"""Journey: on a phone, an inspector traces back a pesticide by typing the shop's name (issue 11: the
trace page no longer carries the roster as a <select>; a <datalist> offers a few shops of the village)."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.factories_ledgers import line, record

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_inspector_types_a_shop_name_for_a_backward_trace(
    live_server, phone, login, shot, village, other_village
):
    person("inspector", "dong_inspector", "李建国", village=village)
    shop = f.BusinessFactory(name="东村兴隆农资店", category=f.category("agri"), village=village)
    f.BusinessFactory(name="西村兴隆农资店", category=f.category("agri"), village=other_village)
    record(shop, line(product="吡虫啉", kind="pesticide", batch="P1", days_ago=2))

    page = login(phone, "dong_inspector")
    page.goto(f"{live_server.url}/ledgers/trace/")
    page.get_by_label("追溯方式").select_option("backward")
    page.get_by_label("产品名称").fill("吡虫啉")
    business = page.get_by_label("经营单位")
    business.press_sequentially("兴隆", delay=50)
    options = page.locator("datalist#id_business-suggestions option")
    expect(options).to_have_count(1)  # the 西村 shop is outside this inspector's village
    expect(options.first).to_have_attribute("value", "东村兴隆农资店（东村）")
    shot(page, "01-datalist-offers-the-village-shop")

    business.fill("东村兴隆农资店（东村）")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.trace-level")).to_contain_text("金丰农资批发部")
    shot(page, "02-backward-trace-by-name")

    business.fill("西村兴隆农资店")
    page.get_by_role("button", name="查询").click()
    # said beside the field and in the form's error summary at the top (issue 20)
    expect(page.get_by_text("没有找到名称含“西村兴隆农资店”的经营单位", exact=False)).to_have_count(2)
    expect(page.locator(".form-error-summary")).to_contain_text("经营单位")
    shot(page, "03-out-of-scope-shop-does-not-resolve")
