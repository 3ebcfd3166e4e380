"""Tip-offs inside the system (W5): office triage and reward; the tipster's contact only for the office."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaigns.models import Business
from inspections import services
from inspections.choices import TipOffStatus
from inspections.uploads import clean_image
from tests import factories as f
from tests.factories_enforcement import TipOffFactory

pytestmark = pytest.mark.django_db
LIST = reverse("inspections:tipoff_list")
PHONE = "13900001111"


def detail(tipoff):
    return reverse("inspections:tipoff_detail", args=[tipoff.pk])


@pytest.fixture
def grocery_tip(village):
    return TipOffFactory(
        village=village,
        status=TipOffStatus.ASSIGNED,
        lead_department=f.department("aic"),
        contact_name="热心群众",
        contact_phone=PHONE,
    )


def test_office_sees_contact_others_do_not(client, office, leader, aic_user, inspector, grocery_tip):
    client.force_login(office)
    body = client.get(detail(grocery_tip)).content.decode()
    assert PHONE in body and "热心群众" in body and 'id="tipster-contact"' in body
    for user in (leader, aic_user, inspector):
        client.force_login(user)
        response = client.get(detail(grocery_tip))
        assert response.status_code == 200, user
        body = response.content.decode()
        assert PHONE not in body and "热心群众" not in body and "tipster-contact" not in body
        assert "triage" not in body  # no triage form either


def test_contact_is_not_in_the_audit_log(office_client, grocery_tip):
    from auditlog.models import LogEntry

    grocery_tip.contact_phone = "13911112222"
    grocery_tip.save()
    assert not any(
        "contact_phone" in (e.changes or {}) or "13911112222" in str(e.changes)
        for e in LogEntry.objects.all()
    )


def test_department_sees_only_tipoffs_assigned_to_it(client, aic_user, grocery_tip):
    other = TipOffFactory(status=TipOffStatus.ASSIGNED, lead_department=f.department("health"))
    new = TipOffFactory(status=TipOffStatus.RECEIVED)
    client.force_login(aic_user)
    listed = list(client.get(LIST).context["page"].object_list)
    assert listed == [grocery_tip]
    assert client.get(detail(other)).status_code == 404
    assert client.get(detail(new)).status_code == 404  # not yet triaged: office only


def test_business_account_cannot_open_tipoffs(client, grocery_tip):
    shop = f.user_with_role("business", "shop_user", business=f.BusinessFactory())
    client.force_login(shop)
    assert client.get(LIST).status_code == 404
    assert client.get(detail(grocery_tip)).status_code == 404


def test_spam_only_in_the_office_spam_tab(office_client):
    TipOffFactory(status=TipOffStatus.SPAM, spam_reason="honeypot")
    real = TipOffFactory()
    assert list(office_client.get(LIST).context["page"].object_list) == [real]
    assert len(office_client.get(LIST, {"status": "spam"}).context["page"].object_list) == 1


def test_triage_links_suggested_business_and_defaults_department(office_client, office, village):
    shop = f.BusinessFactory(village=village)
    tip = TipOffFactory(village=village, suggested_business=shop)
    response = office_client.post(
        detail(tip),
        {"action": "triage", "status": "assigned", "business": shop.name, "triage_note": "请工商分局核查"},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.business == shop and tip.lead_department.code == "aic"
    assert tip.triaged_by == office and tip.triaged_at is not None


def test_triage_creates_a_business_the_roster_lacked(office_client, village):
    tip = TipOffFactory(village=village, place="东村桥头")
    office_client.post(
        detail(tip),
        {
            "action": "triage",
            "status": "verifying",
            "new_business_name": "桥头无名豆腐坊",
            "new_business_category": f.category("workshop").pk,
        },
    )
    tip.refresh_from_db()
    created = Business.objects.get(name="桥头无名豆腐坊")
    assert tip.business == created and created.village == village and created.address == "东村桥头"
    assert tip.lead_department.code == "tech_supervision"


def test_triage_without_village_cannot_create_business(office_client):
    tip = TipOffFactory(village=None)
    response = office_client.post(
        detail(tip),
        {
            "action": "triage",
            "status": "verifying",
            "new_business_name": "某店",
            "new_business_category": f.category("grocery").pk,
        },
    )
    assert "举报未注明村（社区）" in response.content.decode()
    assert not Business.objects.filter(name="某店").exists()


def test_non_office_cannot_post_triage(client, aic_user, grocery_tip):
    client.force_login(aic_user)
    assert client.post(detail(grocery_tip), {"action": "triage", "status": "spam"}).status_code == 404
    grocery_tip.refresh_from_db()
    assert grocery_tip.status == TipOffStatus.ASSIGNED


def test_reward_only_when_proven(office_client, grocery_tip):
    with pytest.raises(ValidationError):
        services.tipoff_record_reward(tipoff=grocery_tip, amount=Decimal("200"))
    grocery_tip.status = TipOffStatus.PROVEN
    grocery_tip.save()
    paid = timezone.localdate() - datetime.timedelta(days=1)
    office_client.post(
        detail(grocery_tip), {"action": "reward", "amount": "200.00", "paid_on": paid.isoformat()}
    )
    grocery_tip.refresh_from_db()
    assert grocery_tip.reward_amount == Decimal("200.00") and grocery_tip.reward_paid_on == paid


def test_reverting_a_rewarded_tipoff_is_refused(office_client, grocery_tip):
    grocery_tip.status = TipOffStatus.PROVEN
    grocery_tip.reward_amount = Decimal("100")
    grocery_tip.save()
    response = office_client.post(detail(grocery_tip), {"action": "triage", "status": "unfounded"})
    assert "只有查证属实的举报才能登记奖励" in response.content.decode()
    grocery_tip.refresh_from_db()
    assert grocery_tip.status == TipOffStatus.PROVEN


def _photo(tipoff):
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="PNG")
    buf.seek(0)
    buf.name = "a.png"
    buf.size = len(buf.getvalue())
    image = clean_image(buf, label="照片1")
    return tipoff.photos.create(image=image.content, width=image.width, height=image.height)


def test_photos_served_only_within_scope(client, aic_user, grocery_tip):
    photo = _photo(grocery_tip)
    other_photo = _photo(TipOffFactory(status=TipOffStatus.ASSIGNED, lead_department=f.department("health")))
    client.force_login(aic_user)
    response = client.get(reverse("inspections:tipoff_photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(reverse("inspections:tipoff_photo", args=[other_photo.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("inspections:tipoff_photo", args=[photo.pk])).status_code == 302


def test_list_query_count_does_not_grow(office_client, django_assert_max_num_queries, village):
    def make(n):
        for _ in range(n):
            tip = TipOffFactory(village=village, business=f.BusinessFactory(village=village))
            _photo(tip)

    make(2)
    with django_assert_max_num_queries(12) as small:
        office_client.get(LIST)
    make(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        office_client.get(LIST)
