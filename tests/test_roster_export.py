"""Issue 4: export follows the page's filters and scope, resists formula injection, and round-trips."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Business, Licence, Market
from campaigns.roster_io.exporting import write_roster
from campaigns.roster_io.importing import roster_import
from campaigns.roster_io.template import write_template
from tests import factories as f

pytestmark = pytest.mark.django_db
EXPORT = reverse("campaigns:roster_export")


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def names(book):
    return sorted(row[0] for row in book["经营单位"].iter_rows(min_row=2, values_only=True))


def test_export_follows_the_pages_filters(office_client, village, other_village):
    f.BusinessFactory(name="东村店", village=village)
    f.BusinessFactory(name="西村店", village=other_village, status="rectifying")
    assert names(workbook(office_client.get(EXPORT))) == ["东村店", "西村店"]
    assert names(workbook(office_client.get(EXPORT, {"village": village.pk}))) == ["东村店"]
    assert names(workbook(office_client.get(EXPORT, {"status": "rectifying"}))) == ["西村店"]
    assert names(workbook(office_client.get(EXPORT, {"q": "西村"}))) == ["西村店"]


def test_export_is_scoped(client, inspector, village, other_village):
    f.BusinessFactory(name="本村", village=village)
    f.BusinessFactory(name="外村", village=other_village)
    client.force_login(inspector)
    assert names(workbook(client.get(EXPORT))) == ["本村"]


def test_export_columns_and_licences(office_client, village):
    agri = f.category("agri")
    market = Market.objects.create(village=village, name="东村市场")
    business = f.BusinessFactory(
        name="农资店甲",
        village=village,
        category=agri,
        subtypes=list(agri.subtypes.filter(code__in=["pesticide", "seed"])),
        credit_code=f.make_credit_code(),
        market=market,
        is_model=True,
    )
    f.LicenceFactory(business=business, number="NY001", issuer="农业局")
    book = workbook(office_client.get(EXPORT))
    rows = list(book["经营单位"].values)
    assert rows[0] == (
        "单位名称", "类别", "子类", "村（社区）", "地址", "经营者", "联系电话", "统一社会信用代码",
        "经营状态", "镇中心区", "所在市场", "示范单位",
    )  # fmt: skip
    assert rows[1][:4] == ("农资店甲", "小农资店", "农药、种子", "东村")
    assert rows[1][8:] == ("正常经营", "否", "东村市场", "是")
    licence = list(book["证照"].values)[1]
    assert licence[:6] == (business.credit_code, "农资店甲", "东村", "营业执照", "NY001", "农业局")
    assert licence[6].date().isoformat() == "2020-01-01" and licence[8:] == ("有效", "是")


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"])
def test_formula_injection_is_written_as_text(office_client, village, evil):
    f.BusinessFactory(name=evil, village=village, address=evil, operator=evil)
    book = workbook(office_client.get(EXPORT))
    row = book["经营单位"][2]
    for cell in (row[0], row[4], row[5]):
        assert cell.data_type == "s" and cell.value == evil


def test_export_then_import_changes_nothing(tmp_path, village, other_village, office):
    agri = f.category("agri")
    code = f.make_credit_code()
    a = f.BusinessFactory(
        name="=危险名",
        village=village,
        category=agri,
        subtypes=list(agri.subtypes.all()[:2]),
        credit_code=code,
    )
    f.licensed(a)
    b = f.BusinessFactory(
        name="无代码店", village=other_village, status="banned", is_town_centre=True, phone=""
    )
    f.LicenceFactory(
        business=b, number="R-1", state="revoked", displayed=False, issued_on=None, expires_on=None
    )
    path = tmp_path / "out.xlsx"
    write_roster(Business.objects.all(), str(path))
    stamps = dict(Business.objects.values_list("pk", "updated_at"))
    result = roster_import(path=path, user=office)
    assert result.ok, result.errors
    assert result.counts == {
        "businesses_created": 0,
        "businesses_updated": 0,
        "businesses_unchanged": 2,
        "licences_created": 0,
        "licences_updated": 0,
        "licences_unchanged": Licence.objects.count(),
    }
    assert dict(Business.objects.values_list("pk", "updated_at")) == stamps


def test_export_into_an_empty_roster_recreates_it(tmp_path, village, office):
    a = f.BusinessFactory(name="甲", village=village, credit_code=f.make_credit_code())
    f.licensed(a)
    path = tmp_path / "out.xlsx"
    write_roster(Business.objects.all(), str(path))
    Licence.objects.all().delete()
    Business.objects.all().delete()
    result = roster_import(path=path, user=office)
    assert result.counts["businesses_created"] == 1 and result.counts["licences_created"] == 2


def test_export_command_with_filters(tmp_path, village, other_village):
    f.BusinessFactory(name="东村店", village=village)
    f.BusinessFactory(name="西村药店", village=other_village, category=f.category("pharmacy"))
    out = tmp_path / "e.xlsx"
    stdout = io.StringIO()
    call_command("export_roster", str(out), "--category", "药店", stdout=stdout)
    assert "已导出 1 家" in stdout.getvalue()
    assert names(load_workbook(out)) == ["西村药店"]
    call_command("export_roster", str(out), "--village", "东村", stdout=stdout)
    assert names(load_workbook(out)) == ["东村店"]
    with pytest.raises(CommandError, match="找不到该类别"):
        call_command("export_roster", str(out), "--category", "超市", stdout=stdout)


def test_template_sample_row_is_never_imported(tmp_path, village):
    path = tmp_path / "template.xlsx"
    write_template(str(path))
    result = roster_import(path=path, dry_run=False)
    assert "没有可导入的数据行" in result.file_error and "示例行" in result.file_error
    assert not Business.objects.exists()


def test_licence_numbers_match_as_typed_and_keep_their_stored_text(tmp_path, village, office):
    business = f.BusinessFactory(name="甲", village=village, credit_code=f.make_credit_code())
    f.LicenceFactory(business=business, number="jy 144-06")
    path = tmp_path / "out.xlsx"
    write_roster(Business.objects.all(), str(path))
    assert roster_import(path=path, user=office).counts["licences_unchanged"] == 1
    from tests import roster_books as rb

    typed = rb.write_book(
        tmp_path / "typed.xlsx",
        [rb.business_row(name="甲", 统一社会信用代码=business.credit_code)],
        [rb.licence_row(code=business.credit_code, number="ｊｙ144-06", 发证机关="新机关")],
    )
    result = roster_import(path=typed, user=office)
    assert result.counts["licences_updated"] == 1 and result.counts["licences_created"] == 0
    assert Licence.objects.get().number == "jy 144-06"
