"""Demo data for the roster: the town of 东风镇, its villages, markets, leading group and businesses."""

from __future__ import annotations

import datetime
import random
import zlib
from dataclasses import dataclass, field

from .choices import (
    BusinessStatus,
    GreenChannelStage,
    HelpKind,
    LeadingGroupRole,
    LicenceState,
    PhaseCode,
    TemporaryOutcome,
    VillageGroupRole,
)
from .models import (
    Business,
    Campaign,
    Category,
    Department,
    GreenChannel,
    HelpRecord,
    LeadingGroupMember,
    Licence,
    LicenceReissue,
    LicenceRequirement,
    LicenceType,
    Market,
    Phase,
    ProcessingSite,
    SubType,
    Town,
    Village,
    VillageGroupMember,
)
from .validators import CREDIT_CODE_ALPHABET, credit_code_check_char


@dataclass
class DemoContext:
    """Shared state of one seed_demo run; apps read what earlier apps created and add their own."""

    rng: random.Random
    businesses: int
    today: datetime.date
    seed: int
    town: Town | None = None
    campaign: Campaign | None = None
    report: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


TOWN = ("东风镇", "dongfeng")
VILLAGES = [
    # name, code, town centre
    ("镇中心社区", "zhongxin", True),
    ("东风村", "dongfeng-cun", False),
    ("新华村", "xinhua", False),
    ("石岗村", "shigang", False),
    ("龙潭村", "longtan", False),
    ("安和社区", "anhe", True),
    ("南坑村", "nankeng", False),
    ("西江村", "xijiang", False),
]
MARKETS = [("东风集贸市场", "zhongxin", True), ("新华农贸市场", "xinhua", False)]
# O1 as the source sets it up: the office (办公室) sits in 镇经贸办, 叶创新 its director (主任) and five
# deputies (副主任); the group leader is not named in the source (梁永强 is a demo name), nor are the
# deputies' own posts (demo: the heads of the lead departments, who run their categories, O3).
LEADING_GROUP = [
    ("梁永强", "镇长", LeadingGroupRole.DIRECTOR, None),
    ("叶创新", "镇经贸办主任", LeadingGroupRole.OFFICE_DIRECTOR, "economy"),
    ("莫锦柱", "镇农业办主任", LeadingGroupRole.OFFICE_DEPUTY, "agri_office"),
    ("王沛昌", "镇技术监督站站长", LeadingGroupRole.OFFICE_DEPUTY, "tech_supervision"),
    ("郭富良", "工商分局局长", LeadingGroupRole.OFFICE_DEPUTY, "aic"),
    ("陈炳惠", "卫生监督所所长", LeadingGroupRole.OFFICE_DEPUTY, "health"),
    ("杨焕明", "城市综合执法分局局长", LeadingGroupRole.OFFICE_DEPUTY, "enforcement"),
    ("何丽芳", "镇经贸办副主任", LeadingGroupRole.MEMBER, "economy"),
]

INDUSTRIAL = ("shigang", "longtan")  # villages with an industrial zone (D5)
STREETS = ["兴业路", "人民路", "新街", "市场街", "环村路"]
SURNAMES = "陈李黄张梁林何吴刘周郑罗谢冯邓叶莫杨朱许麦苏卢蔡"
GIVEN = "志伟明华国强建平丽芳海燕秀英玉兰家豪嘉欣振东永康锦荣少红润发文辉桂珍"
SHOP_WORDS = (
    "兴隆 鸿福 永安 金丰 丰收 万家 和记 顺发 民生 惠民 福源 康泰 新城 利民 宏达 佳美 百顺 满意".split()
)
NAME_PATTERNS = {
    "agri": ["{w}农资店", "{w}农资经营部", "{s}记种子店", "{w}兽药饲料店", "{w}化肥经营部"],
    "workshop": [
        "{w}豆腐坊",
        "{s}记糕点作坊",
        "{w}河粉厂",
        "{w}米粉加工场",
        "{s}记腐竹作坊",
        "{w}调味品作坊",
    ],
    "grocery": ["{w}士多店", "{w}便利店", "{s}记杂货铺", "{w}食杂店", "{w}粮油店"],
    "pharmacy": ["{w}大药房", "{w}药店", "{s}氏医药店"],
    "restaurant": ["{w}饭店", "{s}记粥粉面", "{w}小食店", "{w}大排档", "{s}记烧腊店"],
    "slaughter": ["{t}中心屠宰场"],
}
# Share of each category in the roster; the slaughterhouse is always exactly one (the town has no small ones).
CATEGORY_WEIGHTS = [("agri", 18), ("workshop", 14), ("grocery", 34), ("pharmacy", 10), ("restaurant", 24)]


