"""Writes for random spot checks (双随机一公开, P2): make a recorded draw, assign its visits, redraw."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from accounts.scoping import current_campaign, scope
from campaigns.models import Business

from ..choices import DrawStatus, VisitKind, VisitStatus
from ..draw import Candidate, DrawError, DrawResult, PoolMember, draw_size, run_draw
from ..models import DrugSaleFinding, SpotCheckDraw, SpotCheckPair, Visit
from ..reminders import announce_visits_assigned, announce_visits_withdrawn
from .visits import visit_start


def population_queryset(*, categories=(), villages=(), grades=(), subtypes=(), drug_sales=False):
    """Active businesses matching the criteria (an empty criterion means any), less those with a visit
    in progress (a draft): they are being inspected already, and a draft would absorb the new visit.
    Sub-types target a kind of unit across categories (D5: groceries in the industrial zone); drug_sales
    the units with a drug sale against the law on record (D5, DrugSaleFinding)."""
    qs = Business.objects.active().exclude(visits__status=VisitStatus.DRAFT)
    if drug_sales:
        qs = qs.filter(Exists(DrugSaleFinding.objects.filter(business=OuterRef("pk"))))
    if subtypes:
        qs = qs.filter(
            pk__in=Business.subtypes.through.objects.filter(subtype__in=subtypes).values("business_id")
        )
    if categories:
        qs = qs.filter(category__in=categories)
    if villages:
        qs = qs.filter(village__in=villages)
    if grades:
        qs = qs.filter(inspection_profile__grade__in=grades)
    return qs


def pool_members(users) -> list[PoolMember]:
    """Each user with their own village (an inspector's; the first by id if several, None otherwise)."""
    homes: dict[int, int] = {}
    for uid, village in (
        RoleAssignment.objects.filter(user__in=users, kind=RoleKind.INSPECTOR)
        .order_by("user_id", "village_id")
        .values_list("user_id", "village_id")
    ):
        homes.setdefault(uid, village)
    return [PoolMember(user_id=u.pk, village_id=homes.get(u.pk)) for u in users]


def digest(*, seed: int, size: int, team_size: int, population: list, pool: list, result: list) -> str:
    """SHA-256 of everything a draw is: published beside it so nobody can alter a draw unseen."""
    canonical = json.dumps(
        {
            "seed": seed,
            "size": size,
            "team_size": team_size,
            "population": population,
            "pool": pool,
            "result": result,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def draw_replay(draw: SpotCheckDraw) -> DrawResult:
    """Re-run a recorded draw from its recorded inputs (the audit: anyone gets the same pairs)."""
    return run_draw(
        candidates=[Candidate(business_id=b, village_id=v) for b, v in draw.population],
        pool=[PoolMember(user_id=u, village_id=v) for u, v in draw.pool],
        seed=draw.seed,
        size=draw.size,
        team_size=draw.team_size,
    )


def draw_verify(draw: SpotCheckDraw) -> tuple[bool, list[dict]]:
    """(True, pairs) when the replay gives exactly the recorded pairs and the digest still matches;
    (False, []) when the recorded inputs cannot even be replayed (a record tampered with, issue 22)."""
    try:
        replay = draw_replay(draw).as_data()
    except DrawError:
        return False, []
    same_digest = draw.digest == digest(
        seed=draw.seed,
        size=draw.size,
        team_size=draw.team_size,
        population=draw.population,
        pool=draw.pool,
        result=draw.result,
    )
    return replay == draw.result and same_digest, replay


def _criteria_text(categories, villages, grades, count, percentage, subtypes=(), drug_sales=False) -> str:
    parts = [
        "类别：" + ("、".join(c.short_name for c in categories) if categories else "全部"),
        "村（社区）：" + ("、".join(v.name for v in villages) if villages else "全部"),
    ]
    if subtypes:
        parts.append("子类：" + "、".join(st.name for st in subtypes))
    if drug_sales:
        parts.append("仅有违法售药查处记录的单位（D5）")
    if grades:
        parts.append("风险等级：" + "、".join(grades))
    parts.append(f"抽取 {count} 家" if count else f"抽取比例 {percentage}%")
    parts.append("不含正在检查（有未提交草稿）的单位")
    return "；".join(parts)


@transaction.atomic
def spotcheck_draw(
    *,
    user,
    title: str,
    pool_users,
    planned_on: datetime.date,
    categories=(),
    villages=(),
    grades=(),
    subtypes=(),
    drug_sales: bool = False,
    count: int | None = None,
    percentage=None,
    team_size: int = 2,
    seed: int | None = None,
    redraw_of: SpotCheckDraw | None = None,
    reason: str = "",
) -> SpotCheckDraw:
    """Draw businesses and inspector teams at random, record everything, and assign each pair a 随机抽查
    visit — all in one transaction: a draw that cannot be completed leaves nothing behind. Each drawn
    inspector gets one reminder linking to their visit (issue 8), sent once the draw has committed.

    A redraw (redraw_of) needs a reason, is refused once any visit of the old draw was submitted, marks
    the old draw superseded and withdraws its untouched draft visits; both draws stay on record.
    """
    if redraw_of is not None:
        _prepare_redraw(redraw_of, reason)
    pool_users = sorted(set(pool_users), key=lambda u: u.pk)
    # Town first (issue 24): a town's office draws among its own town's businesses.
    population = sorted(
        scope(
            user,
            population_queryset(
                categories=categories,
                villages=villages,
                grades=grades,
                subtypes=subtypes,
                drug_sales=drug_sales,
            ),
            write=True,
        ).values_list("pk", "village_id")
    )
    pct = float(percentage) if percentage is not None else None
    try:
        if not population:
            raise DrawError("没有符合抽取条件的经营单位，请放宽条件。")
        size = draw_size(population=len(population), count=count, percentage=pct)
        members = pool_members(pool_users)
        seed = seed if seed is not None else secrets.randbelow(2**31)
        result = run_draw(
            candidates=[Candidate(b, v) for b, v in population],
            pool=members,
            seed=seed,
            size=size,
            team_size=team_size,
        )
    except DrawError as exc:
        raise ValidationError(str(exc)) from exc
    pool_data = [[m.user_id, m.village_id] for m in members]
    population_data = [[b, v] for b, v in population]
    result_data = result.as_data()
    draw = SpotCheckDraw(
        title=title,
        campaign=current_campaign(user),
        seed=seed,
        team_size=team_size,
        size=size,
        criteria={
            "categories": [c.pk for c in categories],
            "villages": [v.pk for v in villages],
            "grades": list(grades),
            "subtypes": [st.pk for st in subtypes],
            "drug_sales": bool(drug_sales),
            "count": count,
            "percentage": pct,
        },
        criteria_text=_criteria_text(categories, villages, grades, count, pct, subtypes, drug_sales)[:300],
        population=population_data,
        pool=pool_data,
        result=result_data,
        digest=digest(
            seed=seed,
            size=size,
            team_size=team_size,
            population=population_data,
            pool=pool_data,
            result=result_data,
        ),
        planned_on=planned_on,
        redraw_of=redraw_of,
        reason=reason,
        created_by=user,
    )
    draw.full_clean()
    draw.save()
    users = {u.pk: u for u in pool_users}
    businesses = Business.objects.in_bulk([p.business_id for p in result.pairs])
    start = timezone.make_aware(datetime.datetime.combine(planned_on, datetime.time(9)))
    visits = []
    for order, pair in enumerate(result.pairs, start=1):
        team = [users[i] for i in pair.inspector_ids]
        visit = visit_start(
            business=businesses[pair.business_id],
            user=user,
            kind=VisitKind.RANDOM,
            inspectors=team,
            started_at=start,
            reuse=False,  # the drawn team's visit, never a draft the office has of the business
        )
        row = SpotCheckPair.objects.create(
            draw=draw,
            order=order,
            business=businesses[pair.business_id],
            visit=visit,
            own_village=pair.own_village,
            repeated_team=pair.repeated_team,
        )
        row.inspectors.set(team)
        visits.append(visit)
    # Issue 8: each drawn inspector is told of their visit (planned with the draw, sent after commit).
    announce_visits_assigned(visits, by=user)
    return draw


def _prepare_redraw(old: SpotCheckDraw, reason: str) -> None:
    old = SpotCheckDraw.objects.select_for_update().get(pk=old.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("重新抽取须说明原因（将与两次抽取结果一并留存）。")})
    if old.status != DrawStatus.ACTIVE:
        raise ValidationError(_("该次抽取已被重新抽取过，请在最新一次抽取上操作。"))
    visits = Visit.objects.filter(spot_check__draw=old)
    if visits.exclude(status=VisitStatus.DRAFT).exists():
        raise ValidationError(_("该次抽取已有检查提交，不能重新抽取；如需补充，请另行新建抽取。"))
    if visits.filter(answers__answer__gt="").exists():
        raise ValidationError(_("该次抽取已有检查开始填写，不能重新抽取。"))
    old.status = DrawStatus.SUPERSEDED
    old.save(update_fields=["status"])
    drafts = list(visits.values_list("pk", flat=True))
    # Issue 8: inspectors already told of these visits hear they are off; unsent notices are cancelled.
    announce_visits_withdrawn(
        [Visit(pk=pk) for pk in drafts], why=_("“%(title)s”已重新抽取") % {"title": old.title}
    )
    SpotCheckPair.objects.filter(draw=old).update(visit=None)
    # Untouched drafts assigned by the old draw are withdrawn, so inspectors are not sent twice.
    Visit.objects.filter(pk__in=drafts, status=VisitStatus.DRAFT).delete()
