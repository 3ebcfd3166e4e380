"""lib.gongwen's text rules (GB/T 9704-2012, DOMAIN §8): numbers and dates unpadded, titles broken
between words, table columns sized by their content."""

import datetime

import pytest

from lib import gongwen


def test_numbers_and_dates_are_not_padded():
    assert gongwen.doc_number("东风责改", 2026, 1) == "东风责改〔2026〕1号"
    assert gongwen.doc_number("五小整治", 2026, 12) == "五小整治〔2026〕12号"
    assert gongwen.cn_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    assert gongwen.cn_date(datetime.date(2026, 9, 8)) == "2026年9月8日"


@pytest.mark.parametrize(
    "title, per_line, lines",
    [
        ("责令限期整改通知书", 18, ["责令限期整改通知书"]),
        (
            "关于东风镇五小经营单位专项整治验收情况的通报",
            18,
            ["关于东风镇五小经营单位", "专项整治验收情况的通报"],
        ),
        ("关于五小经营单位专项整治工作情况的通报", 18, ["关于五小经营单位专项", "整治工作情况的通报"]),
    ],
)
def test_titles_break_between_words(title, per_line, lines):
    assert gongwen.break_title(title, per_line) == lines


def test_no_title_line_is_a_scrap():
    title = "关于东风镇五小经营单位产品质量和食品安全专项整治验收情况的通报"
    lines = gongwen.break_title(title, 18)
    assert "".join(lines) == title
    assert all(len(line) <= 18 for line in lines)
    assert min(len(line) for line in lines) * 3 >= max(len(line) for line in lines)


def test_table_columns_follow_their_content():
    rows = [["目标", "内容", "完成率"], ["G1", "证照齐全并亮证经营（营业执照及行业许可证）", "54.5%"]]
    widths = gongwen._column_widths(rows, gongwen.TEXT_WIDTH.twips, gongwen.XIAOSI)
    assert widths[1] > widths[0] * 3 and widths[1] > widths[2] * 3
    assert sum(widths) == pytest.approx(gongwen.TEXT_WIDTH.twips, abs=3)
