"""Journey: 一公开 (issue 25). The office prints a village's QR placards from the roster; a customer at
the shop door opens the placard's address on a phone (the journey does not scan: it opens the URL the QR
holds) and sees the licences, the latest inspection and the 量化分级 face; the office rotates the code and
the old placard then says 此码已失效."""

import re
import subprocess

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import PublicCode
from inspections.placards import public_url
from tests import factories as f
from tests.factories_inspections import inspect

from .conftest import PHONE
from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def quiet_door(settings):
    """No earlier scans in the per-address limit (the cache is Redis in the PostgreSQL run)."""
    cache.clear()
    settings.WUXIAO_PUBLIC_RATE_PER_MINUTE = 1000
    yield
    cache.clear()


def test_placards_printed_and_the_public_page_opened_on_a_phone(
    live_server, quiet_door, desktop, phone, login, shot, village, tmp_path, settings
):
    settings.WUXIAO_SITE_URL = live_server.url
    person("office", "zhang_office", "张秀英")
    inspector = person("inspector", "li_inspector", "李志强", village=village)
    restaurant = f.BusinessFactory(
        name="东村好味饭店", village=village, category=f.category("restaurant"), address="东村市场路8号"
    )
    f.licensed(restaurant, number="JY24406060099887")
    inspect(restaurant, inspector, day=timezone.localdate())  # every item passes: A 笑脸
    grocery = f.BusinessFactory(name="东村便利店", village=village)
    f.licensed(grocery)

    # The office filters the roster to the village and prints its placards.
    office = login(desktop, "zhang_office", next_path="/businesses/")
    office.goto(f"{live_server.url}/businesses/?village={village.pk}")
    action = office.locator("#roster-placards")
    expect(action).to_be_visible()
    folder = shot(office, "01-roster-print-action", full_page=False).parent
    with office.expect_download() as download_info:
        action.click()
    download = download_info.value
    pdf = tmp_path / "placards.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    # The placard sheet as printed: page 1 rendered by poppler into the journey's screenshots.
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(folder / "02-placard-sheet"),
        ],
        check=True,
    )
    assert (folder / "02-placard-sheet.png").stat().st_size > 10_000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "东村好味饭店" in text and "东村便利店" in text and "笑脸" in text

    # The customer at the door: the address the QR code holds, on a phone.
    code = PublicCode.objects.get(business=restaurant, retired_at__isnull=True).code
    address = public_url(code)
    assert address.startswith(live_server.url)
    assert phone.viewport_size == PHONE
    phone.goto(address)
    expect(phone.locator("#unit-name")).to_have_text("东村好味饭店")
    expect(phone.locator("#grade-label")).to_contain_text("笑脸")
    expect(phone.locator("#licences")).to_contain_text("JY24*********887")
    expect(phone.locator("#licences")).not_to_contain_text("JY24406060099887")
    expect(phone.locator("#last-outcome")).to_have_text("合格")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    shot(phone, "03-public-page-on-phone")
    phone.get_by_role("link", name="本镇抽查与整改结果公示").tap()
    expect(phone.locator("#rectifications")).to_be_visible()
    shot(phone, "04-town-results")

    # The placard was lost: the office rotates the code on the business page.
    office.goto(f"{live_server.url}/businesses/{restaurant.pk}/")
    expect(office.locator("#public-link")).to_contain_text(f"/p/{code}/")
    office.locator("#id_rotate_reason").fill("公示牌遗失")
    office.get_by_role("button", name="更换公示码").click()
    expect(office.get_by_text("旧公示牌已失效")).to_be_visible()
    new_code = PublicCode.objects.get(business=restaurant, retired_at__isnull=True).code
    assert new_code != code
    expect(office.locator("#public-link")).to_contain_text(f"/p/{new_code}/")
    shot(office, "05-code-rotated", full_page=False)

    phone.goto(address)
    expect(phone.get_by_role("heading", name="此码已失效")).to_be_visible()
    shot(phone, "06-old-placard-gone")
    phone.goto(public_url(new_code))
    expect(phone.locator("#unit-name")).to_have_text("东村好味饭店")
    assert re.search(r"/p/[\w-]{20,}/$", phone.url)
