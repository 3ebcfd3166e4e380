"""Issue 4: row errors with row numbers, all-or-nothing, matching by key, idempotence, scope, audit, speed."""

import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from campaigns.models import Business, ImportRecord, Licence
from campaigns.roster_io.importing import roster_import
from tests import factories as f
from tests import roster_books as rb

pytestmark = pytest.mark.django_db


def test_row_errors_name_sheet_row_column_value_and_what_is_allowed(tmp_path, village):
    path = rb.write_book(
        tmp_path / "bad.xlsx",
        [
            rb.business_row(name="好的一行"),
            rb.business_row(name="坏电话", 联系电话="12345"),
            rb.business_row(name="坏类别", 类别="小超市"),
            rb.business_row(name="坏代码", 统一社会信用代码="91440606MA4UXXXX1"),
            rb.business_row(name="", 示范单位="也许"),
        ],
        [rb.licence_row(code=None, 单位名称="好的一行", **{"村（社区）": "东村"}, 发证日期="2009-13-45")],
    )
    result = roster_import(path=path)
    assert not result.ok
    errors = {(e["sheet"], e["row"], e["column"]): e for e in result.errors}
    assert errors[("经营单位", 3, "联系电话")]["value"] == "12345"
    assert "11位手机号" in errors[("经营单位", 3, "联系电话")]["message"]
    assert "小农资店/农资店" in errors[("经营单位", 4, "类别")]["message"]
    assert "统一社会信用代码" in errors[("经营单位", 5, "统一社会信用代码")]["message"]
    assert "不能为空" in errors[("经营单位", 6, "单位名称")]["message"]
    assert "是" in errors[("经营单位", 6, "示范单位")]["message"]
    assert "日期" in errors[("证照", 2, "发证日期")]["message"]
    # All or nothing: the good row was not written either.
    assert Business.objects.count() == 0


def test_subtype_of_another_category_uses_the_forms_rule(tmp_path, village):
    path = rb.write_book(tmp_path / "st.xlsx", [rb.business_row(类别="小食杂店", 子类="农药")])
    result = roster_import(path=path)
    assert [e["message"] for e in result.errors] == ["子类“农药”不属于类别“小食杂店”。"]


def test_expiry_before_issue_is_the_models_rule(tmp_path, village):
    code = f.make_credit_code()
    path = rb.write_book(
        tmp_path / "d.xlsx",
        [rb.business_row(统一社会信用代码=code)],
        [rb.licence_row(code=code, 发证日期="2020-01-01", 有效期至="2019-01-01")],
    )
    result = roster_import(path=path)
    assert result.errors[0]["message"] == "有效期至不能早于发证日期。"
    assert result.errors[0]["row"] == 2 and result.errors[0]["sheet"] == "证照"


def test_duplicate_rows_in_one_file(tmp_path, village):
    code = f.make_credit_code()
    path = rb.write_book(
        tmp_path / "dup.xlsx",
        [
            rb.business_row(name="甲", 统一社会信用代码=code),
            rb.business_row(name="乙", 统一社会信用代码=code),
            rb.business_row(name="丙"),
            rb.business_row(name="丙"),
        ],
    )
    result = roster_import(path=path)
    assert [(e["row"], e["message"]) for e in result.errors] == [
        (3, "统一社会信用代码与第2行重复。"),
        (5, "与第4行同村同名，且未填统一社会信用代码，无法区分。"),
    ]


def test_licence_row_for_an_unknown_business(tmp_path, village):
    path = rb.write_book(
        tmp_path / "l.xlsx", [rb.business_row()], [rb.licence_row(code=f.make_credit_code())]
    )
    result = roster_import(path=path)
    assert result.errors[0]["sheet"] == "证照" and "找不到" in result.errors[0]["message"]


def test_matched_by_credit_code_else_by_name_and_village(tmp_path, village):
    code = f.make_credit_code()
    by_code = f.BusinessFactory(name="旧名", village=village, credit_code=code)
    by_name = f.BusinessFactory(name="老王小卖部", village=village, phone="13900000000")
    path = rb.write_book(
        tmp_path / "m.xlsx",
        [
            rb.business_row(name="新名", 统一社会信用代码=code),
            rb.business_row(name="老王小卖部", 联系电话="13811112222"),
            rb.business_row(name="全新的店"),
        ],
    )
    result = roster_import(path=path)
    assert result.counts["businesses_created"] == 1 and result.counts["businesses_updated"] == 2
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.name == "新名"
    assert by_name.phone == "13811112222"
    assert Business.objects.count() == 3


def test_reimporting_the_same_file_changes_nothing(tmp_path, village, office):
    code = f.make_credit_code()
    path = rb.write_book(
        tmp_path / "r.xlsx",
        [rb.business_row(统一社会信用代码=code, 子类="镇中心区"), rb.business_row(name="二号")],
        [rb.licence_row(code=code)],
    )
    assert roster_import(path=path, user=office).ok
    stamps = dict(Business.objects.values_list("pk", "updated_at"))
    entries = LogEntry.objects.count()
    again = roster_import(path=path, user=office)
    assert again.counts == {
        "businesses_created": 0,
        "businesses_updated": 0,
        "businesses_unchanged": 2,
        "licences_created": 0,
        "licences_updated": 0,
        "licences_unchanged": 1,
    }
    assert dict(Business.objects.values_list("pk", "updated_at")) == stamps
    assert LogEntry.objects.count() == entries


