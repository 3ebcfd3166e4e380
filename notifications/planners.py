"""Planners for the roster's own dates: licence expiry (G1) and the ends of campaign phases (P1, P2).

campaigns must not import notifications, so these live here and read campaigns' models.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from campaigns.choices import HELD_STATES, INACTIVE_STATUSES, LicenceState
from campaigns.models import Licence, Phase
from campaigns.models.business import satisfies_q
from lib.gongwen import cn_date

from .choices import ReminderKind
from .registry import PlanContext, Planned, register_planner

LICENCE_DAYS_BEFORE = (60, 30, 7)
# An "expired" reminder still goes out this many days after the expiry (a sweep that was down, the first
# night after installation); licences that expired longer ago are old news on the roster.
LICENCE_EXPIRED_GRACE_DAYS = 7
PHASE_DAYS_BEFORE = (7, 1)


def _superseded(licence: Licence) -> bool:
    """A newer licence of the same type (or its successor under a new name) is held: this one was renewed."""
    annotated = getattr(licence, "is_superseded", None)
    if annotated is not None:
        return annotated
    return (
        Licence.objects.filter(
            satisfies_q(licence.licence_type_id), business_id=licence.business_id, state__in=HELD_STATES
        )
        .exclude(pk=licence.pk)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=licence.expires_on))
        .exists()
    )


def plan_licence(licence: Licence, ctx: PlanContext) -> list[Planned]:
    """60, 30 and 7 days before expiry, and the day after it, to the category's lead department (G1)."""
    business = licence.business
    if (
        licence.expires_on is None
        or licence.state == LicenceState.REVOKED
        or business.status in INACTIVE_STATUSES
        or _superseded(licence)
    ):
        return []
    recipients = ctx.department_user_ids(
        business.category.lead_department_id, ctx.town_of_village(business.village_id)
    )
    what = f"{business.name}的{licence.licence_type.name}（{licence.number}）"
    expiry = licence.expires_on
    occasions = []
    if licence.state in HELD_STATES:
        for days, due_at in ctx.occasions(expiry, LICENCE_DAYS_BEFORE):
            left = (expiry - ctx.today).days if due_at == ctx.now else days  # a catch-up goes out today
            occasions.append(
                (
                    f"d{days}",
                    ReminderKind.LICENCE_EXPIRING,
                    due_at,
                    f"证照{days}天内到期：{what}",
                    f"{what}将于{cn_date(expiry)}到期（还有{left}天），请督促经营单位及时换证。",
                )
            )
    expired_day = expiry + datetime.timedelta(days=1)
    if ctx.today <= expired_day + datetime.timedelta(days=LICENCE_EXPIRED_GRACE_DAYS):
        occasions.append(
            (
                "expired",
                ReminderKind.LICENCE_EXPIRED,
                ctx.at(expired_day) if expired_day >= ctx.today else ctx.now,
                f"证照已过期：{what}",
                f"{what}已于{cn_date(expiry)}到期，经营单位证照不全（G1），请督促依法整改。",
            )
        )
    url = licence.get_absolute_url()
    return [
        Planned(
            recipient_id=uid,
            kind=kind,
            due_at=due_at,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"licence:{licence.pk}:{expiry:%Y%m%d}:{label}:u{uid}",
        )
        for label, kind, due_at, title, body in occasions
        for uid in recipients
    ]


def licence_candidates(ctx: PlanContext):
    """Licences with an expiry still ahead or just passed, of trading businesses."""
    newer = Licence.objects.filter(
        satisfies_q("licence_type"), business=OuterRef("business"), state__in=HELD_STATES
    ).exclude(pk=OuterRef("pk"))
    newer = newer.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    earliest = ctx.today - datetime.timedelta(days=LICENCE_EXPIRED_GRACE_DAYS + 1)
    latest = ctx.horizon_end.date() + datetime.timedelta(days=max(LICENCE_DAYS_BEFORE))
    return (
        Licence.objects.filter(
            expires_on__gte=earliest,
            expires_on__lte=latest,
            state__in=[*HELD_STATES, LicenceState.EXPIRED],
        )
        .exclude(business__status__in=INACTIVE_STATUSES)
        .select_related("business__category", "licence_type")
        .annotate(is_superseded=Exists(newer))
        .iterator(chunk_size=500)
    )


def plan_phase(phase: Phase, ctx: PlanContext) -> list[Planned]:
    """7 days and 1 day before a phase of the current campaign ends: the office and every lead department."""
    if not phase.campaign.is_current:
        return []
    town = phase.campaign.town_id  # issue 24: a town's campaign tells its own staff; the city's, everyone
    recipients = sorted(set(ctx.office_user_ids(town)) | set(ctx.lead_department_user_ids(town)))
    name = phase.get_code_display()
    result = []
    for days, due_at in ctx.occasions(phase.ends_on, PHASE_DAYS_BEFORE):
        left = (phase.ends_on - ctx.today).days if due_at == ctx.now else days
        when = "明天" if left == 1 else ("今天" if left == 0 else f"{left}天后")
        for uid in recipients:
            result.append(
                Planned(
                    recipient_id=uid,
                    kind=ReminderKind.PHASE_END,
                    due_at=due_at,
                    title=f"{phase.campaign.name}：{name}将于{phase.ends_on.month}月{phase.ends_on.day}日结束",
                    body=(
                        f"{name}（{phase.starts_on:%Y-%m-%d}至{phase.ends_on:%Y-%m-%d}）{when}结束，"
                        "请抓紧完成本阶段工作并报送进展。"
                    ),
                    dedupe_key=f"phase:{phase.pk}:{phase.ends_on:%Y%m%d}:d{days}:u{uid}",
                )
            )
    return result


def phase_candidates(ctx: PlanContext):
    return Phase.objects.filter(campaign__is_current=True, ends_on__gte=ctx.today).select_related("campaign")


register_planner(
    name="licence", model=Licence, plan=plan_licence, candidates=licence_candidates, on_write=True
)
register_planner(name="phase", model=Phase, plan=plan_phase, candidates=phase_candidates)
