"""PDF sheets drawn directly with reportlab (lib/pdf.py converts .docx instead): a CJK font, QR codes.

reportlab embeds TrueType outlines only (the Noto CJK fonts are CFF), so the font is a TrueType CJK font
that fontconfig knows (`.ci/install-extras` and the Dockerfile install fonts-wqy-zenhei). Without one the
sheet falls back to the Adobe CID font STSong-Light, which every PDF reader maps to a Chinese font
but which is not embedded.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

import segno
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "wuxiao-cjk"
FALLBACK_FONT = "STSong-Light"


def _truetype_cjk() -> tuple[str, int] | None:
    """(path, index in the collection) of a TrueType font covering Chinese, by fontconfig; None if none."""
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{fontformat}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2] == "TrueType":
            # Prefer a sans font (黑体) for signs: WenQuanYi Zen Hei, then anything else.
            rank = 0 if "wqy-zenhei" in parts[0] else 1
            found.append((rank, parts[0], int(parts[1] or 0)))
    if not found:
        return None
    _rank, path, index = sorted(found)[0]
    return path, index


@functools.cache
def cjk_font() -> str:
    """The registered name of the Chinese font to draw with (registered once per process)."""
    found = _truetype_cjk()
    if found is not None:
        path, index = found
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
            return FONT_NAME
        except Exception:  # an unreadable font file: fall back rather than fail the print
            pass
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def draw_qr(canvas, text: str, *, x: float, y: float, size: float, error: str = "m") -> None:
    """A QR code of `text` as filled squares (sharp at any print size), its quiet zone included in `size`,
    with (x, y) the lower-left corner."""
    qr = segno.make(text, error=error, micro=False)
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + size - (r + 1) * module
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + start * module, top, (c - start) * module, module)
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
