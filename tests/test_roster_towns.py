"""Issue 24 (O5): the roster per town in a city's installation. The export names each row's town in a
镇（街道） column (only when there are several towns: a single town's workbook is as it was), the import
reads it back, and a village name that recurs in another town needs it; export and roster list per town.
A city-wide workbook is imported by a superuser (a town's office imports its own town only: town first,
tests/test_town_tenancy.py)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Business, Licence
from campaigns.roster_io.exporting import write_roster
from campaigns.roster_io.importing import roster_import
from tests import factories as f
from tests import roster_books as rb

pytestmark = pytest.mark.django_db
TOWN = "镇（街道）"


@pytest.fixture
def two_towns(village):
    """测试镇's 东村 and 第二镇 with a village also called 东村 (village names are unique per town only)."""
    second = f.TownFactory(name="第二镇", code="dier")
    twin = f.VillageFactory(town=second, name="东村", code="dier-dongcun")
    here = f.BusinessFactory(name="本镇士多", village=village, credit_code=f.make_credit_code())
    f.licensed(here)
    there = f.BusinessFactory(name="二镇士多", village=twin)
    f.licensed(there)
    return {"twin": twin, "here": here, "there": there, "second": second}


def headers(path, sheet="经营单位") -> list:
    book = load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    return next(r for r in rows if r and r[0] in ("单位名称", "统一社会信用代码"))


def test_a_single_towns_export_is_unchanged(tmp_path, village):
    f.BusinessFactory(village=village)
    path = tmp_path / "one.xlsx"
    write_roster(Business.objects.all(), str(path))
    assert TOWN not in headers(path) and list(headers(path)) == rb.BUSINESS_HEADERS


def test_a_city_export_names_the_town_and_reads_back_unchanged(tmp_path, two_towns, admin_user):
    path = tmp_path / "city.xlsx"
    write_roster(Business.objects.all(), str(path))
    assert headers(path)[-1] == TOWN and headers(path, "证照")[-1] == TOWN
    book = load_workbook(path, read_only=True)
    towns = {
        r[0]: r[-1]
        for r in book["经营单位"].iter_rows(values_only=True)
        if r and r[0] in ("本镇士多", "二镇士多")
    }
    assert towns == {"本镇士多": "测试镇", "二镇士多": "第二镇"}
    result = roster_import(path=path, user=admin_user)
    assert result.ok, result.errors
    assert (
        result.counts["businesses_unchanged"] == 2
        and result.counts["licences_unchanged"] == Licence.objects.count()
    )


def test_a_village_name_two_towns_share_needs_the_town_column(tmp_path, two_towns, admin_user):
    plain = rb.write_book(tmp_path / "plain.xlsx", [rb.business_row(name="新开士多", village="东村")])
    result = roster_import(path=plain, user=admin_user)
    assert not result.ok
    (error,) = result.errors
    assert error["column"] == "村（社区）" and "测试镇、第二镇都有" in error["message"]
    assert "镇（街道）" in error["message"]
    named = rb.write_book(
        tmp_path / "named.xlsx",
        [rb.business_row(name="新开士多", village="东村", **{TOWN: "第二镇"})],
        headers=[*rb.BUSINESS_HEADERS, TOWN],
    )
    assert roster_import(path=named, user=admin_user).ok
    assert Business.objects.get(name="新开士多").village == two_towns["twin"]


def test_an_unknown_town_or_a_village_of_another_town_is_an_error(
    tmp_path, two_towns, admin_user, other_village
):
    path = rb.write_book(
        tmp_path / "bad.xlsx",
        [
            rb.business_row(name="甲", village="东村", **{TOWN: "第九镇"}),
            rb.business_row(name="乙", village=other_village.name, **{TOWN: "dier"}),
        ],
        headers=[*rb.BUSINESS_HEADERS, TOWN],
    )
    result = roster_import(path=path, user=admin_user)
    errors = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "镇（街道）“第九镇”不存在" in errors[(2, TOWN)] and "第二镇" in errors[(2, TOWN)]
    assert errors[(3, "村（社区）")] == f"第二镇没有村（社区）“{other_village.name}”。"
    assert not Business.objects.filter(name__in=["甲", "乙"]).exists()


def test_export_and_list_per_town(tmp_path, two_towns, client, admin_user):
    out = tmp_path / "dier.xlsx"
    call_command("export_roster", str(out), "--town", "第二镇", stdout=io.StringIO())
    book = load_workbook(out, read_only=True)
    names = {r[0] for r in book["经营单位"].iter_rows(values_only=True)}
    assert "二镇士多" in names and "本镇士多" not in names
    with pytest.raises(CommandError, match="找不到该镇（街道）"):
        call_command("export_roster", str(out), "--town", "第九镇", stdout=io.StringIO())
    client.force_login(admin_user)
    page = client.get(reverse("campaigns:business_list"), {"town": "dier"})
    assert [b.name for b in page.context["page"].object_list] == ["二镇士多"]
    assert 'name="town" value="dier"' in page.content.decode()  # kept when other filters change
    # the village filter offers the chosen town's villages only (a city has thousands)
    offered = set(page.context["filter"].form.fields["village"].queryset)
    assert offered == {two_towns["twin"]}
    whole = client.get(reverse("campaigns:business_list"))
    assert two_towns["here"].village in set(whole.context["filter"].form.fields["village"].queryset)
    export = client.get(reverse("campaigns:roster_export"), {"town": "dier"})
    assert export.status_code == 200