def test_import_is_audited_with_the_importing_user(tmp_path, village, office):
    existing = f.BusinessFactory(name="老店", village=village, phone="13900000000")
    path = rb.write_book(
        tmp_path / "a.xlsx",
        [rb.business_row(name="老店", 联系电话="13811112222"), rb.business_row(name="新店")],
    )
    assert roster_import(path=path, user=office, file_name="a.xlsx").ok
    update = LogEntry.objects.get_for_object(existing).get(action=LogEntry.Action.UPDATE)
    assert update.actor == office
    assert update.changes["phone"] == ["13900000000", "13811112222"]
    assert update.additional_data == {"roster_import": "a.xlsx"}
    created = LogEntry.objects.get_for_object(Business.objects.get(name="新店")).get()
    assert created.action == LogEntry.Action.CREATE and created.actor == office
    assert created.changes["village_id"][1] == "东村"


def test_rows_outside_the_users_scope_are_errors(tmp_path, village, other_village, aic_user):
    outside = f.BusinessFactory(name="别人的药店", village=village, category=f.category("pharmacy"))
    path = rb.write_book(
        tmp_path / "scope.xlsx",
        [
            rb.business_row(name="食杂店", 类别="小食杂店"),
            rb.business_row(name="新药店", 类别="小药店"),
            rb.business_row(name="别人的药店", 类别="小药店", 联系电话="13700000000"),
        ],
    )
    result = roster_import(path=path, user=aic_user)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "类别"), (4, "类别")]
    assert "管理范围" in result.errors[0]["message"]
    outside.refresh_from_db()
    assert outside.phone == "13812345678"


def test_inspector_imports_only_their_village(tmp_path, village, other_village, inspector):
    path = rb.write_book(
        tmp_path / "v.xlsx",
        [rb.business_row(name="本村店"), rb.business_row(name="外村店", **{"村（社区）": "西村"})],
    )
    result = roster_import(path=path, user=inspector)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "村（社区）")]


def test_dry_run_writes_nothing(tmp_path, village):
    path = rb.write_book(tmp_path / "dry.xlsx", [rb.business_row()])
    result = roster_import(path=path, dry_run=True)
    assert result.ok and result.counts["businesses_created"] == 1
    assert Business.objects.count() == 0


def _book(tmp_path, n: int):
    rows, licences = [], []
    for i in range(n):
        code = f.make_credit_code()
        rows.append(rb.business_row(name=f"店{i}", 统一社会信用代码=code, 子类="镇中心区"))
        licences.append(rb.licence_row(code=code, number=f"N{i}"))
    return rb.write_book(tmp_path / f"q{n}.xlsx", rows, licences)


def test_query_count_does_not_grow_with_rows(tmp_path, village, office, django_assert_max_num_queries):
    """A constant number of queries (up to the write batch size; SQLite batches ~999 parameters)."""
    small, large = _book(tmp_path, 5), _book(tmp_path, 30)
    ContentType.objects.get_for_models(Business, Licence)  # cached for the audit rows, as in a running app
    users = [type(office).objects.get(pk=office.pk) for _ in range(3)]  # each run looks up roles once
    with django_assert_max_num_queries(20) as small_ctx:
        assert roster_import(path=small, user=users[0]).ok
    with django_assert_max_num_queries(20) as large_ctx:
        assert roster_import(path=large, user=users[1]).ok
    assert len(large_ctx.captured_queries) == len(small_ctx.captured_queries)
    # Re-importing (every row matched and compared, nothing written) is cheaper still.
    with django_assert_max_num_queries(len(small_ctx.captured_queries)):
        assert roster_import(path=large, user=users[2]).counts["businesses_unchanged"] == 30
    assert Licence.objects.count() == 35


def test_command_exit_codes(tmp_path, village):
    good = rb.write_book(tmp_path / "good.xlsx", [rb.business_row()])
    bad = rb.write_book(tmp_path / "bad.xlsx", [rb.business_row(联系电话="12")])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", str(good), "--dry-run", stdout=out, stderr=err)
    assert "检查通过" in out.getvalue() and "新增单位 1" in out.getvalue()
    assert Business.objects.count() == 0
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_roster", str(bad), stdout=out, stderr=err)
    assert "经营单位 第2行 列“联系电话”（G列） 值“12”" in err.getvalue()
    call_command("import_roster", str(good), stdout=out, stderr=err)
    assert Business.objects.count() == 1
    assert ImportRecord.objects.get().counts["businesses_created"] == 1


def test_all_or_nothing_across_chunks(tmp_path, village, office, monkeypatch):
    """Rows are written a chunk at a time; an error in a later chunk still leaves nothing written."""
    from campaigns.roster_io import importing

    monkeypatch.setattr(importing, "CHUNK", 2)
    codes = [f.make_credit_code() for _ in range(5)]
    rows = [rb.business_row(name=f"店{i}", 统一社会信用代码=code) for i, code in enumerate(codes)]
    licences = [rb.licence_row(code=code, number=f"N{i}") for i, code in enumerate(codes)]
    good = rb.write_book(tmp_path / "good.xlsx", rows, licences)
    bad = rb.write_book(
        tmp_path / "bad.xlsx", rows, [*licences, rb.licence_row(code=codes[0], 发证日期="昨天")]
    )
    entries_before = LogEntry.objects.count()  # the fixtures' users are audited too
    result = roster_import(path=bad, user=office)
    assert [(e["sheet"], e["row"]) for e in result.errors] == [("证照", 7)]
    assert Business.objects.count() == 0 and Licence.objects.count() == 0
    assert LogEntry.objects.count() == entries_before
    assert roster_import(path=good, user=office, dry_run=True).counts["licences_created"] == 5
    result = roster_import(path=good, user=office)
    assert result.ok and result.counts["businesses_created"] == 5
    assert sorted(Licence.objects.values_list("business__name", flat=True)) == [f"店{i}" for i in range(5)]
