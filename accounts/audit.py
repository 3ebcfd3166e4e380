"""The audit trail: who changed what, when, before and after (issue 3). Built on django-auditlog.

Single saves and deletes of registered models are recorded by auditlog itself (register the model in
your AppConfig.ready(): ``auditlog.register(MyModel)``); the request's user is the actor
(AuditlogMiddleware). Outside a request (a command, a Celery task) wrap the writes in
``auditlog.context.set_actor(user)``.

Bulk writes bypass model signals, so whoever uses ``bulk_create``/``bulk_update``/``QuerySet.update``
(imports, mass actions) records them here, in the same transaction::

    from accounts.audit import changes_between, record_bulk

    created = Visit.objects.bulk_create(visits)
    record_bulk(request.user, created, "create")                 # every field: None -> value

    record_bulk(request.user, rows, "update", {"status": ["整改中", "已整改"]})    # same change on all
    record_bulk(request.user, rows, "update", lambda row: changes_between(before[row.pk], row))

History on the business page: the business's own entries and those of objects registered with
``register_business_history(Model, "business")`` (licences here; visits and orders from inspections).
Any other page shows an object's history with ``{% load audit %}{% history_card obj %}``; children join it
through ``register_history(Parent, Child, "parent_field")``. A model whose ``get_additional_data()``
returns ``{"business_id": ...}`` keeps showing on the business page even after the row is deleted.
Nobody deletes entries from the app: the admin is read-only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("创建"),
    LogEntry.Action.UPDATE: gettext_lazy("修改"),
    LogEntry.Action.DELETE: gettext_lazy("删除"),
    LogEntry.Action.ACCESS: gettext_lazy("查看"),
}
# A value auditlog stored for "no value".
_EMPTY = {None, "None", ""}
# A create entry lists every field; a history shows it as 创建 with these (the non-empty ones), or with the
# first CREATE_SUMMARY_FIELDS filled fields of a model not named here.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "campaigns.Business": ("name", "category", "village", "status"),
    "campaigns.Licence": ("licence_type", "number", "expires_on"),
    "inspections.Visit": ("kind", "status", "started_at"),
    "inspections.VisitAnswer": ("code", "answer"),
    "inspections.VisitLicenceCheck": ("licence_type", "held", "displayed"),
    "inspections.RectificationOrder": ("number", "deadline", "status"),
    "inspections.DeadlineChange": ("previous_deadline", "deadline", "reason"),
    "accounts.RoleAssignment": ("kind", "town", "village", "department", "business"),
    "auth.User": ("username", "first_name", "last_name", "is_active"),
}
CREATE_SUMMARY_FIELDS = 4

Changes = dict[str, list]


def changes_between(old: models.Model | None, new: models.Model | None) -> Changes:
    """{field: [before, after]} for the fields that differ, as auditlog would record them."""
    return model_instance_diff(old, new) or {}


def record_bulk(
    actor,
    objects: Iterable[models.Model],
    action: str | int,
    changes: Changes | Callable[[models.Model], Changes] | None = None,
    *,
    additional_data: dict | None = None,
) -> list[LogEntry]:
    """Write one audit entry per object for a bulk write that bypassed auditlog's signals.

    actor: the user who did it (None for the system). objects: saved instances (they need a pk;
    bulk_create returns them with one). action: "create", "update" or "delete".
    changes: {field: [before, after]} shared by every object, a callable giving it per object, or None
    to derive it (create: every field from nothing; delete: every field to nothing).
    additional_data: kept with every entry, over what the object's get_additional_data() gives
    (e.g. {"bulk": "case_open_all_unlicensed"}: which mass action wrote it).
    An update whose changes come out empty is not recorded. Returns the entries (one INSERT); none
    inside auditlog's disable_auditlog(), like the single saves.
    """
    action = ACTIONS.get(action, action)
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    if auditlog_disabled.get():  # the switch auditlog's own signals obey (the demo's generated history)
        return []
    cid = get_cid()
    entries = []
    for obj in objects:
        if obj.pk is None:
            raise ValueError(f"record_bulk needs saved objects: {obj!r} has no primary key")
        if callable(changes):
            diff = changes(obj)
        elif changes is not None:
            diff = changes
        elif action == LogEntry.Action.CREATE:
            diff = changes_between(None, obj)
        elif action == LogEntry.Action.DELETE:
            diff = changes_between(obj, None)
        else:
            raise ValueError("record_bulk(..., 'update') needs the changes")
        if not diff and action == LogEntry.Action.UPDATE:
            continue
        extra = getattr(obj, "get_additional_data", None)
        extra = extra() if callable(extra) else None
        if additional_data:
            extra = {**(extra or {}), **additional_data}
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(obj),
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=str(obj)[:2000],
                action=action,
                changes={k: [str(v) if v is not None else "None" for v in pair] for k, pair in diff.items()},
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_email=getattr(actor, "email", None) or None,
                additional_data=extra,
                cid=cid,
            )
        )
    return LogEntry.objects.bulk_create(entries)


def record_password_change(actor, user) -> LogEntry:
    """A password change goes on record without any trace of the password or its hash."""
    return LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.UPDATE,
        changes={"password": ["******", "******"]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


# --- Reading: the history of a business, of a user --------------------------------------------------

_RELATED: dict[str, list[tuple[type[models.Model], str]]] = {}


def register_history(parent: type[models.Model] | str, model: type[models.Model], field: str) -> None:
    """Show `model`'s audit entries in the history of the `parent` object that `field` points to.

    E.g. ``register_history(Visit, VisitAnswer, "visit")`` from the inspections AppConfig.ready().
    `parent` may be a model or its "app_label.Model" label.
    """
    label = parent if isinstance(parent, str) else parent._meta.label
    if (model, field) not in _RELATED.setdefault(label, []):
        _RELATED[label].append((model, field))


def register_business_history(model: type[models.Model], business_field: str) -> None:
    """Show `model`'s audit entries on the page of the business reached through `business_field`."""
    register_history("campaigns.Business", model, business_field)


