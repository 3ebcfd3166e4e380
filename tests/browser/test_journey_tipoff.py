"""Journey 6: a member of the public files a tip-off from a phone, without an account (W5 有奖举报), and
the town office sees it, with the tipster's contact that only the office may read."""

import re

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from inspections import antispam
from inspections.models import TipOff

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def tipoff_line(monkeypatch):
    """The hotline as on a quiet day: no earlier submissions in the rate limit (kept in the cache, Redis in
    the PostgreSQL run), and no minimum fill time — a person takes longer than the 4 s the form requires,
    the journey types faster (the spam rules have their own tests in test_tipoff_public)."""
    cache.clear()
    monkeypatch.setattr(antispam, "MIN_FILL_SECONDS", 0)
    yield
    cache.clear()


def test_public_tipoff_reaches_the_office(
    live_server, tipoff_line, phone, desktop, login, shot, tmp_path, village
):
    photo = tmp_path / "无证摊档.jpg"
    Image.new("RGB", (1200, 900), (90, 140, 60)).save(photo, "JPEG", quality=80)
    person("office", "zhang_office", "张秀英")

    public = phone
    public.goto(f"{live_server.url}/inspections/report/")  # no login
    expect(public.get_by_role("heading", name="五小经营单位有奖举报")).to_be_visible()
    honeypot = public.get_by_label("网址").bounding_box()
    assert honeypot["x"] + honeypot["width"] <= 0  # the honeypot is off the page: not for people
    shot(public, "01-public-form")
    public.get_by_label("举报内容").fill("东村市场后门有一家无牌小作坊在做河粉，环境脏乱，没有任何证照。")
    public.get_by_label("所在村（社区）").select_option(label="东村")
    public.get_by_label("具体地点").fill("东村市场后门巷子")
    public.get_by_label("被举报单位名称").fill("无名河粉作坊")
    public.get_by_label("现场照片").set_input_files(photo)
    public.get_by_label("您的称呼").fill("陈先生")
    public.get_by_label("联系电话", exact=True).fill("13912345678")
    public.get_by_label("查实后申请举报奖励（需留联系电话）").check()
    shot(public, "02-public-form-filled")
    public.get_by_role("button", name="提交举报").tap()
    public.wait_for_url(re.compile(r"/inspections/report/thanks/"))
    reference = public.locator("#reference")
    expect(reference).not_to_be_empty()
    number = reference.inner_text().strip()
    shot(public, "03-thanks-with-reference")

    tipoff = TipOff.objects.get(reference=number)
    assert not tipoff.spam_reason and tipoff.photos.count() == 1

    office = login(desktop, "zhang_office")
    nav = office.locator("#mainnav")
    nav.get_by_role("button", name="查处").click()
    nav.get_by_role("link", name="有奖举报").click()
    row = office.locator("#tipoffs tbody tr", has_text=number)
    expect(row).to_contain_text("东村市场后门")
    expect(row).to_contain_text("无名河粉作坊")
    shot(office, "04-office-tipoff-list")
    row.get_by_role("link", name=number).click()
    expect(office.get_by_role("heading", name=re.compile(number))).to_be_visible()
    expect(office.locator("#tipster-contact")).to_contain_text("13912345678")  # only the office sees it
    shot(office, "05-office-tipoff-detail")
