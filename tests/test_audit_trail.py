"""The audit trail (issue 3): who, when, what changed before/after; bulk writes; nobody deletes it."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.audit import business_entries, changes_between, history_rows, record_bulk
from accounts.models import LoginEvent, RoleAssignment
from campaigns.models import Business, Licence
from tests import factories as f

pytestmark = pytest.mark.django_db


def business_form_data(business, **changes):
    data = {
        "name": business.name,
        "category": business.category_id,
        "village": business.village_id,
        "address": business.address,
        "operator": business.operator,
        "phone": business.phone,
        "credit_code": business.credit_code or "",
        "status": business.status,
    }
    return {**data, **changes}


def test_web_edit_is_recorded_with_actor_and_before_after(office_client, office, village):
    shop = f.BusinessFactory(name="东村兴隆士多", village=village, operator="张三", status="operating")
    response = office_client.post(
        reverse("campaigns:business_edit", args=[shop.pk]),
        business_form_data(shop, operator="李四", status="rectifying"),
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(shop).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == office
    assert entry.changes["operator"] == ["张三", "李四"]
    assert entry.changes["status"] == ["operating", "rectifying"]
    [row] = history_rows([entry])
    shown = {c.label: (c.before, c.after) for c in row.changes}
    # Chinese field names and choice labels, not column names and codes.
    assert shown["经营者"] == ("张三", "李四")
    assert shown["经营状态"] == ("正常经营", "整改中")
    assert row.actor == office.username and row.action == "修改"


def test_business_page_shows_its_history_and_its_licences(office_client, office, village):
    shop = f.BusinessFactory(name="东村兴隆士多", village=village)
    licence = f.LicenceFactory(business=shop, number="JY001")
    office_client.post(
        reverse("campaigns:licence_revoke", args=[licence.pk]), {"reason": "超范围经营"}
    )  # through the web: actor is the office user
    content = office_client.get(shop.get_absolute_url()).content.decode()
    assert 'id="history"' in content and "变更记录" in content
    assert "证照：营业执照" in content or "JY001" in content
    assert "吊销" in content  # the new state, as its Chinese label
    full = office_client.get(reverse("campaigns:business_history", args=[shop.pk]))
    assert full.status_code == 200
    assert {r.subject.split("：")[0] for r in full.context["history"]} == {"经营单位", "证照"}


def test_history_panel_queries_do_not_grow_with_entries(rf, office, village, django_assert_num_queries):
    from django.template.loader import render_to_string

    from accounts.panels import history_panel

    shop = f.BusinessFactory(village=village)
    licences = [f.LicenceFactory(business=shop) for _ in range(2)]
    request = rf.get("/")
    request.user = office

    def panel_html():
        template, context = history_panel(request, shop)
        return render_to_string(template, {"business": shop, **context}, request=request)

    panel_html()  # warm the content-type cache
    with django_assert_num_queries(1):  # one query for the entries, actors included
        small = panel_html()
    for i in range(15):
        shop.operator = f"经营者{i}"
        shop.save()
        licences[i % 2].number = f"N{i}"
        licences[i % 2].save()
    with django_assert_num_queries(1):
        large = panel_html()
    assert small.count("list-group-item ") < large.count("list-group-item ") == 10


def test_record_bulk_writes_one_entry_per_object_in_one_insert(office, village, django_assert_num_queries):
    """An import uses bulk_create (no signals): record_bulk puts it on record."""
    rows = Business.objects.bulk_create(
        [
            Business(name=f"导入{i}", category=f.category("grocery"), village=village, operator="王五")
            for i in range(3)
        ]
    )
    assert all(r.pk for r in rows)
    record_bulk(office, rows, "create")  # warm the content-type cache
    LogEntry.objects.all().delete()
    with django_assert_num_queries(1):
        entries = record_bulk(office, rows, "create")
    assert len(entries) == 3
    entry = LogEntry.objects.get_for_object(rows[0]).get()
    assert entry.actor == office and entry.action == LogEntry.Action.CREATE
    assert entry.changes["name"] == ["None", "导入0"]
    assert entry.changes["village"] == ["None", village.name]
    labels = [c.label for c in history_rows([entry])[0].changes]
    assert "单位名称" in labels and "村（社区）" in labels
    assert not {"ID", "建档时间", "更新时间", "licences"} & set(labels)  # bookkeeping is not shown


def test_record_bulk_update_with_per_object_changes(office, village):
    rows = [
        f.BusinessFactory(village=village, operator="甲"),
        f.BusinessFactory(village=village, operator="乙"),
    ]
    before = {r.pk: Business.objects.get(pk=r.pk) for r in rows}
    rows[0].operator = "丙"
    Business.objects.bulk_update(rows, ["operator"])
    entries = record_bulk(office, rows, "update", lambda r: changes_between(before[r.pk], r))
    # the unchanged second row is not recorded
    assert [e.object_id for e in entries] == [rows[0].pk]
    assert entries[0].changes["operator"] == ["甲", "丙"]
    rows_shown = history_rows(business_entries(rows[0]).filter(action=LogEntry.Action.UPDATE))
    assert rows_shown[0].changes[0].label == "经营者"


def test_record_bulk_keeps_the_callers_additional_data_over_the_objects_own(office, village):
    """Mass actions (unlicensed cases, ledger imports) name themselves; an object's own data stays."""
    role = RoleAssignment.objects.create(user=f.UserFactory(), kind="inspector", village=village)
    (entry,) = record_bulk(
        office, [role], "create", {"kind": [None, "inspector"]}, additional_data={"bulk": "x"}
    )
    assert LogEntry.objects.get(pk=entry.pk).additional_data == {"user_id": role.user_id, "bulk": "x"}


