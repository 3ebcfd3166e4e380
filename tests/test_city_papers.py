"""Issue 24 (O5): the city's own bulletin and circular on its towns. A city leader drafts them from the
city's figures; the .docx (lib.gongwen, GB/T 9704) carries the city's masthead and its own numbering, ranks
the towns and names every town below a target with its figures. Like the town's circular (P2), a paper is a
draft first — its title and text edited, read as .docx or PDF marked 草稿 — and issuing (印发) freezes it and
stores the .docx; an issued paper is neither edited nor issued again (a message, not a 500). A town's office
and the city's bureaus cannot draft or open them.
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


def text_of(paper: CityPaper | bytes) -> str:
    if isinstance(paper, bytes):
        data = paper
    else:
        with paper.file.open("rb") as handle:
            data = handle.read()
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def draft(client, kind: str):
    return client.post(PAPERS, {"kind": kind, "as_of": AFTER.isoformat()})


def issue(client, paper: CityPaper):
    return client.post(reverse("dashboard:city_paper_issue", args=[paper.pk]), follow=True)


def test_a_city_circular_names_each_town_below_target_with_its_figures(client, town, city_leader, settings):
    settings.WUXIAO_CITY_OFFICE = "江城市食品安全委员会办公室"
    settings.WUXIAO_CITY_DOC_PREFIX = "江食安办"
    client.force_login(city_leader)
    response = draft(client, "circular")
    paper = CityPaper.objects.get()
    assert response["Location"] == paper.get_absolute_url()  # to the draft, to review it
    assert paper.state == "draft" and not paper.file
    assert issue(client, paper).status_code == 200
    paper.refresh_from_db()
    assert paper.is_issued and paper.issued_by == city_leader and paper.issued_at
    text = text_of(paper)
    assert "草稿" not in text
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
    issue(client, bulletin)
    bulletin.refresh_from_db()
    assert "第1期" in text_of(bulletin) and "第二镇：G1" in text_of(bulletin)
    # Audited, with who drafted and who issued it; listed and downloadable.
    assert {e.actor for e in LogEntry.objects.get_for_object(paper)} == {city_leader}
    assert LogEntry.objects.get_for_object(paper).count() == 2  # drafted, issued
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
        assert client.get(paper.get_absolute_url()).status_code == 404
        assert client.post(paper.get_absolute_url(), {"title": "改", "preamble": "改"}).status_code == 404
        assert client.post(reverse("dashboard:city_paper_issue", args=[paper.pk])).status_code == 404
    assert CityPaper.objects.count() == 1
    paper.refresh_from_db()
    assert paper.state == "draft" and paper.title != "改"


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
    assert "第 1 号文件刚刚已由他人起草" in response.content.decode()
    assert list(CityPaper.objects.all()) == [first]


def test_a_draft_is_edited_then_issued_frozen_with_its_text_o5(client, town, city_leader):
    """O5, issue 24: the city leader reviews the draft — title and text, the ranking table stays the
    figures' — reads it as a .docx marked 草稿, and issues it; the stored file says what the draft said."""
    client.force_login(city_leader)
    draft(client, "circular")
    paper = CityPaper.objects.get()
    url = paper.get_absolute_url()
    page = client.get(url)
    form = page.context["form"]
    assert page.status_code == 200 and form is not None
    assert "第二镇" in form.initial["criticised"] and "通报批评" in form.initial["criticised"]
    data = {k: form.initial[k] for k in ("title", "preamble", "commended", "criticised", "requirements")}
    data["title"] = "关于全市各镇（街道）五小整治目标完成情况的通报（审改）"
    data["requirements"] = "第二镇于10日内报送整改方案。"
    assert client.post(url, data).status_code == 302
    paper.refresh_from_db()
    assert paper.title.endswith("（审改）") and paper.state == "draft"
    preview = client.get(reverse("dashboard:city_paper_download", args=[paper.pk]))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("attachment")
    preview_text = text_of(preview.content)
    assert "草稿" in preview_text and "第二镇于10日内报送整改方案。" in preview_text
    assert "测试镇" in preview_text  # the ranking table, from the figures
    pdf = client.get(reverse("dashboard:city_paper_pdf", args=[paper.pk]))
    assert pdf.status_code in (200, 202, 503)  # lib.pdf: served, queued for a worker, or no LibreOffice
    # A required part left empty is a form error, in Chinese; nothing saved.
    response = client.post(url, {**data, "preamble": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in " ".join(response.context["form"].errors["preamble"])
    issue(client, paper)
    paper.refresh_from_db()
    text = text_of(paper)
    assert "第二镇于10日内报送整改方案。" in text and "草稿" not in text
    assert "（审改）" in text.replace("\n", "")


def test_an_issued_paper_is_not_edited_nor_issued_again_o5(client, town, city_leader):
    """Issue 24: an issued paper is frozen: editing it or issuing it again reads a clear Chinese message
    (never a 500), and its text and stored file stay as they were."""
    from django.core.exceptions import ValidationError

    from dashboard import services

    client.force_login(city_leader)
    draft(client, "bulletin")
    paper = CityPaper.objects.get()
    issue(client, paper)
    paper.refresh_from_db()
    stored, title = paper.file.name, paper.title
    page = client.get(paper.get_absolute_url())
    assert page.context["form"] is None and "已印发" in page.content.decode()
    response = client.post(
        paper.get_absolute_url(),
        {"title": "改", "preamble": "改", "criticised": "改", "requirements": "改"},
        follow=True,
    )
    assert response.status_code == 200 and "第1期已印发，不能再修改。" in response.content.decode()
    response = issue(client, paper)
    assert response.status_code == 200 and "不能重复印发" in response.content.decode()
    paper.refresh_from_db()
    assert (paper.title, paper.file.name) == (title, stored)
    with pytest.raises(ValidationError, match="已印发，不能再修改"):
        services.city_paper_update(paper=paper, title="改")
    with pytest.raises(ValidationError, match="不能重复印发"):
        services.city_paper_issue(paper=paper, user=city_leader)


def test_a_bulletin_has_no_commendation_and_names_its_parts_as_a_bulletin(client, town, city_leader):
    """The bulletin reports (未达标的镇（街道）, 下一步工作); commending is the circular's."""
    client.force_login(city_leader)
    draft(client, "bulletin")
    paper = CityPaper.objects.get()
    form = client.get(paper.get_absolute_url()).context["form"]
    assert "commended" not in form.fields and form.fields["requirements"].label == "下一步工作"
    text = text_of(client.get(reverse("dashboard:city_paper_download", args=[paper.pk])).content)
    assert "未达标的镇（街道）" in text and "通报表扬" not in text


def test_the_migration_carries_papers_drafted_before_drafts_existed_as_issued():
    """Issue 24: papers drafted before this change were final at once — the migration marks them issued,
    when and by whom they were drafted."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dashboard.migrations.0010_city_paper_drafts")
    leader = f.user_with_role("city_leader", "old_leader")
    old = CityPaper.objects.create(
        kind="circular", year=2026, number=7, title="旧通报", as_of=AFTER, created_by=leader
    )
    assert old.state == "draft"
    migration.carry_as_issued(apps, None)
    old.refresh_from_db()
    assert old.is_issued and old.issued_by == leader and old.issued_at == old.created_at


def test_numbers_stay_unique_per_kind_and_year_across_drafts_and_issues(client, town, city_leader):
    """Issue 24: a paper takes its number when drafted; issuing keeps it; the next draft takes the next."""
    client.force_login(city_leader)
    draft(client, "circular")
    first = CityPaper.objects.get()
    issue(client, first)
    draft(client, "circular")
    numbers = sorted(CityPaper.objects.filter(kind="circular").values_list("number", flat=True))
    assert numbers == [1, 2]
    first.refresh_from_db()
    assert first.number == 1 and first.reference.endswith(f"〔{first.year}〕1号")
