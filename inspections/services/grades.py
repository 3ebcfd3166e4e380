"""Risk grades from recent scores, and when a business is next due (the due list reads the result)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from lib import stamps

from ..choices import GRADED_AT_THE_DOOR, Grade, HygieneGrade, VisitStatus
from ..models import FrequencyRule, InspectionProfile, Visit

RECENT_VISITS = 3  # the grade is the average of the last three scored visits


def grade_for_score(score: float, rules: list[FrequencyRule] | None = None) -> str:
    """The best grade whose minimum average score `score` reaches (table FrequencyRule)."""
    rules = rules if rules is not None else list(FrequencyRule.objects.order_by("-min_score"))
    for rule in sorted(rules, key=lambda r: -r.min_score):
        if score >= rule.min_score:
            return rule.grade
    return Grade.C


def hygiene_grade_for_score(score: int | None) -> str:
    """E1 quantified hygiene grade of a restaurant or workshop from its last score (blank: not graded)."""
    if score is None:
        return ""
    if score >= 90:
        return HygieneGrade.A
    if score >= 75:
        return HygieneGrade.B
    if score >= 60:
        return HygieneGrade.C
    return ""


@transaction.atomic
def profile_refresh(*, business, today: datetime.date | None = None) -> InspectionProfile:
    """Recompute a business's grade and next due date from its submitted visits.

    W3: a relapse in the latest visit sets grade C (visited most often) whatever the average."""
    today = today or timezone.localdate()
    profile, _ = InspectionProfile.objects.select_for_update().get_or_create(business=business)
    recent = list(
        Visit.objects.filter(business=business, status=VisitStatus.SUBMITTED)
        .order_by("-started_at", "-pk")
        .only("started_at", "score", "is_relapse")[:RECENT_VISITS]
    )
    rules = {r.grade: r for r in FrequencyRule.objects.all()}
    if not recent:
        profile.grade = ""
        profile.last_visit_on = profile.last_score = None
        profile.next_due_on = today
    else:
        latest = recent[0]
        scores = [v.score for v in recent if v.score is not None]
        grade = grade_for_score(sum(scores) / len(scores), list(rules.values())) if scores else Grade.C
        if latest.is_relapse:
            grade = Grade.C
        profile.grade = grade
        profile.graded_on = today
        profile.last_visit_on = timezone.localdate(latest.started_at)
        profile.last_score = latest.score
        interval = rules[grade].interval_days if grade in rules else 30
        profile.next_due_on = profile.last_visit_on + datetime.timedelta(days=interval)
        if latest.is_relapse:
            profile.relapsed_on = profile.last_visit_on
    profile.hygiene_grade = (
        hygiene_grade_for_score(profile.last_score) if business.category.code in GRADED_AT_THE_DOOR else ""
    )
    if not business.is_active:
        profile.next_due_on = None
    profile.save()
    stamps.touch(stamps.PUBLIC_PAGE, [business.pk])  # the public page shows the latest visit and grade
    return profile


@transaction.atomic
def frequency_table_apply() -> int:
    """After the office edits the frequency table, reschedule every graded business's next due date
    (last visit + the grade's new interval). Returns how many changed."""
    intervals = dict(FrequencyRule.objects.values_list("grade", "interval_days"))
    changed = []
    profiles = InspectionProfile.objects.filter(
        grade__in=list(intervals), last_visit_on__isnull=False, next_due_on__isnull=False
    ).only("business_id", "grade", "last_visit_on", "next_due_on")
    for profile in profiles:
        due = profile.last_visit_on + datetime.timedelta(days=intervals[profile.grade])
        if due != profile.next_due_on:
            profile.next_due_on = due
            changed.append(profile)
    InspectionProfile.objects.bulk_update(changed, ["next_due_on"], batch_size=500)
    return len(changed)
