"""Helpers for ledger tests: a line as the services take it, and businesses with ledgers."""

import datetime
from decimal import Decimal

from ledgers.services import ledger_lines_create

TODAY = datetime.date(2026, 3, 20)


def line(
    direction="in", *, days_ago=10, product="复合肥", kind="fertilizer", quantity="10", unit="袋", **extra
):
    data = {
        "direction": direction,
        "occurred_on": TODAY - datetime.timedelta(days=days_ago),
        "product_name": product,
        "kind": kind,
        "quantity": Decimal(quantity),
        "unit": unit,
        "batch": "",
        "registration_number": "粤农肥（2020）准字1234号" if kind in ("fertilizer", "pesticide") else "",
        "certificate_collected": True,
        "certificate_kind": "conformity",
        "invoice_collected": True,
    }
    if direction == "in":
        data["supplier_name"] = "金丰农资批发部"
    else:
        data["buyer_name"] = "新华村 陈志明"
    data.update(extra)
    return data


def record(business, *lines, user=None, today=TODAY):
    """Save lines through the service (all rules apply)."""
    return ledger_lines_create(business=business, lines=list(lines), user=user, today=today)
