"""Demo of the special actions' findings: drug sales against the law found at the industrial zone's
stores and a pharmacy (D5); a round of holiday-goods checks with its findings (C4)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from campaigns.demo import TOWN as DEMO_TOWN
from campaigns.models import Business, Department

from ..choices import DrugSaleKind
from ..models import DrugSaleFinding, HolidayCheck, HolidayCheckRound
from ..services.findings import drug_sale_finding_save, holiday_check_save, holiday_round_save

# kind, what was sold, the firm it was under (affiliated), referred to the drug bureau, confiscated, order
DRUG_SALES = [
    (DrugSaleKind.UNLICENSED, "阿莫西林胶囊 3盒、布洛芬缓释胶囊 2盒", "", True, True, True),
    (DrugSaleKind.AFFILIATED, "感冒灵颗粒 10袋、复方甘草片 4瓶", "市康泰大药房", True, False, True),
    (DrugSaleKind.OUT_OF_SCOPE, "处方药头孢克肟分散片 2盒（无处方销售）", "", False, True, True),
]


def clear(ctx) -> None:
    town = DEMO_TOWN[1]
    DrugSaleFinding.objects.filter(business__village__town__code=town).delete()
    # The rounds of the demo office (a round names no town: those whose checks are the town's, or none).
    HolidayCheck.objects.filter(business__village__town__code=town).delete()
    HolidayCheckRound.objects.filter(created_by__username="office", checks__isnull=True).delete()


def seed(ctx) -> None:
    _drug_sales(ctx)
    _holiday_checks(ctx)


# C4: what the round found at each unit it checked (None: nothing), and what was done.
HOLIDAY_FINDINGS = [
    ({"price": True}, "年货礼盒未明码标价，现场责令改正。"),
    ({"bundling": True, "false_ad": True}, "月饼礼盒过度包装并标注“纯手工”无依据，责令整改。"),
    (None, ""),
    ({"trademark": True}, "销售假冒知名品牌白酒 6 瓶，已扣押并立案。"),
    (None, ""),
    ({"expired": True, "fraud": True}, "过期糖果冒充新货销售，已下架销毁并立案。"),
]


def _drug_sales(ctx) -> None:
    """D5: general stores of the industrial zone found selling drugs unlicensed and affiliated, a pharmacy
    out of its scope."""
    office = get_user_model().objects.filter(username="office").first()
    trading = Business.objects.filter(village__town=ctx.town, status="operating").select_related("village")
    zone = Exists(
        Business.subtypes.through.objects.filter(business=OuterRef("pk"), subtype__code="industrial_zone")
    )
    stores = list(trading.filter(zone).order_by("pk")[:2]) or list(
        trading.filter(category__code="grocery").order_by("pk")[:2]
    )
    pharmacy = trading.filter(category__code="pharmacy").order_by("pk").first()
    units = [*stores, pharmacy] if pharmacy else stores
    units = units or list(trading.order_by("pk")[:1])
    if not units:
        return
    bureau = Department.objects.filter(code="city_drug").first()
    for i, (kind, goods, firm, refer, confiscate, order) in enumerate(DRUG_SALES):
        unit = units[i % len(units)]
        if kind == DrugSaleKind.OUT_OF_SCOPE and pharmacy is not None:
            unit = pharmacy
        drug_sale_finding_save(
            finding=DrugSaleFinding(
                business=unit,
                found_on=ctx.today - datetime.timedelta(days=40 - 15 * i),
                kind=kind,
                goods=goods,
                affiliated_with=firm,
                referred_to=bureau if refer else None,
                confiscated=confiscate or bureau is None,
                ordered_to_stop=order,
                note="现场查获，已登记移送。" if refer else "现场责令停止销售药品。",
            ),
            user=office,
        )
    ctx.report.append(
        f"违法售药查处（D5）：{len(DRUG_SALES)} 条，涉及 {len({u.pk for u in units})} 家单位；"
        "随机抽查可只抽这些单位。"
    )


def _holiday_checks(ctx) -> None:
    """C4: the office's round of holiday-goods checks before the Spring Festival, the groceries and
    supermarkets checked in it (some with findings)."""
    office = get_user_model().objects.filter(username="office").first()
    trading = Business.objects.filter(village__town=ctx.town, status="operating").order_by("pk")
    units = list(trading.filter(category__code="grocery")[: len(HOLIDAY_FINDINGS)]) or list(trading[:1])
    if not units:
        return
    starts = ctx.today - datetime.timedelta(days=45)
    round_ = holiday_round_save(
        round_=HolidayCheckRound(
            holiday="春节",
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=20),
            note="重点检查商场超市、食杂店的年货礼盒：明码标价、搭售和过度包装、商标、宣传。",
        ),
        user=office,
    )
    for i, unit in enumerate(units):
        flags, detail = HOLIDAY_FINDINGS[i]
        holiday_check_save(
            check=HolidayCheck(
                round=round_,
                business=unit,
                checked_on=starts + datetime.timedelta(days=2 + 3 * i),
                detail=detail,
                **(flags or {}),
            ),
            user=office,
        )
    found = sum(1 for flags, _detail in HOLIDAY_FINDINGS[: len(units)] if flags)
    ctx.report.append(f"节日商品检查（C4）：{round_}，检查 {len(units)} 家，发现问题 {found} 家。")
