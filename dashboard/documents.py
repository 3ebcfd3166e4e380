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


# --- the city's papers on its towns (issue 24) ----------------------------------------------------------
@dataclass
class CityPaperContent:
    """The city's bulletin or circular: the towns ranked, those below a target named with their figures.
    `towns` are dicts (stored as CityPaper.figures): rank, town, achievement (percent or None) and `below`,
    the targets it is below: target, label, goal, numerator, denominator, rate. The text of its parts
    (preamble, commended, criticised, requirements) is the draft's, as the city leader edited it
    (city_paper_texts drafts it); the ranking table is always the figures'."""

    kind: str  # "bulletin" | "circular" (dashboard.choices.CityPaperKind)
    number: int
    prefix: str  # the city's 发文字号 prefix (市食安办)
    organ: str  # the city's office, on the masthead (××市食品安全委员会办公室)
    title: str
    issued_on: datetime.date
    as_of: datetime.date
    towns: list[dict]
    preamble: str = ""
    commended: str = ""
    criticised: str = ""
    requirements: str = ""
    draft: bool = False
    # The year of the number (the paper's, taken when drafted); None: the year it is issued.
    year: int | None = None


def city_paper_number(c: CityPaperContent) -> str:
    """全市工作专报第N期, or the circular's 发文字号 with the city's prefix."""
    if c.kind == "circular":
        return gongwen.doc_number(c.prefix, c.year or c.issued_on.year, c.number)
    return f"第{c.number}期"


def below_line(town: dict) -> str:
    """西江镇：G1 证照齐全并亮证经营 45/60（75.0%，目标100.0%）；…。"""
    parts = [
        f"{t['target']} {t['label']} {t['numerator']}/{t['denominator']}"
        f"（{percent(t['rate'])}，目标{percent(t['goal'])}）"
        for t in town["below"]
    ]
    return f"{town['town']}：" + "；".join(parts) + "。"


def city_paper_texts(*, kind: str, towns: list[dict], as_of: datetime.date, organ: str) -> dict[str, str]:
    """The draft's text from the city's figures, part by part (the city leader edits it before issuing):
    the opening, the towns commended (a circular's towns meeting every target), the towns below a target
    each with its figures, and the requirements."""
    circular = kind == "circular"
    below = [t for t in towns if t["below"]]
    met = [t["town"] for t in towns if not t["below"] and t["achievement"] is not None]
    lines = [below_line(town) for town in below]
    if circular and below:
        lines.insert(0, f"{'、'.join(t['town'] for t in below)}目标完成滞后，予以通报批评。具体如下：")
    return {
        "preamble": (
            f"截至{cn_date(as_of)}，全市{len(towns)}个镇（街道）中，"
            f"{len(towns) - len(below)}个各项目标均已达标，{len(below)}个尚有目标未达标。"
            f"现将各镇（街道）目标完成情况{'通报' if circular else '报告'}如下："
        ),
        "commended": f"{'、'.join(met)}各项目标均已达标，予以通报表扬。" if circular and met else "",
        "criticised": "\n".join(lines) or "各镇（街道）各项目标均已达标。",
        "requirements": (
            "未达标的镇（街道）要对照上述目标查找原因，限期整改，并于15日内将整改情况书面报"
            f"{organ}。\n"
            "各镇（街道）要巩固整治成果，建立长效监管机制，防止问题反弹。"
        ),
    }


def city_paper_docx(c: CityPaperContent) -> bytes:
    circular = c.kind == "circular"
    doc = gongwen.Gongwen()
    if c.draft:
        doc.paragraph("（草稿，未印发）", size=gongwen.XIAOSI, align=gongwen.RIGHT_ALIGN)
    if circular:
        doc.masthead(f"{c.organ}文件", number=city_paper_number(c))
    else:
        doc.masthead(
            "五小经营单位专项整治\n工作专报",
            number=city_paper_number(c),
            left=c.organ,
            right=cn_date(c.issued_on),
        )
    doc.title(c.title)
    if circular:
        doc.addressee("各镇人民政府（街道办事处），市有关部门")
    doc.body(c.preamble)
    doc.heading(1, "各镇（街道）目标完成情况排名")
    doc.table(
        ["排名", "镇（街道）", "平均完成率", "未达标目标"],
        [
            [
                t["rank"],
                t["town"],
                "—" if t["achievement"] is None else f"{t['achievement']:.1f}%",
                "、".join(b["target"] for b in t["below"]) or "无",
            ]
            for t in c.towns
        ],
    )
    sections = 2
    if circular and c.commended.strip():
        doc.heading(sections, "通报表扬")
        doc.body(c.commended)
        sections += 1
    doc.heading(sections, "通报批评" if circular else "未达标的镇（街道）")
    doc.body(c.criticised)
    doc.heading(sections + 1, "工作要求" if circular else "下一步工作")
    doc.body(c.requirements)
    if circular:
        doc.signature(c.organ, c.issued_on)
        lines = ["抄送：市人民政府，市有关部门。"]
    else:
        lines = ["报：市人民政府", "送：各镇（街道）专项整治领导小组办公室，市有关部门"]
    doc.imprint(lines=lines, printer=c.organ, printed_on=c.issued_on)
    return doc.docx()
