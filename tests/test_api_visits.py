"""POST /api/v1/visits/submit/ (issue 18, for the offline app #19): idempotent by client UUID, the page's
services in one transaction, conflicts with stable codes, photos as multipart, nothing written on error."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from campaigns.choices import BusinessStatus
from inspections import services
from inspections.models import RectificationOrder, Visit, VisitPhoto
from inspections.services import ItemInput, checklist_current
from tests import factories as f
from tests.api_helpers import token_client, visit_payload
from tests.factories_inspections import jpeg_upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/visits/submit/"


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business)
    return business


@pytest.fixture
def api(inspector):
    return token_client(inspector)


def test_the_same_uuid_twice_makes_one_visit_and_answers_the_same(api, shop):
    payload = visit_payload(shop)
    first = api.post(URL, payload, format="json")
    assert first.status_code == 201, first.json()
    second = api.post(URL, payload, format="json")
    assert second.status_code == 200 and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    visit = Visit.objects.get(client_uuid=payload["client_uuid"])
    assert Visit.objects.filter(business=shop).count() == 1
    assert visit.status == "submitted" and visit.outcome == "passed" and visit.score == 100
    assert first.json()["answers"][0]["answer"] == "pass"


def test_rectify_issues_the_order_like_the_page(api, shop):
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    payload = visit_payload(shop, fails=("C2-2",), outcome="rectify", deadline=deadline)
    response = api.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    order = RectificationOrder.objects.get(business=shop)
    assert response.json()["orders_issued"] == [order.pk] and order.deadline == deadline
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING


def test_field_errors_are_chinese_named_by_the_clients_fields_and_nothing_is_written(api, shop):
    payload = visit_payload(shop)
    code = next(iter(payload["answers"]))
    del payload["answers"][code]
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert body["fields"][f"answers.{code}"][0]["message"] == "请选择：符合、不符合或不适用。"
    assert not Visit.objects.exists()


def test_conflict_checklist_changed(api, shop, office):
    payload = visit_payload(shop)
    current = checklist_current(shop.category)
    items = [ItemInput(code=i.code, requirement=i.requirement, text=i.text) for i in current.items.all()]
    revised = services.checklist_revise(template=current, items=items, user=office, note="改版")
    response = api.post(URL, payload, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "checklist_changed"
    assert response.json()["detail"] == {"checklist": revised.pk, "version": revised.version}
    assert not Visit.objects.exists()


def test_conflict_business_closed(api, shop):
    payload = visit_payload(shop)
    shop.status = BusinessStatus.CLOSED
    shop.save()
    response = api.post(URL, payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "business_closed"
    assert "已关闭" in response.json()["message"]
    assert not Visit.objects.exists()


def test_conflict_deadline_past(api, shop):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    payload = visit_payload(shop, fails=("C2-2",), outcome="rectify", deadline=yesterday)
    response = api.post(URL, payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "deadline_past"
    assert not Visit.objects.exists() and not RectificationOrder.objects.exists()


def test_conflict_assignment_already_visited_by_a_colleague(shop, inspector, office, village):
    colleague = f.user_with_role("inspector", "colleague", village=village)
    draft = services.visit_start(
        business=shop, user=office, kind="random", inspectors=[inspector, colleague], reuse=False
    )
    mine = visit_payload(shop, assignment=draft.pk, checklist=draft.template_id)
    theirs = visit_payload(shop, assignment=draft.pk, checklist=draft.template_id)
    assert token_client(colleague).post(URL, theirs, format="json").status_code == 201
    response = token_client(inspector).post(URL, mine, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_visited"
    assert response.json()["detail"]["visit"] == draft.pk and "colleague" in response.json()["message"]
    assert Visit.objects.count() == 1


def test_conflict_uuid_taken_by_another_user(api, shop, village):
    payload = visit_payload(shop)
    assert api.post(URL, payload, format="json").status_code == 201
    other = token_client(f.user_with_role("inspector", "other_in_village", village=village))
    response = other.post(URL, payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "uuid_taken"


def test_photos_as_multipart(api, shop):
    code = next(i.code for i in checklist_current(shop.category).items.all() if i.requires_photo_on_failure)
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    payload = visit_payload(shop, fails=(code,), outcome="rectify", deadline=deadline)
    without = api.post(URL, {"visit": json.dumps(payload)}, format="multipart")
    assert without.status_code == 400 and f"photos.{code}" in without.json()["fields"]
    response = api.post(
        URL,
        {"visit": json.dumps(payload), "photos": [jpeg_upload(), jpeg_upload()], "photo_items": [code, ""]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    photos = VisitPhoto.objects.filter(visit__client_uuid=payload["client_uuid"])
    assert photos.count() == 2 and photos.filter(answer__code=code).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"surprise": 1}, "surprise", "unknown_field"),
        ({"business": "abc"}, "business", "invalid"),
        ({"business": 10**30}, "business", "max_value"),
        ({"notes": "a\x00b"}, "notes", "null_characters_not_allowed"),
        ({"deadline": "1899-12-31", "outcome": "rectify"}, "deadline", "date_out_of_range"),
        ({"deadline": "2026-02-30"}, "deadline", "invalid"),
        ({"client_uuid": "not-a-uuid"}, "client_uuid", "invalid"),
        ({"answers": []}, "answers", "not_a_dict"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field_and_nothing_is_written(api, shop, change, field, code):
    payload = {**visit_payload(shop), **change}
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["fields"][field][0]["code"] == code
    assert not Visit.objects.exists()


def test_malformed_huge_and_foreign_bodies(api, shop, other_village):
    broken = api.post(URL, "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    huge = api.post(URL, json.dumps({"notes": "x" * (6 * 1024 * 1024)}), content_type="application/json")
    assert huge.status_code == 413 and huge.json()["code"] == "too_large"
    xml = api.post(URL, "<visit/>", content_type="application/xml")
    assert xml.status_code == 415 and xml.json()["code"] == "unsupported_media_type"
    elsewhere = f.BusinessFactory(village=other_village, category=f.category("grocery"))
    foreign = api.post(URL, visit_payload(elsewhere), format="json")
    assert foreign.status_code == 404 and foreign.json()["code"] == "not_found"
    assert not Visit.objects.exists()


def test_session_clients_need_the_csrf_token(inspector, shop):
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(inspector)
    refused = browser.post(URL, visit_payload(shop), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    browser.get("/inspections/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(URL, visit_payload(shop), format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_started_at_and_uuid_are_kept(api, shop):
    started = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    payload = visit_payload(shop, client_uuid=uuid.uuid4(), started_at=started.isoformat())
    body = api.post(URL, payload, format="json").json()
    visit = Visit.objects.get(pk=body["id"])
    assert str(visit.client_uuid) == payload["client_uuid"] and visit.started_at == started
