"""Reminders for rectification orders, their re-inspections and E2 return checks (issue 8).

notifications discovers this module (autodiscover of `<app>.reminders`) and keeps the Reminder rows in
step with what `plan_order` wants; the order services call `order_replan` after every change, and the
nightly task re-plans every candidate, moving the overdue reminders on by a day.

- 3 days before the deadline and on the day: the order's inspectors and the lead department.
- Overdue (open after the deadline): daily to the lead department, weekly to the office
  (the first overdue day, then every 7 days), until the order is closed or escalated, or the business
  stops trading (closed, moved, banned: nobody is chased for an order that can no longer be put right).
- Re-inspection date, when it differs from the deadline, and the E2 return check (回头查): the inspectors.
- A visit assigned to inspectors by someone else (a 随机抽查 of a spot-check draw, P2; any other kind, e.g.
  a 举报核查 scheduled from a tip-off): each inspector once, at once (`announce_visits_assigned`).
- Tip-offs (W5) not finished WUXIAO_TIPOFF_ANSWER_DAYS after they came in: the office, and the
  department it was assigned to; again every week until it is proven, unfounded or spam.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from lib.gongwen import cn_date
from notifications.choices import ReminderKind
from notifications.models import Reminder
from notifications.registry import PlanContext, Planned, register_planner
from notifications.services import reminders_add_many, reminders_plan

from .choices import TIPOFF_CLOSED, OrderStatus, VisitKind
from .models import RectificationOrder, TipOff, Visit

DAYS_BEFORE_DEADLINE = (3, 0)
OFFICE_EVERY_DAYS = 7


def _inspectors(order: RectificationOrder, ctx: PlanContext) -> list[int]:
    """Who follows the order up on the ground: the business's village inspectors, and those of the visit's
    inspectors who can open the order page (order_detail_queryset: the business's scope, no assignment).

    A drawn inspector from another village (P2) issued the order but cannot open it, so is not told;
    the village's own inspectors are. Cached lookups only: no query per order."""
    village = ctx.inspector_user_ids(order.business.village_id)
    town = ctx.town_of_village(order.business.village_id)
    may_open = {
        *village,
        *ctx.department_user_ids(order.business.category.lead_department_id, town),
        *ctx.read_all_user_ids(town),
    }
    visit_inspectors = [u.pk for u in order.visit.inspectors.all() if u.is_active and u.pk in may_open]
    return sorted({*village, *visit_inspectors})


def _department(order: RectificationOrder, ctx: PlanContext) -> list[int]:
    return ctx.department_user_ids(
        order.department_id or order.business.category.lead_department_id,
        ctx.town_of_village(order.business.village_id),
    )


def plan_order(order: RectificationOrder, ctx: PlanContext) -> list[Planned]:
    business = order.business
    what = f"{business.name}（{order.number}）"
    url = order.get_absolute_url()
    base = f"order:{order.pk}"
    planned: list[Planned] = []

    def add(uids, kind, due_at, title, body, key):
        for uid in sorted(set(uids)):
            planned.append(
                Planned(
                    recipient_id=uid,
                    kind=kind,
                    due_at=due_at,
                    title=title,
                    body=body,
                    url=url,
                    dedupe_key=f"{base}:{key}:u{uid}",
                )
            )

    if order.status == OrderStatus.OPEN and not business.is_active:
        # Closed, moved away or banned with the order still open: nobody can put it right any more and
        # nobody should be chased daily for it; the order list still shows it for the office to settle.
        return planned
    if order.status == OrderStatus.OPEN:
        deadline = order.deadline
        people = [*_inspectors(order, ctx), *_department(order, ctx)]
        for days, due_at in ctx.occasions(deadline, DAYS_BEFORE_DEADLINE):
            left = (deadline - ctx.today).days if due_at == ctx.now else days  # a catch-up goes out today
            when = "今天" if left == 0 else f"{left}天后"
            add(
                people,
                ReminderKind.RECTIFICATION_DUE,
                due_at,
                f"整改期限{when}到期：{what}",
                f"{what}的整改期限为{cn_date(deadline)}（{when}到期），请按期复查（回头查）。",
                f"{deadline:%Y%m%d}:d{days}",
            )
        # Overdue: one occurrence a day, planned for today and tomorrow; yesterday's is superseded.
        first_overdue = deadline + datetime.timedelta(days=1)
        day = max(first_overdue, ctx.today)
        while day <= ctx.today + datetime.timedelta(days=1):
            overdue = (day - deadline).days
            title = f"整改逾期{overdue}天：{what}"
            body = f"{what}的整改期限{cn_date(deadline)}已过，尚未复查销号，请督促落实。"
            key = f"{deadline:%Y%m%d}:overdue:{day:%Y%m%d}"
            add(_department(order, ctx), ReminderKind.RECTIFICATION_OVERDUE, ctx.at(day), title, body, key)
            if (overdue - 1) % OFFICE_EVERY_DAYS == 0:
                office = ctx.office_user_ids(ctx.town_of_village(order.business.village_id))
                add(office, ReminderKind.RECTIFICATION_OVERDUE, ctx.at(day), title, body, key)
            day += datetime.timedelta(days=1)
        if order.reinspection_due_on and order.reinspection_due_on != deadline:
            for _days, due_at in ctx.occasions(order.reinspection_due_on, (0,)):
                add(
                    _inspectors(order, ctx),
                    ReminderKind.REINSPECTION_DUE,
                    due_at,
                    f"今天复查：{what}",
                    f"{what}的复查（回头查）定于今天。",
                    f"{order.reinspection_due_on:%Y%m%d}:reinspect",
                )
    elif (
        order.status == OrderStatus.CLOSED
        and order.return_check_due_on
        and order.return_check_visit_id is None
        and business.is_active
    ):
        for _days, due_at in ctx.occasions(order.return_check_due_on, (0,)):
            add(
                ctx.inspector_user_ids(business.village_id) or _inspectors(order, ctx),
                ReminderKind.REINSPECTION_DUE,
                due_at,
                f"回头查到期（E2）：{what}",
                f"{what}已于{cn_date(order.closed_on)}整改销号，今天应回头查，防止反弹（W3）。",
                f"{order.return_check_due_on:%Y%m%d}:returncheck",
            )
    return planned


def order_candidates(ctx: PlanContext):
    """Open orders whose deadline is near or past, and closed ones whose return check is near."""
    soon = ctx.horizon_end.date() + datetime.timedelta(days=max(DAYS_BEFORE_DEADLINE))
    return (
        RectificationOrder.objects.filter(
            Q(status=OrderStatus.OPEN, deadline__lte=soon)
            | Q(
                status=OrderStatus.CLOSED,
                return_check_visit__isnull=True,
                return_check_due_on__gte=ctx.today,
                return_check_due_on__lte=ctx.horizon_end.date(),
            )
        )
        .select_related("business__category", "business__village", "visit")
        .prefetch_related("visit__inspectors")
        .order_by("pk")
    )


def order_replan(order: RectificationOrder) -> None:
    """Re-plan an order's reminders after it was issued, closed, escalated or its deadline changed."""
    reminders_plan(target=order, planner="rectification")


def _name(user) -> str:
    return user.get_full_name() or user.username


def announce_visits_assigned(visits, *, by=None) -> int:
    """Tell each inspector of each visit, once, that it was assigned to them (in-app always; email/SMS
    as they chose). Call it from any service that assigns visits to other people, inside its transaction:
    the rows are written with the visits (a rollback takes them too) and the sweep is enqueued on commit.

    `by` is who assigned them (default: each visit's creator); they are not told of their own doing.
    A 随机抽查 visit is a spot-check assignment (its draw's title and planned day); any other kind is a
    general "检查任务已分派". The reminder links to the visit; a visit withdrawn before the sweep (a redraw
    deletes its untouched drafts) is dropped with a log line. Returns how many reminders were new.
    A constant number of queries however many visits.
    """
    pks = [v.pk for v in visits]
    if not pks:
        return 0
    rows = (
        Visit.objects.filter(pk__in=pks)
        .select_related("business__village", "created_by", "spot_check__draw")
        .prefetch_related("inspectors")
        .order_by("pk")
    )
    now = timezone.now()
    items = []
    for visit in rows:
        assigner = by or visit.created_by
        team = sorted((u for u in visit.inspectors.all() if u.is_active), key=lambda u: u.pk)
        business = visit.business
        pair = getattr(visit, "spot_check", None)
        day = pair.draw.planned_on if pair is not None else timezone.localdate(visit.started_at)
        where = f"{business.name}（{business.village.name}）"
        if visit.kind == VisitKind.RANDOM:
            kind = ReminderKind.SPOT_CHECK_ASSIGNED
            title = f"随机抽查任务：{business.name}（{day.month}月{day.day}日）"
            source = f"“{pair.draw.title}”抽取结果：" if pair is not None else ""
        else:
            kind = ReminderKind.VISIT_ASSIGNED
            title = f"检查任务已分派：{business.name}（{visit.get_kind_display()}，{day.month}月{day.day}日）"
            source = ""
        for user in team:
            if user.pk == assigner.pk:
                continue
            others = "、".join(_name(u) for u in team if u.pk != user.pk)
            body = (
                f"{source}{_name(assigner)}安排您于{cn_date(day)}对{where}开展{visit.get_kind_display()}"
                + (f"，同组人员：{others}" if others else "")
                + "。请按时到场检查，并在系统中填写、提交检查记录。"
            )
            items.append(
                (
                    Planned(
                        recipient_id=user.pk,
                        kind=kind,
                        due_at=now,
                        title=title,
                        body=body,
                        url=visit.get_absolute_url(),
                        dedupe_key=f"visit:{visit.pk}:assigned:u{user.pk}",
                    ),
                    visit,
                )
            )
    return reminders_add_many(items)


def announce_visit_assigned(visit: Visit, *, by=None) -> int:
    """`announce_visits_assigned` for one visit."""
    return announce_visits_assigned([visit], by=by)


def announce_referral(visit: Visit, *, by=None) -> int:
    """O5: a visit whose outcome is 移送 tells the receiving department's people — a town department's
    staff or a city bureau's (市药监局, 市质监局…) — in their inbox (email/SMS as they chose), once per
    person, linking to the visit (a bureau reads the visits referred to it). Not the one who referred it.
    Call it inside the submitting transaction: the reminders go with the visit."""
    department = visit.referral_department
    if department is None:
        return 0
    business = visit.business
    day = timezone.localdate(visit.started_at)
    who = _name(by) if by is not None else ""
    title = f"案件移送：{business.name}（{business.village.name}）"
    body = (
        f"{cn_date(day)}对{business.name}（{business.village.name}）的{visit.get_kind_display()}"
        f"移送{department.name}处理" + (f"（移送人：{who}）" if who else "") + "。请查看检查记录并依法处理。"
    )
    now = timezone.now()
    items = [
        (
            Planned(
                recipient_id=user_id,
                kind=ReminderKind.REFERRAL,
                due_at=now,
                title=title,
                body=body,
                url=visit.get_absolute_url(),
                dedupe_key=f"visit:{visit.pk}:referral:u{user_id}",
            ),
            visit,
        )
        for user_id in PlanContext().department_user_ids(department.pk)
        if by is None or user_id != by.pk
    ]
    return reminders_add_many(items)


def announce_visits_withdrawn(visits, *, why: str) -> int:
    """Before assigned visits are withdrawn (a redraw deletes the old draw's untouched drafts): their
    assignment reminders not yet sent are cancelled, and whoever was already told hears, once, that the
    visit is off — so nobody turns up at a business for a visit that no longer exists. Call it inside the
    withdrawing transaction, before the delete. Returns how many were told. Constant queries.
    """
    pks = [v.pk for v in visits]
    if not pks:
        return 0
    keys = Reminder.objects.filter(
        kind__in=[ReminderKind.SPOT_CHECK_ASSIGNED, ReminderKind.VISIT_ASSIGNED],
        content_type=ContentType.objects.get_for_model(Visit),
        object_id__in=pks,
        dedupe_key__contains=":assigned:",
    )
    keys.filter(claimed_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), cancel_reason=f"检查任务已撤回：{why}"[:200]
    )
    told = list(keys.filter(sent_at__isnull=False).values_list("object_id", "recipient_id", "kind"))
    if not told:
        return 0
    visits_by_pk = Visit.objects.select_related("business").in_bulk(pks)
    now = timezone.now()
    items = []
    for visit_id, uid, kind in told:
        visit = visits_by_pk[visit_id]
        day = timezone.localdate(visit.started_at)
        items.append(
            (
                Planned(
                    recipient_id=uid,
                    kind=kind,
                    due_at=now,
                    title=f"检查任务已撤回：{visit.business.name}（{day.month}月{day.day}日）",
                    body=f"原安排您于{cn_date(day)}对{visit.business.name}开展的{visit.get_kind_display()}已撤回"
                    f"（{why}），无需前往；如有新的安排，将另行通知。",
                    dedupe_key=f"visit:{visit_id}:withdrawn:u{uid}",
                ),
                None,  # the visit is about to be deleted: this message stands on its own
            )
        )
    return reminders_add_many(items)


