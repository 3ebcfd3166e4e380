"""`seed_demo --towns N` (issue 24): ledger lines for the neighbouring towns (campaigns.demo_towns).

Every neighbour's unit bought and sold one line 25 days ago: within the default 30-day G2 window, outside
the 20-day window the first neighbour sets (campaigns.demo_towns.OWN_SETTINGS), so the city's dashboard
shows the towns' own windows at work. Nothing with the default `--towns 1`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from campaigns.demo_towns import PREFIX
from campaigns.models import Business

from .models import LedgerEntry
from .services import ledger_lines_create

AGE_DAYS = 25


def clear(ctx) -> None:
    LedgerEntry.objects.filter(business__village__town__code__startswith=PREFIX).delete()


def _line(direction: str, day: datetime.date, business: Business) -> dict:
    return {
        "direction": direction,
        "occurred_on": day,
        "product_name": "散装大米",
        "specification": "25千克/袋",
        "kind": "food",
        "quantity": Decimal(4),
        "unit": "袋",
        "batch": "",
        "registration_number": "",
        "supplier_name": "东风粮油批发部" if direction == "in" else "",
        "supplier_code": "",
        "buyer_name": "" if direction == "in" else f"{business.name}的顾客",
        "certificate_collected": True,
        "certificate_kind": "conformity",
        "invoice_collected": True,
    }


def seed(ctx) -> None:
    if ctx.extra.get("towns", 1) <= 1:
        return
    day = ctx.today - datetime.timedelta(days=AGE_DAYS)
    businesses = Business.objects.filter(village__town__code__startswith=PREFIX).order_by("pk")
    for business in businesses:
        ledger_lines_create(
            business=business,
            lines=[_line("in", day, business), _line("out", day, business)],
            today=ctx.today,
        )
