"""Roster list, detail and forms (foundation issue)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Business, Licence
from tests import factories as f

pytestmark = pytest.mark.django_db
LIST = reverse("campaigns:business_list")


def names(response):
    return sorted(b.name for b in response.context["page"].object_list)


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_list_shows_chinese_roster(office_client):
    f.BusinessFactory(name="东村兴隆士多店")
    response = office_client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "经营单位名册" in content and "东村兴隆士多店" in content


def test_filters(office_client, village, other_village):
    agri = f.category("agri")
    pesticide = agri.subtypes.get(code="pesticide")
    complete = f.BusinessFactory(name="甲", village=village, is_model=True)
    f.licensed(complete)
    f.BusinessFactory(name="乙", village=other_village, status="rectifying")
    f.BusinessFactory(name="丙", village=village, category=agri, subtypes=[pesticide])
    assert names(office_client.get(LIST, {"village": village.pk})) == ["丙", "甲"]
    assert names(office_client.get(LIST, {"category": agri.pk})) == ["丙"]
    assert names(office_client.get(LIST, {"subtype": pesticide.pk})) == ["丙"]
    assert names(office_client.get(LIST, {"status": "rectifying"})) == ["乙"]
    assert names(office_client.get(LIST, {"complete": "yes"})) == ["甲"]
    assert names(office_client.get(LIST, {"complete": "no"})) == ["丙", "乙"]
    # after a search or a village the licence check covers their matches only (issue 26): same answers
    assert names(office_client.get(LIST, {"complete": "no", "q": "乙"})) == ["乙"]
    assert names(office_client.get(LIST, {"complete": "yes", "q": "乙"})) == []
    assert names(office_client.get(LIST, {"complete": "yes", "q": "甲"})) == ["甲"]
    assert names(office_client.get(LIST, {"complete": "no", "village": village.pk})) == ["丙"]
    assert names(office_client.get(LIST, {"complete": "yes", "village": village.pk})) == ["甲"]
    assert names(office_client.get(LIST, {"model": "yes"})) == ["甲"]


def test_expiring_filter(office_client):
    today = timezone.localdate()
    soon = f.BusinessFactory(name="快到期")
    f.LicenceFactory(business=soon, expires_on=today + datetime.timedelta(days=10))
    later = f.BusinessFactory(name="还早")
    f.LicenceFactory(business=later, expires_on=today + datetime.timedelta(days=100))
    gone = f.BusinessFactory(name="已过期")
    f.LicenceFactory(
        business=gone, issued_on=datetime.date(2019, 1, 1), expires_on=today - datetime.timedelta(days=1)
    )
    assert names(office_client.get(LIST, {"expiring": 30})) == ["快到期"]


def test_search_by_name_operator_code_and_licence_number(office_client):
    code = f.make_credit_code()
    shop = f.BusinessFactory(name="龙潭鸿福便利店", operator="莫锦柱", credit_code=code)
    f.LicenceFactory(business=shop, number="JY14406060012345")
    f.BusinessFactory(name="别家")
    for q in ["鸿福", "莫锦柱", code.lower(), "0012345"]:
        assert names(office_client.get(LIST, {"q": q})) == ["龙潭鸿福便利店"], q


def test_sorting(office_client):
    for n in ["乙店", "甲店", "丙店"]:
        f.BusinessFactory(name=n)
    response = office_client.get(LIST, {"o": "-name"})
    assert [b.name for b in response.context["page"].object_list] == sorted(
        ["乙店", "甲店", "丙店"], reverse=True
    )


def test_list_query_count_does_not_grow_with_rows(office_client, django_assert_max_num_queries):
    def build(n):
        for _ in range(n):
            shop = f.BusinessFactory(category=f.category("agri"))
            shop.subtypes.set(f.category("agri").subtypes.all()[:2])
            f.licensed(shop)

    params = {"complete": "yes", "q": "测试", "o": "-village"}
    build(3)
    with django_assert_max_num_queries(17) as small:  # 16 + the header's unread-message count (issue 8)
        office_client.get(LIST, params)
    build(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office_client.get(LIST, params)
    assert len(response.context["page"].object_list) == 33


def test_detail_shows_missing_licences(office_client):
    shop = f.BusinessFactory(category=f.category("pharmacy"))
    f.LicenceFactory(business=shop)
    content = office_client.get(shop.get_absolute_url()).content.decode()
    assert "不齐全" in content and "药品经营许可证" in content and "GSP证书" in content


def test_create_business_with_bad_fields_explains_each(office_client, village):
    data = {
        "name": "新店",
        "category": f.category("grocery").pk,
        "village": village.pk,
        "phone": "12345",
        "credit_code": "91350100M000100Y44",
        "status": "operating",
    }
    response = office_client.post(reverse("campaigns:business_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "校验位错误" in errors["credit_code"][0]
    assert "手机号" in errors["phone"][0]
    assert not Business.objects.filter(name="新店").exists()


def test_duplicate_credit_code_names_the_owner(office_client, village):
    code = f.make_credit_code()
    f.BusinessFactory(name="原有单位", credit_code=code)
    data = {
        "name": "新店",
        "category": f.category("grocery").pk,
        "village": village.pk,
        "credit_code": code,
        "status": "operating",
    }
    response = office_client.post(reverse("campaigns:business_create"), data)
    assert "原有单位" in response.context["form"].errors["credit_code"][0]
    assert Business.objects.filter(credit_code=code).count() == 1


def test_create_normalises_and_saves(office_client, village):
    code = f.make_credit_code()
    data = {
        "name": "新店",
        "category": f.category("grocery").pk,
        "village": village.pk,
        "credit_code": " " + code.lower() + " ",
        "phone": "１３８１２３４５６７８",
        "status": "operating",
    }
    response = office_client.post(reverse("campaigns:business_create"), data)
    shop = Business.objects.get(name="新店")
    assert response.status_code == 302
    assert (shop.credit_code, shop.phone) == (code, "13812345678")


def test_licence_add_rejects_expiry_before_issue(office_client):
    shop = f.BusinessFactory()
    data = {
        "licence_type": f.licence_type("business").pk,
        "number": "X1",
        "issued_on": "2026-05-01",
        "expires_on": "2025-05-01",
        "state": "valid",
    }
    response = office_client.post(reverse("campaigns:licence_add", args=[shop.pk]), data)
    assert "有效期至不能早于发证日期" in str(response.context["form"].errors)
    assert not shop.licences.exists()


def test_renew_keeps_old_licence_and_revoke_removes_it_from_g1(office_client):
    shop = f.BusinessFactory()
    old, _ = f.licensed(shop)
    office_client.post(
        reverse("campaigns:licence_renew", args=[old.pk]),
        {"number": "NEW-1", "issued_on": "2026-01-01", "expires_on": "2031-01-01"},
    )
    old.refresh_from_db()
    assert old.state == "expired"
    new = Licence.objects.get(number="NEW-1")
    assert new.state == "valid"
    office_client.post(reverse("campaigns:licence_revoke", args=[new.pk]), {"reason": "无证经营被查处"})
    new.refresh_from_db()
    assert new.state == "revoked" and "无证经营被查处" in new.note
    assert Business.objects.with_licence_status().get(pk=shop.pk).licences_complete is False


def test_inspector_sees_only_own_village(client, inspector, village, other_village):
    mine = f.BusinessFactory(name="本村店", village=village)
    theirs = f.BusinessFactory(name="外村店", village=other_village)
    client.force_login(inspector)
    assert names(client.get(LIST)) == ["本村店"]
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("campaigns:business_edit", args=[theirs.pk])).status_code == 404


def test_leader_reads_but_cannot_edit(client, leader):
    shop = f.BusinessFactory()
    client.force_login(leader)
    assert client.get(shop.get_absolute_url()).status_code == 200
    assert client.get(reverse("campaigns:business_edit", args=[shop.pk])).status_code == 404


def test_department_sees_its_categories(client, aic_user):
    f.BusinessFactory(name="食杂店", category=f.category("grocery"))
    f.BusinessFactory(name="药店", category=f.category("pharmacy"))
    client.force_login(aic_user)
    assert names(client.get(LIST)) == ["食杂店"]


@pytest.mark.django_db
def test_search_has_its_trigram_indexes_on_postgresql():
    """Issue 11: the roster search's icontains is served by GIN trigram indexes (migration 0004) on
    PostgreSQL; on SQLite the migration creates nothing (no such index type)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%%_trgm'")
            assert cursor.fetchall() == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        found = dict(cursor.fetchall())
    assert set(found) >= {"business_name_trgm", "business_operator_trgm", "licence_number_trgm"}
    assert "upper((name)::text) gin_trgm_ops" in found["business_name_trgm"]
