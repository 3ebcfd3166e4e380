"""Helpers for inspections tests: start and submit visits through the services, as the app does."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections import services
from inspections.choices import Answer, VisitKind, VisitOutcome
from inspections.models import Visit


def jpeg_upload(name: str = "photo.jpg", size=(2400, 1800), color=(200, 30, 30)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def visit_input(
    visit: Visit,
    *,
    fails: tuple[str, ...] = (),
    outcome: str = VisitOutcome.PASSED,
    deadline: datetime.date | None = None,
    photos_for_fails: bool = True,
    unanswered: tuple[str, ...] = (),
    **extra,
) -> services.VisitInput:
    """Every item 符合 except the codes in `fails`; every licence held and displayed."""
    answers, photos = {}, []
    for ans in visit.answers.all():
        if ans.code in unanswered:
            value = ""
        elif ans.code in fails:
            value = Answer.FAIL
            if photos_for_fails and ans.requires_photo_on_failure:
                photos.append((ans.pk, jpeg_upload()))
        else:
            value = Answer.PASS
        answers[ans.pk] = services.AnswerInput(answer=value, note="")
    licences = {c.pk: services.LicenceInput(held=True, displayed=True) for c in visit.licence_checks.all()}
    return services.VisitInput(
        answers=answers,
        licences=licences,
        outcome=outcome,
        deadline=deadline,
        photos=photos,
        **extra,
    )


def inspect(
    business,
    user,
    *,
    day: datetime.date | None = None,
    kind: str = VisitKind.ROUTINE,
    fails: tuple[str, ...] = (),
    outcome: str | None = None,
    deadline: datetime.date | None = None,
    **extra,
) -> Visit:
    """Start and submit a visit on `day`; outcome 合格 without failures, 限期整改 (14 days) with some."""
    day = day or timezone.localdate()
    visit = services.visit_start(business=business, user=user, kind=kind, started_at=at(day))
    if outcome is None:
        outcome = VisitOutcome.RECTIFY if fails else VisitOutcome.PASSED
    if outcome == VisitOutcome.RECTIFY and deadline is None:
        deadline = day + datetime.timedelta(days=14)
    data = visit_input(visit, fails=fails, outcome=outcome, deadline=deadline, **extra)
    return services.visit_submit(visit=visit, user=user, data=data, now=at(day, 11))
