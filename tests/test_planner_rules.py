"""The roster's reminder planners called directly (issue 22: mutation testing of notifications/planners.py).

tests/test_reminder_rules_roster.py checks the reminders at their day boundaries through the planning
service; here each planner's own output is asserted whole — its wording, its recipients, its key — and each
rule's boundary on both sides: the licences a nightly re-plan walks (G1: the grace days after expiry, the
horizon before it), which licence counts as renewed, which states and businesses get nothing, and the
phase-end wording (P1, P2)."""

import datetime

import pytest

from campaigns.choices import BusinessStatus, LicenceState, PhaseCode
from campaigns.models import Campaign, Phase
from notifications.choices import ReminderKind
from notifications.planners import licence_candidates, phase_candidates, plan_licence, plan_phase
from notifications.registry import PlanContext
from tests import factories as f
from tests.factories_notifications import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOW = local(TODAY, 9)


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def ctx():
    return PlanContext(now=NOW)


@pytest.fixture
def grocery(village, aic_user):  # 工商分局 leads groceries (G1 reminders go to it)
    return f.BusinessFactory(village=village, category=f.category("grocery"), name="东村便利店")


def licence(business, n, **extra):
    return f.LicenceFactory(business=business, expires_on=day(n), number="GS-001", **extra)


def test_licence_reminders_in_full(ctx, grocery, aic_user):
    # G1: 20 days out, the 30-day threshold has passed (sent now, "还有20天"), the 7-day one is ahead.
    lic = licence(grocery, 20)
    what = "东村便利店的营业执照（GS-001）"
    rows = plan_licence(lic, ctx)
    assert [(r.recipient_id, r.kind, r.due_at, r.title, r.body, r.url, r.dedupe_key) for r in rows] == [
        (
            aic_user.pk,
            ReminderKind.LICENCE_EXPIRING,
            NOW,
            f"证照30天内到期：{what}",
            f"{what}将于2026年3月22日到期（还有20天），请督促经营单位及时换证。",
            grocery.get_absolute_url(),
            f"licence:{lic.pk}:20260322:d30:u{aic_user.pk}",
        ),
        (
            aic_user.pk,
            ReminderKind.LICENCE_EXPIRING,
            local(day(13), 8),
            f"证照7天内到期：{what}",
            f"{what}将于2026年3月22日到期（还有7天），请督促经营单位及时换证。",
            grocery.get_absolute_url(),
            f"licence:{lic.pk}:20260322:d7:u{aic_user.pk}",
        ),
        (
            aic_user.pk,
            ReminderKind.LICENCE_EXPIRED,
            local(day(21), 8),
            f"证照已过期：{what}",
            f"{what}已于2026年3月22日到期，经营单位证照不全（G1），请督促依法整改。",
            grocery.get_absolute_url(),
            f"licence:{lic.pk}:20260322:expired:u{aic_user.pk}",
        ),
    ]


def test_expired_two_days_ago_is_announced_at_once(ctx, grocery, aic_user):
    # G1: the day after expiry already passed: the "expired" reminder goes out now, not at a past hour.
    rows = plan_licence(licence(grocery, -2), ctx)
    assert [(r.kind, r.due_at) for r in rows] == [(ReminderKind.LICENCE_EXPIRED, NOW)]


def test_temporary_licence_is_reminded_and_an_expired_state_only_as_expired(ctx, grocery, aic_user):
    # G1: a temporary licence (E6) is held and gets the advance reminders; one already marked expired
    # gets no "expires within" reminder, only the "expired" one.
    temporary = plan_licence(licence(grocery, 7, state=LicenceState.TEMPORARY), ctx)
    assert [r.dedupe_key.split(":")[3] for r in temporary] == ["d7", "expired"]
    marked = plan_licence(licence(grocery, 7, state=LicenceState.EXPIRED), ctx)
    assert [r.dedupe_key.split(":")[3] for r in marked] == ["expired"]


@pytest.mark.parametrize("status", [BusinessStatus.BANNED, BusinessStatus.CLOSED, BusinessStatus.MOVED])
def test_no_licence_reminder_for_an_inactive_business(ctx, grocery, aic_user, status):
    # G1 applies to trading businesses: a banned, closed or moved one is not chased.
    lic = licence(grocery, 7)
    grocery.status = status
    grocery.save(update_fields=["status"])
    lic.refresh_from_db()
    assert plan_licence(lic, ctx) == []


def test_no_reminder_for_a_revoked_or_an_open_ended_licence(ctx, grocery, aic_user):
    # G1: a revoked licence is not renewed, and a licence with no expiry never expires.
    assert plan_licence(licence(grocery, 7), ctx) != []  # valid, with an expiry: reminded
    assert plan_licence(licence(grocery, 7, state=LicenceState.REVOKED), ctx) == []
    open_ended = f.LicenceFactory(business=grocery, expires_on=None, number="GS-002")
    assert plan_licence(open_ended, ctx) == []


