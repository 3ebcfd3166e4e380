"""Journey 1: the office brings its Excel roster in (W1, A1 census). It downloads the template, uploads a
roster with one bad row, sees that row named in the preview, fixes the file, imports it, and finds the
businesses in the roster. The preview and the import run in the background (a real Celery worker)."""

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from campaigns.models import Business

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = [
    # 单位名称, 类别, 子类, 村（社区）, 地址, 经营者, 联系电话
    ["东村惠民农资店", "小农资店", "农药", "东村", "东村大道3号", "莫锦柱", "13800001111"],
    ["东村好味河粉作坊", "小作坊", "河粉", "东村", "东村二巷8号", "陈丽华", "0757-22345678"],
    ["西村仁心药店", "小药店", "", "西村", "西村市场旁", "叶创新", "1380000"],  # bad: phone too short
]
BAD_ROW = 4  # the header is row 1 and the data starts at row 2


def write_roster(template, target, rows) -> None:
    """Fill the downloaded template as a clerk would: drop the sample rows, type the businesses in."""
    book = openpyxl.load_workbook(template)
    for sheet in (book["经营单位"], book["证照"]):
        sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        book["经营单位"].append(row)
    book.save(target)


def upload(page: Page, path) -> None:
    page.get_by_label(re.compile("名册文件")).set_input_files(path)
    page.get_by_role("button", name="上传并预检").click()
    page.wait_for_url(re.compile(r"/businesses/import/\d+/$"))


def test_office_imports_a_roster_after_fixing_the_bad_row(
    live_server, celery_worker, desktop, login, shot, tmp_path, village, other_village
):
    person("office", "zhang_office", "张秀英")
    page = login(desktop, "zhang_office")  # the office lands on the dashboard

    page.get_by_role("link", name="经营单位").first.click()
    page.get_by_role("link", name="导入 Excel").click()
    page.wait_for_url(re.compile(r"/businesses/import/$"))
    shot(page, "01-import-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    assert download.value.suggested_filename == "经营单位名册模板.xlsx"
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)

    roster = tmp_path / "东村西村名册.xlsx"
    write_roster(template, roster, ROWS)
    upload(page, roster)
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()  # the page refreshes itself when the background preview is done
    bad = errors.locator("tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.locator("td").nth(0)).to_have_text("经营单位")
    expect(bad.locator("td").nth(1)).to_have_text(str(BAD_ROW))
    expect(bad.locator("td").nth(2)).to_have_text(re.compile(r"^联系电话（[A-Z]+列）$"))  # and its column
    expect(page.get_by_text("整个文件未写入", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    shot(page, "02-preview-names-the-bad-row")
    assert not Business.objects.exists()  # all or nothing

    ROWS[2][6] = "13800001234"
    write_roster(template, roster, ROWS)
    page.get_by_role("link", name="重新上传").click()
    upload(page, roster)
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()
    expect(page.locator("#count-created")).to_have_text("3")
    shot(page, "03-clean-preview")

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-status")).to_have_text("已导入")
    shot(page, "04-imported")

    page.get_by_role("link", name="经营单位名册").first.click()
    page.get_by_label("村（社区）").select_option(label="东村")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("#roster")
    expect(table.get_by_role("link", name="东村惠民农资店")).to_be_visible()
    expect(table.get_by_role("link", name="东村好味河粉作坊")).to_be_visible()
    shot(page, "05-roster-east-village")
    page.get_by_label("搜索").fill("仁心")
    page.get_by_label("村（社区）").select_option(label="西村")
    page.get_by_role("button", name="筛选").click()
    table.get_by_role("link", name="西村仁心药店").click()
    expect(page.locator("dl").get_by_text("13800001234")).to_be_visible()
    shot(page, "06-imported-business")
