"""Journey: logging in and out through the real form, on a desktop and on an inspector's phone."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .conftest import PASSWORD
from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_office_logs_in_after_a_wrong_password_and_logs_out(live_server, desktop, shot):
    person("office", "zhang_office", "张秀英")
    f.BusinessFactory(name="兴隆士多店")
    page = desktop

    page.goto(f"{live_server.url}/businesses/")
    page.wait_for_url(re.compile(r"/login/\?next="))  # anonymous: sent to the login page
    expect(page.get_by_role("heading", name="五小经营单位专项整治")).to_be_visible()
    shot(page, "01-login-page")

    page.get_by_label("用户名").fill("zhang_office")
    page.get_by_label("密码").fill("wrong-password-1")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("zhang_office")
    shot(page, "02-wrong-password")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/businesses/$"))  # back where the user wanted to go
    expect(page.get_by_role("heading", name=re.compile("经营单位名册"))).to_be_visible()
    expect(page.get_by_role("link", name="兴隆士多店")).to_be_visible()
    shot(page, "03-roster-after-login")

    page.get_by_role("button", name=re.compile("张秀英")).or_(
        page.get_by_role("link", name=re.compile("张秀英"))
    ).click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/login/$"))
    page.goto(f"{live_server.url}/businesses/")
    page.wait_for_url(re.compile(r"/login/\?next="))  # the session is gone
    shot(page, "04-logged-out")


def test_inspector_logs_in_on_a_phone_and_opens_the_menu(live_server, phone, login, shot, village):
    person("inspector", "li_inspector", "李建国", village=village)
    f.BusinessFactory(name="东村便民小卖部", village=village)
    page = phone

    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    shot(page, "01-login-page-phone")

    login(page, "li_inspector")
    expect(page.get_by_role("link", name="东村便民小卖部")).to_be_visible()
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_be_visible()  # the navigation folds into a menu on a phone
    shot(page, "02-roster-phone")

    menu.tap()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # the slide-down has finished
    expect(page.locator("#mainnav").get_by_role("link", name=re.compile("经营单位"))).to_be_visible()
    shot(page, "03-menu-open-phone")
