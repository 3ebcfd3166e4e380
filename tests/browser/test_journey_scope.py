"""Journey 5: an inspector from another village cannot reach a business by its URL — nor its visit, its
rectification order or the photo taken there (out of scope = 404, never a hint that it exists), while the
village's own inspector can."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f
from tests.factories_inspections import inspect

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_inspector_from_another_village_cannot_reach_the_business_by_url(
    live_server, phone, phone2, login, shot, village, other_village
):
    inspector = person("inspector", "dong_inspector", "李建国", village=village)
    person("inspector", "xi_inspector", "王海燕", village=other_village)
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    f.BusinessFactory(name="西村百货商店", village=other_village)
    visit = inspect(shop, inspector, fails=("C2-1", "G1-2"))  # journey 2: failed items, a photo, an order
    order = visit.orders_issued.get()
    url = lambda name, pk: live_server.url + reverse(name, args=[pk])  # noqa: E731
    detail = url("campaigns:business_detail", shop.pk)
    elsewhere = [
        url("campaigns:business_edit", shop.pk),
        url("inspections:visit_start", shop.pk),
        url("inspections:visit_detail", visit.pk),
        url("inspections:order_detail", order.pk),
        url("inspections:order_docx", order.pk),
        url("inspections:photo", visit.photos.get().pk),
    ]

    own = login(phone, "dong_inspector")
    response = own.goto(detail)
    assert response.status == 200
    expect(own.get_by_role("heading", name=re.compile("东村兴隆士多店"))).to_be_visible()
    shot(own, "01-own-village-inspector-opens-it")

    for page_url in elsewhere[1:]:
        assert own.request.get(page_url).status == 200

    other = login(phone2, "xi_inspector")
    other.goto(f"{live_server.url}/businesses/?q=兴隆")
    expect(other.locator("#roster")).to_contain_text("没有符合条件的经营单位")  # not in their roster
    shot(other, "02-other-village-roster-search")

    response = other.goto(detail)
    assert response.status == 404
    expect(other.get_by_role("heading", name="页面不存在或无权查看")).to_be_visible()
    expect(other.get_by_text("东村兴隆士多店")).to_have_count(0)  # no hint that it exists
    shot(other, "03-other-village-inspector-gets-404")
    for page_url in elsewhere:
        assert other.request.get(page_url).status == 404, page_url
