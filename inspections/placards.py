"""QR placards (一公开, issue 25): one A5 placard per unit, two per A4 page, as a PDF to print and cut.

Each placard carries the town's name, the unit's name, category and village, its 量化分级 face (restaurants
and workshops), and the QR code of its public page. A grade change or a rotated code means printing it
again: the face and the code are read when the sheet is made.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas

from lib.pdfsheets import cjk_font, draw_qr

from .choices import Face
from .selectors.publicity import Placard

FACE_COLOURS = {
    Face.SMILE: (0.10, 0.55, 0.25),
    Face.FLAT: (0.85, 0.55, 0.05),
    Face.CRY: (0.80, 0.15, 0.15),
}


def public_url(code: str) -> str:
    """The absolute address the QR code holds (WUXIAO_SITE_URL + /p/<code>/)."""
    return settings.WUXIAO_SITE_URL.rstrip("/") + reverse("public:unit", args=[code])


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    """The largest font size ≤ size at which text fits in width."""
    while size > 8 and c.stringWidth(text, font, size) > width:
        size -= 1
    return size


def draw_face(c, face: str, *, cx: float, cy: float, r: float) -> None:
    """The 量化分级 face: a coloured disc, two eyes and a smiling, straight or downturned mouth."""
    red, green, blue = FACE_COLOURS[Face(face)]
    c.saveState()
    c.setFillColorRGB(red, green, blue)
    c.circle(cx, cy, r, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.circle(cx - r * 0.35, cy + r * 0.25, r * 0.11, stroke=0, fill=1)
    c.circle(cx + r * 0.35, cy + r * 0.25, r * 0.11, stroke=0, fill=1)
    c.setStrokeColorRGB(1, 1, 1)
    c.setLineWidth(r * 0.1)
    c.setLineCap(1)
    if face == Face.SMILE:
        c.arc(cx - r * 0.5, cy - r * 0.65, cx + r * 0.5, cy + r * 0.1, startAng=200, extent=140)
    elif face == Face.FLAT:
        c.line(cx - r * 0.4, cy - r * 0.35, cx + r * 0.4, cy - r * 0.35)
    else:
        c.arc(cx - r * 0.5, cy - r * 0.75, cx + r * 0.5, cy - r * 0.05, startAng=20, extent=140)
    c.restoreState()


def _placard(c, p: Placard, *, x0: float, y0: float, w: float, h: float, font: str, printed: str) -> None:
    margin = 10 * mm
    c.setLineWidth(1.2)
    c.setStrokeColorRGB(0.1, 0.3, 0.6)
    c.rect(x0 + 5 * mm, y0 + 5 * mm, w - 10 * mm, h - 10 * mm)
    # Header band: the town and the campaign.
    c.setFillColorRGB(0.1, 0.3, 0.6)
    c.rect(x0 + 5 * mm, y0 + h - 25 * mm, w - 10 * mm, 20 * mm, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    title = f"{p.town} 五小经营单位信息公示"
    c.setFont(font, _fit(c, title, font, 20, w - 2 * margin))
    c.drawCentredString(x0 + w / 2, y0 + h - 18 * mm, title)
    c.setFillColorRGB(0, 0, 0)
    inner = w - 2 * margin
    qr_size = 62 * mm
    qr_x = x0 + w - margin - qr_size
    qr_y = y0 + 22 * mm
    text_w = inner - qr_size - 6 * mm
    # The unit's name, large, then its category and village.
    size = _fit(c, p.name, font, 26, text_w)
    c.setFont(font, size)
    c.drawString(x0 + margin, y0 + h - 40 * mm, p.name)
    c.setFont(font, 13)
    c.drawString(x0 + margin, y0 + h - 49 * mm, f"{p.category} · {p.village}")
    if p.face:
        draw_face(c, p.face, cx=x0 + margin + 17 * mm, cy=y0 + 50 * mm, r=15 * mm)
        c.setFont(font, 16)
        c.drawString(x0 + margin + 36 * mm, y0 + 55 * mm, "量化分级")
        c.setFont(font, 14)
        c.drawString(x0 + margin + 36 * mm, y0 + 46 * mm, f"{p.hygiene_label}（{p.face_label}）")
    else:
        c.setFont(font, 12)
        c.drawString(x0 + margin, y0 + 52 * mm, "扫码查看：证照及有效期、")
        c.drawString(x0 + margin, y0 + 45 * mm, "最近检查结果、整改情况")
    draw_qr(c, public_url(p.code), x=qr_x, y=qr_y, size=qr_size)
    c.setFont(font, 11)
    c.drawCentredString(qr_x + qr_size / 2, qr_y - 6 * mm, "微信/手机扫码 查看本店公示信息")
    c.setFont(font, 9)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawString(x0 + margin, y0 + 12 * mm, f"请张贴于店内醒目位置，勿遮挡、勿损毁 · 打印于 {printed}")


def placard_sheet(placards: Sequence[Placard]) -> bytes:
    """The PDF: A4 portrait pages, two A5 placards each (top and bottom), a dashed line to cut along."""
    font = cjk_font()
    buffer = io.BytesIO()
    c = pdfcanvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle("公示牌")
    c.setAuthor(placards[0].town if placards else "")
    width, height = A4
    half = height / 2
    printed = f"{timezone.localdate():%Y-%m-%d}"
    for i in range(0, len(placards), 2):
        for slot, p in enumerate(placards[i : i + 2]):
            _placard(c, p, x0=0, y0=half if slot == 0 else 0, w=width, h=half, font=font, printed=printed)
        c.saveState()
        c.setDash(4, 4)
        c.setStrokeColorRGB(0.6, 0.6, 0.6)
        c.setLineWidth(0.5)
        c.line(0, half, width, half)
        c.restoreState()
        c.showPage()
    c.save()
    return buffer.getvalue()
