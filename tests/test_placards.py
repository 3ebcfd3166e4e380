"""一公开 (issue 25): QR placards printed in bulk from the roster or one from the business page, the office's
code rotation, and the town's public results page."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services
from inspections.choices import OrderStatus
from inspections.models import PublicCode, RectificationOrder
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_limit(settings):
    settings.WUXIAO_PUBLIC_RATE_PER_MINUTE = 10**6


def pdf_text(content: bytes) -> str:
    """The PDF's text as a reader sees it (poppler's pdftotext, installed by .ci/install-extras)."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return out.stdout.decode()


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", content))


@pytest.fixture
def shops(village):
    made = [f.BusinessFactory(name=f"公示食杂店{n}", village=village) for n in range(3)]
    made.append(f.BusinessFactory(name="公示饭店", village=village, category=f.category("restaurant")))
    for b in made:
        f.licensed(b)
    return made


def test_office_prints_a_villages_placards_two_per_page(client, office, shops, village, other_village):
    f.BusinessFactory(name="别村小店", village=other_village)
    banned = f.BusinessFactory(name="已取缔小店", village=village, status="banned")
    client.force_login(office)
    response = client.get(reverse("inspections:placard_sheet"), {"village": village.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert pdf_pages(content) == 2  # four placards, two A5 per A4 page
    words = pdf_text(content)
    for b in shops:
        assert b.name in words
    assert "别村小店" not in words and banned.name not in words
    assert "测试镇" in words  # the town's name
    codes = PublicCode.objects.filter(business__in=shops, retired_at__isnull=True)
    assert codes.count() == 4
    # Printing again reuses the codes: placards already on the doors keep working.
    client.get(reverse("inspections:placard_sheet"), {"village": village.pk})
    assert PublicCode.objects.filter(business__in=shops).count() == 4


def test_placard_shows_the_face_and_reprints_after_a_grade_change(client, office, shops, inspector):
    restaurant = shops[-1]
    client.force_login(office)
    url = reverse("inspections:placard_one", args=[restaurant.pk])
    assert "笑脸" not in pdf_text(client.get(url).content)
    inspect(restaurant, inspector, day=timezone.localdate())
    words = pdf_text(client.get(url).content)
    assert "量化分级" in words and "笑脸" in words and "公示饭店" in words


def test_department_prints_only_its_categories(client, aic_user, shops):
    """The AIC leads groceries: the restaurant is not theirs (and a unit outside scope is a 404)."""
    client.force_login(aic_user)
    response = client.get(reverse("inspections:placard_sheet"))
    words = pdf_text(response.content)
    assert "公示食杂店0" in words and "公示饭店" not in words
    assert client.get(reverse("inspections:placard_one", args=[shops[-1].pk])).status_code == 404


def test_inspectors_and_anonymous_cannot_print(client, inspector, shops):
    url = reverse("inspections:placard_sheet")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(inspector)
    assert client.get(url).status_code == 404
    assert client.get(reverse("inspections:placard_one", args=[shops[0].pk])).status_code == 404


def test_nothing_to_print_says_so(client, office, village):
    client.force_login(office)
    response = client.get(reverse("inspections:placard_sheet"), {"village": village.pk}, follow=True)
    assert "没有可打印公示牌的经营单位" in response.content.decode()


def test_bulk_print_query_count_does_not_grow(client, office, village, django_assert_max_num_queries):
    client.force_login(office)
    url = reverse("inspections:placard_sheet")
    for b in [f.BusinessFactory(village=village) for _ in range(2)]:
        f.licensed(b)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url, {"village": village.pk}).status_code == 200
    for b in [f.BusinessFactory(village=village) for _ in range(20)]:
        f.licensed(b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"village": village.pk}).status_code == 200


def test_roster_offers_the_print_action_to_office_and_departments(
    client, office, aic_user, inspector, village
):
    url = reverse("campaigns:business_list")
    client.force_login(office)
    page = client.get(url, {"village": village.pk}).content.decode()
    assert 'id="roster-placards"' in page and f"village={village.pk}" in page
    client.force_login(aic_user)
    assert 'id="roster-placards"' in client.get(url).content.decode()
    client.force_login(inspector)
    assert 'id="roster-placards"' not in client.get(url).content.decode()


def test_office_rotates_a_code_from_the_business_page(client, office, aic_user, shops):
    shop = shops[0]
    old = services.public_codes_ensure(business_ids=[shop.pk])[shop.pk]
    client.force_login(aic_user)  # a department prints but does not rotate
    page = client.get(shop.get_absolute_url()).content.decode()
    assert "placard-print" in page and "rotate-form" not in page
    assert (
        client.post(reverse("inspections:public_code_rotate", args=[shop.pk]), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(office)
    page = client.get(shop.get_absolute_url()).content.decode()
    assert f"/p/{old}/" in page and "rotate-form" in page
    response = client.post(
        reverse("inspections:public_code_rotate", args=[shop.pk]), {"reason": ""}, follow=True
    )
    assert "请填写更换公示码的原因" in response.content.decode()
    assert PublicCode.objects.get(code=old).retired_at is None
    response = client.post(
        reverse("inspections:public_code_rotate", args=[shop.pk]), {"reason": "公示牌被挪用"}, follow=True
    )
    assert "旧公示牌已失效" in response.content.decode()
    retired = PublicCode.objects.get(code=old)
    assert retired.retired_by == office and retired.reason == "公示牌被挪用"
    assert client.get(reverse("public:unit", args=[old])).status_code == 410
    # Audited: the retirement is in the audit log with the office as actor.
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(retired).filter(actor=office).exists()


def test_town_results_page(client, village, inspector, office):
    """Spot-check results, rectifications put right by category (with dates), typical cases' place."""
    today = timezone.localdate()
    shop = f.BusinessFactory(name="整改销号店", village=village)
    f.licensed(shop)
    visit = inspect(shop, inspector, day=today - datetime.timedelta(days=5), fails=("G1-1",))
    order = RectificationOrder.objects.get(business=shop, status=OrderStatus.OPEN)
    inspect(shop, inspector, day=today, kind="reinspection")  # passing: the order is closed (销号)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    response = client.get(reverse("public:town"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "整改销号店" in body and f"{today:%Y-%m-%d} 销号" in body
    assert f"{order.issued_on:%Y-%m-%d} 下达" in body and order.issued_on == timezone.localdate(
        visit.started_at
    )
    assert 'id="rectifications"' in body and "小食杂店" in body
    assert 'id="spotchecks"' in body and 'id="typical-cases"' in body
