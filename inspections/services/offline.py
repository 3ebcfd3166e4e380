"""A whole visit recorded in one request (the API's POST /api/v1/visits/, the offline app's sync, #19).

visit_record is visit_start + visit_submit — the page's own services — in one transaction, addressed the
way a client that was offline knows things: the checklist version it filled in, answers by item code,
licence checks by licence type, and a UUID it made up before it had a connection. The UUID makes the
call idempotent: a visit with it already recorded by the same user is returned, not made again.

What can have changed while the client was offline is a VisitConflict with a stable code:
business_closed, checklist_changed, already_visited (an assigned visit a colleague submitted first),
deadline_past, uuid_taken (another user's visit has this UUID)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Business

from ..choices import VisitStatus
from ..models import Visit
from .checklists import checklist_current
from .visits import AnswerInput, LicenceInput, VisitInput, visit_start, visit_submit


class VisitConflict(ValidationError):
    """The state of things forbids recording the visit as sent; `code` says which state, `detail` what
    the client needs to resolve it (the current checklist, who visited, …)."""

    def __init__(self, code: str, message: str, detail: dict | None = None):
        super().__init__(message, code=code)
        self.detail = detail or {}


@dataclass
class RecordInput:
    """A visit as an offline client holds it. Keys: item codes (answers, photos) and licence type ids."""

    client_uuid: uuid.UUID
    checklist_id: int
    started_at: datetime.datetime | None = None
    kind: str = "routine"
    answers: dict[str, AnswerInput] = field(default_factory=dict)
    licences: dict[int, LicenceInput] = field(default_factory=dict)
    notes: str = ""
    outcome: str = ""
    deadline: datetime.date | None = None
    requirements_text: str = ""
    referral_department: object | None = None
    referral_note: str = ""
    latitude: object | None = None
    longitude: object | None = None
    location_accuracy: int | None = None
    photos: list[tuple[str | None, object]] = field(default_factory=list)  # (item code or None, file)


@dataclass
class Recorded:
    visit: Visit
    created: bool
    # service field name (answer_17, licence_4, photo_17) → the client's name (answers.G1-1, …)
    names: dict[str, str] = field(default_factory=dict)


def visit_for_uuid(client_uuid: uuid.UUID, user) -> Visit | None:
    """The visit already recorded with this UUID by this user; VisitConflict if someone else's."""
    existing = Visit.objects.filter(client_uuid=client_uuid).only("pk", "created_by_id").first()
    if existing is None:
        return None
    if existing.created_by_id != user.pk:
        raise VisitConflict("uuid_taken", _("该客户端编号已被其他用户的检查记录使用，请重新生成编号后提交。"))
    return existing


def _keys(visit: Visit) -> tuple[dict[str, int], dict[int, int], dict[str, str]]:
    """The visit's answer ids by item code, licence check ids by licence type, and the service's field
    names (answer_17, photo_17, licence_4) as the client's (answers.G1-1, photos.G1-1, licences.3)."""
    by_code = dict(visit.answers.values_list("code", "pk"))
    by_type = dict(visit.licence_checks.values_list("licence_type_id", "pk"))
    names = {}
    for code, pk in by_code.items():
        names[f"answer_{pk}"], names[f"photo_{pk}"] = f"answers.{code}", f"photos.{code}"
    for type_id, pk in by_type.items():
        names[f"licence_{pk}"] = f"licences.{type_id}"
    return by_code, by_type, names


def _already_visited(visit: Visit) -> VisitConflict:
    who = ", ".join(u.get_full_name() or u.username for u in visit.inspectors.all())
    return VisitConflict(
        "already_visited",
        _("该检查任务已由%(who)s于%(at)s提交，无需重复检查。")
        % {"who": who or _("同事"), "at": f"{timezone.localtime(visit.submitted_at):%Y-%m-%d %H:%M}"},
        {"visit": visit.pk, "submitted_at": visit.submitted_at.isoformat() if visit.submitted_at else None},
    )


