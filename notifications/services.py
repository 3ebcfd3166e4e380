"""Writes for reminders and the inbox: planning, the sweep that sends what is due, read marks, preferences.

Exactly once: the sweep claims each due row with a conditional UPDATE (`claimed_at IS NULL`) in the
same transaction that writes the inbox message, so a second sweep, a second worker or a retried task
finds the row taken (and a crash before commit leaves it unclaimed for the next sweep). Email and SMS
go out after that commit: at most once, never twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import ChannelPreference, ContactDetails, Message, Reminder
from .registry import PlanContext, Planner, get_planner, planners
from .sms import get_sms_backend

logger = logging.getLogger(__name__)


# --- planning -----------------------------------------------------------------------------------------


@dataclass
class PlanResult:
    created: int = 0
    cancelled: int = 0
    revived: int = 0


def _planner(planner: Planner | str) -> Planner:
    found = get_planner(planner) if isinstance(planner, str) else planner
    if found is None:
        raise LookupError(f"no reminder planner named {planner!r}")
    return found


@transaction.atomic
def reminders_plan(*, target, planner: Planner | str, ctx: PlanContext | None = None) -> PlanResult:
    """Bring one object's unsent reminders in line with what its planner wants now.

    New occasions get rows (the unique dedupe key makes a repeat harmless); unsent rows no longer
    wanted (deadline moved, order closed) are cancelled; a cancelled row wanted again is revived.
    Anything already due is sent by a sweep enqueued when the transaction commits.
    """
    planner = _planner(planner)
    ctx = ctx or PlanContext()
    wanted = {p.dedupe_key: p for p in planner.plan(target, ctx) if p.due_at <= ctx.horizon_end}
    content_type = ContentType.objects.get_for_model(planner.model)
    rows = Reminder.objects.filter(planner=planner.name, content_type=content_type, object_id=target.pk)
    known = {r.dedupe_key: r for r in rows.only("pk", "dedupe_key", "cancelled_at", "claimed_at")}
    # Claimed rows (sent, or being sent) are history: never re-created, cancelled or revived.
    existing = {key: r for key, r in known.items() if r.claimed_at is None}
    result = PlanResult()
    new = [
        Reminder(
            recipient_id=p.recipient_id,
            kind=p.kind,
            planner=planner.name,
            content_type=content_type,
            object_id=target.pk,
            url=p.url,
            due_at=p.due_at,
            title=p.title,
            body=p.body,
            dedupe_key=key,
        )
        for key, p in wanted.items()
        if key not in known
    ]
    if new:
        # ignore_conflicts: a concurrent planner may have written the same key a moment ago.
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        result.created = len(new)
    stale = [r.pk for key, r in existing.items() if key not in wanted and r.cancelled_at is None]
    if stale:
        result.cancelled = Reminder.objects.filter(pk__in=stale, claimed_at__isnull=True).update(
            cancelled_at=timezone.now(), cancel_reason="重新规划：期限已变更或对象已办结"
        )
    revive = [r.pk for key, r in existing.items() if key in wanted and r.cancelled_at is not None]
    if revive:
        result.revived = Reminder.objects.filter(pk__in=revive, claimed_at__isnull=True).update(
            cancelled_at=None, cancel_reason=""
        )
    if any(r.due_at <= ctx.now for r in new):
        enqueue_sweep()
    return result


def reminders_plan_for(target, *, ctx: PlanContext | None = None) -> PlanResult:
    """Re-plan an object with every planner registered for its model.

    Call it from the service that saved the object (inspections does, for orders and re-inspections).
    """
    total = PlanResult()
    for planner in planners():
        if isinstance(target, planner.model):
            r = reminders_plan(target=target, planner=planner, ctx=ctx)
            total.created += r.created
            total.cancelled += r.cancelled
            total.revived += r.revived
    return total


def plan_on_write(target) -> None:
    """campaigns.hooks' after-write hook: plan `target` with each of its model's on_write planners."""
    for planner in planners():
        if planner.on_write and isinstance(target, planner.model):
            reminders_plan(target=target, planner=planner)


def reminders_replan_all(*, ctx: PlanContext | None = None) -> dict[str, PlanResult]:
    """Nightly: re-plan every candidate object of every planner (moves the overdue reminders on a day)."""
    ctx = ctx or PlanContext()
    results = {}
    for planner in planners():
        total = PlanResult()
        for target in planner.candidates(ctx):
            r = reminders_plan(target=target, planner=planner, ctx=ctx)
            total.created += r.created
            total.cancelled += r.cancelled
            total.revived += r.revived
        results[planner.name] = total
        logger.info(
            "re-planned %s: %d created, %d cancelled, %d revived",
            planner.name,
            total.created,
            total.cancelled,
            total.revived,
        )
    return results


@transaction.atomic
def reminder_add(
    *,
    recipient,
    kind: str,
    title: str,
    dedupe_key: str,
    due_at=None,
    body: str = "",
    url: str = "",
    target=None,
) -> Reminder:
    """A one-off reminder (a bulletin, an assignment), due now unless `due_at`; once per dedupe key."""
    due_at = due_at or timezone.now()
    reminder, created = Reminder.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "recipient": recipient,
            "kind": kind,
            "title": title,
            "body": body,
            "url": url,
            "due_at": due_at,
            "content_type": ContentType.objects.get_for_model(target) if target is not None else None,
            "object_id": target.pk if target is not None else None,
        },
    )
    if created and due_at <= timezone.now():
        enqueue_sweep()
    return reminder


def reminders_announce(
    *, recipient_ids, kind: str, title: str, key: str, body: str = "", url: str = "", target=None
) -> int:
    """Tell several users one thing now (a work bulletin published, a spot check assigned), once per
    `key` and user however often it is called. Returns how many users it was planned for.

    The dashboard's bulletin service can call it with the office and every lead department, e.g.
    `reminders_announce(recipient_ids=PlanContext().lead_department_user_ids(), kind=ReminderKind.BULLETIN,
    title=..., url=bulletin_url, key=f"bulletin:{bulletin.pk}")`.
    """
    ids = sorted(set(recipient_ids))
    User = get_user_model()
    for user in User.objects.filter(pk__in=ids, is_active=True):
        reminder_add(
            recipient=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            target=target,
            dedupe_key=f"{key}:u{user.pk}",
        )
    return len(ids)


@transaction.atomic
def reminders_add_many(items) -> int:
    """One-off reminders for many (Planned, target) pairs at once (a draw assigning fifty visits): one
    query for the keys already planned, one INSERT, one sweep on commit; a repeat call adds nothing.

    `target` (or None) is the object the reminder is about: one deleted before the sweep is dropped with
    a log line. Returns how many rows were new.
    """
    items = list(items)
    if not items:
        return 0
    known = set(
        Reminder.objects.filter(dedupe_key__in=[p.dedupe_key for p, _ in items]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = []
    for planned, target in items:
        if planned.dedupe_key in known:
            continue
        known.add(planned.dedupe_key)
        new.append(
            Reminder(
                recipient_id=planned.recipient_id,
                kind=planned.kind,
                content_type=ContentType.objects.get_for_model(target) if target is not None else None,
                object_id=target.pk if target is not None else None,
                url=planned.url,
                due_at=planned.due_at,
                title=planned.title,
                body=planned.body,
                dedupe_key=planned.dedupe_key,
            )
        )
    if new:
        # ignore_conflicts: a concurrent call may have written the same key a moment ago.
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        if any(r.due_at <= timezone.now() for r in new):
            enqueue_sweep()
    return len(new)


# --- enqueueing ---------------------------------------------------------------------------------------


def publish_sweep() -> bool:
    """Put one sweep on the broker now. A broker that is down is logged, not raised: the rows wait."""
    # import here: the Celery app module discovers the tasks modules, which import this one.
    from wuxiao.celery import app

    from .tasks import sweep_due_reminders

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            sweep_due_reminders.apply_async(connection=conn, retry=False)
    except Exception as exc:
        logger.warning(
            "broker unreachable (%s): sweep not enqueued; the next periodic sweep sends what is due",
            type(exc).__name__,
        )
        return False
    return True


def enqueue_sweep() -> None:
    """Ask for a sweep once the current transaction commits (never for rows a rollback would undo).

    One sweep per transaction is enough however many rows it planned.
    """
    pending = getattr(transaction.get_connection(), "run_on_commit", [])
    if any(entry[1] is publish_sweep for entry in pending):
        return
    transaction.on_commit(publish_sweep)


# --- the sweep ----------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    sent: int = 0
    dropped: int = 0
    taken: int = 0


def reminders_sweep(*, now=None, limit: int = 1000) -> SweepResult:
    """Send every reminder due by `now` that nobody has claimed; safe to run anywhere, any number of times."""
    ctx = PlanContext(now=now or timezone.now())
    due = list(
        Reminder.objects.filter(due_at__lte=ctx.now, claimed_at__isnull=True, cancelled_at__isnull=True)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    result = SweepResult()
    for pk in due:
        outcome = reminder_deliver(reminder_id=pk, ctx=ctx)
        setattr(result, outcome, getattr(result, outcome) + 1)
    if due:
        logger.info(
            "sweep: %d sent, %d dropped, %d taken by another sweep", result.sent, result.dropped, result.taken
        )
    return result


def reminder_deliver(*, reminder_id: int, ctx: PlanContext | None = None) -> str:
    """Claim one reminder and deliver it: 'sent', 'dropped' (stale target) or 'taken' (claimed elsewhere)."""
    ctx = ctx or PlanContext()
    with transaction.atomic():
        claimed = Reminder.objects.filter(
            pk=reminder_id, claimed_at__isnull=True, cancelled_at__isnull=True
        ).update(claimed_at=timezone.now())
        if claimed != 1:
            return "taken"
        reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
        reason = _stale_reason(reminder, ctx)
        if reason:
            reminder.cancelled_at = timezone.now()
            reminder.cancel_reason = reason
            reminder.save(update_fields=["cancelled_at", "cancel_reason"])
            logger.info("reminder %s (%s) dropped: %s", reminder.pk, reminder.dedupe_key, reason)
            return "dropped"
        reminder.message = Message.objects.create(
            user=reminder.recipient,
            kind=reminder.kind,
            title=reminder.title,
            body=reminder.body,
            link=reminder.url,
        )
        reminder.sent_at = timezone.now()
        reminder.channels = "inbox"
        reminder.save(update_fields=["message", "sent_at", "channels"])
    extra = _send_external(reminder)
    if extra:
        Reminder.objects.filter(pk=reminder.pk).update(channels=",".join(["inbox", *extra]))
    return "sent"


def _stale_reason(reminder: Reminder, ctx: PlanContext) -> str:
    """Why a due reminder should not go out any more, or '' to send it."""
    if not reminder.recipient.is_active:
        return "接收人账号已停用"
    if reminder.content_type_id is None:
        return ""
    model = reminder.content_type.model_class()
    if model is None:
        return "对象类型已不存在"
    target = model._default_manager.filter(pk=reminder.object_id).first()
    if target is None:
        return "对象已删除"
    planner = get_planner(reminder.planner) if reminder.planner else None
    if planner is not None and reminder.dedupe_key not in {p.dedupe_key for p in planner.plan(target, ctx)}:
        return "对象已办结、已注销或期限已变更"
    return ""


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.WUXIAO_SITE_URL.rstrip("/") + url


def _send_external(reminder: Reminder) -> list[str]:
    """Email and SMS as the recipient chose (default: email yes, SMS no). Failures are logged, not retried."""
    user = reminder.recipient
    pref = ChannelPreference.objects.filter(user=user, kind=reminder.kind).first()
    want_email = pref.email if pref else True
    want_sms = pref.sms if pref else False
    text = reminder.body
    link = _absolute(reminder.url)
    if link:
        text = f"{text}\n\n{link}" if text else link
    sent = []
    if want_email and user.email:
        try:
            send_mail(f"【五小整治】{reminder.title}", text or reminder.title, None, [user.email])
            sent.append("email")
        except Exception as exc:
            logger.warning("email for reminder %s failed: %s", reminder.pk, type(exc).__name__)
    if want_sms:
        mobile = ContactDetails.objects.filter(user=user).values_list("mobile", flat=True).first()
        if mobile:
            try:
                get_sms_backend().send(mobile, f"【五小整治】{reminder.title}")
                sent.append("sms")
            except Exception as exc:
                logger.warning("SMS for reminder %s failed: %s", reminder.pk, type(exc).__name__)
    return sent


# --- the inbox ----------------------------------------------------------------------------------------


def message_mark_read(*, message: Message) -> Message:
    """Mark one of the user's messages read (the view fetched it through the user's own inbox)."""
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_mark_all_read(*, user) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, email_kinds, sms_kinds, mobile: str) -> None:
    """Store which kinds a user wants by email and by SMS (every kind gets a row), and the SMS number."""
    from .choices import ReminderKind

    email_kinds, sms_kinds = set(email_kinds), set(sms_kinds)
    for kind in ReminderKind.values:
        ChannelPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": kind in email_kinds, "sms": kind in sms_kinds}
        )
    ContactDetails.objects.update_or_create(user=user, defaults={"mobile": mobile})