def clear(ctx: DemoContext) -> None:
    town = Town.objects.filter(code=TOWN[1]).first()
    if town is None:
        return
    HelpRecord.objects.filter(business__village__town=town).delete()
    GreenChannel.objects.filter(business__village__town=town).delete()
    ProcessingSite.objects.filter(village__town=town).delete()
    LicenceReissue.objects.filter(business__village__town=town).delete()
    VillageGroupMember.objects.filter(village__town=town).delete()
    Licence.objects.filter(business__village__town=town).delete()
    Business.subtypes.through.objects.filter(business__village__town=town).delete()
    Business.objects.filter(village__town=town).delete()
    Market.objects.filter(village__town=town).delete()
    Village.objects.filter(town=town).delete()
    campaign_ids = list(Campaign.objects.filter(town=town).values_list("pk", flat=True))
    LeadingGroupMember.objects.filter(campaign_id__in=campaign_ids).delete()
    Phase.objects.filter(campaign_id__in=campaign_ids).delete()
    Campaign.objects.filter(pk__in=campaign_ids).delete()
    town.delete()


def _credit_code(rng: random.Random) -> str:
    # 92: individual businesses (个体工商户); 4406xx: an area code; then 10 random characters.
    body = "92440606" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "137", "150", "188", "189"]) + f"{rng.randrange(10**8):08d}"


