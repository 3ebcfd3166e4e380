"""visit_submit and the rectification loop: each outcome's effects, close/escalate, overdue, relapse (W3),
return checks (E2), grades. Services are called as the views call them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns.choices import BusinessStatus, LicenceState
from campaigns.models import Department
from inspections import services
from inspections.choices import (
    Answer,
    Grade,
    HygieneGrade,
    LicenceAction,
    OrderStatus,
    VisitKind,
    VisitOutcome,
    VisitStatus,
)
from inspections.models import FrequencyRule, InspectionProfile, RectificationOrder, VisitPhoto
from tests import factories as f
from tests.factories_inspections import at, inspect, jpeg_upload, visit_input

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business, displayed=False)
    return business


@pytest.fixture
def today():
    """A fixed day: every service here takes the visit's own time, not the clock."""
    return TODAY


def test_passed_visit_records_score_licence_display_and_grade(shop, inspector, today):
    visit = inspect(shop, inspector, day=today)
    assert visit.status == VisitStatus.SUBMITTED and visit.outcome == VisitOutcome.PASSED
    assert visit.score == 100
    # G1: the licence's "displayed as last seen" comes from the visit
    for lic in shop.licences.all():
        assert lic.displayed is True and lic.displayed_seen_on == today
    profile = InspectionProfile.objects.get(business=shop)
    assert profile.grade == Grade.A and profile.next_due_on == today + datetime.timedelta(days=90)


def test_rectify_creates_numbered_order_and_sets_business_rectifying(shop, inspector, today):
    visit = inspect(shop, inspector, day=today, fails=("C2-1", "C2-2"))
    order = RectificationOrder.objects.get(visit=visit)
    assert order.number.endswith("〔2026〕1号")  # no padding (DOMAIN §8)
    assert sorted(order.items.values_list("requirement", flat=True)) == ["C2", "C2"]
    assert order.deadline == order.reinspection_due_on == today + datetime.timedelta(days=14)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING
    second = inspect(f.BusinessFactory(village=shop.village), inspector, day=today, fails=("C2-1",))
    assert second.orders_issued.get().sequence == 2


def test_ban_sets_business_banned_and_ends_open_orders(shop, inspector, today):
    inspect(shop, inspector, day=today - datetime.timedelta(days=20), fails=("C2-1",))
    inspect(shop, inspector, day=today, fails=("C2-1",), outcome=VisitOutcome.BAN)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.BANNED
    assert not shop.rectification_orders.filter(status=OrderStatus.OPEN).exists()
    assert InspectionProfile.objects.get(business=shop).next_due_on is None


def test_revoke_revokes_the_chosen_licence_only(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.REVOKE)
    check = visit.licence_checks.get(licence_type__code="food_circulation")
    data.licences[check.pk].action = LicenceAction.SUSPEND
    services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    states = dict(shop.licences.values_list("licence_type__code", "state"))
    assert states == {"business": LicenceState.VALID, "food_circulation": LicenceState.REVOKED}
    assert "暂扣" in shop.licences.get(licence_type__code="food_circulation").note


def test_refer_records_the_receiving_department(shop, inspector, today):
    city = Department.objects.get(code="city_drug")
    visit = inspect(
        shop,
        inspector,
        day=today,
        fails=("C2-1",),
        outcome=VisitOutcome.REFER,
        referral_department=city,
        referral_note="涉嫌销售假药",
    )
    visit.refresh_from_db()
    assert visit.referral_department == city and visit.referral_note == "涉嫌销售假药"


def test_reinspection_that_passes_closes_the_order_and_schedules_return_check(
    shop, inspector, today, settings
):
    settings.WUXIAO_RETURN_CHECK_DAYS = 45
    first = inspect(shop, inspector, day=today - datetime.timedelta(days=15), fails=("C2-1",))
    order = first.orders_issued.get()
    recheck = inspect(shop, inspector, day=today, kind=VisitKind.REINSPECTION)
    order.refresh_from_db()
    shop.refresh_from_db()
    assert recheck.reinspection_of == order
    assert order.status == OrderStatus.CLOSED and order.closed_by == recheck and order.closed_on == today
    assert order.return_check_due_on == today + datetime.timedelta(days=45)
    assert shop.status == BusinessStatus.OPERATING


