"""Issue 19, the parts a browser is not needed for: today's work as the offline app downloads it (scoped, a
constant number of queries, small), the app's worker (versioned caches: a new deployment takes over) and
manifest, and who may open the app."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import ChecklistTemplate, RectificationOrder
from inspections.views import offline
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
TODAY_URL = "/api/v1/today/"


def _today(client) -> dict:
    response = client.get(TODAY_URL, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _first_code(business) -> str:
    return (
        ChecklistTemplate.objects.get(category=business.category, is_current=True)
        .items.order_by("order")[0]
        .code
    )


def test_today_holds_the_inspectors_due_cards_and_nothing_outside_the_village(
    client, inspector, village, other_village
):
    due = f.BusinessFactory(name="东村兴隆士多店", village=village, phone="13800138000")
    f.licensed(due)
    f.BusinessFactory(name="西村杂货铺", village=other_village)  # another inspector's village
    client.force_login(inspector)
    data = _today(client)
    assert [b["name"] for b in data["businesses"]] == ["东村兴隆士多店"]
    (card,) = data["businesses"]
    assert card["phone"] == "13800138000" and card["due_reason"] == "尚未检查"
    assert card["required_licence_types"] and card["licences"] and card["open_orders"] == []
    assert [c["category_code"] for c in data["checklists"]] == [card["category_code"]]
    assert data["checklists"][0]["items"]
    assert {a["value"] for a in data["answers"]} == {"pass", "fail", "na"}
    assert "rectify" in {o["value"] for o in data["outcomes"]}
    assert data["taken_at"] and data["today"]


def test_today_lists_an_open_order_due_for_re_inspection_with_its_failed_items(
    client, inspector, village, office
):
    shop = f.BusinessFactory(name="东村鸿福便利店", village=village)
    f.licensed(shop)
    today = timezone.localdate()
    code = _first_code(shop)
    inspect(
        shop,
        office,
        day=today - datetime.timedelta(days=20),
        fails=(code,),
        deadline=today - datetime.timedelta(days=6),
    )
    order = RectificationOrder.objects.get(business=shop)
    client.force_login(inspector)
    card = next(b for b in _today(client)["businesses"] if b["id"] == shop.pk)
    (listed,) = card["open_orders"]
    assert listed["number"] == order.number and listed["items"] == [code]
    assert "需复查" in card["due_reason"]


def test_today_is_refused_to_a_business_account_and_to_leadership(client, village, leader):
    shop = f.BusinessFactory(village=village)
    client.force_login(f.user_with_role("business", "shop_account", business=shop))
    assert client.get(TODAY_URL).status_code == 404
    client.force_login(leader)  # reads everything, inspects nothing
    assert client.get(TODAY_URL).status_code == 404


def test_today_costs_the_same_queries_for_3_or_60_units(client, inspector, village):
    client.force_login(inspector)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _today(client)
        return len(queries)

    for _ in range(3):
        f.licensed(f.BusinessFactory(village=village))
    count()
    few = count()
    for _ in range(57):
        f.licensed(f.BusinessFactory(village=village))
    assert count() == few


def test_what_the_phone_keeps_for_a_village_of_300_units_stays_small(client, inspector, village):
    """The size of "下载今日任务" for 300 due units (recorded in docs/benchmarks.md): under 1.5 kB a unit."""
    for i in range(300):
        f.licensed(f.BusinessFactory(village=village, name=f"东村第{i}号小店", address=f"东村大道{i}号"))
    client.force_login(inspector)
    response = client.get(TODAY_URL, HTTP_ACCEPT="application/json")
    data = response.json()
    assert len(data["businesses"]) == 300
    size = len(json.dumps(data, ensure_ascii=False).encode())
    print(f"today's work for 300 units: {size} bytes ({size / 300:.0f} bytes a unit)")
    assert size < 300 * 1500


def test_the_app_shell_is_for_those_who_inspect(client, inspector, leader):
    url = reverse("inspections:offline_app")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(leader)
    assert client.get(url).status_code == 404
    client.force_login(inspector)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrf-token"' in html and reverse("api:visit_submit") in html
    assert reverse("inspections:offline_manifest") in html


def test_worker_and_manifest_open_without_login_and_name_the_version(client):
    sw = client.get(reverse("inspections:offline_sw"))
    assert sw.status_code == 200 and sw["Content-Type"].startswith("application/javascript")
    assert "no-cache" in sw["Cache-Control"] or "max-age=0" in sw["Cache-Control"]
    body = sw.content.decode()
    assert f'const VERSION = "{offline.app_version()}"' in body
    assert "skipWaiting" in body and "clients.claim" in body and "caches.delete" in body
    assert reverse("inspections:offline_app") in body
    manifest = client.get(reverse("inspections:offline_manifest")).json()
    assert manifest["display"] == "standalone" and manifest["lang"] == "zh-CN"
    assert manifest["start_url"] == reverse("inspections:offline_app") and len(manifest["icons"]) == 2


def test_a_new_deployment_is_a_new_worker_with_a_new_cache(client, tmp_path, monkeypatch):
    """A change to any of the app's files changes the version, so the browser installs the new worker, which
    takes over and deletes the caches of the old one: no stale shell after a deployment."""
    copies = []
    for path in offline.APP_FILES:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    monkeypatch.setattr(offline, "APP_FILES", copies)
    before = client.get(reverse("inspections:offline_sw")).content.decode()
    copies[1].write_text(copies[1].read_text() + "\n// a fix\n")
    after = client.get(reverse("inspections:offline_sw")).content.decode()
    old, new = (
        next(line for line in text.splitlines() if line.startswith("const VERSION"))
        for text in (before, after)
    )
    assert old != new
    assert 'n.startsWith("wuxiao-offline-") && n !== CACHE' in after  # the old caches go
