"""Issue 19: a village inspector works without signal. Today's work is downloaded, the phone goes offline,
a whole visit is filled in (a failed item with a photo, 限期整改), the page is reloaded and reopened
offline, and when the signal comes back the visit is sent once: one visit, one order, one photo. A send
lost on the way is sent again and still makes one of each; a business closed meanwhile is a conflict the
inspector is told about, with the visit kept on the phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from inspections.models import RectificationOrder, Visit, VisitPhoto
from tests import factories as f

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(
        name="东村兴隆士多店", village=village, address="东村大道12号", phone="13800138000"
    )
    f.licensed(business)
    return business


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "货架.jpg"
    Image.new("RGB", (2400, 1800), (180, 120, 60)).save(path, "JPEG", quality=85)
    return path


def open_app(page: Page, live_server, login, village) -> Page:
    person("inspector", "xiao", "萧检查", village=village)
    login(page, "xiao")
    page.goto(f"{live_server.url}/inspections/offline/")
    page.wait_for_selector("body[data-ready='1']")
    page.get_by_role("button", name="下载今日任务").click()
    expect(page.get_by_text("东村兴隆士多店")).to_be_visible()
    expect(page.get_by_text("数据截至")).to_be_visible()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return page


def fill_visit_offline(page: Page, photo) -> None:
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_text("离线")
    page.get_by_role("button", name="开始检查").click()
    first = page.locator("[data-item]").first
    first.get_by_role("button", name="不符合").click()
    page.get_by_role("button", name="其余全部符合").click()
    first = page.locator("[data-item]").first
    first.locator("[data-note]").fill("无进货台账")
    first.locator("[data-photo]").set_input_files(str(photo))
    expect(first.locator("img.thumb")).to_have_count(1)
    for name in ("持证", "已亮证"):
        buttons = page.get_by_role("button", name=name, exact=True)
        for i in range(buttons.count()):
            page.get_by_role("button", name=name, exact=True).nth(i).click()
    page.locator("#outcome").select_option("rectify")
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#deadline").fill(deadline.isoformat())
    page.locator("#requirements").fill("七日内建立进货台账")
    page.get_by_role("button", name="完成，放入待上传").click()
    expect(page.get_by_text("待上传", exact=True).first).to_be_visible()


def _no_posts(route) -> None:
    """No signal: a POST does not reach the server (GETs fall through to the offline emulation)."""
    if route.request.method == "POST":
        route.abort("internetdisconnected")
    else:
        route.fallback()


def test_a_visit_filled_offline_survives_reloads_and_is_sent_once(
    phone, live_server, login, village, shop, photo, shot
):
    page = open_app(phone, live_server, login, village)
    shot(page, "01-today")
    fill_visit_offline(page, photo)
    expect(page.locator("#outbox-count")).to_have_text("1")
    page.reload()  # no signal: the worker serves the shell, IndexedDB the visit
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("[data-row]")).to_have_count(1)
    shot(page, "02-outbox-offline")
    context = page.context
    # Still no signal for the tab opened next: Chromium applies the context's offline emulation to a new
    # page a moment after it starts (its first sync could slip through), so nothing may be posted either.
    context.route("**/*", _no_posts)
    page.close()  # the tab is closed …
    page = context.new_page()  # … and the app opened again, still without signal
    page.goto(f"{live_server.url}/inspections/offline/#/outbox")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("[data-row]")).to_have_count(1)
    assert Visit.objects.count() == 0
    context.unroute("**/*", _no_posts)
    context.set_offline(False)  # the signal is back: the app sends what waits
    expect(page.locator("[data-status]")).to_have_text("已上传")
    shot(page, "03-sent")
    visit = Visit.objects.get()
    assert visit.business == shop and visit.client_uuid is not None
    assert RectificationOrder.objects.filter(business=shop).count() == 1
    assert VisitPhoto.objects.count() == 1
    page.goto(f"{live_server.url}/inspections/offline/#/")
    page.wait_for_selector("body[data-ready='1']")
    expect(page.get_by_text("今日任务已全部完成")).to_be_visible()  # the due list moved on


def test_a_send_lost_on_the_way_is_sent_again_and_counted_once(
    phone, live_server, login, village, shop, photo
):
    page = open_app(phone, live_server, login, village)
    fill_visit_offline(page, photo)
    lost = []

    def drop_the_answer(route):
        response = route.fetch()  # the server records the visit …
        lost.append(response.status)
        route.abort()  # … and the answer never reaches the phone

    page.route("**/api/v1/visits/submit/", drop_the_answer)
    before = page.evaluate("document.body.dataset.synced")
    page.context.set_offline(False)
    page.wait_for_function("(before) => document.body.dataset.synced !== before", arg=before)
    assert lost == [201]
    expect(page.locator("[data-status]")).to_have_text("待上传")
    page.unroute("**/api/v1/visits/submit/")
    page.get_by_role("button", name="立即上传").click()
    expect(page.locator("[data-status]")).to_have_text("已上传")
    assert Visit.objects.count() == 1
    assert RectificationOrder.objects.filter(business=shop).count() == 1
    assert VisitPhoto.objects.count() == 1


def test_a_business_closed_meanwhile_is_explained_and_nothing_is_lost(
    phone, live_server, login, village, shop, photo, shot
):
    page = open_app(phone, live_server, login, village)
    fill_visit_offline(page, photo)
    shop.status = "closed"
    shop.save(update_fields=["status"])
    page.context.set_offline(False)
    expect(page.locator("[data-status]")).to_have_text("需要处理")
    expect(page.locator("[data-message]")).to_contain_text("不能再登记检查")
    shot(page, "04-conflict")
    expect(page.get_by_role("button", name="作为新检查提交")).to_be_visible()
    expect(page.get_by_role("button", name="放弃")).to_be_visible()
    kept = page.evaluate("OfflineDB.allVisits().then((v) => v.map((x) => [x.status, x.photos.length]))")
    assert kept == [["conflict", 1]]
    assert Visit.objects.count() == 0


def test_a_checklist_changed_meanwhile_is_re_answered_on_the_new_version(
    phone, live_server, login, village, shop, photo, office
):
    from inspections.services import ItemInput, checklist_current, checklist_revise

    page = open_app(phone, live_server, login, village)
    fill_visit_offline(page, photo)
    current = checklist_current(shop.category)
    items = [
        ItemInput(code=i.code, requirement=i.requirement, text=i.text, basis=i.basis, weight=i.weight)
        for i in current.items.order_by("order")
    ]
    items.append(ItemInput(code="NEW-1", requirement="G2", text="新增：销售台账按日登记"))
    checklist_revise(template=current, items=items, user=office)  # the office publishes a new version
    page.context.set_offline(False)
    expect(page.locator("[data-status]")).to_have_text("需要处理")
    expect(page.locator("[data-message]")).to_contain_text("检查表")
    page.get_by_role("link", name="修改").click()
    expect(page.get_by_text("请补填新条目后重新提交")).to_be_visible()
    page.get_by_role("button", name="其余全部符合").click()  # only the new item was unanswered
    page.get_by_role("button", name="完成，放入待上传").click()
    expect(page.locator("[data-status]")).to_have_text("已上传")
    visit = Visit.objects.get()
    assert visit.template == checklist_current(shop.category)
    assert visit.answers.filter(code="NEW-1", answer="pass").exists()
    assert VisitPhoto.objects.count() == 1
