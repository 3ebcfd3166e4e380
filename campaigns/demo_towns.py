"""`seed_demo --towns N` (issue 24, O5): the demo town's neighbours, so the city's dashboard compares towns.

Each further town has two villages and a few businesses of every kind, some fully licensed, some not —
enough for its own row on the city's dashboard and its own `target_report --town CODE` — and, town first
(issue 24), its own campaign (the demo town's dates and phases) and its own office user, `office-<code>`
(the demo password), who sees that town only. Seeded last (no
other demo module touches these towns) and cleared first; their kept figures are recomputed through
lib.kept like any write. With the default `--towns 1` nothing is added: the suite's demo stays as it was.

O1: each neighbour ran last year's campaign with its leading group (a 镇长 leading it, its office in the
镇经贸办); this year's campaign is set up as its office does on 本镇专项 (services.town_campaign_save),
which keeps that group — the new campaign starts with the town's group, not an empty one.

The first neighbour sets its own settings (issue 24: campaigns.TownSettings): a 20-day ledger window
against the default 30, a 15-day return check, its own masthead and numbering prefix — and
ledgers.demo_towns gives every neighbour's units ledger lines 25 days old, so G2 is met in the other towns
and not in that one.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from lib import kept

from . import services
from .choices import LeadingGroupRole, LicenceState, PhaseCode
from .demo import DemoContext
from .demo_users import DEMO_PASSWORD
from .models import (
    Business,
    Campaign,
    Category,
    LeadingGroupMember,
    Licence,
    Town,
    TownSettings,
    Village,
)

PREFIX = "city-"
OFFICE_PREFIX = "office-"  # + the town's code: office-city-xijiang
NEIGHBOURS = [("西江镇", "xijiang"), ("南岗镇", "nangang"), ("北山镇", "beishan"), ("沙河镇", "shahe")]
KINDS = ["grocery", "pharmacy", "restaurant", "workshop", "agri", "grocery"]
# Issue 24: the first neighbour's own settings (the others keep the defaults).
OWN_SETTINGS = {"ledger_window_days": 20, "return_check_days": 15}
# O1: last year's leading group of each neighbour (names dealt from GROUP_NAMES, town by town).
GROUP = [
    ("镇长", LeadingGroupRole.DIRECTOR),
    ("镇经贸办主任", LeadingGroupRole.OFFICE_DIRECTOR),
    ("镇农业办主任", LeadingGroupRole.OFFICE_DEPUTY),
    ("镇技术监督站站长", LeadingGroupRole.OFFICE_DEPUTY),
]
GROUP_NAMES = [
    "李国华",
    "陈志明",
    "黄伟强",
    "周建新",
    "吴秀兰",
    "郑海涛",
    "冯志刚",
    "何婉仪",
    "罗家明",
    "梁少芬",
]
# The share of each further town's businesses holding every licence they need: the towns differ.
LICENSED = [0.85, 0.55, 0.7, 0.4]


def _neighbour(i: int) -> tuple[str, str]:
    if i < len(NEIGHBOURS):
        name, code = NEIGHBOURS[i]
        return name, PREFIX + code
    return f"第{i + 2}镇", f"{PREFIX}{i + 2}"


def clear(ctx: DemoContext) -> None:
    towns = Town.objects.filter(code__startswith=PREFIX)
    get_user_model().objects.filter(username__startswith=OFFICE_PREFIX + PREFIX).delete()  # their roles too
    RoleAssignment.objects.filter(town__in=towns).delete()
    Campaign.objects.filter(town__in=towns).delete()  # and their phases
    businesses = Business.objects.filter(village__town__in=towns)
    Licence.objects.filter(business__in=businesses).delete()
    Business.subtypes.through.objects.filter(business__in=businesses).delete()
    businesses.delete()
    Village.objects.filter(town__in=towns).delete()
    towns.delete()


def seed(ctx: DemoContext) -> None:
    extra = max(ctx.extra.get("towns", 1) - 1, 0)
    if not extra:
        return
    rng = ctx.rng
    categories = {c.code: c for c in Category.objects.all()}
    created: list[int] = []
    issued = ctx.today - datetime.timedelta(days=400)
    for i in range(extra):
        name, code = _neighbour(i)
        town = Town.objects.create(name=name, code=code)
        _own_campaign_and_office(ctx, town, i)
        if i == 0:
            TownSettings.objects.create(
                town=town,
                masthead=f"{name}人民政府办公室",
                number_prefix=f"{name.removesuffix('镇')}镇办",
                **OWN_SETTINGS,
            )
        share = LICENSED[i % len(LICENSED)]
        for j, village_name in enumerate(("一村", "二村"), start=1):
            village = Village.objects.create(
                town=town, name=f"{name}{village_name}", code=f"{code}-{j}", order=j
            )
            for k, kind in enumerate(KINDS, start=1):
                business = Business.objects.create(
                    name=f"{name}{village_name}{categories[kind].short_name}{k}号",
                    category=categories[kind],
                    village=village,
                    address=f"{name}{village_name}{k}号",
                    operator="演示",
                )
                created.append(business.pk)
                if rng.random() >= share:
                    continue
                Licence.objects.bulk_create(
                    Licence(
                        business=business,
                        licence_type=lt,
                        number=f"{code.upper()}-{business.pk}-{lt.code}",
                        issued_on=issued,
                        expires_on=ctx.today + datetime.timedelta(days=700),
                        state=LicenceState.VALID,
                        displayed=True,
                    )
                    for lt in business.required_licence_types()
                )
    kept.businesses_changed(created)  # today's kept figures include them (dashboard.status)
    ctx.report.append(
        f"全市（issue 24）：另有 {extra} 个镇、{len(created)} 家经营单位；"
        "市领导 city、市药监局 citydrug 在“全市各镇对比”查看；"
        f"各镇办公室账号 {OFFICE_PREFIX}<镇代码>（如 {OFFICE_PREFIX}{_neighbour(0)[1]}）只看本镇。"
        f"{_neighbour(0)[0]}设有本镇设置（台账有效期{OWN_SETTINGS['ledger_window_days']}天、"
        f"回头查{OWN_SETTINGS['return_check_days']}天、本镇发文机关标志），办公室在“本镇设置”查看。"
        "各镇本期专项沿用上一期的领导小组（O1），办公室在“领导小组”调整。"
    )


def _own_campaign_and_office(ctx: DemoContext, town: Town, index: int = 0) -> None:
    """Town first (issue 24): the town runs the campaign as the demo town does (same dates and phases),
    and its office works on it alone. O1: last year's campaign had the town's leading group; this year's,
    set up as the office does (town_campaign_save), keeps it."""
    main = ctx.campaign
    if main is not None:
        _last_years_group(town, main, index)
        p1 = main.phases.get(code=PhaseCode.P1)
        campaign = services.town_campaign_save(
            town=town,
            name=f"{town.name}五小经营单位产品质量和食品安全专项整治",
            starts_on=main.starts_on,
            p1_ends_on=p1.ends_on,
            ends_on=main.ends_on,
        )
        if campaign.e_ledger_goal != main.e_ledger_goal:
            campaign.e_ledger_goal = main.e_ledger_goal
            campaign.save(update_fields=["e_ledger_goal"])
    User = get_user_model()
    user = User(username=f"{OFFICE_PREFIX}{town.code}", first_name=f"{town.name}办公室")
    user.set_password(DEMO_PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, kind=RoleKind.OFFICE, town=town)


def _last_years_group(town: Town, main: Campaign, index: int) -> None:
    """O1: the town's campaign of a year before (no longer current) and its leading group."""
    start = main.starts_on - datetime.timedelta(days=365)
    last = Campaign.objects.create(
        name=f"{town.name}五小经营单位专项整治（上一期）",
        town=town,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=180),
        is_current=False,
    )
    for order, (position, role) in enumerate(GROUP):
        name = GROUP_NAMES[(index * len(GROUP) + order) % len(GROUP_NAMES)]
        LeadingGroupMember.objects.create(campaign=last, name=name, position=position, role=role, order=order)
