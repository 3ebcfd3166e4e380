"""The roster workbook's sheets and columns, and how values people type become field values (issue 4).

Parsing only: what a value *means* (a category named by its short name, 是/否, a date typed as text).
Whether a value is *allowed* is decided by the model's validators and the form's rules (see validation.py).
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _

from lib.text import to_halfwidth
from lib.workbook import Column, SheetSpec

BUSINESS_SHEET = "经营单位"
LICENCE_SHEET = "证照"


# Issue 24: a city-wide roster names each row's town. Read when present (a village's name may recur in
# another town: then it is required); written by the export when the installation has several towns.
TOWN_COLUMN = Column("镇（街道）", "town")

BUSINESS_COLUMNS = (
    Column("单位名称", "name", required=True),
    Column("类别", "category", required=True),
    Column("子类", "subtypes"),
    Column("村（社区）", "village", required=True),
    Column("地址", "address"),
    Column("经营者", "operator"),
    Column("联系电话", "phone"),
    Column("统一社会信用代码", "credit_code"),
    Column("经营状态", "status"),
    Column("镇中心区", "is_town_centre"),
    Column("所在市场", "market"),
    Column("示范单位", "is_model"),
)

LICENCE_COLUMNS = (
    Column("统一社会信用代码", "credit_code"),
    Column("单位名称", "name"),
    Column("村（社区）", "village"),
    Column("证照类型", "licence_type", required=True),
    Column("证照编号", "number", required=True),
    Column("发证机关", "issuer"),
    Column("发证日期", "issued_on"),
    Column("有效期至", "expires_on"),
    Column("状态", "state"),
    Column("亮证", "displayed"),
)


# Other spellings of the roster's headers (either sheet), read as the template's (lib.workbook.header_key
# has already made them half-width, without spaces or asterisks).
HEADER_ALIASES = {
    **dict.fromkeys(
        ("村/社区", "村、社区", "村社区", "村(居)", "村居", "村(社区)名称", "村(社区)"), "村（社区）"
    ),
    "信用代码": "统一社会信用代码",
    "名称": "单位名称",
    "电话": "联系电话",
    "是否示范单位": "示范单位",
    "单位名称(字号)": "单位名称",
    "字号名称": "单位名称",
    "经营单位名称": "单位名称",
    "经营者姓名": "经营者",
    "负责人": "经营者",
    "法定代表人(负责人)": "经营者",
    "经营地址": "地址",
    "所属村(社区)": "村（社区）",
    **dict.fromkeys(("镇(街道)", "镇/街道", "镇、街道", "镇街", "所属镇", "所属镇(街道)"), "镇（街道）"),
    # 证照 sheet: how today's lists name its columns.
    "证照名称": "证照类型",
    "证件类型": "证照类型",
    "许可证类型": "证照类型",
    "证照种类": "证照类型",
    "证照号码": "证照编号",
    "证号": "证照编号",
    "许可证号": "证照编号",
    "许可证编号": "证照编号",
    "登记证号": "证照编号",
    "备案号": "证照编号",
    "备案编号": "证照编号",
    "发证部门": "发证机关",
    "发证单位": "发证机关",
    "有效期限至": "有效期至",
    "有效截止日期": "有效期至",
    "到期日期": "有效期至",
    "是否亮证": "亮证",
}
# Other names people write for a licence type (DOMAIN §8) -> the type's name. Which old and new names
# count for the same requirement is data: LicenceType.equivalents.
LICENCE_TYPE_ALIASES = {
    "工商营业执照": "营业执照",
    "营业执照(副本)": "营业执照",
    "食品经营许可": "食品经营许可证",
    "食品经营许可证(副本)": "食品经营许可证",
    "食品经营备案凭证": "食品经营备案",
    "仅销售预包装食品备案": "食品经营备案",
    "小作坊登记证": "食品小作坊登记证",
    "食品小作坊登记卡": "食品小作坊登记证",
    "小作坊许可证": "食品小作坊登记证",
    "小餐饮经营许可证": "小餐饮登记证",
    "小餐饮登记卡": "小餐饮登记证",
    "餐饮许可证": "餐饮服务许可证",
    "食品卫生许可证": "卫生许可证",
    "SC证": "食品生产许可证",
    "药品经营许可": "药品经营许可证",
    "农药经营许可": "农药经营许可证",
}

BUSINESS_SPEC = SheetSpec(
    BUSINESS_SHEET, (*BUSINESS_COLUMNS, TOWN_COLUMN), HEADER_ALIASES, other_names=("经营单位名册", "花名册")
)
LICENCE_SPEC = SheetSpec(
    LICENCE_SHEET, (*LICENCE_COLUMNS, TOWN_COLUMN), HEADER_ALIASES, other_names=("证照信息", "许可证")
)


class ParseError(ValueError):
    """A value that cannot be read as its column's kind; the message says what is allowed."""


def cell_text(value: object) -> str:
    """A cell as text: numbers typed into text columns lose Excel's '.0'; surrounding spaces go.

    Names and addresses keep their full-width characters (（东村）stays as typed, so an export imports
    back unchanged); codes, phones, dates, flags and names looked up in lists are compared half-width.
    """
    if type(value) is str:  # the common case first: 200,000 cells go through here
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "☑", "对", "有"}
NO = {"否", "n", "no", "false", "0", "×", "x", "✗", "✘", "☐", "无", "不是", ""}


def parse_flag(value: object) -> bool:
    text = to_halfwidth(cell_text(value)).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ParseError(_("应填“是”或“否”（也可填 Y/N、√/×），或留空表示否。"))


DATE_RE = re.compile(
    # A time of day after the date (as some systems export a date cell: 2020-01-05 00:00:00) is ignored.
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value: object) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = to_halfwidth(cell_text(value))
    if not text:
        return None
    try:
        match = DATE_RE.match(text)
        if match:
            return datetime.date(*(int(g) for g in match.groups()))
        if re.fullmatch(r"\d{8}", text):
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if re.fullmatch(r"\d{5}", text):
            # A real Excel date whose cell lost its date format: a serial day number.
            return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    except ValueError as exc:
        raise ParseError(_("日期不存在，请核对年月日。")) from exc
    raise ParseError(_("日期格式无法识别：可填 2009-3-5、2009/03/05、2009年3月5日 或 20090305。"))


def split_list(value: object) -> list[str]:
    """Sub-types as typed: 农药、种子 / 农药,种子 / 农药；种子 / 农药 种子."""
    return [part for part in re.split(r"[、,，;；/\s]+", cell_text(value)) if part]


def lookup_key(text: object) -> str:
    """Names of categories, villages, markets, statuses compared without spaces, case or width."""
    return "".join(to_halfwidth(cell_text(text)).split()).lower()
