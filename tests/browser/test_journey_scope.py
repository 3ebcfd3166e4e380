"""Journey 5: an inspector from another village cannot reach a business by its URL (out of scope = 404,
never a hint that it exists), while the village's own inspector can."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_inspector_from_another_village_cannot_reach_the_business_by_url(
    live_server, phone, phone2, login, shot, village, other_village
):
    person("inspector", "dong_inspector", "李建国", village=village)
    person("inspector", "xi_inspector", "王海燕", village=other_village)
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    f.BusinessFactory(name="西村百货商店", village=other_village)
    detail = live_server.url + reverse("campaigns:business_detail", args=[shop.pk])
    edit = live_server.url + reverse("campaigns:business_edit", args=[shop.pk])

    own = login(phone, "dong_inspector")
    response = own.goto(detail)
    assert response.status == 200
    expect(own.get_by_role("heading", name=re.compile("东村兴隆士多店"))).to_be_visible()
    shot(own, "01-own-village-inspector-opens-it")

    other = login(phone2, "xi_inspector")
    expect(other.get_by_role("link", name="西村百货商店")).to_be_visible()
    expect(other.get_by_role("link", name="东村兴隆士多店")).to_have_count(0)  # not in their roster
    shot(other, "02-other-village-roster")

    for url in (detail, edit):
        response = other.goto(url)
        assert response.status == 404
        expect(other.get_by_role("heading", name="页面不存在或无权查看")).to_be_visible()
        expect(other.get_by_text("东村兴隆士多店")).to_have_count(0)  # no hint that it exists
    shot(other, "03-other-village-inspector-gets-404")