def test_ledger_import_lines_are_recorded_through_record_bulk(office):
    from ledgers.services import AUDITED_FIELDS, ledger_lines_create

    shop = f.BusinessFactory(category=f.category("agri"))
    line = {
        "direction": "in",
        "occurred_on": "2026-03-01",
        "product_name": "复合肥",
        "kind": "fertilizer",
        "quantity": "2",
        "unit": "袋",
        "supplier_name": "金丰批发部",
    }
    (entry,) = ledger_lines_create(business=shop, lines=[line], user=office, today=datetime.date(2026, 3, 2))
    logged = LogEntry.objects.get_for_object(entry).get()
    assert logged.actor == office and set(logged.changes) == set(AUDITED_FIELDS)
    assert logged.changes["product_name"] == ["None", "复合肥"]


def test_record_bulk_refuses_unsaved_objects_and_updates_without_changes(office, village):
    with pytest.raises(ValueError):
        record_bulk(office, [Business(name="x")], "create")
    with pytest.raises(ValueError):
        record_bulk(office, [f.BusinessFactory()], "update")


def test_users_and_roles_are_recorded_without_password(office_client, office, village):
    response = office_client.post(
        reverse("accounts:user_create"),
        {
            "username": "newinspector",
            "first_name": "罗志伟",
            "email": "",
            "password1": "Dongfeng-2026-xyz",
            "password2": "Dongfeng-2026-xyz",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-kind": "inspector",
            "roles-0-village": village.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = get_user_model().objects.get(username="newinspector")
    created = LogEntry.objects.get_for_object(user).get()
    assert created.actor == office
    assert "password" not in created.changes and "罗志伟" in str(created.changes)
    role = RoleAssignment.objects.get(user=user)
    assert LogEntry.objects.get_for_object(role).get().additional_data == {"user_id": user.pk}
    assert "pbkdf2" not in str(list(LogEntry.objects.values_list("changes", flat=True)))
    assert "md5" not in str(list(LogEntry.objects.values_list("changes", flat=True)))


def test_nobody_deletes_audit_entries_in_the_admin(client, village):
    superuser = get_user_model().objects.create_superuser("root", password="x-long-password-1")
    client.force_login(superuser)
    shop = f.BusinessFactory(village=village)
    entry = LogEntry.objects.get_for_object(shop).get()
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auditlog_logentry_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code in (200, 302)
    login_event = LoginEvent.objects.create(kind="login", username="x")
    assert client.post(reverse("admin:accounts_loginevent_delete", args=[login_event.pk])).status_code == 403
    # Users are deactivated, not deleted: their changes stay traceable to them.
    assert (
        client.post(reverse("admin:auth_user_delete", args=[superuser.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_logins_failed_logins_and_logouts_are_recorded(client):
    user = f.UserFactory(username="zhang", password="correct-horse-battery")
    client.post(reverse("login"), {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    client.post(
        reverse("login"), {"username": "zhang", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.7"
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")
    events = list(LoginEvent.objects.order_by("pk").values_list("kind", "username", "ip_address"))
    assert events == [
        ("failed", "zhang", "10.0.0.7"),
        ("login", "zhang", "10.0.0.7"),
        ("logout", "zhang", "10.0.0.7"),
    ]
    assert LoginEvent.objects.filter(kind="login").get().user == user


def test_licence_audit_survives_in_business_history_after_changes(office, village):
    from auditlog.context import set_actor

    shop = f.BusinessFactory(village=village)
    with set_actor(office):
        licence = Licence.objects.create(
            business=shop, licence_type=f.licence_type("business"), number="A1", state="valid"
        )
        licence.number = "A2"
        licence.save()
    rows = history_rows(business_entries(shop))
    assert rows[0].actor == office.username and rows[0].changes[0].label == "证照编号"
    assert (rows[0].changes[0].before, rows[0].changes[0].after) == ("A1", "A2")


def test_visits_show_in_the_business_history_and_have_their_own(client, village):
    from auditlog.context import set_actor

    from accounts.audit import entries_for
    from tests.factories_inspections import inspect

    inspector = f.user_with_role("inspector", "hist_inspector", village=village)
    shop = f.BusinessFactory(village=village)
    f.licensed(shop)
    with set_actor(inspector):
        visit = inspect(shop, inspector)
    subjects = {r.subject.split("：")[0] for r in history_rows(business_entries(shop))}
    assert str(visit._meta.verbose_name) in subjects
    visit_rows = history_rows(entries_for(visit))
    assert visit_rows and {r.actor for r in visit_rows} == {inspector.username}
    client.force_login(inspector)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "history-card" in page and "变更记录" in page


def test_history_shows_a_create_as_its_key_fields(office_client, office, village):
    """A create entry is 创建 with the key fields filled in, not every field from nothing."""
    from auditlog.context import set_actor

    with set_actor(office):
        shop = Business.objects.create(
            name="东村兴隆士多", category=f.category("grocery"), village=village, operator="张三", phone=""
        )
    entry = LogEntry.objects.get_for_object(shop).get()
    assert "operator" in entry.changes and "address" in entry.changes  # auditlog keeps every field …
    [row] = history_rows([entry])
    assert row.action == "创建"
    assert [c.label for c in row.changes] == [
        "单位名称",
        "类别",
        "村（社区）",
        "经营状态",
    ]  # … the page the key ones
    assert row.changes[0].after == "东村兴隆士多"
    page = office_client.get(reverse("campaigns:business_history", args=[shop.pk])).content.decode()
    assert "单位名称：<span" in page and "经营者" not in page.split("变更记录", 2)[-1]


def test_visit_history_shows_its_start_in_local_time_to_the_minute(client, village):
    from auditlog.context import set_actor

    from inspections import services

    inspector = f.user_with_role("inspector", "hist_clock", village=village)
    shop = f.BusinessFactory(village=village)
    started = datetime.datetime(
        2026, 3, 1, 23, 40, 5, 123456, tzinfo=datetime.UTC
    )  # 07:40 on 2 March in Shanghai
    with set_actor(inspector):
        visit = services.visit_start(business=shop, user=inspector, started_at=started)
    assert (
        "23:40:05.123456"
        in LogEntry.objects.get_for_object(visit).filter(action=0).get().changes["started_at"][1]
    )
    client.force_login(inspector)
    page = client.get(visit.get_absolute_url()).content.decode()
    card = page.split("history-card", 1)[1]
    assert "2026-03-02 07:40" in card and "23:40" not in card and ".123456" not in card
