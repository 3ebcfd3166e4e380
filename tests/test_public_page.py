"""一公开 (issue 25): a unit's public page behind its QR placard (G1 亮证, E1 量化分级, W2 样板, W5 公开).

What it shows at several states, that it shows no personal data, that a rotated code is refused, and that
it answers from the cache (no query on a hit; a change through a service is seen at once).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaigns import services as roster_services
from campaigns.models import Business, Licence
from inspections import services
from inspections.choices import HygieneGrade, OrderStatus
from inspections.models import InspectionProfile, PublicCode, RectificationOrder
from inspections.selectors.publicity import mask_number
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_limit(settings):
    """Every test client comes from 127.0.0.1: the per-address limit is tested on its own below."""
    settings.WUXIAO_PUBLIC_RATE_PER_MINUTE = 10**6


def code_of(business) -> str:
    return services.public_codes_ensure(business_ids=[business.pk])[business.pk]


def page(client, business_or_code):
    code = business_or_code if isinstance(business_or_code, str) else code_of(business_or_code)
    return client.get(reverse("public:unit", args=[code]))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def grocery(village):
    shop = f.BusinessFactory(name="便民食杂店", village=village, address="东村大街1号", operator="李四")
    f.licensed(shop, number="JY14406060012345")
    return shop


def test_licensed_unit_shows_its_licences_masked_and_complete(client, grocery):
    response = page(client, grocery)
    assert response.status_code == 200
    body = text(response)
    assert "便民食杂店" in body and "东村大街1号" in body and "小食杂店" in body
    assert "JY14406060012345" not in body
    assert mask_number("JY14406060012345") in body
    assert 'id="licences-complete"' in body
    assert "missing-licence" not in body
    assert "2030-12-31" in body  # validity
    assert "暂无检查记录" in body


def test_missing_licence_is_named(client, village):
    shop = f.BusinessFactory(name="无证小店", village=village)
    body = text(page(client, shop))
    missing = [lt.name for lt in shop.required_licence_types()]
    assert missing
    for name in missing:
        assert f"缺少{name}" in body
    assert 'id="licences-complete"' not in body


def test_expired_licence_reads_expired_and_missing(client, village):
    shop = f.BusinessFactory(village=village)
    f.licensed(
        shop,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
        issued_on=datetime.date(2020, 1, 1),
    )
    body = text(page(client, shop))
    assert "已过期" in body and "缺少" in body


def test_open_order_shows_its_deadline_then_disappears_when_closed(client, grocery, inspector):
    today = timezone.localdate()
    visit = inspect(
        grocery, inspector, day=today, fails=("G1-1",), deadline=today + datetime.timedelta(days=10)
    )
    body = text(page(client, grocery))
    assert 'id="open-order"' in body
    assert f"{today + datetime.timedelta(days=10):%Y-%m-%d}" in body
    assert visit.get_outcome_display() in body
    assert f"{today:%Y-%m-%d}" in body  # the latest inspection's date
    order = RectificationOrder.objects.get(business=grocery, status=OrderStatus.OPEN)
    services.rectification_close(order=order, visit=visit, on=today)
    assert 'id="open-order"' not in text(page(client, grocery))


def test_banned_unit_says_it_is_banned(client, grocery):
    grocery.status = "banned"
    roster_services.business_save(business=grocery)
    body = text(page(client, grocery))
    assert 'id="banned-notice"' in body and "已取缔" in body


def test_model_unit_is_marked(client, grocery):
    assert 'id="unit-model"' not in text(page(client, grocery))
    grocery.is_model = True
    roster_services.business_save(business=grocery)
    assert 'id="unit-model"' in text(page(client, grocery))


@pytest.mark.parametrize("category", ["restaurant", "workshop"])
def test_grade_change_changes_the_face(client, village, inspector, category):
    """E1: restaurants and workshops show the 量化分级 face; a new visit's score changes it at once."""
    shop = f.BusinessFactory(village=village, category=f.category(category))
    f.licensed(shop)
    body = text(page(client, shop))
    assert "尚未评定量化分级" in body
    today = timezone.localdate()
    inspect(shop, inspector, day=today - datetime.timedelta(days=2))  # every item passes: 100
    assert InspectionProfile.objects.get(business=shop).hygiene_grade == HygieneGrade.A
    body = text(page(client, shop))
    assert "face-smile" in body and "笑脸" in body
    # Visits with failures lower the score (equal weights): 2 failed of 12–13 → B 平脸, 4 failed → C 哭脸.
    codes = list(shop.category.checklist_templates.get(is_current=True).items.values_list("code", flat=True))
    inspect(shop, inspector, day=today - datetime.timedelta(days=1), fails=tuple(codes[-2:]))
    assert InspectionProfile.objects.get(business=shop).hygiene_grade == HygieneGrade.B
    body = text(page(client, shop))
    assert "face-flat" in body and "平脸" in body and "face-smile" not in body
    inspect(shop, inspector, day=today, fails=tuple(codes[-4:]))
    assert InspectionProfile.objects.get(business=shop).hygiene_grade == HygieneGrade.C
    body = text(page(client, shop))
    assert "face-cry" in body and "哭脸" in body and "face-flat" not in body


