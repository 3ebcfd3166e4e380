"""Issue 17: every document kind as the office prints it — converted to PDF by LibreOffice headless (once
per kind per test session), read back with poppler (pdfinfo, pdftotext), its pages drawn at 60 dpi into
artifacts/documents/ for a person to look at; and the .docx itself checked for GB/T 9704-2012 (DOMAIN §8):
A4 with the 37/28 mm margins, fonts named with their East Asian names, zh-CN, numbers and dates unpadded.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from docx.oxml.ns import qn
from docx.shared import Mm

from dashboard import services as dashboard_services
from inspections.choices import SampleAction, SampleKind, SampleResult
from inspections.documents import order_docx
from inspections.models import Sample
from inspections.services import sampling
from lib import gongwen, pdf
from tests import factories as f
from tests.factories_dashboard import AFTER, BEFORE, campaign, small_town
from tests.factories_inspections import inspect

ARTIFACTS = Path(os.environ.get("WUXIAO_ARTIFACTS_DIR", Path(__file__).resolve().parents[1] / "artifacts"))
DAY = datetime.date(2026, 9, 8)
FEW = ("C2-1", "C2-2")
MANY = ("C1-1", "C2-1", "C2-2", "C3-1", "C4-1", "C4-2", "C5-1", "C5-2")
PAGE_NUMBER = re.compile(r"^— ?\d+ ?—$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _build() -> dict[str, bytes]:
    """Every document kind, built from real rows in a transaction that is rolled back."""
    town = f.TownFactory()
    village = f.VillageFactory(town=town, name="东村", code="doc-dongcun")
    other = f.VillageFactory(town=town, name="西村", code="doc-xicun")
    inspector = f.user_with_role("inspector", "doc_inspector", village=village)
    office = f.user_with_role("office", "doc_office")
    docs: dict[str, bytes] = {}

    shop = f.BusinessFactory(village=village, category=f.category("grocery"), name="东村便利店")
    f.licensed(shop)
    few = inspect(shop, inspector, day=DAY - datetime.timedelta(days=3), fails=FEW).orders_issued.get()
    docs["order-items"] = order_docx(few)
    big = f.BusinessFactory(village=village, category=f.category("grocery"), name="东村惠民超市")
    f.licensed(big)
    many = inspect(big, inspector, day=DAY - datetime.timedelta(days=2), fails=MANY).orders_issued.get()
    docs["order-many-items"] = order_docx(many)

    pharmacy = f.BusinessFactory(village=village, category=f.category("pharmacy"), name="东村仁心大药房")
    visit = inspect(pharmacy, office, day=DAY - datetime.timedelta(days=10))
    sampling.sample_register(
        sample=Sample(
            number="CY2026-9",
            business=pharmacy,
            visit=visit,
            kind=SampleKind.HERBAL,
            product="当归饮片",
            batch="20260301",
            quantity="500g×2",
            lab="市药品检验所",
            bureau=f.department("city_drug"),
            sampled_on=DAY - datetime.timedelta(days=10),
        ),
        user=office,
    )
    sample = sampling.sample_record_result(
        number="CY2026-9",
        user=office,
        result=SampleResult.FAIL,
        result_on=timezone.localdate(),
        failing_items="二氧化硫残留量超标",
        action=SampleAction.RECTIFY,
        deadline=timezone.localdate() + datetime.timedelta(days=15),
    )
    docs["order-sample"] = order_docx(sample.order)

    c = campaign()
    small_town(village, other)
    dashboard_services.bulletin_create(campaign=c, period_end=BEFORE)
    bulletin = dashboard_services.bulletin_create(campaign=c, period_end=AFTER)
    docs["bulletin"] = bulletin.file.read()
    circular = dashboard_services.circular_draft(campaign=c, as_of=AFTER)
    docs["circular-draft"] = dashboard_services.circular_document(circular)
    issued = dashboard_services.circular_issue(circular=circular, user=office)
    docs["circular-issued"] = issued.file.read()
    return docs


_RENDERED: dict[str, tuple[bytes, bytes, list[str]]] = {}


@pytest.fixture
def documents(db, tmp_path_factory):
    """{kind: (docx bytes, pdf bytes, [page texts])}: built by the first test that asks (in its rolled
    back transaction) and converted in one LibreOffice run per session; the pages drawn at 60 dpi into
    artifacts/documents/<kind>-<page>.png."""
    if not _RENDERED:
        _RENDERED.update(_render(tmp_path_factory))
    return _RENDERED


def _render(tmp_path_factory) -> dict[str, tuple[bytes, bytes, list[str]]]:
    media = tmp_path_factory.mktemp("documents-media")
    with override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = _build()
        transaction.set_rollback(True)
    pdfs = pdf.docx_to_pdfs(list(built.values()))
    out = ARTIFACTS / "documents"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    result = {}
    for (kind, data), rendered in zip(built.items(), pdfs, strict=True):
        (out / f"{kind}.docx").write_bytes(data)
        path = out / f"{kind}.pdf"
        path.write_bytes(rendered)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(out / kind)], check=True)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        result[kind] = (data, rendered, text.split("\f")[:-1] or [text])
    return result


def lines_of(page: str) -> list[str]:
    """The page's lines of text, squeezed, without the page number."""
    lines = [re.sub(r"\s+", "", line) for line in page.splitlines()]
    return [line for line in lines if line and not PAGE_NUMBER.match(line.replace(" ", ""))]