def _about(model: type[models.Model], **object_id) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(model), **object_id)


def _history_q(obj: models.Model) -> Q:
    q = _about(type(obj), object_id=obj.pk)
    for model, parent_field in _RELATED.get(obj._meta.label, []):
        owned = model._default_manager.filter(**{parent_field: obj.pk}).values("pk")
        q |= _about(model, object_id__in=owned)
    return q


def entries_for(obj: models.Model) -> QuerySet[LogEntry]:
    """Every audit entry about `obj` and the objects registered as part of its history, newest first."""
    return (
        LogEntry.objects.filter(_history_q(obj))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def business_entries(business) -> QuerySet[LogEntry]:
    """Every audit entry about the business and the objects registered as belonging to it."""
    q = _history_q(business) | Q(additional_data__business_id=business.pk)
    return LogEntry.objects.filter(q).select_related("actor", "content_type").order_by("-timestamp", "-pk")


def user_entries(user) -> QuerySet[LogEntry]:
    """Audit entries about a user account and its roles (removed roles included)."""
    from .models import RoleAssignment

    q = _about(type(user), object_id=user.pk) | _about(RoleAssignment, additional_data__user_id=user.pk)
    return LogEntry.objects.filter(q).select_related("actor", "content_type").order_by("-timestamp", "-pk")


@dataclass
class Change:
    label: str
    before: str
    after: str
    name: str = ""  # the model field's name


@dataclass
class HistoryRow:
    """One audit entry as a page shows it: field names in Chinese, choices as their labels."""

    at: datetime.datetime
    actor: str
    action: str
    action_code: int
    subject: str
    changes: list[Change] = field(default_factory=list)


def _value(model_field, value) -> str:
    if value in _EMPTY:
        return "—"
    if model_field is None:
        return str(value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("是") if value in ("True", True) else _("否")
    if isinstance(model_field, models.DateTimeField):
        return _local_minute(value)
    return str(value)


def _local_minute(value) -> str:
    """auditlog keeps a datetime as str() of its naive UTC value, with microseconds: show local time
    (Asia/Shanghai), to the minute."""
    moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _bookkeeping(model_field) -> bool:
    """Fields a reader does not need in a history: the id, reverse relations, automatic timestamps."""
    return (
        not getattr(model_field, "concrete", False)
        or model_field.primary_key
        or getattr(model_field, "auto_now", False)
        or getattr(model_field, "auto_now_add", False)
    )


def _is_person(model_field) -> bool:
    """A relation to a user: auditlog keeps its str(), the login name, which a page shows as the name."""
    return bool(getattr(model_field, "is_relation", False)) and model_field.related_model is get_user_model()


def _people_names(entries: list[LogEntry]) -> dict[str, str]:
    """Login name → the person's name, for every user an entry's changes name (one query)."""
    logins: set[str] = set()
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            try:
                model_field = model._meta.get_field(name) if model else None
            except FieldDoesNotExist:
                continue
            if not _is_person(model_field):
                continue
            if isinstance(values, dict):
                logins.update(values.get("objects", []))
            else:
                logins.update(str(v) for v in values if v not in _EMPTY)
    if not logins:
        return {}
    users = get_user_model().objects.filter(username__in=logins)
    return {
        u.username: u.get_full_name() or u.username for u in users.only("username", "first_name", "last_name")
    }


def _changes(
    model: type[models.Model] | None, changes: dict, names: dict[str, str] | None = None
) -> list[Change]:
    names = names or {}
    rows = []
    for name, values in (changes or {}).items():
        try:
            model_field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and _bookkeeping(model_field):
            continue
        label = str(getattr(model_field, "verbose_name", name))
        person = _is_person(model_field)
        if name == "password":
            rows.append(Change(_("密码"), "", _("已修改"), name))
        elif isinstance(values, dict) and values.get("type") == "m2m":
            verb = _("增加") if values.get("operation") == "add" else _("移除")
            objects = [names.get(o, o) if person else o for o in values.get("objects", [])]
            rows.append(Change(label, "", f"{verb}：" + "、".join(objects), name))
        else:
            before, after = [*values, None, None][:2]
            before, after = _value(model_field, before), _value(model_field, after)
            if person:
                before, after = names.get(before, before), names.get(after, after)
            rows.append(Change(label, before, after, name))
    return rows


def _create_summary(model: type[models.Model] | None, changes: list[Change]) -> list[Change]:
    """A create entry's key fields (those filled in), not every field from nothing."""
    filled = [c for c in changes if c.after != "—"]
    wanted = KEY_FIELDS.get(model._meta.label) if model else None
    if wanted:
        by_name = {c.name: c for c in filled}
        return [by_name[name] for name in wanted if name in by_name]
    return filled[:CREATE_SUMMARY_FIELDS]


def history_rows(entries: Iterable[LogEntry]) -> list[HistoryRow]:
    """Entries (select_related actor and content_type) as rows for the history template."""
    entries = list(entries)
    names = _people_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        actor = entry.actor
        who = (actor.get_full_name() or actor.username) if actor else (entry.actor_email or _("系统"))
        kind = str(model._meta.verbose_name) if model else entry.content_type.model
        changes = _changes(model, entry.changes_dict, names)
        if entry.action == LogEntry.Action.CREATE:
            changes = _create_summary(model, changes)
        rows.append(
            HistoryRow(
                at=entry.timestamp,
                actor=who,
                action=str(ACTION_LABELS.get(entry.action, entry.action)),
                action_code=entry.action,
                subject=f"{kind}：{entry.object_repr}",
                changes=changes,
            )
        )
    return rows
