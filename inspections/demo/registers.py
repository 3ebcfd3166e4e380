"""Demo incidents (C7) and work records: one of each kind the register knows, as the office would
record them in the rectification phase (called from inspections.demo)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from campaigns.demo import TOWN as DEMO_TOWN
from campaigns.models import Business, Department

from ..choices import ActivityKind, IncidentSeverity, IncidentStatus
from ..models import Activity, Incident, SlaughterReturn
from ..services import activity_save, incident_save, slaughter_return_save


def clear(ctx) -> None:
    town = DEMO_TOWN[1]
    SlaughterReturn.objects.filter(business__village__town__code=town).delete()
    Incident.objects.filter(village__town__code=town).delete()
    # The town's records: those of its villages and those naming its units; department-wide ones without
    # either are the demo office's.
    Activity.objects.filter(village__town__code=town).delete()
    Activity.objects.filter(businesses__village__town__code=town).delete()
    Activity.objects.filter(
        village__isnull=True, businesses__isnull=True, recorded_by__username="office"
    ).delete()


def seed(ctx) -> None:
    # Statuses as the earlier demo steps left them in the database (visits ban, cases close).
    town = Business.objects.active().filter(village__town__code=DEMO_TOWN[1])
    active = set(town.values_list("pk", flat=True))
    businesses = [b for b in ctx.extra.get("businesses", []) if b.pk in active]
    villages = {v.code: v for v in ctx.extra.get("villages", [])}
    if not businesses or not villages:
        return
    today = ctx.today
    office = get_user_model().objects.filter(username="office").first()
    dept = {d.code: d for d in Department.objects.all()}
    by_category: dict[str, list] = {}
    for b in businesses:
        by_category.setdefault(b.category.code, []).append(b)

    def day(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    def first(*codes):
        return next((b for code in codes for b in by_category.get(code, [])), None)

    def units(*found):
        return [b for b in found if b is not None]

    incidents = 0
    # The major incident's unit is a licensed one: the unlicensed are closed down by the cases demo, and a
    # closed unit leaves C7's population.
    licensed = set(town.licences_complete(True).values_list("pk", flat=True))
    restaurant = next(
        (
            b
            for code in ("restaurant", "grocery", "workshop")
            for b in by_category.get(code, [])
            if b.pk in licensed
        ),
        first("restaurant", "grocery", "workshop", "slaughter"),
    )
    if restaurant is not None:
        # C7: a major incident — its unit fails C7 and shows in the drill-down — and a general one.
        incident_save(
            incident=Incident(
                occurred_on=day(26),
                title="婚宴集体性食物中毒",
                place=f"{restaurant.village.name}{restaurant.address[-8:]}",
                village=restaurant.village,
                severity=IncidentSeverity.MAJOR,
                cases=57,
                description="婚宴后陆续出现呕吐、腹泻症状，经疾控部门流行病学调查，系凉拌菜受污染所致。",
                status=IncidentStatus.REFERRED,
                outcome="责令停业整顿，吊销卫生许可证，经营者移送公安机关追究刑事责任（E7）。",
                recorded_by=office,
            ),
            businesses=[restaurant],
        )
        incidents += 1
    grocery = first("grocery")
    if grocery is not None:
        incident_save(
            incident=Incident(
                occurred_on=day(12),
                title="过期饼干致儿童腹泻",
                place=grocery.address or grocery.village.name,
                village=grocery.village,
                severity=IncidentSeverity.GENERAL,
                cases=3,
                status=IncidentStatus.CLOSED,
                outcome="下架同批次过期食品，责令整改，已复查合格。",
                recorded_by=office,
            ),
            businesses=[grocery],
        )
        incidents += 1

    slaughter = first("slaughter")
    if slaughter is not None:
        # F1: three months of returns, the rate climbing to 100% as private slaughter is cracked down on.
        month = today.replace(day=1)
        for back, (slaughtered, consumed, hired) in enumerate(
            [(2140, 2100, 310), (1985, 2050, 290), (1890, 2010, 275)]
        ):
            start = month
            for _ in range(back + 1):
                start = (start - datetime.timedelta(days=1)).replace(day=1)
            slaughter_return_save(
                entry=SlaughterReturn(
                    business=slaughter,
                    month=start,
                    head_slaughtered=slaughtered,
                    head_consumed=consumed,
                    head_for_hire=hired,
                    recorded_by=office,
                )
            )
    pharmacies = by_category.get("pharmacy", [])
    zhongxin = villages.get("zhongxin") or next(iter(villages.values()))
    records = [
        (
            ActivityKind.TRAINING,
            dict(
                held_on=day(60),
                title="小餐饮店经营者及从业人员食品卫生知识培训",
                participants=86,
                department=dept.get("health"),
                content="讲授量化分级管理、原料索证和从业人员健康管理。",
            ),
            [],
        ),
        (
            ActivityKind.TRAINING,
            dict(
                held_on=day(45),
                title="屠宰场从业人员检验检疫及屠宰加工技能培训",
                participants=14,
                department=dept.get("economy"),
            ),
            units(slaughter),
        ),
        (
            ActivityKind.PUBLICITY,
            dict(
                held_on=day(85),
                title="专项整治宣传：张贴海报、悬挂标语、公布有奖举报电话",
                participants=320,
                department=dept.get("economy"),
                content="全镇张贴海报320份、悬挂横幅40条，公布有奖举报电话。",
            ),
            [],
        ),
        (
            ActivityKind.EXPOSURE,
            dict(
                held_on=day(20),
                title="曝光：某豆腐坊使用非食用原料（工业用石膏）",
                content="经查实，该作坊使用工业用石膏点豆腐，已依法取缔，涉案产品全部销毁。",
                published=True,
                department=dept.get("tech_supervision"),
            ),
            [],
        ),
        (
            ActivityKind.ADVERT,
            dict(
                held_on=day(33),
                title="药店橱窗张贴“专家推荐”降糖药广告",
                endorser="expert",
                referred_to="工商分局",
                department=dept.get("economy"),
                content="以专家名义作功效证明，已拍照取证并移送工商分局查处（D3）。",
            ),
            units(pharmacies[0] if pharmacies else None),
        ),
        (
            ActivityKind.SUPERVISION,
            dict(
                held_on=day(30),
                title="督查组第一轮分片督查（镇中心片区）",
                phase="P1",
                village=zhongxin,
                content="镇中心区食杂店台账建立率偏低，部分药店分柜摆放不规范。",
            ),
            [],
        ),
        (
            ActivityKind.CRIMINAL_REFERRAL,
            dict(
                held_on=day(24),
                title="婚宴集体性食物中毒案移送",
                referred_to="市公安局东风分局",
                case_number="东公（刑）受字〔2026〕37号",
                department=dept.get("health"),
            ),
            units(restaurant),
        ),
        (
            ActivityKind.BUREAU_SAMPLING,
            dict(
                held_on=day(40),
                title="市药监局中药饮片专项抽验",
                department=dept.get("city_drug"),
                referred_to="市药监局",
                content="抽验中药饮片12批次，结果待出。",
            ),
            pharmacies[:2],
        ),
        (
            ActivityKind.ANNUAL_INSPECTION,
            dict(
                held_on=day(70),
                title="定点屠宰场年度检查",
                department=dept.get("economy"),
                content="经营管理情况良好；无害化处理台账需补记两处。",
            ),
            units(slaughter),
        ),
        (
            ActivityKind.FEE_CHECK,
            dict(
                held_on=day(55),
                title="生猪屠宰收费清查",
                department=dept.get("economy"),
                content="按市统一税费标准收费，清退多收代宰费1,200元。",
            ),
            units(slaughter),
        ),
        (
            ActivityKind.MEAT_CRACKDOWN,
            dict(
                held_on=day(15),
                title="打击私屠滥宰、注水肉、病害肉专项行动",
                department=dept.get("economy"),
                participants=18,
                content="夜间巡查重点区域，捣毁私宰窝点1个，查扣病害肉86千克。",
            ),
            [],
        ),
        (
            ActivityKind.CUSTOM_SLAUGHTER,
            dict(
                held_on=day(35),
                title="代宰业务专项检查",
                department=dept.get("economy"),
                content="代宰生猪宰前检验记录不全，已责令整改（见检查记录）。",
            ),
            units(slaughter),
        ),
        (
            ActivityKind.FACILITY_UPGRADE,
            dict(
                held_on=day(50),
                title="屠宰车间污水处理设施改造",
                department=dept.get("economy"),
                content="新增污水处理池及无害化处理设备，预计下月验收。",
            ),
            units(slaughter),
        ),
        (
            ActivityKind.FEED_CHECK,
            dict(
                held_on=day(28),
                title="饲料及饲料添加剂经营环节检查",
                department=dept.get("agri_office"),
                content="检查饲料店9家，未发现违禁添加物；1家无证经营饲料已立案。",
            ),
            by_category.get("agri", [])[:3],
        ),
        (
            ActivityKind.LICENCE_REISSUE,
            dict(
                held_on=day(75),
                title="豆制品行业质量承诺书收回重发",
                department=dept.get("tech_supervision"),
                participants=9,
                content="豆制品行业收回旧承诺书9份，重新核发9份；下一批：糕点行业。",
            ),
            by_category.get("workshop", [])[:3],
        ),
        (
            ActivityKind.DRUG_OUTLET_CHECK,
            dict(
                held_on=day(18),
                title="工业区超市、士多店无证售药检查",
                department=dept.get("economy"),
                content="检查工业区超市及士多店23家，2家无证销售药品，已没收并立案。",
            ),
            by_category.get("grocery", [])[:2],
        ),
    ]
    records.append(
        (
            ActivityKind.SELF_SUMMARY,
            dict(
                held_on=day(3),
                title="镇经贸办药店整治自查总结（提前验收）",
                department=dept.get("economy"),
                content="五项制度落实率92%，GSP跟踪检查覆盖率已超30%；仍有2家药店分柜摆放不规范。",
            ),
            [],
        )
    )
    for village in list(villages.values())[:3]:
        records.append(
            (
                ActivityKind.VILLAGE_GROUP,
                dict(
                    held_on=day(80),
                    title=f"{village.name}专项整治领导小组成立暨部署会",
                    village=village,
                    participants=12,
                ),
                [],
            )
        )
    for kind, fields, found in records:
        activity_save(activity=Activity(kind=kind, recorded_by=office, **fields), businesses=found)
    ctx.report.append(
        f"食品安全事故（C7）：{incidents} 起（其中重大 1 起）；工作记录 {len(records)} 条"
        "（培训、宣传、典型案例曝光、广告监测、督查、移送、屠宰场年检等）。"
    )
