"""The inspector's pages: due list, the visit form (draft, submit, errors), scoping (404 outside the
village), photos served only through the scoped view, the order's .docx and page, checklist versions."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import BusinessStatus
from inspections import services
from inspections.choices import Answer, OrderStatus, VisitOutcome, VisitStatus
from inspections.models import (
    ChecklistTemplate,
    FrequencyRule,
    InspectionProfile,
    RectificationOrder,
    Visit,
    VisitPhoto,
)
from tests import factories as f
from tests.factories_inspections import inspect, jpeg_upload

TODAY = timezone.localdate()


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"), name="东村便利店")
    f.licensed(business)
    return business


@pytest.fixture
def order(shop, inspector):
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=20), fails=("C2-1", "C2-2"))
    return visit.orders_issued.get()


def form_data(visit, *, answer=Answer.PASS, outcome=VisitOutcome.PASSED, action="submit", **extra):
    data = {"action": action, "outcome": outcome, "notes": "现场整洁"}
    for ans in visit.answers.all():
        data[f"answer_{ans.pk}"] = answer
    for check in visit.licence_checks.all():
        data[f"held_{check.pk}"] = "1"
        data[f"displayed_{check.pk}"] = "1"
    data.update(extra)
    return data


def test_inspector_lands_on_the_due_list(client, inspector):
    client.force_login(inspector)
    assert client.get("/").url == reverse("inspections:due")


def test_due_list_shows_own_village_never_visited_and_overdue_orders(
    client, inspector, shop, order, other_village
):
    elsewhere = f.BusinessFactory(village=other_village, name="西村小卖部")
    fresh = f.BusinessFactory(village=shop.village, name="东村新开店")
    passed = f.BusinessFactory(village=shop.village, name="东村合格店")
    inspect(passed, inspector, day=TODAY - datetime.timedelta(days=2))
    client.force_login(inspector)
    page = client.get(reverse("inspections:due")).content.decode()
    assert shop.name in page and "整改逾期" in page  # its order's deadline has passed
    assert fresh.name in page and "尚未检查" in page
    assert passed.name not in page  # grade A: next due in 90 days
    assert elsewhere.name not in page


def test_due_list_query_count_does_not_grow(client, inspector, village, django_assert_max_num_queries):
    client.force_login(inspector)

    def grow(n):
        for _ in range(n):
            b = f.BusinessFactory(village=village)
            inspect(b, inspector, day=TODAY - datetime.timedelta(days=40), fails=("C2-1",))

    grow(2)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("inspections:due"))
    grow(8)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(reverse("inspections:due"))
    assert response.context["page"].paginator.count == 10
    assert len(large.captured_queries) == len(small.captured_queries)


def test_visit_list_query_count_does_not_grow(
    client, office, village, inspector, django_assert_max_num_queries
):
    client.force_login(office)
    for _ in range(2):
        inspect(f.BusinessFactory(village=village), inspector, day=TODAY - datetime.timedelta(days=3))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("inspections:visit_list"))
    for _ in range(8):
        inspect(f.BusinessFactory(village=village), inspector, day=TODAY - datetime.timedelta(days=3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:visit_list"))
    assert response.context["page"].paginator.count == 10


def test_order_list_query_count_does_not_grow(
    client, office, village, inspector, django_assert_max_num_queries
):
    client.force_login(office)
    inspect(
        f.BusinessFactory(village=village), inspector, day=TODAY - datetime.timedelta(days=3), fails=("C2-1",)
    )
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("inspections:order_list"))
    for _ in range(6):
        inspect(
            f.BusinessFactory(village=village),
            inspector,
            day=TODAY - datetime.timedelta(days=3),
            fails=("C2-1",),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("inspections:order_list"))


def test_start_save_draft_and_submit_through_the_form(client, inspector, shop):
    client.force_login(inspector)
    response = client.post(reverse("inspections:visit_start", args=[shop.pk]), {"kind": "routine"})
    visit = Visit.objects.get(business=shop)
    assert response.url == reverse("inspections:visit_edit", args=[visit.pk])
    # Draft: half the answers; they are kept.
    first = visit.answers.order_by("order").first()
    response = client.post(
        reverse("inspections:visit_edit", args=[visit.pk]), {"action": "save", f"answer_{first.pk}": "pass"}
    )
    assert response.status_code == 302 and response.url.endswith("?saved=1")
    first.refresh_from_db()
    assert first.answer == Answer.PASS
    # Submit: complete, passes.
    response = client.post(reverse("inspections:visit_edit", args=[visit.pk]), form_data(visit))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED and visit.outcome == VisitOutcome.PASSED
    assert response.url == reverse("inspections:visit_detail", args=[visit.pk]) + "?saved=1"
    # Locked afterwards: the edit page sends you to the record.
    assert client.get(reverse("inspections:visit_edit", args=[visit.pk])).url == visit.get_absolute_url()


def test_submit_with_gaps_shows_messages_on_the_fields_and_saves_nothing(client, inspector, shop):
    client.force_login(inspector)
    visit = services.visit_start(business=shop, user=inspector)
    data = form_data(
        visit, outcome=VisitOutcome.RECTIFY, deadline=(TODAY - datetime.timedelta(days=1)).isoformat()
    )
    unanswered = visit.answers.get(code="C3-1")
    del data[f"answer_{unanswered.pk}"]
    failed = visit.answers.get(code="C4-1")  # needs a photo when it fails
    data[f"answer_{failed.pk}"] = Answer.FAIL
    response = client.post(reverse("inspections:visit_edit", args=[visit.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"answer_{unanswered.pk}"] == ["请选择：符合、不符合或不适用。"]
    assert form.errors[f"photo_{failed.pk}"] == ["该条目不符合时须拍照留证。"]
    assert "已过或就是今天" in form.errors["deadline"][0]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT and not visit.answers.exclude(answer="").exists()
    assert not RectificationOrder.objects.exists()
    # what was typed is still on the page
    assert 'value="fail" autocomplete="off" checked' in response.content.decode()


def test_submit_with_a_photo_issues_an_order(client, inspector, shop):
    client.force_login(inspector)
    visit = services.visit_start(business=shop, user=inspector)
    failed = visit.answers.get(code="C4-1")
    data = form_data(
        visit, outcome=VisitOutcome.RECTIFY, deadline=(TODAY + datetime.timedelta(days=10)).isoformat()
    )
    data[f"answer_{failed.pk}"] = Answer.FAIL
    data[f"photo_{failed.pk}"] = jpeg_upload()
    client.post(reverse("inspections:visit_edit", args=[visit.pk]), data)
    order = RectificationOrder.objects.get(visit=visit)
    assert list(order.items.values_list("code", flat=True)) == ["C4-1"]
    assert VisitPhoto.objects.get(answer=failed).width == 1600
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING


def test_a_file_that_is_not_an_image_is_refused_on_its_field(client, inspector, shop):
    client.force_login(inspector)
    visit = services.visit_start(business=shop, user=inspector)
    response = client.post(
        reverse("inspections:visit_edit", args=[visit.pk]),
        {"action": "save", "photos": SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 not an image")},
    )
    assert "不是可识别的图片文件" in response.context["form"].errors["photos"][0]
    assert not VisitPhoto.objects.exists()


def test_banned_business_cannot_be_started(client, inspector, shop):
    shop.status = BusinessStatus.BANNED
    shop.save()
    client.force_login(inspector)
    response = client.post(reverse("inspections:visit_start", args=[shop.pk]), {"kind": "routine"})
    assert response.status_code == 200 and "不能再登记检查" in response.content.decode()
    assert not Visit.objects.exists()


def test_inspector_of_another_village_gets_404_everywhere(client, other_inspector, inspector, shop, order):
    visit = order.visit
    photo = services.photo_add(
        visit=services.visit_start(business=shop, user=inspector), user=inspector, upload=jpeg_upload()
    )
    client.force_login(other_inspector)
    for url in [
        reverse("inspections:visit_detail", args=[visit.pk]),
        reverse("inspections:visit_edit", args=[photo.visit_id]),
        reverse("inspections:visit_start", args=[shop.pk]),
        reverse("inspections:order_detail", args=[order.pk]),
        reverse("inspections:order_docx", args=[order.pk]),
        reverse("inspections:photo", args=[photo.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("inspections:photo_delete", args=[photo.pk])).status_code == 404
    assert (
        client.post(
            reverse("inspections:visit_amend", args=[visit.pk]), {"text": "x", "reason": "y"}
        ).status_code
        == 404
    )
    listed = client.get(reverse("inspections:visit_list")).context["page"].paginator.count
    assert listed == 0


def test_photo_is_served_to_the_village_and_leader_reads_but_cannot_edit(client, inspector, leader, shop):
    draft = services.visit_start(business=shop, user=inspector)
    photo = services.photo_add(visit=draft, user=inspector, upload=jpeg_upload())
    client.force_login(inspector)
    response = client.get(reverse("inspections:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(leader)
    assert client.get(reverse("inspections:visit_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("inspections:visit_edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("inspections:visit_start", args=[shop.pk])).status_code == 404


def test_order_docx_has_the_official_layout(client, inspector, order):
    client.force_login(inspector)
    response = client.get(reverse("inspections:order_docx", args=[order.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "责令限期整改通知书" in text
    assert order.number in text and "东村便利店" in text
    assert "C2" in text and "建立食品进货台账" in text  # findings with their requirement ids
    d = order.deadline
    assert f"{d.year}年{d.month}月{d.day}日前整改完毕" in text
    assert "检查人员（签名）" in text and "签收人" in text and "送　达　回　执" in text


def test_order_page_prints_the_same_text(client, inspector, order):
    client.force_login(inspector)
    page = client.get(reverse("inspections:order_detail", args=[order.pk])).content.decode()
    assert "责令限期整改通知书" in page and order.number in page and "回头查" in page


def test_business_page_shows_grade_orders_and_visits(client, inspector, shop, order):
    client.force_login(inspector)
    page = client.get(reverse("campaigns:business_detail", args=[shop.pk])).content.decode()
    assert "检查与整改" in page and order.number in page and "限期整改" in page
    assert "开始检查" in page


def test_office_revises_a_checklist_and_running_visits_keep_their_items(client, office, inspector, shop):
    draft = services.visit_start(business=shop, user=inspector)
    current = ChecklistTemplate.objects.get(category=shop.category, is_current=True)
    client.force_login(office)
    lines = "G1-1 | G1 | 证照齐全 | 否\nC2-1 | C2 | 建立食品进货台账并每日登记 | 是 | 20"
    response = client.post(
        reverse("inspections:checklist_revise", args=[current.pk]),
        {"title": current.title, "note": "简化", "items": lines},
    )
    new = ChecklistTemplate.objects.get(category=shop.category, is_current=True)
    assert response.url == reverse("inspections:checklist_detail", args=[new.pk])
    assert new.version == current.version + 1 and new.items.count() == 2
    assert new.items.get(code="C2-1").requires_photo_on_failure and new.items.get(code="C2-1").weight == 20
    # the draft started on the old version keeps its snapshot; a new visit uses the new one
    assert draft.answers.count() == current.items.count()
    assert draft.answers.get(code="C2-1").text == "建立食品进货台账"
    services.visit_save_draft(visit=draft, user=inspector, data=services.VisitInput(notes="x"))
    other = f.BusinessFactory(village=shop.village)
    assert services.visit_start(business=other, user=inspector).answers.count() == 2


def test_checklist_revision_refuses_bad_lines_and_non_office(client, office, inspector):
    current = ChecklistTemplate.objects.get(category__code="grocery", is_current=True)
    client.force_login(inspector)
    assert client.get(reverse("inspections:checklist_revise", args=[current.pk])).status_code == 404
    client.force_login(office)
    response = client.post(
        reverse("inspections:checklist_revise", args=[current.pk]),
        {"title": "x", "note": "y", "items": "C2-1 | 进货 | 台账\nC2-1 | C2 | 重复"},
    )
    errors = response.context["form"].errors["items"]
    assert any("依据要求“进货”" in e for e in errors) and any("重复" in e for e in errors)
    assert ChecklistTemplate.objects.get(category__code="grocery", is_current=True) == current


def test_office_edits_the_frequency_table_and_due_dates_follow(client, office, inspector, shop):
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=5))
    assert InspectionProfile.objects.get(business=shop).grade == "A"
    client.force_login(office)
    rules = list(FrequencyRule.objects.order_by("grade"))
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3"}
    for i, rule in enumerate(rules):
        data.update(
            {
                f"form-{i}-id": rule.pk,
                f"form-{i}-min_score": rule.min_score,
                f"form-{i}-interval_days": 60 if rule.grade == "A" else rule.interval_days,
                f"form-{i}-note": rule.note,
            }
        )
    assert client.post(reverse("inspections:frequency_edit"), data).status_code == 302
    assert FrequencyRule.objects.get(grade="A").interval_days == 60
    assert InspectionProfile.objects.get(business=shop).next_due_on == timezone.localdate(
        visit.started_at
    ) + datetime.timedelta(days=60)


def test_reinspection_from_the_start_page_closes_the_order(client, inspector, shop, order):
    client.force_login(inspector)
    client.post(
        reverse("inspections:visit_start", args=[shop.pk]), {"kind": "reinspection", "order": order.pk}
    )
    recheck = Visit.objects.get(business=shop, status=VisitStatus.DRAFT)
    assert recheck.reinspection_of == order
    client.post(reverse("inspections:visit_edit", args=[recheck.pk]), form_data(recheck))
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and order.closed_by == recheck


def test_companions_are_recorded_as_inspectors(client, inspector, shop, aic_user, other_inspector):
    client.force_login(inspector)
    page = client.get(reverse("inspections:visit_start", args=[shop.pk])).content.decode()
    assert "aic_user" in page and "other_inspector_user" not in page  # another village's inspector
    client.post(
        reverse("inspections:visit_start", args=[shop.pk]), {"kind": "surprise", "companions": [aic_user.pk]}
    )
    visit = Visit.objects.get(business=shop)
    assert set(visit.inspectors.all()) == {inspector, aic_user} and visit.kind == "surprise"


def test_amendment_is_recorded_on_a_submitted_visit(client, inspector, shop):
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=1))
    client.force_login(inspector)
    client.post(
        reverse("inspections:visit_amend", args=[visit.pk]), {"text": "经营者应为李四", "reason": "笔误"}
    )
    amendment = visit.amendments.get()
    assert amendment.author == inspector and amendment.reason == "笔误"
    assert "经营者应为李四" in client.get(visit.get_absolute_url()).content.decode()


def test_photo_delete_on_a_draft_and_location_saved(client, inspector, shop):
    draft = services.visit_start(business=shop, user=inspector)
    photo = services.photo_add(visit=draft, user=inspector, upload=jpeg_upload())
    client.force_login(inspector)
    client.post(reverse("inspections:photo_delete", args=[photo.pk]))
    assert not VisitPhoto.objects.filter(pk=photo.pk).exists()
    client.post(
        reverse("inspections:visit_edit", args=[draft.pk]),
        {"action": "save", "latitude": "22.812345", "longitude": "113.123456", "location_accuracy": "12"},
    )
    draft.refresh_from_db()
    assert str(draft.latitude) == "22.812345" and draft.location_accuracy == 12


def test_visit_list_counts_at_most_its_cap_and_says_so(client, office, village, inspector, monkeypatch):
    """Issue 26 (reads): the visit list counts at most VISIT_LIST_COUNT_CAP visits — a COUNT over a LIMIT —
    and says there are more; under the cap it gives the exact number."""
    from inspections.views import visits as visit_views

    client.force_login(office)
    for _ in range(4):
        inspect(f.BusinessFactory(village=village), inspector, day=TODAY - datetime.timedelta(days=3))
    monkeypatch.setattr(visit_views, "VISIT_LIST_COUNT_CAP", 3)
    response = client.get(reverse("inspections:visit_list"))
    assert response.context["page"].paginator.count == 3 and response.context["page"].paginator.capped
    assert "超过 3 次" in response.content.decode() and len(response.context["page"].object_list) == 3
    monkeypatch.setattr(visit_views, "VISIT_LIST_COUNT_CAP", 4)
    response = client.get(reverse("inspections:visit_list"))
    assert response.context["page"].paginator.count == 4 and not response.context["page"].paginator.capped
    assert "共 4 次" in response.content.decode()