def test_reinspection_that_fails_escalates_to_a_new_order(shop, inspector, today):
    first = inspect(shop, inspector, day=today - datetime.timedelta(days=15), fails=("C2-1",))
    order = first.orders_issued.get()
    recheck = inspect(shop, inspector, day=today, kind=VisitKind.REINSPECTION, fails=("C2-1",))
    order.refresh_from_db()
    successor = recheck.orders_issued.get()
    assert order.status == OrderStatus.ESCALATED and order.closed_by == recheck
    assert order.successor == successor and successor.status == OrderStatus.OPEN
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING


def test_order_past_deadline_without_reinspection_is_overdue(shop, inspector, today):
    inspect(shop, inspector, day=today - datetime.timedelta(days=30), fails=("C2-1",))
    fresh = inspect(f.BusinessFactory(village=shop.village), inspector, day=today, fails=("C2-1",))
    overdue = RectificationOrder.objects.overdue(today)
    assert [o.business for o in overdue] == [shop]
    assert fresh.orders_issued.get() not in overdue


def test_relapse_is_flagged_when_a_rectified_item_fails_again(shop, inspector, today):
    inspect(shop, inspector, day=today - datetime.timedelta(days=60), fails=("C2-1",))
    inspect(shop, inspector, day=today - datetime.timedelta(days=45), kind=VisitKind.REINSPECTION)
    relapse = inspect(shop, inspector, day=today, fails=("C2-1", "C4-2"))
    assert relapse.is_relapse
    flagged = dict(relapse.answers.values_list("code", "is_relapse"))
    assert flagged["C2-1"] is True and flagged["C4-2"] is False
    profile = InspectionProfile.objects.get(business=shop)
    assert profile.relapsed_on == today and profile.grade == Grade.C  # W3: visited more often
    assert profile.next_due_on == today + datetime.timedelta(days=14)


def test_failing_twice_without_rectifying_is_not_a_relapse(shop, inspector, today):
    inspect(shop, inspector, day=today - datetime.timedelta(days=30), fails=("C2-1",))
    again = inspect(shop, inspector, day=today, kind=VisitKind.REINSPECTION, fails=("C2-1",))
    assert not again.is_relapse


def test_first_visit_on_or_after_return_check_date_is_the_return_check(shop, inspector, today, settings):
    settings.WUXIAO_RETURN_CHECK_DAYS = 30
    inspect(shop, inspector, day=today - datetime.timedelta(days=80), fails=("C2-1",))
    inspect(shop, inspector, day=today - datetime.timedelta(days=70), kind=VisitKind.REINSPECTION)
    order = shop.rectification_orders.get()
    assert order in RectificationOrder.objects.return_checks_due(today)
    check = inspect(shop, inspector, day=today)
    order.refresh_from_db()
    assert order.return_check_visit == check
    assert order not in RectificationOrder.objects.return_checks_due(today)


