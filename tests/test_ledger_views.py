"""Ledger pages: the business account's limits (404 elsewhere), the phone form, the list's query count,
the business-page panel, alerts, the trace page and its Excel export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from ledgers.models import LedgerAlert, LedgerEntry
from tests import factories as f
from tests.factories_ledgers import line, record


@pytest.fixture
def shop(village):
    return f.BusinessFactory(name="兴隆士多店", category=f.category("grocery"), village=village)


@pytest.fixture
def neighbour(village):
    return f.BusinessFactory(name="隔壁农资店", category=f.category("agri"), village=village)


@pytest.fixture
def shop_client(client, shop):
    user = f.user_with_role("business", "shop_account", business=shop)
    client.force_login(user)
    return client


def recent(**kw):
    today = timezone.localdate()
    data = line(**kw)
    data["occurred_on"] = today - datetime.timedelta(days=kw.get("days_ago", 10))
    return data


def test_business_account_lands_on_its_own_ledger(shop_client, shop):
    response = shop_client.get(reverse("ledgers:my_ledger"))
    assert response.status_code == 302 and response.url == reverse("ledgers:business_ledger", args=[shop.pk])
    assert shop_client.get(response.url).status_code == 200


def test_business_account_gets_404_for_anything_else(shop_client, neighbour):
    for url in (
        reverse("ledgers:business_ledger", args=[neighbour.pk]),
        reverse("ledgers:lines_new", args=[neighbour.pk]),
        reverse("ledgers:import", args=[neighbour.pk]),
        reverse("ledgers:trace") + "?product=吡虫啉",
        reverse("ledgers:alerts"),
        reverse("campaigns:business_detail", args=[neighbour.pk]),
    ):
        assert shop_client.get(url).status_code == 404, url
    response = shop_client.post(reverse("ledgers:lines_new", args=[neighbour.pk]), {})
    assert response.status_code == 404


def _formset_post(rows):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", "lines-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"lines-{i}-{key}"] = "on"
            elif value is not None:
                data[f"lines-{i}-{key}"] = str(value)
    return data


def test_phone_form_saves_several_lines_and_skips_blank_rows(shop_client, shop):
    today = timezone.localdate()
    rows = [
        recent(kind="food", product="大米", unit="kg", batch="R1", days_ago=3),
        recent(direction="out", kind="food", product="大米", unit="千克", batch="R1", days_ago=1),
        {"direction": "in", "kind": "food"},  # untouched extra row
    ]
    rows[0]["occurred_on"] = today - datetime.timedelta(days=3)
    rows[1]["occurred_on"] = today - datetime.timedelta(days=1)
    response = shop_client.post(reverse("ledgers:lines_new", args=[shop.pk]), _formset_post(rows))
    assert response.status_code == 302, response.context["formset"].errors
    assert LedgerEntry.objects.filter(business=shop).count() == 2
    assert set(LedgerEntry.objects.values_list("unit", flat=True)) == {"千克"}


def test_phone_form_errors_shown_on_the_line_and_nothing_saved(shop_client, shop):
    rows = [
        recent(kind="food", product="大米", days_ago=3),
        recent(direction="out", kind="food", product="花生油", days_ago=1),
    ]
    response = shop_client.post(reverse("ledgers:lines_new", args=[shop.pk]), _formset_post(rows))
    assert response.status_code == 200
    assert "没有进货记录" in str(response.context["formset"].forms[1].errors)
    assert LedgerEntry.objects.count() == 0


def test_phone_form_refuses_zero_quantity_and_future_date(shop_client, shop):
    rows = [recent(kind="food", product="大米", quantity="0"), recent(kind="food", product="米", days_ago=-2)]
    response = shop_client.post(reverse("ledgers:lines_new", args=[shop.pk]), _formset_post(rows))
    forms = response.context["formset"].forms
    assert "数量必须大于0" in str(forms[0].errors)
    assert "晚于今天" in str(forms[1].errors)
    assert LedgerEntry.objects.count() == 0


def _fill(business, n):
    record(
        business,
        *[recent(kind="food", product=f"商品{i}", batch=f"B{i}", days_ago=i % 20 + 1) for i in range(n)],
        today=timezone.localdate(),
    )


def test_ledger_list_query_count_does_not_grow(office_client, shop, django_assert_max_num_queries):
    url = reverse("ledgers:business_ledger", args=[shop.pk])
    _fill(shop, 3)
    with django_assert_max_num_queries(14) as small:
        assert office_client.get(url).status_code == 200
    _fill(shop, 70)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office_client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_ledger_list_filters(office_client, shop):
    _fill(shop, 3)
    record(shop, recent(kind="food", product="饼干", certificate_collected=False), today=timezone.localdate())
    url = reverse("ledgers:business_ledger", args=[shop.pk])
    assert [e.product_name for e in office_client.get(url + "?q=饼　干").context["page"]] == ["饼干"]
    assert [e.product_name for e in office_client.get(url + "?flagged=1").context["page"]] == ["饼干"]


def test_business_page_panel_shows_ledger_status_and_alerts(office_client, neighbour):
    record(neighbour, recent(product="1605", kind="pesticide", unit="瓶"), today=timezone.localdate())
    response = office_client.get(reverse("campaigns:business_detail", args=[neighbour.pk]))
    html = response.content.decode()
    assert "进销货台账" in html and "禁用产品预警待处理" in html
    assert reverse("ledgers:business_ledger", args=[neighbour.pk]) in html


def test_department_sees_and_handles_its_alerts_others_do_not(client, neighbour, aic_user):
    record(neighbour, recent(product="甲胺磷", kind="pesticide", unit="瓶"), today=timezone.localdate())
    alert = LedgerAlert.objects.get()
    client.force_login(aic_user)  # 工商分局 leads groceries, not agri shops
    assert client.get(reverse("ledgers:alerts")).context["page"].paginator.count == 0
    assert client.post(reverse("ledgers:alert_handle", args=[alert.pk]), {"note": "x"}).status_code == 404
    agri = f.user_with_role("department", "agri_user", department=f.department("agri_office"))
    client.force_login(agri)
    assert client.get(reverse("ledgers:alerts")).context["page"].paginator.count == 1
    response = client.post(reverse("ledgers:alert_handle", args=[alert.pk]), {"note": "已没收并立案"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.state == "handled" and alert.handled_by == agri


def test_trace_page_and_excel_export(office_client, neighbour):
    record(
        neighbour,
        recent(product="吡虫啉", kind="pesticide", batch="P1", days_ago=5),
        recent(
            direction="out", product="吡虫啉", kind="pesticide", batch="P1", days_ago=2, buyer_name="陈志明"
        ),
        today=timezone.localdate(),
    )
    url = reverse("ledgers:trace") + "?mode=forward&product=吡 虫 啉&batch=p1"
    response = office_client.get(url)
    assert response.status_code == 200 and "陈志明" in response.content.decode()
    export = office_client.get(url + "&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    cells = book.get_sheet_by_index(0).to_python()
    assert any("陈志明" in [str(c) for c in row] for row in cells)


def test_backward_trace_needs_a_business(office_client):
    response = office_client.get(reverse("ledgers:trace") + "?mode=backward&product=吡虫啉")
    assert "反向追溯需要选择经营单位" in response.content.decode()


def test_index_lists_businesses_without_recent_ledgers(office_client, shop, neighbour):
    _fill(shop, 1)
    response = office_client.get(reverse("ledgers:index"))
    missing = {b.name for b in response.context["missing"]}
    assert "隔壁农资店" in missing and "兴隆士多店" not in missing


def test_import_template_downloads(office_client):
    response = office_client.get(reverse("ledgers:import_template"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[0] == "台账"


def test_inspector_reads_alerts_in_the_village_but_does_not_close_them(client, neighbour, inspector):
    record(neighbour, recent(product="甲胺磷", kind="pesticide", unit="瓶"), today=timezone.localdate())
    alert = LedgerAlert.objects.get()
    client.force_login(inspector)
    assert client.get(reverse("ledgers:alerts")).context["page"].paginator.count == 1
    assert client.post(reverse("ledgers:alert_handle", args=[alert.pk]), {"note": "x"}).status_code == 404