def pdf_info(data: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", tmp.name], capture_output=True, text=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


KINDS = ["order-items", "order-many-items", "order-sample", "bulletin", "circular-draft", "circular-issued"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_a4(documents, kind):
    _docx, rendered, pages = documents[kind]
    info = pdf_info(rendered)
    sizes = {v.strip() for k, v in info.items() if k.startswith("Page") and "size" in k}
    assert sizes, info
    for size in sizes:
        width, height = (float(x) for x in re.findall(r"[\d.]+", size)[:2])
        assert (round(width), round(height)) == (595, 842), size
    assert int(info["Pages"]) == len(pages)


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_holds_only_a_date_or_a_scrap_of_the_title(documents, kind):
    _docx, _pdf, pages = documents[kind]
    for number, page in enumerate(pages, start=1):
        lines = lines_of(page)
        assert lines, f"{kind}: page {number} is empty"
        dates = [line for line in lines if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line)]
        assert len(lines) > len(dates) + 1, f"{kind}: page {number} holds only {lines}"
        assert any(len(CJK.findall(line)) > 2 for line in lines), f"{kind}: page {number} holds {lines}"


@pytest.mark.parametrize("kind", ["order-items", "order-sample"])
def test_a_short_order_and_its_receipt_share_one_page(documents, kind):
    _docx, _pdf, pages = documents[kind]
    assert len(pages) == 1
    text = "".join(lines_of(pages[0]))
    assert "责令限期整改通知书" in text and "送达回执" in text and "签收日期" in text


def test_a_long_order_moves_its_receipt_whole_to_the_next_page(documents):
    _docx, _pdf, pages = documents["order-many-items"]
    assert len(pages) == 2
    first, second = ("".join(lines_of(p)) for p in pages)
    assert "送达回执" not in first and "签收日期" not in first
    # the receipt, heading to last line, on the second page
    assert "送达回执" in second and "签收日期" in second and "送达人" in second


def test_orders_list_what_failed_with_the_basis_deadline_and_reinspection(documents):
    items = "".join("".join(lines_of(p)) for p in documents["order-items"][2])
    assert "建立食品进货台账——不符合" in items and "索证索票" in items
    sample = "".join("".join(lines_of(p)) for p in documents["order-sample"][2])
    assert "当归饮片" in sample and "二氧化硫残留量超标" in sample and "CY2026-9" in sample
    assert "《中华人民共和国药品管理法》" in sample
    for text in (items, sample):
        assert "整改完毕" in text and "复查" in text and "依据" in text
        assert "测试镇" in text  # the issuing organ with the town's name


def test_circular_has_seal_space_imprint_and_the_towns_full_name(documents):
    for kind in ("circular-draft", "circular-issued"):
        text = "\n".join("\n".join(lines_of(p)) for p in documents[kind][2])
        assert "测试镇五小经营单位专项整治领导小组" in text
        assert "抄送：" in text and "印发" in text
        assert re.search(r"五小整治〔2026〕[1-9]\d*号", text)
    assert "草稿" in "".join(documents["circular-draft"][2])
    assert "草稿" not in "".join(documents["circular-issued"][2])


def test_bulletin_table_fits_its_content(documents):
    """The 内容 column is the widest, 目标 one of the narrowest: the table does not run pages long."""
    document = docx.Document(io.BytesIO(documents["bulletin"][0]))
    table = document.tables[0]
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.gridCol_lst]
    assert widths[1] == max(widths) and widths[0] < widths[1] / 3
    assert sum(widths) == pytest.approx(Mm(156).twips, abs=len(widths))


@pytest.mark.parametrize("kind", KINDS)
def test_docx_page_fonts_and_language(documents, kind):
    data = documents[kind][0]
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)
    body = document.element.body
    runs = [
        r for r in body.iter(qn("w:r")) if r.find(qn("w:t")) is not None and "".join(r.itertext()).strip()
    ]
    assert runs
    fonts = set()
    for run in runs:
        rpr = run.find(qn("w:rPr"))
        east = rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        assert east in {names[0] for names in gongwen.FONTS.values()}, east
        fonts.add(east)
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "zh-CN"
    assert "仿宋_GB2312" in fonts
    styles = document.styles.element
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            assert style.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "zh-CN"
    text = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert not re.search(r"〔\d{4}〕0\d*号", text), "发文字号 padded"
    assert not re.search(r"年0\d月|月0\d日", text), "date padded"
    assert re.search(r"\d{4}年[1-9]\d?月[1-9]\d?日", text)


def test_titles_keep_their_words_together(documents):
    text = "\n".join(documents["circular-issued"][2])
    title = [
        re.sub(r"\s+", "", line) for line in text.splitlines() if "验收情况的通报" in line or "关于" in line
    ]
    assert title and all(len(line) >= 3 for line in title)
    assert not any(re.fullmatch(r"\s*报\s*", line) for line in text.splitlines())