def test_submit_refuses_unanswered_items_and_saves_nothing(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(visit, unanswered=("C3-1",), outcome=VisitOutcome.PASSED)
    with pytest.raises(ValidationError) as exc:
        services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    missing = visit.answers.get(code="C3-1")
    assert exc.value.message_dict == {f"answer_{missing.pk}": ["请选择：符合、不符合或不适用。"]}
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT
    assert not visit.answers.exclude(answer="").exists()  # nothing half-saved


def test_submit_refuses_a_deadline_in_the_past(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(
        visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=today - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    assert "deadline" in exc.value.message_dict
    assert not RectificationOrder.objects.exists()
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.OPERATING


def test_submit_refuses_a_failed_item_that_needs_a_photo_without_one(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(
        visit,
        fails=("C4-1",),
        outcome=VisitOutcome.RECTIFY,
        photos_for_fails=False,
        deadline=today + datetime.timedelta(days=7),
    )
    with pytest.raises(ValidationError) as exc:
        services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    item = visit.answers.get(code="C4-1")
    assert exc.value.message_dict[f"photo_{item.pk}"] == ["该条目不符合时须拍照留证。"]


def test_passed_with_failed_items_is_refused(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.PASSED)
    with pytest.raises(ValidationError) as exc:
        services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    assert "outcome" in exc.value.message_dict


def test_a_banned_business_cannot_be_visited(shop, inspector, today):
    shop.status = BusinessStatus.BANNED
    shop.save()
    with pytest.raises(ValidationError) as exc:
        services.visit_start(business=shop, user=inspector)
    assert "已取缔" in exc.value.messages[0]


def test_photos_are_resized_and_non_images_refused(shop, inspector, today, settings):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    photo = services.photo_add(visit=visit, user=inspector, upload=jpeg_upload(size=(4000, 3000)))
    assert max(photo.width, photo.height) == 1600 and photo.size < 1024 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            visit=visit, user=inspector, upload=SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image")
        )
    assert "不是可识别的图片" in exc.value.messages[0]
    settings.WUXIAO_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        services.photo_add(visit=visit, user=inspector, upload=big)
    assert "过大" in exc.value.messages[0]
    assert VisitPhoto.objects.filter(visit=visit).count() == 1


def test_submitted_visit_is_locked_and_corrected_by_amendment(shop, inspector, today):
    visit = inspect(shop, inspector, day=today)
    with pytest.raises(ValidationError):
        services.visit_save_draft(visit=visit, user=inspector, data=services.VisitInput(notes="改"))
    amendment = services.visit_amend(visit=visit, user=inspector, text="店主姓名应为李四", reason="笔误")
    assert visit.amendments.get() == amendment


def test_starting_twice_continues_the_same_draft(shop, inspector, today):
    first = services.visit_start(business=shop, user=inspector)
    assert services.visit_start(business=shop, user=inspector) == first


def test_score_ignores_not_applicable_items(shop, inspector, today):
    visit = services.visit_start(business=shop, user=inspector, started_at=at(today))
    data = visit_input(
        visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=today + datetime.timedelta(days=5)
    )
    for ans in visit.answers.filter(code__in=["C3-1", "C5-2"]):
        data.answers[ans.pk] = services.AnswerInput(answer=Answer.NA)
    services.visit_submit(visit=visit, user=inspector, data=data, now=at(today, 11))
    visit.refresh_from_db()
    assert visit.score == round(100 * 11 / 12)


def test_restaurant_gets_the_quantified_hygiene_grade(village, inspector, today):
    restaurant = f.BusinessFactory(village=village, category=f.category("restaurant"))
    f.licensed(restaurant)
    inspect(restaurant, inspector, day=today - datetime.timedelta(days=30))
    assert InspectionProfile.objects.get(business=restaurant).hygiene_grade == HygieneGrade.A
    inspect(restaurant, inspector, day=today, fails=("E1-2", "E1-3", "E3-1"))  # 10/13 items pass
    profile = InspectionProfile.objects.get(business=restaurant)
    assert profile.last_score == 77 and profile.hygiene_grade == HygieneGrade.B
    assert profile.grade == Grade.B  # average of 100 and 77


def test_grades_follow_the_frequency_table(shop, inspector, today):
    FrequencyRule.objects.filter(grade="A").update(min_score=101)  # nobody reaches A any more
    inspect(shop, inspector, day=today)
    profile = InspectionProfile.objects.get(business=shop)
    assert profile.grade == Grade.B and profile.next_due_on == today + datetime.timedelta(days=30)
