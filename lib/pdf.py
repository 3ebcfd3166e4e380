"""PDF from .docx with LibreOffice headless (`soffice --convert-to pdf`), for phones and printing.

Each conversion runs with its own LibreOffice profile (-env:UserInstallation) in a temporary folder, so
conversions running at once (two workers, a test beside a worker) never share the profile's lock, and
with lib/fonts/gongwen.conf as its fontconfig file, so the 公文 font names fall back in the documented
order (lib/gongwen.FONTS). Model-free; callers decide where the PDF is kept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "gongwen.conf"
TIMEOUT = 180  # seconds for one call (LibreOffice's first start in a fresh profile takes a few)


class ConversionError(RuntimeError):
    """LibreOffice did not produce the PDF (not installed, crashed or timed out)."""


def soffice() -> str | None:
    """The LibreOffice executable, or None where it is not installed (the .docx is still offered)."""
    return os.environ.get("WUXIAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(data: bytes) -> bytes:
    """One .docx (bytes) → its PDF (bytes)."""
    return docx_to_pdfs([data])[0]


def docx_to_pdfs(documents: Sequence[bytes]) -> list[bytes]:
    """Several .docx in one LibreOffice start (it costs seconds; the conversions themselves are quick)."""
    program = soffice()
    if program is None:
        raise ConversionError("未安装 LibreOffice（soffice），无法生成 PDF。")
    with tempfile.TemporaryDirectory(prefix="wuxiao-pdf-") as tmp:
        folder = Path(tmp)
        sources = []
        for i, data in enumerate(documents):
            path = folder / f"document-{i}.docx"
            path.write_bytes(data)
            sources.append(str(path))
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            *sources,
        ]
        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice 转换超时（{TIMEOUT} 秒）。") from exc
        results = []
        for source in sources:
            pdf = folder / "out" / (Path(source).stem + ".pdf")
            if not pdf.exists():
                detail = (done.stderr or done.stdout).decode(errors="replace").strip()[-500:]
                raise ConversionError(f"LibreOffice 未能生成 PDF（退出码 {done.returncode}）：{detail}")
            results.append(pdf.read_bytes())
        return results