@pytest.mark.parametrize(
    ("newer", "renewed"),
    [
        ({"expires_on": day(400)}, True),  # a later expiry of the same type
        ({"expires_on": None}, True),  # one that never expires
        ({"expires_on": day(7)}, False),  # the same day is not "newer"
        ({"expires_on": day(6)}, False),  # an earlier one is not a renewal
        ({"expires_on": day(400), "state": LicenceState.REVOKED}, False),  # not held
        ({"expires_on": day(400), "state": LicenceState.EXPIRED}, False),  # not held
        ({"expires_on": day(400), "state": LicenceState.TEMPORARY}, True),  # held
        ({"expires_on": day(400), "licence_type": "food_circulation"}, False),  # another requirement
    ],
)
def test_a_licence_counts_as_renewed_only_by_a_held_later_one_meeting_the_same_requirement(
    ctx, grocery, aic_user, newer, renewed
):
    # G1: a renewed licence is not chased; the check runs both unannotated (one licence saved) and
    # annotated (the nightly walk), with the same answer.
    old = licence(grocery, 7)
    extra = dict(newer)
    if "licence_type" in extra:
        extra["licence_type"] = f.licence_type(extra["licence_type"])
    f.LicenceFactory(business=grocery, number="GS-NEW", **extra)
    assert (plan_licence(old, ctx) == []) is renewed
    walked = {c.pk: c for c in licence_candidates(ctx)}
    assert walked[old.pk].is_superseded is renewed
    assert (plan_licence(walked[old.pk], ctx) == []) is renewed


def test_a_renewal_of_another_business_does_not_count(ctx, grocery, aic_user, village):
    # G1: renewal is per business.
    old = licence(grocery, 7)
    f.LicenceFactory(business=f.BusinessFactory(village=village), expires_on=day(400), number="GS-9")
    assert plan_licence(old, ctx) != []
    assert {c.pk: c for c in licence_candidates(ctx)}[old.pk].is_superseded is False


def test_the_nightly_walk_takes_licences_from_the_grace_days_to_the_horizon(ctx, grocery, aic_user):
    # G1: expired up to 8 days ago (the expired reminder's 7 days of grace after the day after expiry) and
    # expiring up to the horizon (14 days) plus the earliest threshold (60 days) ahead: both ends included.
    inside = {n: licence(grocery, n) for n in (-8, 0, 74)}
    outside = {n: licence(grocery, n) for n in (-9, 75)}
    walked = {c.pk for c in licence_candidates(ctx)}
    assert {lic.pk for lic in inside.values()} <= walked
    assert not {lic.pk for lic in outside.values()} & walked


def test_the_nightly_walk_takes_held_and_expired_states_of_trading_businesses_only(
    ctx, grocery, aic_user, village
):
    # G1: valid, temporary and expired licences are walked; revoked ones and those of inactive businesses not.
    kept = [
        licence(grocery, 5, state=s)
        for s in (LicenceState.VALID, LicenceState.TEMPORARY, LicenceState.EXPIRED)
    ]
    revoked = licence(grocery, 5, state=LicenceState.REVOKED)
    closed = f.BusinessFactory(village=village, status=BusinessStatus.CLOSED)
    gone = licence(closed, 5)
    walked = {c.pk for c in licence_candidates(ctx)}
    assert {lic.pk for lic in kept} <= walked
    assert revoked.pk not in walked and gone.pk not in walked


# --- phase ends (P1, P2) -------------------------------------------------------------------------------


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="五小专项整治", starts_on=day(-60), ends_on=day(120))


def phase_ending(campaign, n, code=PhaseCode.P1):
    return Phase.objects.create(campaign=campaign, code=code, name="阶段", starts_on=day(-60), ends_on=day(n))


def test_phase_end_reminders_in_full(ctx, campaign, office, aic_user):
    # P1: 3 days before the end the 7-day threshold has passed: "3天后结束" now; the 1-day one "明天".
    phase = phase_ending(campaign, 3)
    rows = plan_phase(phase, ctx)
    title = "五小专项整治：整改实施阶段将于3月5日结束"
    body = f"整改实施阶段（{day(-60):%Y-%m-%d}至2026-03-05）{{}}结束，请抓紧完成本阶段工作并报送进展。"
    assert [(r.recipient_id, r.kind, r.due_at, r.title, r.body, r.dedupe_key) for r in rows] == [
        (
            uid,
            ReminderKind.PHASE_END,
            due,
            title,
            body.format(when),
            f"phase:{phase.pk}:20260305:{label}:u{uid}",
        )
        for label, due, when in (("d7", NOW, "3天后"), ("d1", local(day(2), 8), "明天"))
        for uid in sorted([office.pk, aic_user.pk])
    ]


def test_phase_ending_today_says_today(ctx, campaign, office):
    # P2: a phase moved to end today still gets its last reminder, worded "今天结束".
    rows = plan_phase(phase_ending(campaign, 0, PhaseCode.P2), ctx)
    assert [(r.due_at, r.body.split("）")[1][:5]) for r in rows] == [(NOW, "今天结束，")]
    assert rows[0].title == "五小专项整治：总结验收阶段将于3月2日结束"


def test_phases_walked_are_those_of_the_current_campaign_not_yet_ended(ctx, campaign, office):
    # P1/P2: a phase ending today is still walked, one that ended yesterday or belongs to an old
    # campaign is not.
    today = phase_ending(campaign, 0)
    yesterday = phase_ending(campaign, -1, PhaseCode.P2)
    old = Campaign.objects.create(name="上一轮", starts_on=day(-400), ends_on=day(-200), is_current=False)
    other = phase_ending(old, 10)
    assert list(phase_candidates(ctx)) == [today]
    assert yesterday not in phase_candidates(ctx) and other not in phase_candidates(ctx)
