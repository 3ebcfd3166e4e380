"""Issue 4: headers and values as people type them — variants normalised, not rejected."""

import datetime

import pytest

from campaigns.models import Business, Licence, Market
from campaigns.roster_io.columns import HEADER_ALIASES, parse_date, parse_flag
from campaigns.roster_io.importing import roster_import
from lib.workbook import Column, header_key, match_headers
from tests import factories as f
from tests import roster_books as rb

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "village_header", ["村（社区）", "村(社区)", "村/社区", " 村（社区） *", "村（社区）*"]
)
def test_village_header_variants(tmp_path, village, village_header):
    headers = ["单位名称*", " 类别 ", village_header, "联系电话"]
    path = rb.write_book(
        tmp_path / "h.xlsx",
        [
            {
                "单位名称*": "兴隆士多店",
                " 类别 ": "小食杂店",
                village_header: "东村",
                "联系电话": "13812345678",
            }
        ],
        headers=headers,
    )
    result = roster_import(path=path)
    assert result.ok, result.errors
    assert Business.objects.get().village == village


def test_header_key_brackets_and_widths():
    assert header_key("村（社区）") == header_key("村(社区)") == header_key("村【社区】")
    assert header_key(" 统一社会信用代码 *") == "统一社会信用代码"
    village = (Column("村（社区）", "village", required=True),)
    for spelling in ("村/社区", "村（社区）", "村【社区】", "村居"):
        assert match_headers([spelling], village, HEADER_ALIASES) == ({"village": 0}, [], [])


def test_extra_columns_are_ignored_with_a_warning(tmp_path, village):
    headers = [*rb.BUSINESS_HEADERS, "备注"]
    path = rb.write_book(tmp_path / "x.xlsx", [rb.business_row(备注="老客户")], headers=headers)
    result = roster_import(path=path)
    assert result.ok
    assert any("备注" in w["message"] and "忽略" in w["message"] for w in result.warnings)


@pytest.mark.parametrize("typed", ["小农资店", "农资店", "agri", "AGRI", " 农 资 店 "])
def test_category_by_full_or_short_name_or_code(tmp_path, village, typed):
    path = rb.write_book(tmp_path / "c.xlsx", [rb.business_row(类别=typed, 子类="农药、种子")])
    result = roster_import(path=path)
    assert result.ok, result.errors
    business = Business.objects.get()
    assert business.category.code == "agri"
    assert sorted(st.name for st in business.subtypes.all()) == ["农药", "种子"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("√", True),
        ("×", False),
        (None, False),
        (True, True),
    ],
)
def test_flags(typed, expected):
    assert parse_flag(typed) is expected


@pytest.mark.parametrize(
    "typed",
    [
        datetime.date(2009, 3, 5),
        datetime.datetime(2009, 3, 5, 0, 0),
        "2009-3-5",
        "2009/03/05",
        "2009年3月5日",
        "20090305",
        20090305,
        "２００９年３月５日",
        " 2009.3.5 ",
        "2009-03-05 00:00:00",
        "2009/3/5 0:00",
    ],
)
def test_date_formats(typed):
    assert parse_date(typed) == datetime.date(2009, 3, 5)


def test_dates_flags_and_states_through_the_licence_sheet(tmp_path, village):
    code = f.make_credit_code()
    path = rb.write_book(
        tmp_path / "l.xlsx",
        [rb.business_row(统一社会信用代码=code)],
        [
            rb.licence_row(code=code, 发证日期="2009年3月5日", 有效期至="20290304", 亮证="Y", 状态="临时"),
            rb.licence_row(
                code=code, number="SP001", licence_type="食品流通许可证", 发证日期="2009/03/05", 亮证="N"
            ),
        ],
    )
    result = roster_import(path=path)
    assert result.ok, result.errors
    first = Licence.objects.get(number="JY14406060000001")
    assert (first.issued_on, first.expires_on, first.state, first.displayed) == (
        datetime.date(2009, 3, 5),
        datetime.date(2029, 3, 4),
        "temporary",
        True,
    )
    assert first.displayed_seen_on is not None
    assert Licence.objects.get(number="SP001").displayed is False


def test_full_width_digits_and_stray_spaces_in_phones_and_codes(tmp_path, village):
    code = f.make_credit_code()
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code)
    path = rb.write_book(
        tmp_path / "w.xlsx",
        [
            rb.business_row(
                联系电话="１３８ １２３４ ５６７８", 统一社会信用代码=f" {fullwidth[:6]} {fullwidth[6:]} "
            )
        ],
    )
    result = roster_import(path=path)
    assert result.ok, result.errors
    business = Business.objects.get()
    assert business.phone == "13812345678"
    assert business.credit_code == code


def test_numbers_typed_as_numbers(tmp_path, village):
    path = rb.write_book(tmp_path / "n.xlsx", [rb.business_row(联系电话=13812345678)])
    assert roster_import(path=path).ok
    assert Business.objects.get().phone == "13812345678"


def test_status_by_label_or_code_and_market_by_name(tmp_path, village):
    Market.objects.create(village=village, name="东村农贸市场")
    path = rb.write_book(
        tmp_path / "s.xlsx",
        [
            rb.business_row(name="甲", 经营状态="整改中", 所在市场="东村农贸市场", 镇中心区="是"),
            rb.business_row(name="乙", 经营状态="closed"),
        ],
    )
    assert roster_import(path=path).ok
    first, second = Business.objects.get(name="甲"), Business.objects.get(name="乙")
    assert (first.status, first.market.name, first.is_town_centre) == ("rectifying", "东村农贸市场", True)
    assert second.status == "closed"


def test_village_by_code(tmp_path, village):
    path = rb.write_book(tmp_path / "v.xlsx", [rb.business_row(**{"村（社区）": "dongcun"})])
    assert roster_import(path=path).ok
    assert Business.objects.get().village == village


def test_first_sheet_used_when_none_is_named(tmp_path, village):
    path = rb.write_book(tmp_path / "s1.xlsx", [rb.business_row()], sheet="Sheet1")
    result = roster_import(path=path)
    assert result.ok
    assert any("Sheet1" in w["message"] for w in result.warnings)


def test_names_keep_their_full_width_brackets(tmp_path, village):
    path = rb.write_book(
        tmp_path / "fw.xlsx", [rb.business_row(name="兴隆士多店（东村）", 地址="中心路１８号")]
    )
    assert roster_import(path=path).ok
    business = Business.objects.get()
    assert (business.name, business.address) == ("兴隆士多店（东村）", "中心路１８号")


def test_flags_typed_full_width():
    assert parse_flag("Ｙ") is True and parse_flag("ｎｏ") is False
