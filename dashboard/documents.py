"""The .docx documents: work bulletins (工作专报, U2) and the acceptance circular (通报, P2).

Both are built by lib.gongwen (GB/T 9704-2012): a red masthead, the number (第N期 / 发文字号 without
padding), a red rule, the title broken where the words allow, numbered sections (一、二、…), tables
whose columns suit their content, dates without padding; the circular is signed by the town's leading
group with room for the seal and ends with its 版记.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from lib import gongwen
from lib.gongwen import cn_date


def short_office(office: str) -> str:
    """The 印发机关 of the 版记 by its short name (测试镇五小整治领导小组办公室), so it keeps to one line
    beside the date."""
    return office.replace("五小经营单位专项整治", "五小整治")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def change(rate: float | None, previous: float | None) -> str:
    if rate is None or previous is None:
        return "—"
    delta = (rate - previous) * 100
    return "持平" if abs(delta) < 0.05 else f"{delta:+.1f}个百分点"


@dataclass
class BulletinContent:
    """Everything a bulletin says; dashboard.services.bulletin_create fills it from the data."""

    number: int
    town: str
    office: str
    issued_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    # dicts of figures.Figure.as_dict() plus "previous_rate"
    targets: list[dict]
    activity: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    # The town's 发文机关标志 (issue 24: campaigns.town_settings); empty: the office's name.
    masthead: str = ""


def bulletin_docx(c: BulletinContent) -> bytes:
    doc = gongwen.Gongwen()
    doc.masthead(
        "五小经营单位专项整治\n工作专报",
        number=f"第{c.number}期",
        left=c.masthead or c.office,
        right=cn_date(c.issued_on),
    )
    doc.title(f"{c.town}五小经营单位专项整治工作进展情况")
    doc.paragraph(
        f"统计期间：{cn_date(c.period_start)}至{cn_date(c.period_end)}。现将本期专项整治工作进展情况报告如下："
    )
    doc.heading(1, "各项目标完成情况")
    met = sum(1 for t in c.targets if t["status"] == "green")
    doc.paragraph(f"截至{cn_date(c.period_end)}，全镇{len(c.targets)}项目标中已达标{met}项。")
    doc.table(
        ["目标", "内容", "目标值", "达标/应统计", "完成率", "较上期"],
        [
            [
                t["target"],
                t["label"],
                percent(t["goal"]),
                f"{t['numerator']}/{t['denominator']}",
                percent(t["rate"]),
                change(t["rate"], t.get("previous_rate")),
            ]
            for t in c.targets
        ],
    )
    sections = [
        ("检查及处理情况", c.activity or ["本期无检查记录。"]),
        ("案件查处情况", c.cases or ["本期无新立案件。"]),
        ("存在问题", c.problems or ["各项目标均已达到要求。"]),
        ("下一步工作", c.next_steps),
    ]
    for i, (title, lines) in enumerate(sections, start=2):
        doc.heading(i, title)
        for line in lines:
            doc.paragraph(line)
    doc.imprint(
        lines=["报：镇领导小组组长、副组长", "送：各牵头部门、各村（社区）整治工作小组"],
        printer=short_office(c.office),
        printed_on=c.issued_on,
    )
    return doc.docx()


@dataclass
class CircularContent:
    number: int
    title: str
    organ: str  # the town's leading group, by its full name
    office: str  # its office, which prints the circular (版记)
    issued_on: datetime.date
    preamble: str
    commended: str
    criticised: str
    requirements: str
    draft: bool = True
    copies_to: str = "镇党委、镇人大、镇政府，县五小经营单位专项整治领导小组办公室"
    # The town's 发文机关标志 and 机关代字 (issue 24: campaigns.town_settings); empty: the leading group's
    # name and 五小整治.
    masthead: str = ""
    number_prefix: str = ""


DEFAULT_PREFIX = "五小整治"


def circular_number(c: CircularContent) -> str:
    return gongwen.doc_number(c.number_prefix or DEFAULT_PREFIX, c.issued_on.year, c.number)


def circular_docx(c: CircularContent) -> bytes:
    doc = gongwen.Gongwen()
    if c.draft:
        doc.paragraph("（草稿，未印发）", size=gongwen.XIAOSI, align=gongwen.RIGHT_ALIGN)
    doc.masthead(f"{c.masthead or c.organ}文件", number=circular_number(c))
    doc.title(c.title)
    doc.addressee("各村（社区）、各牵头部门")
    doc.body(c.preamble)
    for i, (title, text) in enumerate(
        [("表彰先进", c.commended), ("通报批评", c.criticised), ("下一步要求", c.requirements)], start=1
    ):
        doc.heading(i, title)
        doc.body(text)
    doc.signature(c.organ, c.issued_on)
    doc.imprint(lines=[f"抄送：{c.copies_to}。"], printer=short_office(c.office), printed_on=c.issued_on)
    return doc.docx()