def _checklist_changed(current) -> VisitConflict:
    return VisitConflict(
        "checklist_changed",
        _("检查表已更新为第 %(v)d 版，请按新检查表重新填写后提交。") % {"v": current.version},
        {"checklist": current.pk, "version": current.version},
    )


def visit_record(
    *,
    business: Business,
    user,
    data: RecordInput,
    assignment: Visit | None = None,
    now: datetime.datetime | None = None,
) -> Recorded:
    """Record a submitted visit in one transaction (or return the one this UUID already made).

    `assignment`: a draft the user was assigned (a spot check, a tip-off check); it is filled in and
    submitted instead of a new visit. The caller has scoped `business` and `assignment` to the user."""
    existing = visit_for_uuid(data.client_uuid, user)
    if existing is not None:
        return Recorded(existing, created=False)
    with transaction.atomic():
        if assignment is not None:
            visit = Visit.objects.select_for_update().get(pk=assignment.pk)
            if visit.client_uuid == data.client_uuid:  # the same submission raced in first
                return Recorded(visit, created=False)
            if visit.status != VisitStatus.DRAFT:
                raise _already_visited(visit)
            if visit.business_id != business.pk:
                raise ValidationError({"assignment": _("检查任务不是该经营单位的。")})
            if visit.template_id != data.checklist_id:
                raise _checklist_changed(visit.template)
            visit.client_uuid = data.client_uuid
            visit.save(update_fields=["client_uuid", "updated_at"])
        else:
            if not business.is_active:
                raise VisitConflict(
                    "business_closed",
                    _("“%(name)s”状态为“%(status)s”，不能再登记检查。")
                    % {"name": business.name, "status": business.get_status_display()},
                    {"status": business.status},
                )
            current = checklist_current(business.category)
            if current is not None and current.pk != data.checklist_id:
                raise _checklist_changed(current)
            visit = visit_start(
                business=business,
                user=user,
                kind=data.kind,
                started_at=data.started_at,
                reuse=False,
                client_uuid=data.client_uuid,
            )
        by_code, by_type, names = _keys(visit)
        errors: dict[str, list] = {}
        for code in data.answers:
            if code not in by_code:
                errors.setdefault(f"answers.{code}", []).append(
                    _("检查表第 %(v)s 版没有条目“%(c)s”。") % {"v": visit.template.version, "c": code}
                )
        for type_id in data.licences:
            if type_id not in by_type:
                errors.setdefault(f"licences.{type_id}", []).append(_("该经营单位无须核查此证照。"))
        for code, _file in data.photos:
            if code is not None and code not in by_code:
                errors.setdefault("photo_items", []).append(
                    _("照片对应的条目“%(c)s”不在检查表中。") % {"c": code}
                )
        if errors:
            raise ValidationError(errors)
        visit_input = VisitInput(
            answers={by_code[c]: a for c, a in data.answers.items()},
            licences={by_type[t]: li for t, li in data.licences.items()},
            notes=data.notes,
            outcome=data.outcome,
            deadline=data.deadline,
            requirements_text=data.requirements_text,
            referral_department=data.referral_department,
            referral_note=data.referral_note,
            latitude=data.latitude,
            longitude=data.longitude,
            location_accuracy=data.location_accuracy,
            photos=[(by_code[c] if c else None, f) for c, f in data.photos],
        )
        try:
            visit_submit(visit=visit, user=user, data=visit_input, now=now)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "inactive":
                raise VisitConflict("business_closed", exc.messages[0], {"status": business.status}) from exc
            deadline = getattr(exc, "error_dict", {}).get("deadline", [])
            if any(e.code == "deadline_past" for e in deadline):
                raise VisitConflict(
                    "deadline_past", deadline[0].messages[0], {"today": timezone.localdate(now).isoformat()}
                ) from exc
            exc.names = names
            raise
    return Recorded(visit, created=True, names=names)