def tipoff_answer_days() -> int:
    return settings.WUXIAO_TIPOFF_ANSWER_DAYS


def plan_tipoff(tipoff: TipOff, ctx: PlanContext) -> list[Planned]:
    """A tip-off open N days after it came in, then weekly: to the office and the assigned department."""
    if tipoff.status in TIPOFF_CLOSED:
        return []
    received = timezone.localdate(tipoff.submitted_at)
    first = received + datetime.timedelta(days=tipoff_answer_days())
    # Issue 24: its own town (TipOff.town: the tipster's choice when the village is 不清楚), else the town
    # of its village (or of its unit); one of no town at all goes to every town's office.
    town = tipoff.town_id or ctx.town_of_village(
        tipoff.village_id or (tipoff.business.village_id if tipoff.business_id else None)
    )
    people = sorted(
        set(ctx.office_user_ids(town)) | set(ctx.department_user_ids(tipoff.lead_department_id, town))
    )
    planned = []
    day = max(first, ctx.today)
    while day <= ctx.today + datetime.timedelta(days=1):
        if (day - first).days % OFFICE_EVERY_DAYS == 0:
            waited = (day - received).days
            for uid in people:
                planned.append(
                    Planned(
                        recipient_id=uid,
                        kind=ReminderKind.TIPOFF_UNANSWERED,
                        due_at=ctx.at(day),
                        title=f"举报{tipoff.reference}已{waited}天未办结（{tipoff.get_status_display()}）",
                        body=f"{cn_date(received)}收到的举报仍在“{tipoff.get_status_display()}”，请及时受理、核查并答复（W5）。",
                        url=tipoff.get_absolute_url(),
                        dedupe_key=f"tipoff:{tipoff.pk}:{day:%Y%m%d}:u{uid}",
                    )
                )
        day += datetime.timedelta(days=1)
    return planned


def tipoff_candidates(ctx: PlanContext):
    """Open tip-offs that came in at least N-1 days ago (tomorrow's reminder is planned tonight)."""
    cutoff = ctx.at(ctx.today - datetime.timedelta(days=tipoff_answer_days() - 2))
    open_ = TipOff.objects.exclude(status__in=TIPOFF_CLOSED).select_related("business")  # its town (issue 24)
    return open_.filter(submitted_at__lt=cutoff).order_by("pk")


register_planner(
    name="rectification",
    model=RectificationOrder,
    plan=plan_order,
    candidates=order_candidates,
    on_write=True,
)
register_planner(name="tipoff", model=TipOff, plan=plan_tipoff, candidates=tipoff_candidates)
