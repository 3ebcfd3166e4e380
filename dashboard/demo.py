"""Demo data for the dashboard: the weekly trend, two work bulletins, early acceptance checks.

The demo campaign is in P1 (rectification); two villages that finished early have been accepted
(提前验收), so the ranking and the acceptance pages have something to show, and the office has drafted
the circular (通报, P2) from that ranking — a draft, not issued: issuing it is the office's act.
"""

import datetime

from campaigns.demo import TOWN
from campaigns.models import Department, Village

from . import status
from .models import (
    AcceptanceRecord,
    Bulletin,
    BusinessTargetStatus,
    Circular,
    TargetSnapshot,
    TargetStatusState,
    TargetStatusTotal,
    TargetStatusVillageTotal,
)

EARLY_CHECKS = [
    # village code, share of full marks, conclusion, findings
    ("anhe", 0.92, "passed", "个别食杂店营业执照未悬挂于醒目位置，已当场整改。"),
    ("dongfeng-cun", 0.78, "basic", "部分小作坊质量承诺书未更新；两家农资店进货台账记录不全。"),
]
DEPARTMENT_CHECKS = [("economy", 0.88, "passed", "药店五项制度落实较好，GSP跟踪检查按计划推进。")]


def _delete_files(queryset) -> None:
    for obj in queryset:
        if obj.file:
            obj.file.delete(save=False)


def clear(ctx) -> None:
    # Today's per-business target status is rebuilt once the demo is seeded (issue 26); meanwhile the
    # writes that seed it need not keep it.
    TargetStatusState.objects.all().delete()
    BusinessTargetStatus.objects.all().delete()
    TargetStatusTotal.objects.all().delete()
    TargetStatusVillageTotal.objects.all().delete()
    campaigns = {"campaign__town__code": TOWN[1]}
    _delete_files(Bulletin.objects.filter(**campaigns))
    _delete_files(Circular.objects.filter(**campaigns))
    Bulletin.objects.filter(**campaigns).delete()
    Circular.objects.filter(**campaigns).delete()
    AcceptanceRecord.objects.filter(**campaigns).delete()
    TargetSnapshot.objects.filter(**campaigns).delete()


def seed(ctx) -> None:
    from . import services
    from .choices import SHEETS, AcceptanceKind

    campaign, today = ctx.campaign, ctx.today
    # Today's figures, kept per business from now on by every write (dashboard.status, issue 26).
    built = status.rebuild()
    if campaign is None:
        return
    stored = services.snapshots_refresh(campaign=campaign, today=today, town=services.snapshot_town(ctx.town))
    services.bulletin_create(campaign=campaign, period_end=today - datetime.timedelta(days=7))
    services.bulletin_create(campaign=campaign, period_end=today, scheduled=True)

    villages = {v.code: v for v in Village.objects.filter(town=ctx.town)}
    departments = {d.code: d for d in Department.objects.all()}
    team = "叶创新、莫锦柱、何丽芳"
    for code, share, conclusion, findings in EARLY_CHECKS:
        if code not in villages:
            continue
        record = AcceptanceRecord(
            campaign=campaign,
            kind=AcceptanceKind.VILLAGE,
            village=villages[code],
            checks_from=today - datetime.timedelta(days=14),
            checked_on=today - datetime.timedelta(days=3),
            team=team,
            conclusion=conclusion,
            findings=findings,
            remarks="提前完成整改任务，同意验收。" if conclusion == "passed" else "基本完成，限期补齐台账。",
        )
        scores = {c: round(full * share * 2) / 2 for c, _i, _w, full in SHEETS[AcceptanceKind.VILLAGE]}
        services.acceptance_record_save(record=record, scores=scores)
    for code, share, conclusion, findings in DEPARTMENT_CHECKS:
        record = AcceptanceRecord(
            campaign=campaign,
            kind=AcceptanceKind.DEPARTMENT,
            department=departments[code],
            checked_on=today - datetime.timedelta(days=2),
            team="叶创新、莫锦柱",
            conclusion=conclusion,
            findings=findings,
        )
        scores = {c: round(full * share * 2) / 2 for c, _i, _w, full in SHEETS[AcceptanceKind.DEPARTMENT]}
        services.acceptance_record_save(record=record, scores=scores)
    circular = services.circular_draft(campaign=campaign, as_of=today)
    ctx.report.append(
        f"看板：目标趋势 {stored} 个数据点；工作专报 2 期；提前验收 {len(EARLY_CHECKS)} 个村（社区）、"
        f"{len(DEPARTMENT_CHECKS)} 个牵头部门；通报草稿第{circular.number}号（未印发）；"
        f"今日目标状态 {built} 条（逐单位保存，随每次录入更新）。"
    )
