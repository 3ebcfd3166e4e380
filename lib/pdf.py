"""PDF from .docx with LibreOffice headless (`soffice --convert-to pdf`), for phones and printing.

The web never waits for LibreOffice: `pdf_response` serves the PDF of a document when a worker has made
it, and otherwise stores the .docx, queues `convert_stored` (a Celery task, on commit) and answers with a
page that reloads itself until the PDF is there. PDFs are kept in the private storage under pdf/, named by
a hash of the document's content, so a document that has not changed is converted once; the .docx stays
available beside it. Where LibreOffice is not installed the page says so and offers the .docx.

Each conversion runs with its own LibreOffice profile (-env:UserInstallation) in a temporary folder, so
conversions running at once (two workers, a test beside a worker) never share the profile's lock, and
with lib/fonts/gongwen.conf as its fontconfig file, so the 公文 font names fall back in the documented
order (lib/gongwen.FONTS). Model-free; callers decide where the PDF is kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import render

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


# --- kept PDFs and the worker task ------------------------------------------------------------------

FOLDER = "pdf"


def content_key(data: bytes) -> str:
    """A hash of the document's parts (a .docx's zip stamps each part with the time it was written, so
    the same document built twice differs in its bytes, not in its parts)."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in sorted(book.namelist()):
                digest.update(name.encode())
                digest.update(book.read(name))
    except zipfile.BadZipFile:  # not a .docx: LibreOffice will say what it is; the key is its bytes'
        digest.update(data)
    return digest.hexdigest()[:40]


def _paths(key: str) -> tuple[str, str]:
    return f"{FOLDER}/{key}.docx", f"{FOLDER}/{key}.pdf"


def stored_pdf(data: bytes) -> str | None:
    """The storage name of this document's PDF when a worker has made it."""
    _docx, pdf_name = _paths(content_key(data))
    return pdf_name if default_storage.exists(pdf_name) else None


def request_pdf(data: bytes) -> str:
    """Keep the .docx and queue its conversion (after the current transaction commits). Returns the key."""
    key = content_key(data)
    docx_name, _pdf = _paths(key)
    if not default_storage.exists(docx_name):
        default_storage.save(docx_name, ContentFile(data))
    transaction.on_commit(lambda: convert_stored.delay(key))
    return key


@shared_task(autoretry_for=(ConversionError,), retry_backoff=30, max_retries=2)
def convert_stored(key: str) -> str | None:
    """Worker: the kept .docx of `key` → its PDF beside it. Repeat-safe (a PDF already there is kept)."""
    docx_name, pdf_name = _paths(key)
    if default_storage.exists(pdf_name):
        return pdf_name
    if not default_storage.exists(docx_name):
        return None
    with default_storage.open(docx_name, "rb") as handle:
        rendered = docx_to_pdf(handle.read())
    if not default_storage.exists(pdf_name):  # another worker may have finished first
        default_storage.save(pdf_name, ContentFile(rendered))
    return pdf_name


def pdf_response(request, data: bytes, *, filename: str, docx_url: str):
    """The PDF of a .docx the view has already built (and scoped): served when made, else queued with a
    page that reloads itself (HTTP 202), or a page offering the .docx where LibreOffice is missing."""
    name = stored_pdf(data)
    if name is not None:
        return FileResponse(
            default_storage.open(name, "rb"),
            as_attachment=False,
            filename=filename,
            content_type="application/pdf",
        )
    if not available():
        return render(request, "pdf_pending.html", {"missing": True, "docx_url": docx_url}, status=503)
    request_pdf(data)
    return render(request, "pdf_pending.html", {"missing": False, "docx_url": docx_url}, status=202)
