"""责令限期整改通知书 (the .docx, through lib.gongwen, and the same wording for the printable page).

The order names every failed checklist item of its visit, or the failing sample result it was issued
for (issue 17: an order from a sample listed nothing), the legal basis of each, the deadline and the
re-inspection; the 送达回执 is a tear-off block that never splits across pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lib import gongwen
from lib.gongwen import cn_date

from .choices import SampleKind
from .models import RectificationOrder

PLAN = "五小经营单位产品质量和食品安全专项整治实施方案"

# The law a failing sample of each kind offends (the statute's name; the article is the case file's).
SAMPLE_LAW = {
    SampleKind.FOOD: "《中华人民共和国食品安全法》",
    SampleKind.DRUG: "《中华人民共和国药品管理法》",
    SampleKind.HERBAL: "《中华人民共和国药品管理法》",
    SampleKind.FERTILIZER: "《中华人民共和国产品质量法》",
    SampleKind.PESTICIDE: "《农药管理条例》",
    SampleKind.VET_DRUG: "《兽药管理条例》",
    SampleKind.SEED: "《中华人民共和国种子法》",
}


@dataclass(frozen=True)
class OrderText:
    """The wording of an order, shared by the .docx and the printable page."""

    organ: str
    title: str
    number: str
    addressee: str
    opening: str
    findings: list[str]
    basis: str
    demand: str
    requirements: str
    warning: str
    issuer: str
    issued: str
    inspectors: str
    receipt: list[str]


def full_name(name: str, town: str) -> str:
    """A department named "镇农业办" issues as "东风镇农业办": the town's full name in front."""
    if name.startswith(town):
        return name
    return town + name.removeprefix("镇")


def order_text(order: RectificationOrder) -> OrderText:
    business = order.business
    visit = order.visit
    town = business.village.town.name
    visited = cn_date(timezone.localtime(visit.started_at))
    where = f"（地址：{business.address}）" if business.address else ""
    findings, bases = [], []
    items = list(order.items.all())
    for item in items:
        basis = item.basis or f"《{PLAN}》{item.requirement}"
        note = f"：{item.note}" if item.note else ""
        findings.append(f"{item.text}——不符合{note}。（依据：{basis}）")
        bases.append(item.basis or f"《{PLAN}》")
    samples = list(order.samples.all())
    for sample in samples:
        law = SAMPLE_LAW.get(sample.kind, "")
        batch = f"批号/生产日期 {sample.batch}，" if sample.batch else ""
        findings.append(
            f"抽检样品“{sample.product}”（{batch}抽样单 {sample.number}，{cn_date(sample.sampled_on)}抽样，"
            f"{sample.lab}检验）经检验不合格，不合格项目：{sample.failing_items}。"
            + (f"（依据：{law}）" if law else "")
        )
        if law:
            bases.append(law)
    bases.append(f"《{PLAN}》")
    basis = "、".join(dict.fromkeys(b if b.startswith("《") else f"《{b}》" for b in bases if b))
    if samples and not items:
        opening = f"{visited}，我单位对你单位{where}经营的产品抽样送检，经检验不合格，存在下列问题："
    else:
        opening = (
            f"{visited}，我单位检查人员对你单位{where}进行了{visit.get_kind_display()}，发现存在下列问题："
        )
    issuer = full_name(order.department.name, town) if order.department else f"{town}人民政府"
    return OrderText(
        organ=issuer,
        title="责令限期整改通知书",
        number=order.number,
        addressee=f"{business.name}"
        + (f"（经营者：{business.operator}）" if business.operator else "")
        + "：",
        opening=opening,
        findings=[f"{n}. {line}" for n, line in enumerate(findings, start=1)],
        basis=f"依据{basis}的规定，",
        demand=(
            f"现责令你单位于{cn_date(order.deadline)}前整改完毕，并将整改情况书面报告我单位；"
            f"我单位将于{cn_date(order.reinspection_due_on)}前后进行复查（回头查）。"
        ),
        requirements=order.requirements_text if not samples else "",
        warning="逾期不整改或整改不到位的，将依法依规予以处理（取缔、吊销或暂扣证照、移送有关部门）。",
        issuer=issuer,
        issued=cn_date(order.issued_on),
        inspectors="、".join(u.get_full_name() or u.username for u in visit.inspectors.all()),
        receipt=[
            f"本单位（{business.name}）已收到{order.number}《责令限期整改通知书》。",
            "签收人：＿＿＿＿＿＿＿＿　　签收日期：　　年　月　日",
            f"送达人：＿＿＿＿＿＿＿＿　　送达日期：{cn_date(order.issued_on)}",
        ],
    )


def order_docx(order: RectificationOrder) -> bytes:
    """The order on one page where it fits (the form grid: 四号, 28 lines), its receipt as a tear-off
    block that moves whole to the next page when it does not fit under the signature."""
    text = order_text(order)
    doc = gongwen.Gongwen(gongwen.FORM_GRID)
    doc.paragraph(text.organ, font=gongwen.TITLE, size=gongwen.SANHAO, align=gongwen.CENTER)
    doc.paragraph(text.title, font=gongwen.TITLE, size=gongwen.ERHAO, align=gongwen.CENTER)
    doc.paragraph(text.number, align=gongwen.RIGHT_ALIGN)
    doc.addressee(text.addressee)
    doc.paragraph(text.opening)
    for line in text.findings:
        doc.paragraph(line)
    doc.paragraph(text.basis + text.demand)
    if text.requirements:
        doc.paragraph(f"整改要求：{text.requirements}")
    doc.paragraph(text.warning)
    if text.inspectors:
        doc.paragraph(f"检查人员（签名）：{text.inspectors}", indent=False)
    doc.signature(text.issuer, order.issued_on, seal_lines=1)
    doc.tear_off("送达回执", text.receipt)
    return doc.docx()
