"""The .docx documents: work bulletins (工作专报, U2) and the acceptance circular (通报, P2).

Official layout: a red masthead, the number (第N期 / 文号), the issuing office and date, a rule, then
numbered sections (一、二、…) in 仿宋, tables where figures are reported.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

RED = RGBColor(0xC0, 0x00, 0x00)
NUMERALS = "一二三四五六七八九十"


def _font(run, name: str = "仿宋", size: float = 14, bold: bool = False, color=None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # East Asian text takes the eastAsia font, not the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str = "", *, size=14, bold=False, align=None, name="仿宋", color=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(4)
    if text:
        _font(p.add_run(text), name=name, size=size, bold=bold, color=color)
    return p


def _heading(doc, index: int, text: str) -> None:
    _para(doc, f"{NUMERALS[index]}、{text}", name="黑体", size=15, indent=True)


def _masthead(doc, title: str, number_line: str, office: str, day: datetime.date) -> None:
    _para(doc, title, name="方正小标宋简体", size=30, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _para(doc, number_line, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    _font(p.add_run(f"{office}　　　　　　{day.year}年{day.month}月{day.day}日"), size=14)
    _para(doc, "━" * 24, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), name="黑体", size=11)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), size=11)


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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


def bulletin_docx(c: BulletinContent) -> bytes:
    doc = Document()
    _masthead(doc, "五小经营单位专项整治\n工作专报", f"第{c.number}期", c.office, c.issued_on)
    period = f"{c.period_start:%Y年%m月%d日}至{c.period_end:%Y年%m月%d日}"
    _para(
        doc,
        f"{c.town}五小经营单位专项整治工作进展情况",
        name="方正小标宋简体",
        size=20,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(doc, f"统计期间：{period}。现将本期专项整治工作进展情况报告如下：")
    _heading(doc, 0, "各项目标完成情况")
    met = sum(1 for t in c.targets if t["status"] == "green")
    _para(doc, f"截至{c.period_end:%Y年%m月%d日}，全镇{len(c.targets)}项目标中已达标{met}项。")
    _table(
        doc,
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
    for i, (title, lines) in enumerate(sections, start=1):
        _heading(doc, i, title)
        for line in lines:
            _para(doc, line)
    _para(doc, "━" * 24, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _para(doc, "报：镇领导小组组长、副组长", size=12, indent=False)
    _para(doc, "送：各牵头部门、各村（社区）整治工作小组", size=12, indent=False)
    return _save(doc)


@dataclass
class CircularContent:
    number: int
    title: str
    office: str
    issued_on: datetime.date
    preamble: str
    commended: str
    criticised: str
    requirements: str
    draft: bool = True


def circular_docx(c: CircularContent) -> bytes:
    doc = Document()
    if c.draft:
        _para(doc, "（草稿）", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _masthead(
        doc,
        "五小经营单位专项整治\n领导小组文件",
        f"五小整治〔{c.issued_on.year}〕{c.number}号",
        c.office,
        c.issued_on,
    )
    _para(doc, c.title, name="方正小标宋简体", size=20, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "各村（社区）、各牵头部门：", indent=False)
    for line in c.preamble.splitlines():
        if line.strip():
            _para(doc, line.strip())
    for i, (title, text) in enumerate(
        [("表彰先进", c.commended), ("通报批评", c.criticised), ("下一步要求", c.requirements)]
    ):
        _heading(doc, i, title)
        for line in text.splitlines():
            if line.strip():
                _para(doc, line.strip())
    _para(doc, c.office, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(
        doc, f"{c.issued_on.year}年{c.issued_on.month}月{c.issued_on.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    return _save(doc)
