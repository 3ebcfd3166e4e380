"""Issue 24 (O5): the city's own bulletin and circular on its towns. A city leader drafts them from the
city's figures; the .docx (lib.gongwen, GB/T 9704) carries the city's masthead and its own numbering, ranks
the towns and names every town below a target with its figures. A town's office cannot draft or open them.
"""

import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from docx import Document

from dashboard.models import CityPaper
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town

pytestmark = pytest.mark.django_db
PAPERS = reverse("dashboard:city_papers")


@pytest.fixture
def town(village, other_village):
    """测试镇 (small_town: G1 4 of 8) and 第二镇: two groceries, one licensed (G1 1 of 2), and a pharmacy
    without licences (G1 1 of 3) — below target on G1 in both towns, with its figures."""
    b = {"campaign": campaign(), **small_town(village, other_village)}
    second = f.TownFactory(name="第二镇", code="dier")
    far = f.VillageFactory(town=second, name="第二镇一村", code="dier1")
    f.licensed(f.BusinessFactory(name="第二镇达标士多", village=far))
    f.BusinessFactory(name="第二镇无证士多", village=far)
    f.BusinessFactory(name="第二镇药店", village=far, category=f.category("pharmacy"))
    return b


@pytest.fixture
def city_leader(db):
    return f.user_with_role("city_leader", "city_paper_leader")


def text_of(paper: CityPaper) -> str:
    with paper.file.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def draft(client, kind: str):
    return client.post(PAPERS, {"kind": kind, "as_of": AFTER.isoformat()})


def test_a_city_circular_names_each_town_below_target_with_its_figures(client, town, city_leader, settings):
    settings.WUXIAO_CITY_OFFICE = "江城市食品安全委员会办公室"
    settings.WUXIAO_CITY_DOC_PREFIX = "江食安办"
    client.force_login(city_leader)
    assert draft(client, "circular").status_code == 302
    paper = CityPaper.objects.get()
    text = text_of(paper)
    assert "江城市食品安全委员会办公室文件" in text  # the city's masthead
    assert f"江食安办〔{paper.year}〕1号" in text  # its own numbering, no padding
    title = "关于全市各镇（街道）五小经营单位专项整治目标完成情况的通报"
    assert title in text.replace("\n", "")  # the title is broken in two lines
    # Both towns are below G1; each is named with its figures.
    assert "第二镇：G1 证照齐全并亮证经营 1/3（33.3%，目标100.0%）" in text
    assert "测试镇：G1 证照齐全并亮证经营 4/8（50.0%，目标100.0%）" in text
    ranked = [t["town"] for t in paper.figures["towns"]]
    assert sorted(ranked) == ["测试镇", "第二镇"] and [t["rank"] for t in paper.figures["towns"]] == [1, 2]
    # The next circular takes the next number; a bulletin is numbered on its own.
    assert draft(client, "circular").status_code == 302
    assert draft(client, "bulletin").status_code == 302
    numbers = sorted(CityPaper.objects.values_list("kind", "number"))
    assert numbers == [("bulletin", 1), ("circular", 1), ("circular", 2)]
    bulletin = CityPaper.objects.get(kind="bulletin")
    assert "第1期" in text_of(bulletin) and "第二镇：G1" in text_of(bulletin)
    # Audited, with who drafted it; listed and downloadable.
    assert LogEntry.objects.get_for_object(paper).get().actor == city_leader
    page = client.get(PAPERS)
    assert paper in list(page.context["page"].object_list)
    download = client.get(reverse("dashboard:city_paper_download", args=[paper.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    pdf = client.get(reverse("dashboard:city_paper_pdf", args=[paper.pk]))
    assert pdf.status_code in (200, 202, 503)  # lib.pdf: served, queued for a worker, or no LibreOffice


def test_a_town_office_cannot_draft_or_open_the_citys_papers(client, town, city_leader, office):
    client.force_login(city_leader)
    draft(client, "circular")
    paper = CityPaper.objects.get()
    bureau = f.user_with_role("city_bureau", "paper_bureau", department=f.department("city_drug"))
    for user in (office, bureau):
        client.force_login(user)
        assert client.get(PAPERS).status_code == 404
        assert draft(client, "circular").status_code == 404
        assert client.get(reverse("dashboard:city_paper_download", args=[paper.pk])).status_code == 404
        assert client.get(reverse("dashboard:city_paper_pdf", args=[paper.pk])).status_code == 404
    assert CityPaper.objects.count() == 1


def test_an_unknown_kind_is_a_form_error_in_chinese(client, town, city_leader):
    client.force_login(city_leader)
    response = draft(client, "memo")
    assert response.status_code == 200 and not CityPaper.objects.exists()
    assert "选择一个有效的选项" in " ".join(response.context["form"].errors["kind"])


def test_two_first_drafts_of_a_kind_at_once_read_as_a_form_error_not_a_500(
    client, town, city_leader, monkeypatch
):
    """Issue 24: the year's first circular drafted twice at once. The numbering is locked per kind and year
    (PostgreSQL: an advisory lock); should two still take the same number, the second reads a clear
    message on the page — no 500, nothing saved twice."""
    from dashboard import services

    client.force_login(city_leader)
    assert draft(client, "circular").status_code == 302
    first = CityPaper.objects.get()
    # The second draft read the numbers before the first was saved (what the lock now prevents).
    monkeypatch.setattr(services, "_lock_city_numbering", lambda kind, year: None)
    monkeypatch.setattr(services, "_last_city_number", lambda kind, year: 0)
    response = client.post(PAPERS, {"kind": "circular", "as_of": AFTER.isoformat()}, follow=True)
    assert response.status_code == 200
    assert "第 1 号文件刚刚已由他人生成" in response.content.decode()
    assert list(CityPaper.objects.all()) == [first]
