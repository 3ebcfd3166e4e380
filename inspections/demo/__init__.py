"""Demo inspections: 90 days of visits across the demo town — passes, rectification orders (some
overdue, some closed by a re-inspection, one escalated), a relapse (W3), a ban, a revocation, a
referral, E2 return checks, grades — and a draft in the inspector's hands today."""

from __future__ import annotations

import datetime

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.choices import BusinessStatus, CategoryCode
from campaigns.demo import TOWN as DEMO_TOWN
from campaigns.models import Business, Department

from .. import services
from ..choices import Answer, LicenceAction, VisitKind, VisitOutcome
from ..models import InspectionProfile, RectificationOrder, Visit, VisitPhoto
from . import checks, findings, publicity, registers

# Who inspects where: the village inspectors in their villages, the lead departments elsewhere.
VILLAGE_INSPECTORS = {"zhongxin": "inspector", "xinhua": "inspector2"}
DEPARTMENT_USERS = {
    CategoryCode.AGRI: "agri",
    CategoryCode.WORKSHOP: "techsup",
    CategoryCode.GROCERY: "aic",
    CategoryCode.PHARMACY: "economy",
    CategoryCode.RESTAURANT: "health",
    CategoryCode.SLAUGHTER: "economy",
}
FINDINGS = {
    "G2-1": "进货台账缺近两个月记录",
    "G2-2": "未建立销售台账",
    "C2-2": "部分商品无供货方资质证明",
    "C3-1": "尚未启用信誉通电子台账",
    "C5-1": "自律制度未上墙",
    "D1-1": "质量负责人不在岗",
    "D1-2": "验收记录不全",
    "D1-5": "出库复核记录缺失",
    "E1-2": "肉类原料无检疫证明",
    "E1-3": "2名从业人员健康证过期",
    "E3-1": "新员工未参加培训",
    "B2-1": "质量承诺书未按行业重新签订",
    "B4-2": "1名员工无健康证",
    "A3-1": "进货台账未记录来源",
    "A3-2": "销售去向记录不全",
    "F4-4": "索票索证记录不全",
    "F3-1": "代宰生猪未按规程进行宰前检验，白条肉未加盖检验合格章",
}
# 移送 (D3, D4, E7): who takes the case over, by category.
REFERRALS = {
    CategoryCode.PHARMACY: ("city_drug", "涉嫌从非法渠道购进药品，移送市药监局查处（D2、D4）"),
    CategoryCode.WORKSHOP: ("city_quality", "涉嫌使用非食用原料，移送市质监局查处（G3）"),
    CategoryCode.AGRI: ("aic", "涉嫌销售假冒化肥，移送工商分局查处（A4）"),
}
NOTES_PASS = ["经营场所整洁，台账规范。", "证照齐全并亮证，未发现问题。", "现场检查未发现违规情况。"]
NOTES_FAIL = ["已当场指出问题，经营者表示按期整改。", "责令限期整改，将按期复查。"]


def clear(ctx) -> None:
    """Remove the demo town's inspections (demo data: no audit entries for the deletions either).
    The enforcement tools (issue 7) (tip-offs, cases, spot checks, samples) keep their demo in
    demo/checks.py: cleared first, seeded last; so do the registers (incidents, work records, returns)."""
    publicity.clear(ctx)
    checks.clear(ctx)
    findings.clear(ctx)
    registers.clear(ctx)
    town = {"business__village__town__code": DEMO_TOWN[1]}
    with disable_auditlog():
        for photo in VisitPhoto.objects.filter(**{f"visit__{k}": v for k, v in town.items()}):
            photo.image.delete(save=False)
        # Orders and visits point at each other (PROTECT both ways): unlink, then delete.
        Visit.objects.filter(**town).update(reinspection_of=None)
        orders = RectificationOrder.objects.filter(**town)
        orders.update(closed_by=None, successor=None, return_check_visit=None)
        orders.delete()
        Visit.objects.filter(**town).delete()
        InspectionProfile.objects.filter(**town).delete()


def _at(day: datetime.date, rng) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.choice([0, 15, 30, 45])))
    )


