"""Journeys 2 and 3: a village inspector on a phone inspects a shop, fails an item with a photo and orders
rectification (限期整改); the order opens for printing. After the deadline the re-inspection is on the
inspector's due list, and passing it closes the order (E2 回头查, W3)."""

import datetime
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from inspections.models import RectificationOrder
from tests import factories as f
from tests.factories_inspections import inspect

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def shop(village):
    """A grocery in the inspector's village, never inspected: due today."""
    business = f.BusinessFactory(
        name="东村兴隆士多店", village=village, address="东村大道12号", operator="叶创新"
    )
    f.licensed(business)
    return business


@pytest.fixture
def shelf_photo(tmp_path):
    """A photo as a phone camera would give it (a real JPEG)."""
    path = tmp_path / "进货单据.jpg"
    Image.new("RGB", (1200, 900), (180, 120, 60)).save(path, "JPEG", quality=80)
    return path


def answer_all(page: Page, answer: str) -> None:
    """Tap the same answer on every checklist item (符合 / 不符合 / 不适用)."""
    items = page.locator(".visit-item")
    for i in range(items.count()):
        items.nth(i).locator("label.btn", has_text=re.compile(rf"^{answer}$")).tap()


def licences_seen(page: Page) -> None:
    """Every licence held and displayed, as the inspector sees on the wall: a tap on 是 for each."""
    yes = page.locator(".tap-buttons label", has_text=re.compile(r"^是$"))
    for i in range(yes.count()):
        yes.nth(i).tap()


def inspect_and_order_rectification(page: Page, shot, shelf_photo, deadline: datetime.date) -> str:
    """Journey 2 from the due list to the printed order; returns the order's number."""
    due = page.locator(".list-group-item", has_text="东村兴隆士多店")
    expect(page.get_by_role("heading", name="今日待检")).to_be_visible()
    expect(due.get_by_text("尚未检查")).to_be_visible()
    shot(page, "01-due-list")

    due.get_by_role("link", name="开始检查").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/start/\d+/$"))
    page.get_by_role("button", name="开始").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/\d+/edit/$"))
    expect(page.get_by_role("heading", name=re.compile("东村兴隆士多店"))).to_be_visible()
    shot(page, "02-visit-form", full_page=False)

    licences_seen(page)
    answer_all(page, "符合")
    failing = page.locator(".visit-item", has_text="进货台账").first  # C2: no purchase ledger
    failing.locator("label.btn", has_text=re.compile("^不符合$")).tap()
    failing.get_by_placeholder("说明（可选）").fill("未建立食品进货台账，进货单据散乱")
    failing.locator("input[type=file]").set_input_files(shelf_photo)
    page.locator("#id_outcome").select_option(label="限期整改")
    deadline_input = page.get_by_label("整改期限")
    expect(deadline_input).to_be_visible()  # shown only for 限期整改
    deadline_input.fill(deadline.isoformat())
    page.get_by_label("整改要求").fill("建立食品进货台账，索证索票并每日登记")
    failing.scroll_into_view_if_needed()
    shot(page, "03-item-failed-with-photo", full_page=False)
    page.get_by_label("整改要求").scroll_into_view_if_needed()
    shot(page, "04-outcome-rectify", full_page=False)

    page.get_by_role("button", name="提交").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/\d+/\?saved=1$"))
    expect(page.get_by_text("检查已提交。")).to_be_visible()
    expect(page.get_by_role("img", name="现场照片")).to_be_visible()  # the photo came through
    shot(page, "05-visit-submitted")

    order_link = page.locator("dt:text-is('整改通知书') + dd a")
    number = order_link.inner_text()
    order_link.tap()
    page.wait_for_url(re.compile(r"/inspections/orders/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("整改通知书"))).to_be_visible()
    expect(page.locator(".order-sheet")).to_contain_text("东村兴隆士多店")
    expect(page.locator(".order-sheet")).to_contain_text("建立食品进货台账")
    shot(page, "06-order")

    # 打印 opens the browser's print dialog; count the call instead of showing a dialog headless.
    page.evaluate("() => { window.__prints = 0; window.print = () => { window.__prints += 1; }; }")
    page.get_by_role("button", name="打印").tap()  # the click handler runs before tap() returns
    # (not wait_for_function: its string predicate is an eval, which the Content-Security-Policy refuses)
    assert page.evaluate("() => window.__prints") == 1
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()  # the printed sheet has no app chrome
    shot(page, "07-order-as-printed")
    page.emulate_media(media="screen")
    return number


def test_inspector_orders_rectification_on_a_phone(
    live_server, phone, login, shot, shop, village, shelf_photo
):
    person("inspector", "li_inspector", "李建国", village=village)
    login(phone, "li_inspector")  # an inspector lands on the due list
    deadline = timezone.localdate() + datetime.timedelta(days=7)

    number = inspect_and_order_rectification(phone, shot, shelf_photo, deadline)

    order = RectificationOrder.objects.get(number=number)
    assert order.business == shop and order.deadline == deadline and order.status == "open"
    assert order.visit.photos.count() == 1


def test_reinspection_after_the_deadline_closes_the_order(live_server, phone, login, shot, shop, village):
    inspector = person("inspector", "li_inspector", "李建国", village=village)
    today = timezone.localdate()
    # Journey 2 three weeks ago: the ledger was missing, a week to put it right, and the week has passed.
    visit = inspect(
        shop,
        inspector,
        day=today - datetime.timedelta(days=21),
        fails=("C2-1",),
        deadline=today - datetime.timedelta(days=7),
    )
    number = visit.orders_issued.get().number
    page = login(phone, "li_inspector")

    due = page.locator(".list-group-item", has_text="东村兴隆士多店")
    expect(due.get_by_text(re.compile("整改逾期"))).to_be_visible()
    shot(page, "01-due-list-overdue-order")

    due.get_by_role("link", name="开始检查").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/start/\d+/"))
    expect(page.get_by_label("检查方式")).to_have_value("reinspection")
    expect(page.locator("#order")).to_contain_text(number)
    shot(page, "02-start-reinspection")
    page.get_by_role("button", name="开始").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/\d+/edit/$"))
    expect(page.get_by_text(f"复查整改通知书 {number}", exact=False)).to_be_visible()

    licences_seen(page)
    answer_all(page, "符合")
    page.locator("#id_outcome").select_option(label="合格")
    shot(page, "03-everything-passes", full_page=False)
    page.get_by_role("button", name="提交").tap()
    page.wait_for_url(re.compile(r"/inspections/visits/\d+/\?saved=1$"))
    expect(page.get_by_text("检查已提交。")).to_be_visible()
    shot(page, "04-reinspection-submitted")

    page.locator("dt:text-is('处理通知书') + dd a", has_text=number).tap()
    page.wait_for_url(re.compile(r"/inspections/orders/\d+/$"))
    expect(page.locator(".badge", has_text="已整改销号")).to_be_visible()
    shot(page, "05-order-closed")
    assert RectificationOrder.objects.get(number=number).status == "closed"

    page.goto(f"{live_server.url}/")
    expect(page.locator(".list-group-item", has_text="东村兴隆士多店")).to_have_count(0)  # nothing due now
    shot(page, "06-due-list-after")