def seed(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    Campaign.objects.filter(is_current=True).update(is_current=False)
    town = Town.objects.create(name=TOWN[0], code=TOWN[1])
    ctx.town = town
    villages = [
        # W2/E4: the town centre, with the model market, has spread its model to the whole community.
        Village.objects.create(
            town=town, name=name, code=code, is_town_centre=centre, order=i, is_model=code == "zhongxin"
        )
        for i, (name, code, centre) in enumerate(VILLAGES, start=1)
    ]
    by_code = {v.code: v for v in villages}
    markets = [Market.objects.create(village=by_code[v], name=n, is_model=m) for n, v, m in MARKETS]

    # A campaign that is alive today: the rectification phase is under way, acceptance follows.
    start = today - datetime.timedelta(days=90)
    p1_end = today + datetime.timedelta(days=60)
    p2_end = p1_end + datetime.timedelta(days=62)
    campaign = Campaign.objects.create(
        name=f"{town.name}五小经营单位产品质量和食品安全专项整治", town=town, starts_on=start, ends_on=p2_end
    )
    Phase.objects.create(
        campaign=campaign, code=PhaseCode.P1, name="整改实施阶段", starts_on=start, ends_on=p1_end
    )
    Phase.objects.create(
        campaign=campaign,
        code=PhaseCode.P2,
        name="总结验收阶段",
        starts_on=p1_end + datetime.timedelta(days=1),
        ends_on=p2_end,
    )
    ctx.campaign = campaign
    departments = {d.code: d for d in Department.objects.all()}
    for order, (name, position, role, dept) in enumerate(LEADING_GROUP):
        LeadingGroupMember.objects.create(
            campaign=campaign,
            name=name,
            position=position,
            role=role,
            department=departments.get(dept),
            order=order,
        )

    categories = {c.code: c for c in Category.objects.all()}
    subtypes = {}
    for st in SubType.objects.all():
        subtypes.setdefault(st.category_id, []).append(st)
    # DOMAIN §8: most food businesses hold today's 食品经营许可证 where §7 names the old licence.
    today_types = {lt.code: lt for lt in LicenceType.objects.filter(code="food_business")}
    requirements = {}
    for req in LicenceRequirement.objects.select_related("licence_type"):
        requirements.setdefault(req.category_id, []).append(req)

    codes = [c for c, _ in CATEGORY_WEIGHTS]
    weights = [w for _, w in CATEGORY_WEIGHTS]
    plan = ["slaughter"] if ctx.businesses else []
    plan += rng.choices(codes, weights=weights, k=max(ctx.businesses - 1, 0))
    used_names: set[tuple[str, int]] = set()
    licence_rows = []
    created = []
    for i, code in enumerate(plan):
        category = categories[code]
        village = by_code["zhongxin"] if code == "slaughter" else rng.choice(villages)
        name = _unique_name(rng, code, town, village, used_names, i)
        chosen_subtypes = _pick_subtypes(rng, code, subtypes.get(category.pk, []), village)
        market = None
        if code == "grocery" and any(st.code == "in_market" for st in chosen_subtypes):
            market = markets[0] if village.is_town_centre or rng.random() < 0.5 else markets[1]
        roll = rng.random()
        status = (
            BusinessStatus.RECTIFYING
            if roll < 0.06
            else BusinessStatus.CLOSED
            if roll < 0.08
            else BusinessStatus.BANNED
            if roll < 0.09
            else BusinessStatus.OPERATING
        )
        business = Business.objects.create(
            name=name,
            category=category,
            village=village,
            address=f"{town.name}{village.name}{rng.choice(STREETS)}{rng.randint(1, 188)}号",
            operator=_person(rng),
            phone=_phone(rng) if rng.random() < 0.9 else "",
            credit_code=_credit_code(rng)
            if rng.random() < 0.7 or code in ("pharmacy", "slaughter")
            else None,
            status=status,
            is_town_centre=village.is_town_centre,
            market=market,
            is_model=rng.random() < 0.05,
        )
        business.subtypes.set(chosen_subtypes)
        created.append(business)
        licence_rows += _licences(
            rng, today, business, requirements.get(category.pk, []), chosen_subtypes, today_types
        )
    Licence.objects.bulk_create(licence_rows)
    ctx.extra["businesses"] = created
    ctx.extra["villages"] = villages
    ctx.extra["markets"] = markets
    _temporary_running_out(ctx, created)
    _help_and_green_channel(ctx, created, by_code, departments)
    _village_groups(ctx, villages)
    _reissues(ctx, created)


def _temporary_running_out(ctx, businesses) -> None:
    """E6 beyond restaurants: a workshop and a grocery on a temporary food licence that runs out soon."""
    today = ctx.today
    food_licences = {"workshop": ("hygiene",), "grocery": ("food_circulation", "food_business")}
    shown = []
    for code, licence_codes in food_licences.items():
        licence = (
            Licence.objects.filter(
                business__in=[b for b in businesses if b.category.code == code and b.is_active],
                licence_type__code__in=licence_codes,
                state=LicenceState.VALID,
            )
            .select_related("business")
            .order_by("-business_id", "pk")  # the last: the inspections demo suspends an early one (E6)
            .first()
        )
        if licence is None:
            continue
        business = licence.business
        licence.state = LicenceState.TEMPORARY
        licence.expires_on = today + datetime.timedelta(days=12 if code == "workshop" else 20)
        licence.note = "临时许可证：须对照规范整改，达标后换发正式许可证，否则吊销（E6）"
        # The workshop's rectification deadline has passed (overdue on the E6 report); the grocery's runs.
        licence.rectify_by = today + datetime.timedelta(days=-3 if code == "workshop" else 15)
        licence.save()
        shown.append(business.name)
    if shown:
        ctx.report.append("临时许可证即将到期（E6）：" + "、".join(shown))
    # E6's outcomes: an earlier temporary licence of a trading grocery that met the standard and was
    # replaced by the licence it holds now (kept on record, expired).
    held = (
        Licence.objects.filter(
            business__in=[
                b for b in businesses if b.category.code in ("grocery", "restaurant") and b.is_active
            ],
            state=LicenceState.VALID,
            issued_on__isnull=False,
        )
        .exclude(business__name__in=shown)
        .select_related("business", "licence_type")
        .order_by("pk")
        .first()
    )
    if held is not None:
        issued = held.issued_on - datetime.timedelta(days=90)
        Licence.objects.create(
            business=held.business,
            licence_type=held.licence_type,
            number=f"临-{held.number}",
            issuer=held.issuer,
            issued_on=issued,
            expires_on=held.issued_on,
            rectify_by=held.issued_on - datetime.timedelta(days=5),
            state=LicenceState.EXPIRED,
            temporary_outcome=TemporaryOutcome.LICENSED,
            outcome_on=held.issued_on,
            note=f"临时许可证，整改达标后换发为 {held.number}（E6）",
        )
        ctx.report.append(f"临时许可证整改达标换发（E6）：{held.business.name}")


GROUP_ROLES = [
    (VillageGroupRole.LEADER, "村（社区）党支部书记"),
    (VillageGroupRole.DEPUTY, "村委会主任"),
    (VillageGroupRole.MEMBER, "村治保主任"),
    (VillageGroupRole.LIAISON, "村食品安全协管员"),
]


def _village_groups(ctx, villages) -> None:
    """O2: each village's (community's) campaign group, its members and their roles."""
    members = [
        VillageGroupMember(
            village=village,
            name=_person(ctx.rng),
            role=role,
            position=position,
            phone=_phone(ctx.rng),
            order=i,
        )
        for village in villages
        for i, (role, position) in enumerate(GROUP_ROLES)
    ]
    VillageGroupMember.objects.bulk_create(members)
    ctx.report.append(f"村（社区）专项整治小组（O2）：{len(villages)} 个小组，{len(members)} 名成员。")


def _reissues(ctx, businesses) -> None:
    """B2: the workshops' quality commitment letters recalled industry by industry, some re-issued."""
    today = ctx.today
    letter = LicenceType.objects.filter(code="quality_commitment").first()
    workshops = [b for b in businesses if b.category.code == "workshop" and b.is_active]
    if letter is None or not workshops:
        return
    rows = []
    for i, business in enumerate(workshops):
        if i % 3 == 2:
            continue  # not recalled yet
        recalled = today - datetime.timedelta(days=40 - i % 7)
        rows.append(
            LicenceReissue(
                business=business,
                licence_type=letter,
                recalled_on=recalled,
                reissued_on=recalled + datetime.timedelta(days=14) if i % 3 == 0 else None,
                number=f"ZLCN-{business.pk:05d}" if i % 3 == 0 else "",
                note="按行业集中收回，对照规范整改后重新签订。",
            )
        )
    LicenceReissue.objects.bulk_create(rows)
    ctx.report.append(f"承诺书收回重发（B2）：收回 {len(rows)} 家小作坊。")


def _help_and_green_channel(ctx, businesses, villages, departments) -> None:
    """W4 help records, the B5 processing site with units moved there, a B3 green-channel workshop."""
    today = ctx.today
    workshops = [b for b in businesses if b.category.code == "workshop" and b.is_active]
    groceries = [b for b in businesses if b.category.code == "grocery" and b.is_active]
    tech = departments.get("tech_supervision")
    site = ProcessingSite.objects.create(
        name=f"{ctx.town.name}小作坊集中加工场",
        village=villages.get("shigang") or next(iter(villages.values())),
        address="石岗工业区兴业路8号",
        opened_on=today - datetime.timedelta(days=40),
        unified_purchasing=True,
        unified_production=True,
        unified_management=True,
        unified_testing=True,
        note="市质监局指导厂房布局、车间设立和检验手段。",
    )
    site.industries.set(
        SubType.objects.filter(category__code="workshop", code__in=["soy", "aquatic", "rice_noodle"])
    )
    records = []
    for business in workshops[1:3]:  # the first workshop keeps its temporary licence (E6)
        records.append(
            HelpRecord(
                business=business,
                kind=HelpKind.CONCENTRATION,
                site=site,
                department=tech,
                given_on=today - datetime.timedelta(days=30),
                note="短期内难以取得生产许可证，引导入场生产。",
            )
        )
        business.status = BusinessStatus.MOVED
        business.save(update_fields=["status"])
    partners = [(HelpKind.CHAIN, "美宜佳便利店连锁"), (HelpKind.DISTRIBUTION, "东风粮油统一配送中心")]
    for business, (kind, partner) in zip(groceries[:4], partners * 2, strict=False):
        records.append(
            HelpRecord(
                business=business,
                kind=kind,
                partner=partner,
                department=departments.get("aic"),
                given_on=today - datetime.timedelta(days=ctx.rng.randint(5, 60)),
            )
        )
    banned = [b for b in businesses if b.status == BusinessStatus.BANNED]
    if banned:
        records.append(
            HelpRecord(
                business=banned[0],
                kind=HelpKind.JOBS,
                partner="镇劳动保障服务所",
                given_on=today - datetime.timedelta(days=10),
                note="经营者转岗到集中加工场务工。",
            )
        )
    HelpRecord.objects.bulk_create(records)
    if len(workshops) > 3:
        GreenChannel.objects.create(
            business=workshops[3],
            stage=GreenChannelStage.GUIDED,
            applied_on=today - datetime.timedelta(days=45),
            guided_on=today - datetime.timedelta(days=20),
            note="车间改造中：原料库与成品库分开，添置检验设备。",
        )
    ctx.report.append(
        f"疏堵结合（W4）：帮扶记录 {len(records)} 条；集中加工场（B5）1 个；绿色通道（B3）小作坊 1 家。"
    )


def _unique_name(rng, code, town, village, used, i) -> str:
    for _ in range(20):
        pattern = rng.choice(NAME_PATTERNS[code])
        name = pattern.format(w=rng.choice(SHOP_WORDS), s=rng.choice(SURNAMES), t=town.name)
        if code != "slaughter":
            name = f"{village.name[:2]}{name}"
        if (name, village.pk) not in used:
            used.add((name, village.pk))
            return name
    name = f"{village.name[:2]}{rng.choice(SHOP_WORDS)}{i}号店"
    used.add((name, village.pk))
    return name


def _pick_subtypes(rng, code, options, village):
    if not options:
        return []
    if code == "agri":
        retail = [st for st in options if st.code != "wholesale"]
        picked = rng.sample(retail, k=rng.choice([1, 1, 2, 3]))
        if rng.random() < 0.15:
            picked += [st for st in options if st.code == "wholesale"]
        return picked
    if code == "grocery":
        return [
            st
            for st in options
            if (st.code == "town_centre" and village.is_town_centre)
            or (st.code == "in_market" and rng.random() < 0.4)
            # D5: the industrial zone's general stores, where drugs are sold without a licence.
            or (st.code == "industrial_zone" and village.code in INDUSTRIAL and rng.random() < 0.5)
        ]
    if code in ("pharmacy", "slaughter"):
        return list(options)
    return [rng.choice(options)]


# Old names of §7 and today's name a business holds instead (DOMAIN §8; LicenceType.equivalents).
TODAY_NAME = {"food_circulation": "food_business", "hygiene": "food_business"}


def _licences(rng, today, business, requirements, chosen_subtypes, today_types=None):
    """Licences in every state: most complete, some missing, expired, expiring soon, temporary, revoked;
    about two in three food businesses hold today's 食品经营许可证 instead of the old licence §7 names."""
    rows = []
    chosen = {st.pk for st in chosen_subtypes}
    profile = rng.random()
    for req in requirements:
        if req.subtype_id and req.subtype_id not in chosen:
            continue
        lt = req.licence_type
        if profile < 0.12 and rng.random() < 0.6:
            continue  # an unlicensed unit: missing this licence
        term = rng.choice([3, 5]) * 365
        issued = today - datetime.timedelta(days=rng.randint(60, term - 90))
        expires = issued + datetime.timedelta(days=term)
        state = LicenceState.VALID
        roll = rng.random()
        if roll < 0.04:
            expires = today - datetime.timedelta(days=rng.randint(1, 200))
            state = LicenceState.EXPIRED if rng.random() < 0.5 else LicenceState.VALID  # not yet marked
        elif roll < 0.09:
            expires = today + datetime.timedelta(days=rng.randint(0, 60))
        elif business.category.code == "restaurant" and lt.code == "hygiene" and roll < 0.30:
            # E6: restaurants on a temporary hygiene licence, to be rectified or revoked.
            state = LicenceState.TEMPORARY
            expires = today + datetime.timedelta(days=rng.randint(30, 180))
        elif roll < 0.11:
            state = LicenceState.REVOKED
        if expires < issued:
            issued = expires - datetime.timedelta(days=365)
        successor = (today_types or {}).get(TODAY_NAME.get(lt.code, ""))
        food = business.category.code in ("grocery", "restaurant")
        if successor and food and state != LicenceState.TEMPORARY and zlib.crc32(business.name.encode()) % 3:
            lt = successor
        rows.append(
            Licence(
                business=business,
                licence_type=lt,
                number=f"{lt.code[:2].upper()}{today.year - rng.randint(0, 4)}{rng.randrange(10**6):06d}",
                issuer=lt.issuer,
                issued_on=issued,
                expires_on=expires,
                state=state,
                displayed=rng.random() < 0.8,
                displayed_seen_on=today - datetime.timedelta(days=rng.randint(1, 90)),
            )
        )
    return rows
