"""The rules of a visit at their boundaries (issue 22, found by mutation testing of
inspections/services/visits.py): the score by weight, every refusal of an incomplete submit in its field
and wording, the relapse (W3) against the history before the visit only, the licences' display as seen
on the visit's day (G1), what each outcome writes (the order's day and requirements, a revocation's
reason, a ban), the E2 return check taken by the visit's own day, and what a draft keeps."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.choices import BusinessStatus, LicenceState
from campaigns.models import Business, Department
from inspections import services
from inspections.choices import Answer, LicenceAction, OrderStatus, VisitKind, VisitOutcome, VisitStatus
from inspections.models import RectificationOrder, Visit, VisitAnswer
from tests import factories as f
from tests.factories_inspections import at, inspect, jpeg_upload, visit_input

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def shop(village):
    business = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(business, displayed=False)
    return business


def start(shop, user, day=TODAY, **kwargs):
    return services.visit_start(business=shop, user=user, started_at=at(day), **kwargs)


def submit(visit, user, data, day=TODAY):
    return services.visit_submit(visit=visit, user=user, data=data, now=at(day, 11))


def refusal(visit, user, data, day=TODAY) -> dict:
    with pytest.raises(ValidationError) as caught:
        submit(visit, user, data, day)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DRAFT  # nothing was submitted
    return caught.value.message_dict


def answer(visit, code):
    return visit.answers.get(code=code)


def check(visit, code):
    return visit.licence_checks.get(licence_type__code=code)


# The score: passed weight over the weight of the items answered 符合 or 不符合, rounded.


def test_the_score_weighs_items_and_leaves_out_the_not_applicable(shop, inspector):
    visit = start(shop, inspector)
    VisitAnswer.objects.filter(visit=visit, code="C2-1").update(weight=30)
    VisitAnswer.objects.filter(visit=visit, code="C2-2").update(weight=7)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + DAY)
    data.answers[answer(visit, "C3-1").pk].answer = Answer.NA  # weight 10, not counted
    done = submit(visit, inspector, data)
    # 11 items of 10 and one of 7 pass; the failed one weighs 30: 117 / 147 (79.6)
    assert done.score == round(100 * 117 / 147) == 80


def test_the_score_rounds_to_the_nearest_point(shop, inspector):
    visit = start(shop, inspector)
    VisitAnswer.objects.filter(visit=visit, code="C2-1").update(weight=3)
    VisitAnswer.objects.filter(visit=visit).exclude(code="C2-1").update(weight=1)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + DAY)
    assert submit(visit, inspector, data).score == round(100 * 13 / 16) == 81  # 81.25


def test_a_visit_of_only_not_applicable_items_has_no_score(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit)
    for given in data.answers.values():
        given.answer = Answer.NA
    assert submit(visit, inspector, data).score is None


# Refusals: each in its own field, in its own words.


def test_an_unanswered_item_and_a_failed_one_without_its_photo_are_refused(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(
        visit,
        fails=("C1-1", "C2-1"),
        unanswered=("C3-1",),
        outcome=VisitOutcome.RECTIFY,
        deadline=TODAY + DAY,
        photos_for_fails=False,
    )
    errors = refusal(visit, inspector, data)
    assert errors == {
        f"answer_{answer(visit, 'C3-1').pk}": ["请选择：符合、不符合或不适用。"],
        f"photo_{answer(visit, 'C1-1').pk}": ["该条目不符合时须拍照留证。"],  # C2-1 needs no photo
    }


def test_a_licence_not_said_held_or_displayed_is_refused(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit)
    data.licences[check(visit, "business").pk].held = None
    data.licences[check(visit, "food_circulation").pk].displayed = None
    errors = refusal(visit, inspector, data)
    assert errors == {
        f"licence_{check(visit, 'business').pk}": ["请填写是否持有营业执照。"],
        f"licence_{check(visit, 'food_circulation').pk}": ["请填写食品流通许可证是否亮证。"],
    }


def test_a_licence_not_held_needs_no_display_answer(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit)
    given = data.licences[check(visit, "business").pk]
    given.held, given.displayed = False, None
    assert submit(visit, inspector, data).status == VisitStatus.SUBMITTED
    assert check(visit, "business").displayed is False  # not held: not displayed either


def test_revoking_a_licence_type_the_roster_has_no_record_of_is_refused(village, inspector):
    bare = f.BusinessFactory(village=village, category=f.category("grocery"))
    visit = start(bare, inspector)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.REVOKE)
    target = check(visit, "business")
    assert target.licence_id is None
    data.licences[target.pk].action = LicenceAction.REVOKE
    errors = refusal(visit, inspector, data)
    assert errors[f"licence_{target.pk}"] == ["名册中没有该证照的有效记录，无法吊销或暂扣。"]


@pytest.mark.parametrize(
    ("outcome", "fails", "deadline", "errors"),
    [
        ("", (), None, {"outcome": ["请选择处理结果。"]}),
        ("合格?", (), None, {"outcome": ["请选择处理结果。"]}),  # not an outcome: none chosen
        (
            VisitOutcome.PASSED,
            ("C2-1", "C2-2"),
            None,
            {"outcome": ["有2个不符合条目，不能判定为合格；请选择限期整改或其他处理。"]},
        ),
        (
            VisitOutcome.RECTIFY,
            (),
            None,
            {"outcome": ["没有不符合条目，无需限期整改。"], "deadline": ["限期整改须填写整改期限。"]},
        ),
        (
            VisitOutcome.RECTIFY,
            ("C2-1",),
            TODAY,
            {"deadline": ["整改期限 2026-03-02 已过或就是今天，请填写今天以后的日期。"]},
        ),
        (VisitOutcome.REVOKE, ("C2-1",), None, {"outcome": ["请在证照核查中选择要吊销或暂扣的证照。"]}),
        (VisitOutcome.REFER, ("C2-1",), None, {"referral_department": ["移送须选择接收部门。"]}),
    ],
)
def test_each_outcome_refuses_what_it_lacks(shop, inspector, outcome, fails, deadline, errors):
    visit = start(shop, inspector)
    data = visit_input(visit, fails=fails, deadline=deadline)
    data.outcome = outcome
    assert refusal(visit, inspector, data) == errors


def test_a_deadline_tomorrow_is_taken_and_one_today_is_refused_by_its_code(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY)
    with pytest.raises(ValidationError) as caught:
        submit(visit, inspector, data)
    assert [e.code for e in caught.value.error_dict["deadline"]] == ["deadline_past"]
    data.deadline = TODAY + DAY
    assert submit(visit, inspector, data).orders_issued.get().deadline == TODAY + DAY


def test_the_submit_day_not_the_visit_day_decides_a_past_deadline(shop, inspector):
    visit = start(shop, inspector, day=TODAY - 5 * DAY)  # entered five days late
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY - DAY)
    assert "deadline" in refusal(visit, inspector, data)


# W3: a relapse is an item put right before that fails again; only earlier, submitted visits count.


def relapse_of(shop, inspector, history, day=TODAY):
    """Visits on the days before `day`, each failing the codes given (C2-1 history), then one failing C2-1."""
    for n, fails in enumerate(history):
        inspect(shop, inspector, day=day - (len(history) - n) * 10 * DAY, fails=fails)
        shop.rectification_orders.filter(status=OrderStatus.OPEN).update(status=OrderStatus.CLOSED)
        Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.OPERATING)
    visit = inspect(shop, inspector, day=day, fails=("C2-1", "C2-2"))
    return visit, dict(visit.answers.values_list("code", "is_relapse"))


@pytest.mark.parametrize(
    ("history", "relapsed"),
    [
        ([("C2-1",), ()], True),  # failed, put right, fails again
        ([("C2-1",), (), ("C2-1",), ()], True),  # twice over
        ([("C2-1",), ("C2-1",)], False),  # failed twice, never put right
        ([(), ("C2-1",)], False),  # passed, then failed: this failure is not a relapse
        ([(), ()], False),  # never failed before
        ([("C2-1",), (), ("C2-1",)], False),  # relapsed before and not put right since
    ],
)
def test_a_relapse_follows_the_items_history(shop, inspector, history, relapsed):
    visit, flags = relapse_of(shop, inspector, history)
    assert visit.is_relapse is relapsed
    assert flags == {**{code: False for code in flags}, "C2-1": relapsed}


def test_a_visit_the_same_moment_or_a_draft_is_no_history(shop, inspector, other_inspector, office):
    inspect(shop, inspector, day=TODAY - 20 * DAY, fails=("C2-1",))
    shop.rectification_orders.update(status=OrderStatus.CLOSED)
    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.OPERATING)
    draft = services.visit_start(  # 符合 everywhere, never submitted
        business=shop, user=office, inspectors=[other_inspector], started_at=at(TODAY - 10 * DAY), reuse=False
    )
    services.visit_save_draft(visit=draft, user=other_inspector, data=visit_input(draft))
    current = start(shop, inspector, day=TODAY)
    inspect(shop, other_inspector, day=TODAY)  # put right at the same moment: not before
    data = visit_input(current, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + 3 * DAY)
    assert submit(current, inspector, data).is_relapse is False


def test_another_business_history_is_not_this_ones(shop, inspector):
    other = f.BusinessFactory(village=shop.village, category=shop.category)
    f.licensed(other)
    inspect(other, inspector, day=TODAY - 20 * DAY, fails=("C2-1",))
    inspect(other, inspector, day=TODAY - 10 * DAY, kind=VisitKind.REINSPECTION)
    assert inspect(shop, inspector, day=TODAY, fails=("C2-1",)).is_relapse is False


# G1: what the visit saw of the licences, as of the visit's own day.


def test_licences_take_the_display_seen_on_the_visit_day(shop, inspector):
    visit = start(shop, inspector, day=TODAY - 3 * DAY)
    data = visit_input(visit)
    data.licences[check(visit, "food_circulation").pk].displayed = False
    submit(visit, inspector, data)  # submitted three days later
    seen = {lic.licence_type.code: (lic.displayed, lic.displayed_seen_on) for lic in shop.licences.all()}
    assert seen == {"business": (True, TODAY - 3 * DAY), "food_circulation": (False, TODAY - 3 * DAY)}


def test_a_licence_said_not_held_is_not_displayed(shop, inspector):
    shop.licences.update(displayed=True)
    visit = start(shop, inspector)
    data = visit_input(visit)
    data.licences[check(visit, "business").pk].held = False
    submit(visit, inspector, data)
    assert shop.licences.get(licence_type__code="business").displayed is False


# What each outcome writes.


def test_an_order_is_issued_on_the_submit_day_with_its_requirements_and_the_failed_items(shop, inspector):
    visit = start(shop, inspector, day=TODAY - 2 * DAY)
    data = visit_input(
        visit,
        fails=("C2-1", "C4-2"),
        outcome=VisitOutcome.RECTIFY,
        deadline=TODAY + 7 * DAY,
        requirements_text="  清理过期食品  ",
    )
    order = submit(visit, inspector, data).orders_issued.get()
    assert (order.issued_on, order.deadline, order.requirements_text) == (
        TODAY,
        TODAY + 7 * DAY,
        "清理过期食品",
    )
    assert sorted(order.items.values_list("code", flat=True)) == ["C2-1", "C4-2"]
    assert order.issued_by == inspector
    visit.refresh_from_db()
    assert (visit.status, visit.submitted_at) == (VisitStatus.SUBMITTED, at(TODAY, 11))


def test_a_revocation_names_the_action_the_visit_and_the_day(shop, inspector):
    visit = start(shop, inspector, day=TODAY - DAY)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.REVOKE)
    data.licences[check(visit, "business").pk].action = LicenceAction.REVOKE
    submit(visit, inspector, data)
    revoked = shop.licences.get(licence_type__code="business")
    assert revoked.state == LicenceState.REVOKED
    assert "吊销（日常检查 2026-03-02）" in revoked.note
    assert shop.licences.get(licence_type__code="food_circulation").state == LicenceState.VALID


def test_a_ban_ends_the_other_open_orders_and_the_reinspected_one(shop, inspector):
    inspect(shop, inspector, day=TODAY - 20 * DAY, fails=("C2-1",))
    visit = start(shop, inspector, kind=VisitKind.REINSPECTION)
    data = visit_input(visit, fails=("C2-1",), outcome=VisitOutcome.BAN)
    submit(visit, inspector, data)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.BANNED
    assert set(shop.rectification_orders.values_list("status", flat=True)) == {OrderStatus.ESCALATED}


def test_a_referral_keeps_its_department_and_note_stripped(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(
        visit,
        fails=("C2-1",),
        outcome=VisitOutcome.REFER,
        referral_department=Department.objects.get(code="city_drug"),
        referral_note="  涉嫌销售假药 ",
    )
    bureau = f.user_with_role("city_bureau", "drug_user", department=data.referral_department)
    done = submit(visit, inspector, data)
    done.refresh_from_db()
    assert (done.referral_department.code, done.referral_note) == ("city_drug", "涉嫌销售假药")
    # O5: the bureau is told, in the same transaction, who referred it
    from notifications.models import Reminder

    told = Reminder.objects.get(object_id=done.pk, dedupe_key__contains=":referral:")
    assert told.recipient == bureau and "（移送人：inspector_user）" in told.body


def test_the_e2_return_check_is_the_first_visit_on_its_day_by_the_visits_day(shop, inspector, settings):
    settings.WUXIAO_RETURN_CHECK_DAYS = 10
    inspect(shop, inspector, day=TODAY - 30 * DAY, fails=("C2-1",))
    inspect(shop, inspector, day=TODAY - 20 * DAY, kind=VisitKind.REINSPECTION)
    order = shop.rectification_orders.get()
    assert order.return_check_due_on == TODAY - 10 * DAY
    early = start(shop, inspector, day=TODAY - 11 * DAY)  # the day before, entered late
    submit(early, inspector, visit_input(early), day=TODAY)
    order.refresh_from_db()
    assert order.return_check_visit is None
    on_time = inspect(shop, inspector, day=TODAY - 10 * DAY)
    inspect(shop, inspector, day=TODAY - 5 * DAY)
    order.refresh_from_db()
    assert order.return_check_visit == on_time


# What a draft keeps.


def test_a_draft_keeps_answers_notes_and_location_as_typed(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit, fails=("C2-1",))
    data.answers[answer(visit, "C2-1").pk].note = "  " + "过" * 310 + "  "
    data.notes = "  门口堆放杂物  "
    data.outcome = "not-an-outcome"
    data.latitude, data.longitude, data.location_accuracy = Decimal("30.123456"), Decimal("120.654321"), 15
    services.visit_save_draft(visit=visit, user=inspector, data=data)
    saved = Visit.objects.get(pk=visit.pk)
    assert (saved.notes, saved.outcome, saved.status) == ("门口堆放杂物", "", VisitStatus.DRAFT)
    assert (saved.latitude, saved.longitude, saved.location_accuracy) == (
        Decimal("30.123456"),
        Decimal("120.654321"),
        15,
    )
    kept = answer(saved, "C2-1")
    assert (kept.answer, kept.note) == (Answer.FAIL, "过" * 300)
    data.notes, data.latitude = None, None  # no notes sent: kept; half a location: the old one kept
    services.visit_save_draft(visit=visit, user=inspector, data=data)
    saved.refresh_from_db()
    assert saved.notes == "门口堆放杂物" and saved.latitude == Decimal("30.123456")


def test_a_draft_refuses_an_unknown_answer_or_licence_action_in_its_field(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit)
    data.answers[answer(visit, "C2-1").pk].answer = "maybe"
    with pytest.raises(ValidationError) as caught:
        services.visit_save_draft(visit=visit, user=inspector, data=data)
    assert caught.value.message_dict == {f"answer_{answer(visit, 'C2-1').pk}": ["无效的检查结论。"]}
    data = visit_input(visit)
    data.licences[check(visit, "business").pk].action = "burn"
    with pytest.raises(ValidationError) as caught:
        services.visit_save_draft(visit=visit, user=inspector, data=data)
    assert caught.value.message_dict == {f"licence_{check(visit, 'business').pk}": ["无效的证照处理方式。"]}


def test_a_photo_for_an_item_of_another_visit_is_refused(shop, inspector):
    visit = start(shop, inspector)
    other = start(f.BusinessFactory(village=shop.village, category=shop.category), inspector)
    stray = answer(other, "C1-1").pk
    data = visit_input(visit)
    data.photos = [(stray, jpeg_upload())]
    with pytest.raises(ValidationError) as caught:
        services.visit_save_draft(visit=visit, user=inspector, data=data)
    assert caught.value.message_dict == {f"photo_{stray}": ["照片对应的条目不属于本次检查。"]}


def test_a_photo_not_for_an_item_is_refused_under_photos(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit)
    data.photos = [(None, jpeg_upload().__class__("note.txt", b"not an image", content_type="text/plain"))]
    with pytest.raises(ValidationError) as caught:
        services.visit_save_draft(visit=visit, user=inspector, data=data)
    assert list(caught.value.message_dict) == ["photos"]


# Starting a visit.


def test_a_reinspection_takes_the_open_order_due_first(shop, inspector):
    inspect(shop, inspector, day=TODAY - 20 * DAY, fails=("C2-1",), deadline=TODAY + 9 * DAY)
    inspect(shop, inspector, day=TODAY - 19 * DAY, fails=("C2-2",), deadline=TODAY + 3 * DAY)
    first_due = RectificationOrder.objects.get(deadline=TODAY + 3 * DAY)
    visit = start(shop, inspector, kind=VisitKind.REINSPECTION)
    assert visit.reinspection_of == first_due


def test_a_reinspection_of_another_business_or_of_a_closed_order_is_refused(shop, inspector):
    other = f.BusinessFactory(village=shop.village, category=shop.category)
    f.licensed(other)
    order = inspect(other, inspector, day=TODAY - 20 * DAY, fails=("C2-1",)).orders_issued.get()
    with pytest.raises(ValidationError, match="只能复查本单位整改中的通知书"):
        start(shop, inspector, reinspection_of=order)
    RectificationOrder.objects.filter(pk=order.pk).update(status=OrderStatus.CLOSED)
    order.refresh_from_db()
    with pytest.raises(ValidationError, match="只能复查本单位整改中的通知书"):
        start(other, inspector, reinspection_of=order)


def test_naming_the_order_makes_it_a_reinspection(shop, inspector):
    order = inspect(shop, inspector, day=TODAY - 20 * DAY, fails=("C2-1",)).orders_issued.get()
    visit = start(shop, inspector, reinspection_of=order)
    assert (visit.kind, visit.reinspection_of) == (VisitKind.REINSPECTION, order)


def test_a_draft_is_continued_only_by_who_started_it_and_is_on_it(shop, inspector, office):
    scheduled = services.visit_start(
        business=shop, user=office, inspectors=[inspector], started_at=at(TODAY), reuse=False
    )
    assert start(shop, office).pk != scheduled.pk  # the office scheduled it for others: a new visit
    assert start(shop, inspector).pk != scheduled.pk  # the inspector did not start it
    mine = start(shop, inspector, day=TODAY + DAY)
    assert start(shop, inspector).pk == mine.pk  # the latest of their own drafts


def test_the_licences_checked_are_those_held_on_the_visit_day(shop, inspector):
    food = shop.licences.get(licence_type__code="food_circulation")
    food.issued_on, food.expires_on = TODAY - 400 * DAY, TODAY - DAY
    food.save()
    newer = f.LicenceFactory(
        business=shop, licence_type=food.licence_type, issued_on=TODAY - DAY, expires_on=TODAY + 900 * DAY
    )
    assert check(start(shop, inspector, day=TODAY - 2 * DAY), "food_circulation").licence == food
    visit = services.visit_start(
        business=shop, user=inspector, started_at=at(TODAY), inspectors=[inspector], reuse=False
    )
    assert check(visit, "food_circulation").licence == newer


def test_visits_entered_out_of_order_are_read_in_the_order_they_happened(shop, inspector, office):
    # W3: the put-right visit was entered first, the failing one it put right later (late paperwork);
    # the history runs by when they happened, not by when they were entered.
    put_right = services.visit_start(
        business=shop, user=office, inspectors=[inspector], started_at=at(TODAY - 10 * DAY), reuse=False
    )
    submit(put_right, inspector, visit_input(put_right), day=TODAY - 10 * DAY)
    failed = services.visit_start(
        business=shop, user=office, inspectors=[inspector], started_at=at(TODAY - 20 * DAY), reuse=False
    )
    data = visit_input(failed, fails=("C2-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + DAY)
    submit(failed, inspector, data, day=TODAY - 9 * DAY)
    assert failed.pk > put_right.pk
    shop.rectification_orders.update(status=OrderStatus.CLOSED)
    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.OPERATING)
    assert inspect(shop, inspector, day=TODAY, fails=("C2-1",)).is_relapse is True


def test_a_refused_submit_removes_its_new_photo_files_and_keeps_the_drafts(
    shop, inspector, settings, tmp_path
):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = str(tmp_path)
    visit = start(shop, inspector)
    item = answer(visit, "C1-1")
    kept = services.photo_add(visit=visit, user=inspector, upload=jpeg_upload(), answer=item)
    assert kept.answer == item  # a photo added for an item is that item's evidence
    data = visit_input(visit, unanswered=("C3-1",), photos_for_fails=False)
    data.photos = [(None, jpeg_upload("later.jpg"))]
    refusal(visit, inspector, data)
    _dirs, files = default_storage.listdir(f"visits/{visit.pk}")
    assert [f"visits/{visit.pk}/{name}" for name in files] == [kept.image.name]


def test_a_draft_is_not_amended_but_edited(shop, inspector):
    visit = start(shop, inspector)
    with pytest.raises(ValidationError) as caught:
        services.visit_amend(visit=visit, user=inspector, text="更正", reason="笔误")
    assert caught.value.messages == ["草稿可直接修改，无需更正记录。"]


def test_a_licence_type_without_a_record_does_not_stop_the_others_being_seen(village, inspector):
    # G1: 营业执照 is missing from the roster (checked first); 食品流通许可证 is still seen displayed.
    bare = f.BusinessFactory(village=village, category=f.category("grocery"))
    food = f.LicenceFactory(business=bare, licence_type=f.licence_type("food_circulation"), displayed=False)
    visit = start(bare, inspector)
    assert [c.licence_id for c in visit.licence_checks.order_by("pk")] == [None, food.pk]
    data = visit_input(visit)
    data.licences[check(visit, "business").pk].held = False
    submit(visit, inspector, data)
    food.refresh_from_db()
    assert (food.displayed, food.displayed_seen_on) == (True, TODAY)


def test_a_failed_item_with_its_photo_is_taken(shop, inspector):
    visit = start(shop, inspector)
    data = visit_input(visit, fails=("C1-1",), outcome=VisitOutcome.RECTIFY, deadline=TODAY + DAY)
    done = submit(visit, inspector, data)
    assert done.status == VisitStatus.SUBMITTED
    photo = done.photos.get()
    assert (photo.answer, photo.uploaded_by) == (answer(done, "C1-1"), inspector)


def test_the_grade_is_given_on_the_submit_day(shop, inspector):
    from inspections.models import InspectionProfile

    visit = start(shop, inspector, day=TODAY - 2 * DAY)
    submit(visit, inspector, visit_input(visit))
    profile = InspectionProfile.objects.get(business=shop)
    assert (profile.graded_on, profile.last_visit_on) == (TODAY, TODAY - 2 * DAY)


def test_what_a_draft_changed_is_on_record_with_who_changed_it(shop, inspector):
    # Issue 22 (evidence): the grouped UPDATEs bypass auditlog's signals; each changed row is recorded.
    from auditlog.models import LogEntry

    visit = start(shop, inspector)
    data = visit_input(visit, fails=("C2-1",))
    data.answers[answer(visit, "C2-1").pk].note = "过期食品"
    services.visit_save_draft(visit=visit, user=inspector, data=data)
    entry = LogEntry.objects.get_for_object(answer(visit, "C2-1")).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == inspector
    assert entry.changes_dict == {"answer": ["", Answer.FAIL], "note": ["", "过期食品"]}
    licence = LogEntry.objects.get_for_object(check(visit, "business")).get(action=LogEntry.Action.UPDATE)
    assert licence.actor == inspector
    assert licence.changes_dict == {"held": ["None", "True"], "displayed": ["None", "True"]}


def test_a_business_that_stopped_trading_or_has_no_checklist_is_not_visited(shop, inspector):
    from inspections.models import ChecklistTemplate

    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.BANNED)
    shop.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        start(shop, inspector)
    assert caught.value.code == "inactive"
    assert caught.value.messages == [f"“{shop.name}”状态为“已取缔”，不能再登记检查。"]
    Business.objects.filter(pk=shop.pk).update(status=BusinessStatus.OPERATING)
    shop.refresh_from_db()
    ChecklistTemplate.objects.filter(category=shop.category).update(is_current=False)
    with pytest.raises(ValidationError) as caught:
        start(shop, inspector)
    assert caught.value.messages == [f"“{shop.category}”尚无现行检查表，请先由镇办公室建立。"]


def test_a_visit_keeps_the_devices_uuid(shop, inspector):
    import uuid

    given = uuid.uuid4()
    assert start(shop, inspector, client_uuid=given).client_uuid == given


def test_every_bad_photo_is_reported_and_a_stored_one_has_its_size(shop, inspector):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = start(shop, inspector)
    other = start(f.BusinessFactory(village=shop.village, category=shop.category), inspector)
    stray = answer(other, "C1-1").pk
    data = visit_input(visit)
    data.photos = [(stray, jpeg_upload()), (None, SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image"))]
    with pytest.raises(ValidationError) as caught:
        services.visit_save_draft(visit=visit, user=inspector, data=data)
    assert sorted(caught.value.message_dict) == ["photo_" + str(stray), "photos"]
    photo = services.photo_add(visit=visit, user=inspector, upload=jpeg_upload())
    assert photo.size == photo.image.size > 0


def test_a_licence_of_an_equivalent_type_is_the_one_checked(village, inspector):
    # DOMAIN §8: 食品经营许可证 meets the requirement of 食品流通许可证.
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    newer = f.LicenceFactory(business=shop, licence_type=f.licence_type("food_business"))
    assert check(start(shop, inspector), "food_circulation").licence == newer
