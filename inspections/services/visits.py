"""A visit from start to submit. visit_submit applies the outcome to the business, its licences and its
rectification orders in one transaction: either all of it happens or none of it."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_bulk
from campaigns.choices import BusinessStatus
from campaigns.models import Business, Department, Licence, LicenceType
from campaigns.services import licence_revoke
from lib import kept

from ..choices import Answer, LicenceAction, OrderStatus, VisitKind, VisitOutcome, VisitStatus
from ..images import process_photo
from ..models import RectificationOrder, Visit, VisitAmendment, VisitAnswer, VisitLicenceCheck, VisitPhoto
from ..reminders import announce_referral
from .checklists import checklist_current
from .grades import profile_refresh
from .orders import order_issue, rectification_close, rectification_escalate


@dataclass
class AnswerInput:
    answer: str = ""
    note: str = ""


@dataclass
class LicenceInput:
    held: bool | None = None
    displayed: bool | None = None
    action: str = ""


@dataclass
class VisitInput:
    """What the visit form posts; keys of `answers`/`licences` are VisitAnswer/VisitLicenceCheck ids.

    Errors raised from these carry the form's field names: answer_<id>, photo_<id>, licence_<id>,
    outcome, deadline, referral_department."""

    answers: dict[int, AnswerInput] = field(default_factory=dict)
    licences: dict[int, LicenceInput] = field(default_factory=dict)
    notes: str | None = None
    outcome: str = ""
    deadline: datetime.date | None = None
    requirements_text: str = ""
    referral_department: Department | None = None
    referral_note: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_accuracy: int | None = None
    # (answer id or None, uploaded file)
    photos: list[tuple[int | None, object]] = field(default_factory=list)


def _check_business_open(business: Business) -> None:
    if not business.is_active:
        raise ValidationError(
            _("“%(name)s”状态为“%(status)s”，不能再登记检查。"),
            params={"name": business.name, "status": business.get_status_display()},
            code="inactive",
        )


@transaction.atomic
def visit_start(
    *,
    business: Business,
    user,
    kind: str = VisitKind.ROUTINE,
    inspectors=None,
    started_at: datetime.datetime | None = None,
    reinspection_of: RectificationOrder | None = None,
    reuse: bool = True,
    client_uuid: uuid.UUID | None = None,
) -> Visit:
    """Start a visit (a draft): copy the current checklist and the required licences into it.

    A user who already has a draft for this business that they started and are an inspector of continues
    it (a double tap makes one visit). A draft the user scheduled for others (a 举报核查 or a spot check
    the office entered) is theirs to fill in, not the scheduler's; schedulers pass reuse=False and always
    get a new visit.
    A 回头查 of a business with an open order re-inspects the oldest one unless told which."""
    _check_business_open(business)
    if reuse:
        existing = (
            Visit.objects.filter(
                business=business, status=VisitStatus.DRAFT, created_by=user, inspectors=user
            )
            .order_by("-started_at")
            .first()
        )
        if existing:
            return existing
    template = checklist_current(business.category)
    if template is None:
        raise ValidationError(
            _("“%(category)s”尚无现行检查表，请先由镇办公室建立。"), params={"category": business.category}
        )
    if reinspection_of is None and kind == VisitKind.REINSPECTION:
        reinspection_of = (
            business.rectification_orders.filter(status=OrderStatus.OPEN).order_by("deadline").first()
        )
    if reinspection_of is not None:
        if reinspection_of.business_id != business.pk or reinspection_of.status != OrderStatus.OPEN:
            raise ValidationError(_("只能复查本单位整改中的通知书。"))
        kind = VisitKind.REINSPECTION
    visit = Visit(
        business=business,
        template=template,
        kind=kind,
        created_by=user,
        started_at=started_at or timezone.now(),
        reinspection_of=reinspection_of,
        client_uuid=client_uuid,
    )
    visit.full_clean(validate_unique=client_uuid is None)  # a taken client_uuid is the caller's race
    visit.save()
    visit.inspectors.set(inspectors or [user])
    VisitAnswer.objects.bulk_create(
        VisitAnswer(
            visit=visit,
            item=item,
            order=item.order,
            code=item.code,
            requirement=item.requirement,
            text=item.text,
            basis=item.basis,
            requires_photo_on_failure=item.requires_photo_on_failure,
            weight=item.weight,
        )
        for item in template.items.all()
    )
    licences = {}
    for lic in business.licences.select_related("licence_type").order_by("issued_on", "pk"):
        if lic.is_held_on(timezone.localdate(visit.started_at)):
            licences[lic.licence_type_id] = lic  # the latest held licence of each type
    meets = LicenceType.equivalence_map()  # a licence under an old or new name meets it (DOMAIN §8)

    def held_for(lt):
        found = [licences[t] for t in sorted(meets.get(lt.pk, {lt.pk})) if t in licences]
        return max(found, key=lambda lic: (lic.issued_on or datetime.date.min, lic.pk), default=None)

    VisitLicenceCheck.objects.bulk_create(
        VisitLicenceCheck(visit=visit, licence_type=lt, licence=held_for(lt))
        for lt in business.required_licence_types().order_by("pk")
    )
    return visit


def _require_draft(visit: Visit) -> None:
    if visit.status != VisitStatus.DRAFT:
        raise ValidationError(_("该检查已提交，不能再修改；如需更正请填写更正记录。"), code="locked")


def _store_photos(visit: Visit, user, photos, answers: dict[int, VisitAnswer]) -> list[VisitPhoto]:
    """Validate every photo first (a bad one refuses the whole save), then store them."""
    processed, errors = [], {}
    for answer_id, upload in photos:
        key = f"photo_{answer_id}" if answer_id else "photos"
        if answer_id and answer_id not in answers:
            errors.setdefault(key, []).append(_("照片对应的条目不属于本次检查。"))
            continue
        try:
            processed.append((answer_id, process_photo(upload)))
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    stored = []
    for answer_id, image in processed:
        photo = VisitPhoto(
            visit=visit,
            answer=answers.get(answer_id) if answer_id else None,
            width=image.width,
            height=image.height,
            size=image.size,
            uploaded_by=user,
        )
        photo.image.save(image.content.name, image.content, save=False)
        stored.append(photo)
    VisitPhoto.objects.bulk_create(stored)
    record_bulk(user, stored, "create")  # evidence (issue 22): bulk_create bypasses auditlog's signals
    return stored


def _update_grouped(
    model, fields: tuple[str, ...], changed: dict[tuple, list[int]], *, user, rows: list, before: dict
) -> None:
    """One UPDATE per distinct set of values (a checklist is mostly 符合): cheaper than bulk_update's CASE.

    QuerySet.update bypasses auditlog's signals: each changed row's before and after go on record here
    (`before`: pk -> the values before, `rows`: the objects holding the values after)."""
    for values, pks in changed.items():
        model.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))
    touched = [row for row in rows if row.pk in before]
    record_bulk(
        user,
        touched,
        "update",
        lambda row: {
            name: [old, new]
            for name, old, new in zip(fields, before[row.pk], (getattr(row, f) for f in fields), strict=True)
            if old != new
        },
    )


def _apply_input(visit: Visit, data: VisitInput, user) -> tuple[list[VisitAnswer], list[VisitLicenceCheck]]:
    """Write what was typed onto the draft (no completeness checks: a draft may be half done)."""
    answers = list(visit.answers.all())
    changed: dict[tuple, list[int]] = {}
    before: dict[int, tuple] = {}
    for ans in answers:
        given = data.answers.get(ans.pk)
        if given is None:
            continue
        if given.answer not in ("", *Answer.values):
            raise ValidationError({f"answer_{ans.pk}": _("无效的检查结论。")})
        values = (given.answer, given.note.strip()[:300])
        if values != (ans.answer, ans.note):
            before[ans.pk] = (ans.answer, ans.note)
            ans.answer, ans.note = values
            changed.setdefault(values, []).append(ans.pk)
    _update_grouped(VisitAnswer, ("answer", "note"), changed, user=user, rows=answers, before=before)
    checks = list(visit.licence_checks.select_related("licence", "licence_type"))
    changed, before = {}, {}
    for check in checks:
        given = data.licences.get(check.pk)
        if given is None:
            continue
        if given.action not in LicenceAction.values:
            raise ValidationError({f"licence_{check.pk}": _("无效的证照处理方式。")})
        values = (given.held, False if given.held is False else given.displayed, given.action)
        if values != (check.held, check.displayed, check.action):
            before[check.pk] = (check.held, check.displayed, check.action)
            check.held, check.displayed, check.action = values
            changed.setdefault(values, []).append(check.pk)
    _update_grouped(
        VisitLicenceCheck, ("held", "displayed", "action"), changed, user=user, rows=checks, before=before
    )
    if data.notes is not None:
        visit.notes = data.notes.strip()
    visit.outcome = data.outcome if data.outcome in VisitOutcome.values else ""
    visit.referral_department = data.referral_department
    visit.deadline = data.deadline
    visit.requirements_text = data.requirements_text.strip()
    visit.referral_note = data.referral_note.strip()
    if data.latitude is not None and data.longitude is not None:
        visit.latitude, visit.longitude = data.latitude, data.longitude
        visit.location_accuracy = data.location_accuracy
    # The foreign keys were set by visit_start or come from the form's own choice fields.
    visit.full_clean(exclude=["business", "template", "created_by", "reinspection_of", "referral_department"])
    visit.save()
    _store_photos(visit, user, data.photos, {a.pk: a for a in answers})
    return answers, checks


def visit_save_draft(*, visit: Visit, user, data: VisitInput) -> Visit:
    """Save what has been typed so far; photos are checked and stored. The visit stays a draft."""
    _require_draft(visit)
    try:
        with transaction.atomic():
            _apply_input(visit, data, user)
    except Exception:
        _remove_orphans(visit)
        raise
    return visit


def _remove_orphans(visit: Visit) -> None:
    """After a rollback, delete photo files written during it (rows are gone; files are not)."""
    from django.core.files.storage import default_storage

    folder = f"visits/{visit.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    known = set(VisitPhoto.objects.filter(visit_id=visit.pk).values_list("image", flat=True))
    for name in files:
        path = f"{folder}/{name}"
        if path not in known:
            default_storage.delete(path)


def _score(answers: list[VisitAnswer]) -> int | None:
    applicable = [a for a in answers if a.answer in (Answer.PASS, Answer.FAIL)]
    total = sum(a.weight for a in applicable)
    if not total:
        return None
    return round(100 * sum(a.weight for a in applicable if a.answer == Answer.PASS) / total)


def _validate_submit(
    visit: Visit, data: VisitInput, answers: list[VisitAnswer], checks: list[VisitLicenceCheck], today
) -> None:
    errors: dict[str, list] = {}

    def err(key, message):
        errors.setdefault(key, []).append(message)

    photographed = set(visit.photos.exclude(answer=None).values_list("answer_id", flat=True))
    for ans in answers:
        if not ans.answer:
            err(f"answer_{ans.pk}", _("请选择：符合、不符合或不适用。"))
        elif ans.answer == Answer.FAIL and ans.requires_photo_on_failure and ans.pk not in photographed:
            err(f"photo_{ans.pk}", _("该条目不符合时须拍照留证。"))
    for check in checks:
        if check.held is None:
            err(f"licence_{check.pk}", _("请填写是否持有%(type)s。") % {"type": check.licence_type.name})
        elif check.held and check.displayed is None:
            err(f"licence_{check.pk}", _("请填写%(type)s是否亮证。") % {"type": check.licence_type.name})
        if check.action and check.licence_id is None:
            err(f"licence_{check.pk}", _("名册中没有该证照的有效记录，无法吊销或暂扣。"))
    failed = [a for a in answers if a.answer == Answer.FAIL]
    outcome = visit.outcome
    if not outcome:
        err("outcome", _("请选择处理结果。"))
    elif outcome == VisitOutcome.PASSED and failed:
        err(
            "outcome",
            _("有%(n)d个不符合条目，不能判定为合格；请选择限期整改或其他处理。") % {"n": len(failed)},
        )
    elif outcome == VisitOutcome.RECTIFY:
        if not failed:
            err("outcome", _("没有不符合条目，无需限期整改。"))
        if data.deadline is None:
            err("deadline", _("限期整改须填写整改期限。"))
        elif data.deadline <= today:
            errors.setdefault("deadline", []).append(
                ValidationError(
                    _("整改期限 %(d)s 已过或就是今天，请填写今天以后的日期。") % {"d": data.deadline},
                    code="deadline_past",
                )
            )
    elif outcome == VisitOutcome.REVOKE and not any(c.action for c in checks):
        err("outcome", _("请在证照核查中选择要吊销或暂扣的证照。"))
    elif outcome == VisitOutcome.REFER and visit.referral_department_id is None:
        err("referral_department", _("移送须选择接收部门。"))
    if errors:
        raise ValidationError(errors)


def _mark_relapses(visit: Visit, answers: list[VisitAnswer]) -> bool:
    """W3: an item that failed before, then passed (was put right), and fails again now is a relapse."""
    failed = {a.code: a for a in answers if a.answer == Answer.FAIL}
    if not failed:
        return False
    history = (
        VisitAnswer.objects.filter(
            visit__business=visit.business_id,
            visit__status=VisitStatus.SUBMITTED,
            visit__started_at__lt=visit.started_at,
            code__in=failed,
            answer__in=[Answer.PASS, Answer.FAIL],
        )
        .order_by("visit__started_at", "visit__pk")
        .values_list("code", "answer")
    )
    state: dict[str, str] = {}  # code -> "failed" | "rectified"
    for code, answer in history:
        if answer == Answer.FAIL:
            state[code] = "failed"
        elif state.get(code) == "failed":
            state[code] = "rectified"
    relapsed = [failed[code] for code, s in state.items() if s == "rectified"]
    for ans in relapsed:
        ans.is_relapse = True
    VisitAnswer.objects.bulk_update(relapsed, ["is_relapse"])
    return bool(relapsed)


def _update_licences(visit: Visit, checks: list[VisitLicenceCheck], day: datetime.date) -> None:
    """G1: the licence's 'displayed as last seen' comes from this visit."""
    changed = []
    for check in checks:
        if check.licence is None or check.held is None:
            continue
        check.licence.displayed = bool(check.held and check.displayed)
        check.licence.displayed_seen_on = day
        changed.append(check.licence)
    for lic in changed:  # one save per licence so the audit log records each change
        lic.save(update_fields=["displayed", "displayed_seen_on", "updated_at"])