def _seed_deadline_change(ctx, businesses) -> None:
    """Issue 8: one open order whose deadline the lead department extended, with the reason on record."""
    order = (
        RectificationOrder.objects.open()
        .filter(business__in=businesses, deadline__gte=ctx.today)
        .select_related("business__category__lead_department")
        .order_by("deadline", "pk")
        .first()
    )
    if order is None:
        return
    User = get_user_model()
    lead = order.department_id or order.business.category.lead_department_id
    user = (
        User.objects.filter(roles__kind="department", roles__department_id=lead).order_by("pk").first()
        or User.objects.filter(username="office").first()
    )
    if user is None:
        return
    services.rectification_reschedule(
        order=order,
        deadline=order.deadline + datetime.timedelta(days=7),
        user=user,
        reason="经营者申请延期：整改需更换设施，已核实并同意延期7天。",
        today=ctx.today,
    )
    ctx.report.append(f"整改期限调整：{order.number} 延期7天（见通知书页“期限调整记录”）。")


class _Seeder:
    def __init__(self, ctx):
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        User = get_user_model()
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[*VILLAGE_INSPECTORS.values(), *DEPARTMENT_USERS.values()]
            )
        }
        self.departments = {d.code: d for d in Department.objects.all()}
        self.counts = {"visits": 0}

    def inspector_for(self, business):
        name = VILLAGE_INSPECTORS.get(business.village.code) or DEPARTMENT_USERS[business.category.code]
        return self.users.get(name) or next(iter(self.users.values()))

    def fail_codes(self, visit, k: int) -> list[str]:
        """Failures on items that need no photo (a demo has no camera); findings read as real ones."""
        codes = [a.code for a in visit.answers.all() if not a.requires_photo_on_failure]
        known = [c for c in codes if c in FINDINGS]
        pool = known or codes
        return self.rng.sample(pool, k=min(k, len(pool)))

    def visit(self, business, day, *, kind=VisitKind.ROUTINE, fails=(), outcome=None, deadline=None, **extra):
        user = self.inspector_for(business)
        visit = services.visit_start(business=business, user=user, kind=kind, started_at=_at(day, self.rng))
        if kind == VisitKind.REINSPECTION and visit.reinspection_of is None:
            visit.kind = VisitKind.ROUTINE
            visit.save(update_fields=["kind"])
        if isinstance(fails, int):
            fails = self.fail_codes(visit, fails)
        answers = {}
        for ans in visit.answers.all():
            if ans.code in fails:
                answers[ans.pk] = services.AnswerInput(
                    Answer.FAIL, FINDINGS.get(ans.code, "现场检查不符合要求")
                )
            elif ans.code.startswith(("B5", "E6", "A6")) and self.rng.random() < 0.5:
                answers[ans.pk] = services.AnswerInput(Answer.NA, "")
            else:
                answers[ans.pk] = services.AnswerInput(Answer.PASS, "")
        checks = list(visit.licence_checks.select_related("licence_type"))
        action = extra.pop("licence_action", "")
        # 吊销/暂扣 hits the category's own licence (卫生许可证 of a restaurant), not the business licence.
        target = next((c for c in reversed(checks) if c.licence_id), None) if action else None
        licences = {
            c.pk: services.LicenceInput(
                held=c.licence_id is not None,
                displayed=c.licence_id is not None and self.rng.random() < 0.85,
                action=action if c is target else "",
            )
            for c in checks
        }
        if outcome is None:
            outcome = VisitOutcome.RECTIFY if fails else VisitOutcome.PASSED
        if outcome == VisitOutcome.RECTIFY and deadline is None:
            deadline = day + datetime.timedelta(days=self.rng.choice([7, 10, 15, 20]))
        data = services.VisitInput(
            answers=answers,
            licences=licences,
            notes=self.rng.choice(NOTES_FAIL if fails else NOTES_PASS),
            outcome=outcome,
            deadline=deadline,
            requirements_text="按检查发现的问题逐项整改，整改完毕后书面报告。"
            if outcome == VisitOutcome.RECTIFY
            else "",
            **extra,
        )
        self.counts["visits"] += 1
        return services.visit_submit(
            visit=visit, user=user, data=data, now=_at(day, self.rng) + datetime.timedelta(hours=1)
        )


