"""Lab results in bulk (A5, D6): an .xlsx of results, checked whole with the single form's rules; any error
and nothing is written, each error naming sheet, row, column and value; a failing sample opens its order
or referral as the single form does; the query count does not grow with the rows."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import sample_io, selectors
from inspections.choices import OrderStatus, SampleAction, SampleKind, SampleResult
from inspections.models import RectificationOrder, Sample
from inspections.services import sampling as services
from lib.workbook import BadFile
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SAMPLED = TODAY - datetime.timedelta(days=10)
SOON = TODAY + datetime.timedelta(days=9)
HEADER = ["样品编号", "检验结果", "不合格项目", "检验日期", "处理方式", "整改期限", "移送部门"]
IMPORT = reverse("inspections:sample_import")


@pytest.fixture
def shop(village):
    return f.BusinessFactory(name="东村粮油店", village=village)


def register(business, user, number, visit=None):
    return services.sample_register(
        sample=Sample(
            number=number,
            business=business,
            visit=visit,
            kind=SampleKind.FOOD,
            product="散装菜籽油",
            quantity="1L",
            lab="县食品检测中心",
            sampled_on=SAMPLED,
        ),
        user=user,
    )


def workbook(rows, header=HEADER, sheet="检验结果") -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def run(tmp_path, rows, user, **kw):
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook(rows, **kw))
    return sample_io.sample_results_import(path=path, user=user)


def test_results_are_recorded_and_failures_acted_on(tmp_path, shop, office):
    visit = inspect(shop, office, day=SAMPLED)
    register(shop, office, "S-001")
    register(shop, office, "S-002", visit=visit)
    other = f.BusinessFactory(village=shop.village)
    register(other, office, "S-003")
    deadline = TODAY + datetime.timedelta(days=15)
    result = run(
        tmp_path,
        [
            ["S-001", "合格", None, TODAY, None, None, None],
            ["S-002", "不合格", "酸价超标", TODAY.isoformat(), "责令整改", deadline, None],
            ["S-003", "不合格", "过氧化值超标", f"{TODAY:%Y年%m月%d日}", "移送处理", None, "工商分局"],
        ],
        office,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert len(result.updated) == 3 and result.failed == 2
    s1, s2, s3 = (Sample.objects.get(number=n) for n in ("S-001", "S-002", "S-003"))
    assert (s1.result, s1.result_on, s1.action) == (SampleResult.PASS, TODAY, "")
    # 责令整改: the order through the visits' order service, as the single form issues it.
    order = s2.order
    assert s2.result == SampleResult.FAIL and s2.action == SampleAction.RECTIFY
    assert order.status == OrderStatus.OPEN and order.visit == visit and order.deadline == deadline
    assert "酸价超标" in order.requirements_text and "S-002" in order.requirements_text
    assert s3.action == SampleAction.REFER and s3.referral_department.name == "工商分局"
    # D6: both businesses are now due follow-up sampling.
    assert set(selectors.samples_awaiting_follow_up(user=office)) == {shop, other}
    entries = LogEntry.objects.filter(
        content_type__model="sample", action=LogEntry.Action.UPDATE, object_pk__in=[s1.pk, s2.pk, s3.pk]
    )
    assert sorted(e.changes["result"][1] for e in entries) == ["fail", "fail", "pass"]


def test_any_error_writes_nothing_and_every_error_is_named(tmp_path, shop, office):
    visit = inspect(shop, office, day=SAMPLED)
    register(shop, office, "S-001")
    register(shop, office, "S-002", visit=visit)
    done = register(shop, office, "S-003")
    services.sample_record_result(number="S-003", user=office, result=SampleResult.PASS, result_on=TODAY)
    register(shop, office, "S-004")
    register(shop, office, "S-005")
    rows = [
        ["S-001", "合格", None, TODAY, None, None, None],  # row 2: fine on its own
        [
            "S-002",
            "不合格",
            "酸价超标",
            TODAY,
            "责令整改",
            TODAY + datetime.timedelta(days=9),
            None,
        ],  # 3: fine
        ["S-003", "合格", None, TODAY, None, None, None],  # 4: already recorded
        ["S-2026-099", "合格", None, TODAY, None, None, None],  # 5: unknown sample
        ["S-004", "合格", None, "2026-13-45", None, None, None],  # 6: bad date
        ["S-005", "不合格", None, TODAY, "移送处理", None, "工商分局"],  # 7: no failing items
        ["S-001", "合格", None, TODAY, None, None, None],  # 8: duplicate of row 2
        ["S-004", "优秀", None, TODAY, None, None, None],  # 9: duplicate and not 合格/不合格
    ]
    result = run(tmp_path, rows, office)
    assert not result.ok and result.updated == []
    text = [str(e) for e in result.errors]
    assert any(
        t.startswith("工作表“检验结果” 第 5 行 样品编号（A列） 'S-2026-099'：找不到该样品") for t in text
    ), text
    assert any("第 4 行" in t and "已登记结果（合格），不能重复登记" in t for t in text), text
    assert any("第 6 行 检验日期（D列） '2026-13-45'：日期不存在" in t for t in text), text
    assert any("第 7 行" in t and "不合格项目" in t and "不合格须填写不合格项目" in t for t in text), text
    assert any("第 8 行" in t and "与第 2 行的样品编号重复" in t for t in text), text
    assert any("第 9 行" in t for t in text), text
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    # Nothing half-written: not the fine rows, not the order of row 3.
    assert Sample.objects.filter(result=SampleResult.PENDING).count() == 4
    assert not RectificationOrder.objects.filter(visit=visit).exists()
    done.refresh_from_db()
    assert done.result == SampleResult.PASS


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["S-001", "不合格", "酸价超标", TODAY, None, None, None], "不合格样品须选择处理方式"),
        (["S-001", "不合格", "酸价超标", TODAY, "移送处理", None, None], "移送处理须选择接收部门"),
        (["S-001", "不合格", "酸价超标", TODAY, "移送处理", None, "火星局"], "找不到该部门"),
        (
            ["S-001", "不合格", "酸价超标", TODAY, "责令整改", TODAY + datetime.timedelta(days=5), None],
            "未关联检查记录",
        ),
        (
            ["S-001", "合格", None, SAMPLED - datetime.timedelta(days=1), None, None, None],
            "结果日期不能早于抽样日期",
        ),
        (["S-001", "合格", None, None, None, None, None], "必填，请填写检验日期"),
        (["S-001", "合格", None, TODAY, "罚款", None, None], "应填“责令整改”或“移送处理”"),
    ],
)
def test_the_single_forms_rules_apply_to_each_row(tmp_path, shop, office, row, message):
    register(shop, office, "S-001")
    result = run(tmp_path, [row], office)
    assert [e.row for e in result.errors] == [2] and message in result.errors[0].message
    assert Sample.objects.get().result == SampleResult.PENDING


def test_samples_out_of_scope_read_as_unknown(tmp_path, shop, office, other_inspector):
    register(shop, office, "S-001")
    result = run(tmp_path, [["S-001", "合格", None, TODAY, None, None, None]], other_inspector)
    assert "找不到该样品" in result.errors[0].message
    assert Sample.objects.get().result == SampleResult.PENDING


def test_other_header_spellings_and_sheet_names(tmp_path, shop, office):
    register(shop, office, "S-001")
    header = ["抽样单编号", "检验结论", "结果日期", "报告编号"]
    result = run(tmp_path, [["S-001", "合格", TODAY, "BG-1"]], office, header=header, sheet="Sheet1")
    assert result.ok and Sample.objects.get().result == SampleResult.PASS
    assert any("Sheet1" in w for w in result.warnings) and any("报告编号" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"number,result\nS-001,pass\n", "找不到表头"),  # text is read as CSV, whatever its name
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97–2003 工作簿（.xls） 格式，但已损坏"),
        (b"%PDF-1.7\n", "PDF 文件"),
    ],
)
def test_bad_files_are_refused_by_the_roster_checks(tmp_path, office, content, message):
    path = tmp_path / "results.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadFile, match=message):
        sample_io.sample_results_import(path=path, user=office)


def test_truncated_and_headerless_files(tmp_path, office):
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook([["S-001", "合格", None, TODAY]])[:600])
    with pytest.raises(BadFile, match="损坏或不完整"):
        sample_io.sample_results_import(path=path, user=office)
    path.write_bytes(workbook([["S-001", TODAY]], header=["样品编号", "检验日期"]))
    with pytest.raises(BadFile, match="缺少必填列：检验结果"):
        sample_io.sample_results_import(path=path, user=office)


def _queries_for(tmp_path, shop, office, n, prefix):
    rows = []
    for i in range(n):
        register(shop, office, f"{prefix}-{i:03d}")
        if i % 2:
            rows.append([f"{prefix}-{i:03d}", "合格", None, TODAY, None, None, None])
        else:
            rows.append([f"{prefix}-{i:03d}", "不合格", "霉变", TODAY, "移送处理", None, "工商分局"])
    path = tmp_path / f"{prefix}.xlsx"
    path.write_bytes(workbook(rows))
    with CaptureQueriesContext(connection) as ctx:
        result = sample_io.sample_results_import(path=path, user=office)
    assert result.ok and len(result.updated) == n
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_rows(tmp_path, shop, office):
    few = _queries_for(tmp_path, shop, office, 5, "A")
    many = _queries_for(tmp_path, shop, office, 50, "B")
    assert many <= few + 2, (few, many)


def test_import_page_template_and_upload(client, shop, office):
    register(shop, office, "S-001")
    client.force_login(office)
    assert IMPORT in client.get(reverse("inspections:sample_list")).content.decode()
    response = client.get(reverse("inspections:sample_import_template"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book["检验结果"][1]] == [*HEADER, "检出农药", "检出值", "限量值"]  # A6
    upload = SimpleUploadedFile("结果.xlsx", workbook([["S-001", "不合格", None, TODAY, None, None, None]]))
    response = client.post(IMPORT, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in body and "不合格须填写不合格项目" in body
    upload = SimpleUploadedFile("结果.xlsx", workbook([["S-001", "合格", None, TODAY, None, None, None]]))
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("inspections:sample_list")
    assert Sample.objects.get().result == SampleResult.PASS


def test_import_page_bad_file_message(client, office):
    client.force_login(office)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("x.xlsx", b"%PDF-1.4 hello")})
    assert "这是 PDF 文件，不是表格" in response.content.decode()


def test_business_accounts_cannot_import(client, shop):
    client.force_login(f.user_with_role("business", "shop_user", business=shop))
    assert client.get(IMPORT).status_code == 404
    assert client.get(reverse("inspections:sample_import_template")).status_code == 404


def test_results_need_write_scope_not_read_scope(tmp_path, shop, office, other_village):
    """A leader reads the whole town; if also an inspector of another village they may record results for
    that village only: the sample of this village reads as unknown and stays pending."""
    from accounts.models import RoleAssignment

    leader_inspector = f.user_with_role("leader", "leader_inspector")
    RoleAssignment.objects.create(user=leader_inspector, kind="inspector", village=other_village)
    register(shop, office, "S-001")
    result = run(tmp_path, [["S-001", "合格", None, TODAY, None, None, None]], leader_inspector)
    assert len(result.errors) == 1 and "找不到该样品" in result.errors[0].message
    assert Sample.objects.get().result == SampleResult.PENDING


def test_an_error_on_the_samples_visit_names_the_number_column(tmp_path, shop, office, village):
    """sample_result_apply's errors under keys that are not columns (the sample's visit) point at 样品编号."""
    elsewhere = inspect(f.BusinessFactory(name="别家", village=village), office, day=SAMPLED)
    sample = register(shop, office, "S-001")
    Sample.objects.filter(pk=sample.pk).update(visit=elsewhere)
    result = run(tmp_path, [["S-001", "合格", None, TODAY, None, None, None]], office)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.column == "样品编号（A列）" and error.value == "S-001"
    assert "不是对该经营单位的检查" in str(error)


def test_order_service_errors_on_the_deadline_name_the_deadline_column(tmp_path, shop, office, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(sample, *, user, deadline):
        raise ValidationError({"deadline": "整改期限不符合要求。"})

    monkeypatch.setattr(sample_io, "sample_result_issue_order", refuse)
    visit = inspect(shop, office, day=SAMPLED)
    register(shop, office, "S-001", visit=visit)
    result = run(tmp_path, [["S-001", "不合格", "酸价超标", TODAY, "责令整改", SOON, None]], office)
    assert [(e.column, e.message) for e in result.errors] == [("整改期限（F列）", "整改期限不符合要求。")]
    assert Sample.objects.get().result == SampleResult.PENDING


def test_a6_residue_lab_results_carry_the_pesticide_value_and_limit(tmp_path, client, office, village):
    """A6: a vegetable residue sample sent to a lab gets its result — pesticide, value, limit — on the
    single result form or in the import; a failed one names the pesticide (else the row is refused) and
    its 不合格项目 may be left to them; its page then traces the pesticide to the shops."""
    stall = f.BusinessFactory(name="东村豆角摊", village=village)

    def residue(number):
        return services.sample_register(
            sample=Sample(
                number=number, business=stall, kind=SampleKind.RESIDUE, product="豇豆", quantity="1kg",
                lab="市农产品质量检测中心", sampled_on=SAMPLED,
            ),
            user=office,
        )  # fmt: skip

    residue("NC-LAB-1")
    residue("NC-LAB-2")
    header = [*HEADER, "检出农药", "检出值（mg/kg）", "限量值（mg/kg）"]
    refer = ["不合格", "", TODAY.isoformat(), "移送处理", "", "镇农业办"]
    refused = run(tmp_path, [["NC-LAB-1", *refer, "", "0.2", "0.1"]], office, header=header)
    assert not refused.ok and any("检出的农药名称" in e.message for e in refused.errors)
    junk = run(tmp_path, [["NC-LAB-1", *refer, "氧乐果", "很多", "0.1"]], office, header=header)
    assert [e.message for e in junk.errors] == ["应填数字，如 0.05。"]
    done = run(tmp_path, [["NC-LAB-1", *refer, "氧乐果", "0.2", "0.02"]], office, header=header)
    assert done.ok, done.errors
    lab = Sample.objects.get(number="NC-LAB-1")
    assert (lab.result, lab.pesticide, lab.failing_items) == (
        "fail",
        "氧乐果",
        "氧乐果 检出 0.2（限量 0.02）",
    )
    client.force_login(office)
    single = {"number": "NC-LAB-2", "result": "pass", "result_on": TODAY.isoformat()}
    single.update(pesticide="毒死蜱", residue_value="0.5", residue_limit="0.1")
    page = client.post(reverse("inspections:sample_result"), single)
    assert "结果应为不合格" in page.content.decode()  # over its limit cannot pass
    single.update(residue_value="0.05")
    assert client.post(reverse("inspections:sample_result"), single).status_code == 302
    assert Sample.objects.get(number="NC-LAB-2").residue_value == Decimal("0.05")
    detail = client.get(lab.get_absolute_url()).content.decode()
    assert 'id="residue-trace"' in detail and "product=%E6%B0%A7%E4%B9%90%E6%9E%9C" in detail