def visit_submit(*, visit: Visit, user, data: VisitInput, now: datetime.datetime | None = None) -> Visit:
    """Submit a visit: validate it is complete, lock it, and apply its outcome in one transaction.

    合格 closes the order it re-inspects; 限期整改 issues a numbered order (business 整改中) and escalates
    the re-inspected one; 取缔 bans the business; 吊销/暂扣 revokes the chosen licences; 移送 records the
    receiving department. Every outcome updates the licences' display (G1), relapse (W3), the E2 return
    check and the grade."""
    _require_draft(visit)
    now = now or timezone.now()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            visit = (
                Visit.objects.select_for_update().select_related("business__village__town").get(pk=visit.pk)
            )
            _require_draft(visit)
            business = (
                Business.objects.select_for_update()
                .select_related("category__lead_department")
                .get(pk=visit.business_id)
            )
            _check_business_open(business)
            visit.business = business
            answers, checks = _apply_input(visit, data, user)
            _validate_submit(visit, data, answers, checks, today)
            _apply_outcome(visit, data, answers, checks, user, now)
            if visit.outcome == VisitOutcome.REFER:
                announce_referral(visit, by=user)  # O5: the receiving department or city bureau is told
    except Exception:
        _remove_orphans(visit)
        raise
    return visit


def _apply_outcome(visit, data, answers, checks, user, now) -> None:
    today = timezone.localdate(now)
    business = visit.business
    visit.status = VisitStatus.SUBMITTED
    visit.submitted_at = now
    visit.score = _score(answers)
    visit.is_relapse = _mark_relapses(visit, answers)
    visit.save(update_fields=["status", "submitted_at", "score", "is_relapse", "updated_at"])
    _update_licences(visit, checks, timezone.localdate(visit.started_at))

    outcome = visit.outcome
    new_order = None
    if outcome == VisitOutcome.RECTIFY:
        new_order = order_issue(
            visit=visit,
            items=[a for a in answers if a.answer == Answer.FAIL],
            deadline=data.deadline,
            issued_on=today,
            user=user,
            requirements_text=data.requirements_text.strip(),
        )
    elif outcome == VisitOutcome.REVOKE:
        for check in checks:
            if check.action and check.licence is not None:
                what = LicenceAction(check.action).label
                licence_revoke(
                    licence=Licence.objects.get(pk=check.licence_id),
                    reason=f"{what}（{visit.get_kind_display()} {today:%Y-%m-%d}）",
                )
    elif outcome == VisitOutcome.BAN:
        business.status = BusinessStatus.BANNED
        business.save(update_fields=["status", "updated_at"])

    # The order this visit re-inspects: closed if the unit passed, escalated otherwise.
    order = visit.reinspection_of
    if order is not None and order.status == OrderStatus.OPEN:
        if outcome == VisitOutcome.PASSED:
            rectification_close(order=order, visit=visit, on=today)
        else:
            rectification_escalate(order=order, visit=visit, on=today, successor=new_order)
    if outcome == VisitOutcome.BAN:
        # A banned unit's other open orders end with it.
        for other in business.rectification_orders.filter(status=OrderStatus.OPEN).exclude(
            pk=getattr(new_order, "pk", None)
        ):
            rectification_escalate(order=other, visit=visit, on=today)

    # E2: the first visit on or after a closed order's return-check date is its return check.
    RectificationOrder.objects.filter(
        business=business,
        status=OrderStatus.CLOSED,
        return_check_visit__isnull=True,
        return_check_due_on__lte=timezone.localdate(visit.started_at),
    ).update(return_check_visit=visit)
    profile_refresh(business=business, today=today)
    kept.businesses_changed([business.pk])  # today's target figures, in this transaction (issue 26)


@transaction.atomic
def visit_amend(*, visit: Visit, user, text: str, reason: str) -> VisitAmendment:
    """Record a correction to a submitted visit (never a silent edit)."""
    if visit.status != VisitStatus.SUBMITTED:
        raise ValidationError(_("草稿可直接修改，无需更正记录。"))
    amendment = VisitAmendment(visit=visit, author=user, text=text.strip(), reason=reason.strip())
    amendment.full_clean()
    amendment.save()
    return amendment


def photo_add(*, visit: Visit, user, upload, answer: VisitAnswer | None = None) -> VisitPhoto:
    """Add one photo to a draft (resized; refused if not an image or too large)."""
    _require_draft(visit)
    try:
        with transaction.atomic():
            answers = {answer.pk: answer} if answer else {}
            stored = _store_photos(visit, user, [(answer.pk if answer else None, upload)], answers)
    except Exception:
        _remove_orphans(visit)
        raise
    return stored[0]


@transaction.atomic
def photo_delete(*, photo: VisitPhoto) -> None:
    _require_draft(photo.visit)
    photo.image.delete(save=False)
    photo.delete()