def seed(ctx) -> None:
    # Demo history is generated, not done by anyone: no audit entries (and a seed several times faster).
    with disable_auditlog():
        _seed(ctx)
        registers.seed(ctx)
        findings.seed(ctx)
    checks.seed(ctx)
    publicity.seed(ctx)  # after the visits: the report points at a unit with a face


def _seed(ctx) -> None:
    businesses = ctx.extra.get("businesses", [])
    s = _Seeder(ctx)
    if not businesses or not s.users:
        return
    rng, today = s.rng, s.today
    days = datetime.timedelta
    story = {
        "relapse": None,
        "unvisited": None,
        "revoke": None,
        "refer": None,
        "escalated": 0,
        "due_today": None,
    }
    # B4: if the roster has no banned unit yet, one workshop fails twice and is banned.
    story["ban"] = any(b.status == BusinessStatus.BANNED for b in businesses) or None
    for business in sorted(businesses, key=lambda b: b.pk):
        original = business.status
        if original == BusinessStatus.CLOSED or original == BusinessStatus.MOVED:
            continue
        if business.category.code == CategoryCode.SLAUGHTER and original != BusinessStatus.BANNED:
            # F2: a designated-plant violation found in a surprise check and dealt with: an order, then a
            # re-inspection — or, when the roster says it is rectifying, the order still running.
            business.status = BusinessStatus.OPERATING
            business.save(update_fields=["status"])
            found = today - days(rng.randint(30, 50) if original == BusinessStatus.OPERATING else 5)
            s.visit(business, found, kind=VisitKind.SURPRISE, fails=["F3-1"], deadline=found + days(10))
            if original == BusinessStatus.OPERATING:
                s.visit(business, found + days(11), kind=VisitKind.REINSPECTION)
            continue
        if original in (BusinessStatus.BANNED, BusinessStatus.RECTIFYING):
            # The roster says banned / rectifying: let a visit be what made it so.
            business.status = BusinessStatus.OPERATING
            business.save(update_fields=["status"])
        if original == BusinessStatus.BANNED:
            first = today - days(rng.randint(40, 80))
            s.visit(business, first, fails=2, deadline=first + days(10))
            s.visit(
                business, first + days(12), kind=VisitKind.REINSPECTION, fails=3, outcome=VisitOutcome.BAN
            )
            continue
        if original == BusinessStatus.RECTIFYING:
            first = today - days(rng.randint(5, 40))
            kind = rng.choice([VisitKind.ROUTINE, VisitKind.SURPRISE])
            deadline = today + days(rng.randint(-3, 14))
            s.visit(business, first, kind=kind, fails=rng.randint(1, 3), deadline=deadline)
            continue
        roll = rng.random()
        first = today - days(rng.randint(20, 88))
        kind = rng.choices(
            [VisitKind.ROUTINE, VisitKind.SURPRISE, VisitKind.RANDOM, VisitKind.TIPOFF, VisitKind.UNDERCOVER],
            weights=[60, 15, 12, 8, 5],
        )[0]
        if story["relapse"] is None and business.village.code == "zhongxin":
            # W3: fails, is put right, fails the same item again (G2: every category keeps ledgers).
            s.visit(business, today - days(80), fails=["G2-1", "G2-2"], deadline=today - days(66))
            s.visit(business, today - days(65), kind=VisitKind.REINSPECTION)
            story["relapse"] = s.visit(business, today - days(6), fails=["G2-1"], deadline=today + days(8))
            continue
        if story["unvisited"] is None and business.village.code == "zhongxin":
            story["unvisited"] = business  # newly registered, never inspected: on the inspector's list today
            continue
        if story["ban"] is None and business.category.code == CategoryCode.WORKSHOP:
            first = today - days(rng.randint(40, 70))
            s.visit(business, first, fails=2, deadline=first + days(10))
            s.visit(
                business, first + days(12), kind=VisitKind.REINSPECTION, fails=3, outcome=VisitOutcome.BAN
            )
            story["ban"] = business
            continue
        code = business.category.code
        if (
            story["revoke"] is None
            and code in (CategoryCode.RESTAURANT, CategoryCode.GROCERY)
            # an unlicensed unit has nothing to suspend (a small town's first grocery may be one)
            and any(lic.is_held_on(first) for lic in business.licences.all())
        ):
            # E6: the category's own licence (卫生许可证 / 食品流通许可证) suspended after a tip-off.
            story["revoke"] = s.visit(
                business,
                first,
                kind=VisitKind.TIPOFF,
                fails=2,
                outcome=VisitOutcome.REVOKE,
                licence_action=LicenceAction.SUSPEND,
            )
            continue
        if story["refer"] is None and code in REFERRALS:
            department, note = REFERRALS[code]
            story["refer"] = s.visit(
                business,
                first,
                kind=VisitKind.SURPRISE,
                fails=1,
                outcome=VisitOutcome.REFER,
                referral_department=s.departments.get(department),
                referral_note=note,
            )
            continue
        if roll < 0.2:
            continue  # not yet visited: due now
        if roll < 0.62:
            s.visit(business, first, kind=kind)
            if first < today - days(40) and rng.random() < 0.4:
                s.visit(business, first + days(rng.randint(25, 35)))
            continue
        # Fails with an order.
        deadline = first + days(rng.choice([7, 10, 15, 20]))
        if story["due_today"] is None and business.village.code == "zhongxin":
            deadline = today
            story["due_today"] = business
        s.visit(business, first, kind=kind, fails=rng.randint(1, 3), deadline=deadline)
        if deadline >= today:
            continue
        fate = rng.random()
        recheck_day = min(deadline + days(rng.randint(0, 3)), today)
        if fate < 0.75:
            s.visit(business, recheck_day, kind=VisitKind.REINSPECTION)  # closed
        elif fate < 0.87 and story["escalated"] < 3:
            story["escalated"] += 1
            s.visit(
                business,
                recheck_day,
                kind=VisitKind.REINSPECTION,
                fails=2,
                deadline=recheck_day + days(rng.choice([5, 10, 20])),
            )
        # else: no re-inspection yet: overdue
    # The inspector is in a shop right now: a draft half filled in.
    inspector = s.users.get("inspector")
    zhongxin = [b.pk for b in businesses if b.village.code == "zhongxin"]
    business = (
        Business.objects.filter(pk__in=zhongxin, status=BusinessStatus.OPERATING, visits__isnull=False)
        .distinct()
        .order_by("-pk")
        .first()
    )
    if inspector and business:
        draft = services.visit_start(business=business, user=inspector, started_at=timezone.now())
        answers = list(draft.answers.all())[:4]
        services.visit_save_draft(
            visit=draft,
            user=inspector,
            data=services.VisitInput(
                answers={a.pk: services.AnswerInput(Answer.PASS) for a in answers}, notes="检查进行中"
            ),
        )
    _seed_deadline_change(ctx, businesses)
    orders = RectificationOrder.objects.all()
    ctx.report.append(
        "检查与整改：检查 {v} 次；整改通知书 {o} 份"
        "（整改中 {open}，其中逾期 {late}；已销号 {closed}；升级 {esc}）；"
        "反弹单位 {rel} 家；回头查（E2）到期 {e2} 家。".format(
            v=s.counts["visits"],
            o=orders.count(),
            open=orders.open().count(),
            late=orders.overdue(today).count(),
            closed=orders.filter(status="closed").count(),
            esc=orders.filter(status="escalated").count(),
            rel=Visit.objects.filter(is_relapse=True).values("business").distinct().count(),
            e2=orders.return_checks_due(today).values("business").distinct().count(),
        )
    )
    if inspector:
        from ..selectors import due_list

        ctx.report.append(
            f"检查员 inspector（镇中心社区）今日待检 {due_list(user=inspector, today=today).count()} 家。"
        )