def test_grocery_has_no_face(client, grocery):
    body = text(page(client, grocery))
    assert 'id="grade"' not in body and "face-" not in body.replace("face-disc", "")


def test_no_personal_data_on_any_public_page(client, village, inspector, office):
    """Scan the HTML for every phone number, credit code, operator name and full licence number there is."""
    today = timezone.localdate()
    shops = []
    for n, category in enumerate(["grocery", "restaurant", "workshop", "pharmacy", "agri"]):
        shop = f.BusinessFactory(
            village=village,
            category=f.category(category),
            operator=f"王{n}掌柜",
            phone=f"1390000{n:04d}",
            credit_code=f.make_credit_code(),
        )
        f.licensed(shop)
        shops.append(shop)
    inspect(shops[0], inspector, day=today, fails=("G1-1",))
    # A tip-off about the unit: none of its text or contact may appear either.
    services.tipoff_submit(
        content="举报内容不应公开",
        village=village,
        place="东村",
        business_name=shops[0].name,
        contact_name="举报人赵六",
        contact_phone="13911112222",
        wants_reward=True,
        photos=[],
        client_hash="x",
        spam_reason="",
    )
    secrets = set()
    for b in Business.objects.all():
        secrets |= {b.operator, b.phone, b.credit_code}
    secrets |= set(Licence.objects.values_list("number", flat=True))
    secrets |= {"举报人赵六", "13911112222", "举报内容不应公开", inspector.username}
    secrets.discard("")
    secrets.discard(None)
    pages = [text(page(client, b)) for b in shops] + [text(client.get(reverse("public:town")))]
    for body in pages:
        leaked = sorted(s for s in secrets if s in body)
        assert not leaked, leaked


def test_rotated_code_answers_410_with_the_notice(client, grocery, office):
    old = code_of(grocery)
    assert page(client, old).status_code == 200  # cached now
    new = services.public_code_rotate(business=grocery, user=office, reason="公示牌遗失")
    response = page(client, old)
    assert response.status_code == 410
    assert "此码已失效" in response.content.decode()
    assert page(client, new.code).status_code == 200
    assert PublicCode.objects.get(code=old).retired_by == office


def test_unknown_code_is_404_and_codes_are_not_ids(client, grocery):
    code = code_of(grocery)
    assert str(grocery.pk) != code and len(code) >= 20
    assert page(client, "x" * 22).status_code == 404
    assert client.get(reverse("public:unit", args=[str(grocery.pk)])).status_code == 404


def test_rotation_needs_a_reason(grocery, office):
    from django.core.exceptions import ValidationError

    code_of(grocery)
    with pytest.raises(ValidationError):
        services.public_code_rotate(business=grocery, user=office, reason=" ")
    assert PublicCode.objects.filter(business=grocery, retired_at__isnull=True).count() == 1


def test_cached_hit_makes_no_query(client, grocery, django_assert_num_queries):
    code = code_of(grocery)
    first = page(client, code)
    with django_assert_num_queries(0):
        again = page(client, code)
    assert again.content == first.content
    assert again["Cache-Control"] == "no-cache"  # the phone asks again: a rotation or a ban shows at once


def test_a_change_through_a_service_is_seen_at_once(client, grocery, django_assert_num_queries):
    code = code_of(grocery)
    page(client, code)
    licence = grocery.licences.first()
    roster_services.licence_revoke(licence=licence, reason="违法经营")
    body = text(page(client, code))
    assert "已吊销" in body and "缺少" in body
    with django_assert_num_queries(0):
        page(client, code)


def test_a_roster_import_makes_every_page_stale(client, grocery):
    from lib import stamps

    code = code_of(grocery)
    page(client, code)
    Business.objects.filter(pk=grocery.pk).update(name="导入后的新名称")  # as a bulk import writes
    assert "导入后的新名称" not in text(page(client, code))  # still the cached page
    stamps.touch_all(stamps.PUBLIC_PAGE)  # what roster_import does once its transaction is written
    assert "导入后的新名称" in text(page(client, code))


def test_per_address_rate_limit_answers_429(client, grocery, settings):
    settings.WUXIAO_PUBLIC_RATE_PER_MINUTE = 3
    cache.clear()
    code = code_of(grocery)
    statuses = [page(client, code).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    refused = page(client, code)
    assert "访问过于频繁" in refused.content.decode() and int(refused["Retry-After"]) <= 60
    # Another address is not affected.
    assert client.get(reverse("public:unit", args=[code]), REMOTE_ADDR="10.9.9.9").status_code == 200
    cache.clear()


def test_mask_number():
    assert mask_number("JY14406060012345") == "JY14*********345"
    assert mask_number("1234") == "****"
    assert mask_number("") == ""
