"""责令限期整改通知书 as a .docx in the usual official layout (and the same text for the HTML page)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import RectificationOrder

PLAN = "五小经营单位产品质量和食品安全专项整治实施方案"


def _cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class OrderText:
    """The wording of an order, shared by the .docx and the printable page."""

    title: str
    number: str
    addressee: str
    opening: str
    findings: list[str]
    demand: str
    requirements: str
    warning: str
    issuer: str
    issued: str
    inspectors: str


def order_text(order: RectificationOrder) -> OrderText:
    business = order.business
    visit = order.visit
    visited = _cn_date(timezone.localtime(visit.started_at))
    where = f"（地址：{business.address}）" if business.address else ""
    findings = []
    for n, item in enumerate(order.items.all(), start=1):
        basis = item.basis or f"《{PLAN}》{item.requirement}"
        note = f"：{item.note}" if item.note else ""
        findings.append(f"{n}. {item.text}——不符合{note}。（依据：{basis}）")
    return OrderText(
        title="责令限期整改通知书",
        number=order.number,
        addressee=f"{business.name}"
        + (f"（经营者：{business.operator}）" if business.operator else "")
        + "：",
        opening=f"{visited}，我单位检查人员对你单位{where}进行了{visit.get_kind_display()}，发现存在下列问题：",
        findings=findings,
        demand=(
            f"根据《{PLAN}》的要求，现责令你单位于{_cn_date(order.deadline)}前整改完毕，"
            "并将整改情况书面报告我单位，届时我单位将进行复查（回头查）。"
        ),
        requirements=order.requirements_text,
        warning="逾期不整改或整改不到位的，将依法依规予以处理（取缔、吊销或暂扣证照、移送有关部门）。",
        issuer=str(order.department.name if order.department else business.village.town.name),
        issued=_cn_date(order.issued_on),
        inspectors="、".join(u.get_full_name() or u.username for u in visit.inspectors.all()),
    )


def order_docx(order: RectificationOrder) -> bytes:
    text = order_text(order)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(14)

    def para(value: str, *, align=None, bold=False, size=None, indent=False):
        p = doc.add_paragraph()
        run = p.add_run(value)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(28)
        return p

    para(text.title, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22)
    para(text.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(text.addressee)
    para(text.opening, indent=True)
    for line in text.findings:
        para(line, indent=True)
    para(text.demand, indent=True)
    if text.requirements:
        para(f"整改要求：{text.requirements}", indent=True)
    para(text.warning, indent=True)
    para("")
    para(f"检查人员（签名）：{text.inspectors}    ____________    ____________")
    para(f"发文单位（盖章）：{text.issuer}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(text.issued, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("")
    para(
        "- - - - - - - - - - - - - - - - 送　达　回　执 - - - - - - - - - - - - - - - -",
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    para(f"本单位已收到{text.number}《责令限期整改通知书》。")
    para("被检查单位负责人（签收）：____________    签收日期：______年____月____日")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
