"""Demo ledgers: most trading businesses keep one, a few do not; some purchases lack 索证索票; one shop
bought a banned pesticide (an alert to 镇农业办); and a traceable chain: a wholesaler → agri shops →
farmers, with one batch of 吡虫啉 to trace (python manage.py trace --product 吡虫啉 --batch 20250315).

Lines go through ledgers.services, so the demo's flags and alerts come from the same rules as real input.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.choices import RoleKind
from accounts.models import RoleAssignment
from campaigns.models import Business

from .models import LedgerAlert, LedgerEntry
from .services import ledger_lines_create

# product, specification, kind, unit, registration number (pesticides/fertilizers), shelf life days
PRODUCTS = {
    "agri": [
        ("吡虫啉", "10%可湿性粉剂 100克/袋", "pesticide", "袋", "PD20080123", 730),
        ("阿维菌素", "1.8%乳油 100毫升/瓶", "pesticide", "瓶", "PD20070345", 730),
        ("高效氯氰菊酯", "4.5%乳油 250毫升/瓶", "pesticide", "瓶", "PD20096271", 730),
        ("草甘膦", "41%水剂 1升/瓶", "pesticide", "瓶", "PD20081234", 1095),
        ("复合肥", "15-15-15 50千克/袋", "fertilizer", "袋", "粤农肥（2020）准字1234号", None),
        ("尿素", "46% 50千克/袋", "fertilizer", "袋", "", None),
        ("有机肥", "40千克/袋", "fertilizer", "袋", "农肥（2019）准字5678号", None),
        ("杂交水稻种子", "1千克/包", "seed", "包", "", 365),
        ("猪饲料", "40千克/袋", "feed", "袋", "", 180),
    ],
    "grocery": [
        ("花生油", "5升/桶", "food", "桶", "", 540),
        ("大米", "10千克/袋", "food", "袋", "", 365),
        ("生抽酱油", "500毫升/瓶", "food", "瓶", "", 720),
        ("方便面", "5连包", "food", "包", "", 180),
        ("苏打饼干", "400克/袋", "food", "袋", "", 270),
        ("矿泉水", "550毫升×24瓶/箱", "food", "箱", "", 365),
    ],
    "pharmacy": [
        ("阿莫西林胶囊", "0.25克×24粒/盒", "drug", "盒", "", 730),
        ("板蓝根颗粒", "10克×20袋/包", "drug", "包", "", 730),
        ("感冒灵颗粒", "10克×9袋/盒", "drug", "盒", "", 730),
    ],
    "restaurant": [
        ("大米", "25千克/袋", "food", "袋", "", 365),
        ("花生油", "20升/桶", "food", "桶", "", 540),
        ("鲜猪肉", "", "meat", "千克", "", None),
        ("鸡蛋", "", "food", "千克", "", 30),
        ("青菜", "", "food", "千克", "", None),
    ],
    "workshop": [
        ("黄豆", "", "food", "千克", "", 365),
        ("面粉", "25千克/袋", "food", "袋", "", 365),
        ("大米", "50千克/袋", "food", "袋", "", 365),
    ],
    "slaughter": [("生猪", "", "meat", "头", "", None)],
}
SUPPLIERS = {
    "agri": ["广东丰收农资有限公司", "佛山绿源化工有限公司", "顺德农丰种业公司"],
    "grocery": ["东风粮油批发部", "新城食品批发行", "佳美副食品公司"],
    "pharmacy": ["佛山国药医药有限公司", "广东康美医药公司"],
    "restaurant": ["东风集贸市场梁记肉档", "新华农贸市场菜档", "东风粮油批发部"],
    "workshop": ["东风粮油批发部", "顺德粮食储备库"],
    "slaughter": ["石岗村养猪场", "龙潭村生猪养殖合作社"],
}
FARMERS = ["陈志明", "李国强", "黄秀英", "梁少红", "何建平", "罗玉兰", "冯家豪", "吴桂珍"]
CHAIN_BATCH = "20250315"


def clear(ctx) -> None:
    businesses = Business.objects.filter(village__town__code="dongfeng")
    LedgerAlert.objects.filter(business__in=businesses).delete()
    LedgerEntry.objects.filter(business__in=businesses).delete()


def _credit_or_blank(business: Business) -> str:
    return business.credit_code or ""


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    businesses: list[Business] = [b for b in ctx.extra.get("businesses", []) if b.is_active]
    if not businesses:
        return
    agri = [b for b in businesses if b.category.code == "agri"]
    # The wholesaler at the head of the chain, and the shop that bought one batch from it.
    wholesaler = next(
        (b for b in agri if b.subtypes.filter(code="wholesale").exists()), agri[0] if agri else None
    )
    chain_shops = [b for b in agri if b is not wholesaler][:3]
    shop_account = next(
        (b for b in businesses if b.category.code == "grocery" and b.village.code == "zhongxin"), None
    )
    # C3: a business with an account of its own enters its lines itself (the e-ledger).
    accounts = {
        r.business_id: r.user
        for r in RoleAssignment.objects.filter(
            kind=RoleKind.BUSINESS, business__in=businesses
        ).select_related("user")
    }
    kept = 0
    without = []
    for business in businesses:
        if business is wholesaler or business in chain_shops:
            continue
        roll = rng.random()
        if business is not shop_account and roll < 0.1:
            without.append(business.name)
            continue  # no ledger at all (G2 not met)
        old_only = business is not shop_account and roll < 0.16
        lines = _business_lines(rng, today, business, old_only=old_only)
        if lines:
            ledger_lines_create(business=business, lines=lines, today=today, user=accounts.get(business.pk))
            kept += 1
    if wholesaler and chain_shops:
        _chain(rng, today, wholesaler, chain_shops)
        for business in [wholesaler, *chain_shops]:
            ledger_lines_create(
                business=business, lines=_business_lines(rng, today, business, old_only=False), today=today
            )
        kept += 1 + len(chain_shops)
    if agri:
        banned_shop = chain_shops[-1] if chain_shops else agri[0]
        ledger_lines_create(
            business=banned_shop,
            lines=[
                _line(
                    "in",
                    today - datetime.timedelta(days=6),
                    ("多灭磷（甲胺磷）", "50%乳油 500毫升/瓶", "pesticide", "瓶", "", 730),
                    rng.randint(5, 20),
                    batch="",
                    supplier="流动商贩（无名）",
                    certificate=False,
                    invoice=False,
                )
            ],
            today=today,
        )
    ctx.report.append(
        f"台账：{kept} 家经营单位有台账记录，{len(without)} 家没有；禁用农药预警 "
        f"{LedgerAlert.objects.filter(business__in=businesses).count()} 条；"
        f"追溯示例：python manage.py trace --product 吡虫啉 --batch {CHAIN_BATCH}"
    )


def _line(
    direction,
    day,
    product,
    quantity,
    *,
    batch,
    supplier="",
    code="",
    buyer="",
    certificate=True,
    invoice=True,
):
    name, spec, kind, unit, registration, shelf = product
    line = {
        "direction": direction,
        "occurred_on": day,
        "product_name": name,
        "specification": spec,
        "kind": kind,
        "quantity": Decimal(quantity),
        "unit": unit,
        "batch": batch,
        "registration_number": registration,
        "supplier_name": supplier,
        "supplier_code": code,
        "buyer_name": buyer,
        "certificate_collected": certificate,
        "certificate_kind": "conformity" if certificate else "",
        "invoice_collected": invoice,
    }
    if shelf and direction == "in":
        line["production_date"] = day - datetime.timedelta(days=30)
        line["shelf_life_days"] = shelf
    return line


def _business_lines(rng, today, business, *, old_only: bool) -> list[dict]:
    code = business.category.code
    products = PRODUCTS.get(code, PRODUCTS["grocery"])
    suppliers = SUPPLIERS.get(code, SUPPLIERS["grocery"])
    careless = rng.random() < 0.25  # some shops rarely collect certificates and invoices (C2)
    start, end = (120, 45) if old_only else (90, 0)
    lines = []
    for product in rng.sample(products, k=min(len(products), rng.randint(2, 4))):
        for _ in range(rng.randint(1, 3)):
            bought = today - datetime.timedelta(days=rng.randint(end + 5, start))
            batch = f"{bought:%Y%m}{rng.randint(1, 99):02d}"
            quantity = rng.randint(5, 60)
            lines.append(
                _line(
                    "in",
                    bought,
                    product,
                    quantity,
                    batch=batch,
                    supplier=rng.choice(suppliers),
                    certificate=rng.random() > (0.5 if careless else 0.05),
                    invoice=rng.random() > (0.4 if careless else 0.05),
                )
            )
            if code in ("restaurant",):
                continue  # restaurants use what they buy: purchase ledger only (E1)
            sold_total = 0
            for _ in range(rng.randint(0, 3)):
                sold_on = bought + datetime.timedelta(
                    days=rng.randint(0, max((today - bought).days - end, 0))
                )
                qty = rng.randint(1, max(quantity // 4, 1))
                sold_total += qty
                if sold_total > quantity:
                    break
                buyer = rng.choice(FARMERS) if code == "agri" else "零售顾客"
                lines.append(_line("out", sold_on, product, qty, batch=batch, buyer=buyer))
    if code == "grocery" and rng.random() < 0.3 and not old_only:
        # Biscuits sold after their expiry date (C4): flagged on the sale.
        product = ("苏打饼干", "400克/袋", "food", "袋", "", 20)
        bought = today - datetime.timedelta(days=40)
        lines.append(_line("in", bought, product, 10, batch="BG0101", supplier="佳美副食品公司"))
        lines.append(
            _line("out", today - datetime.timedelta(days=3), product, 2, batch="BG0101", buyer="零售顾客")
        )
    return lines


def _chain(rng, today, wholesaler, shops) -> None:
    """Wholesaler buys one batch of 吡虫啉 from the maker, sells it to the shops; they sell to farmers."""
    product = PRODUCTS["agri"][0]
    day0 = today - datetime.timedelta(days=50)
    ledger_lines_create(
        business=wholesaler,
        lines=[_line("in", day0, product, 500, batch=CHAIN_BATCH, supplier="江苏红太阳农药厂")]
        + [
            _line(
                "out", day0 + datetime.timedelta(days=3 + i), product, 60, batch=CHAIN_BATCH, buyer=shop.name
            )
            for i, shop in enumerate(shops)
        ],
        today=today,
    )
    for i, shop in enumerate(shops):
        bought = day0 + datetime.timedelta(days=3 + i)
        # The shops write the product name in their own way: the trace still matches them.
        spelled = ["吡虫啉", "吡 虫 啉", "吡虫啉（10%）"][i % 3]
        lines = [
            _line(
                "in",
                bought,
                (spelled, *product[1:]),
                60,
                batch=CHAIN_BATCH if i != 1 else " 2025 0315 ",
                supplier=wholesaler.name,
                code=_credit_or_blank(wholesaler),
                certificate=i != 2,
                invoice=True,
            )
        ]
        for k in range(rng.randint(3, 5)):
            lines.append(
                _line(
                    "out",
                    bought + datetime.timedelta(days=2 + 4 * k),
                    (spelled, *product[1:]),
                    rng.randint(1, 6),
                    batch=CHAIN_BATCH,
                    buyer=f"{shop.village.name} {FARMERS[(i + k) % len(FARMERS)]}",
                )
            )
        ledger_lines_create(business=shop, lines=lines, today=today)
