"""Rectification orders: issue (numbered), close by a passing re-inspection, escalate from a failing one."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import town_settings
from campaigns.choices import BusinessStatus
from lib import stamps
from lib.gongwen import doc_number

from ..choices import OrderStatus
from ..models import DeadlineChange, RectificationOrder, Visit, VisitAnswer
from ..reminders import order_replan


def _number(*, town_name: str, year: int, sequence: int, prefix: str = "") -> str:
    """东风责改〔2026〕1号: numbered per year, never padded (GB/T 9704-2012, DOMAIN §8). The 机关代字 is the
    town's numbering prefix when it sets one (issue 24: 东风镇办责改〔2026〕1号), else its short name."""
    if not prefix:
        prefix = town_name[:-1] if town_name.endswith("镇") else town_name
    return doc_number(f"{prefix}责改", year, sequence)


@transaction.atomic
def order_issue(
    *,
    visit: Visit,
    items: list[VisitAnswer],
    deadline: datetime.date,
    issued_on: datetime.date,
    user,
    requirements_text: str = "",
) -> RectificationOrder:
    """责令限期整改通知书 for the failed items of a visit; the business is 整改中 until it is closed.

    The number runs per year (unique (year, sequence) guards against two issued at once)."""
    business = visit.business
    year = issued_on.year
    prefix = town_settings.of_business(business).number_prefix  # issue 24: the town's own, if it sets one
    order = RectificationOrder(
        year=year,
        business=business,
        visit=visit,
        department=business.category.lead_department,
        issued_on=issued_on,
        deadline=deadline,
        reinspection_due_on=deadline,
        requirements_text=requirements_text,
        issued_by=user,
    )
    # Two orders issued at the same moment may pick the same number: the unique (year, sequence)
    # constraint refuses the second, which takes the next number.
    for attempt in range(5):
        order.sequence = (
            RectificationOrder.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
        ) + 1
        order.number = _number(
            town_name=business.village.town.name, year=year, sequence=order.sequence, prefix=prefix
        )
        order.full_clean(
            exclude=["items", "business", "visit", "department", "issued_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    order.items.set(items)
    if business.status == BusinessStatus.OPERATING:
        business.status = BusinessStatus.RECTIFYING
        business.save(update_fields=["status", "updated_at"])
    order_replan(order)  # issue 8: deadline reminders, overdue reminders
    stamps.touch(stamps.PUBLIC_PAGE, [order.business_id])  # the unit's public page shows open orders
    return order


def _restore_operating(business) -> None:
    """A business with no open order left goes back from 整改中 to 正常经营."""
    if business.status != BusinessStatus.RECTIFYING:
        return
    if business.rectification_orders.filter(status=OrderStatus.OPEN).exists():
        return
    business.status = BusinessStatus.OPERATING
    business.save(update_fields=["status", "updated_at"])


@transaction.atomic
def rectification_close(*, order: RectificationOrder, visit: Visit, on: datetime.date) -> RectificationOrder:
    """A re-inspection found the order's items put right: close it and schedule the E2 return check."""
    order.status = OrderStatus.CLOSED
    order.closed_by = visit
    order.closed_on = on
    # E2's return check, after the business's town's interval (issue 24: its own, else the default).
    days = town_settings.of_business(order.business).return_check_days
    order.return_check_due_on = on + datetime.timedelta(days=days)
    order.save(update_fields=["status", "closed_by", "closed_on", "return_check_due_on"])
    _restore_operating(order.business)
    order_replan(order)  # issue 8: deadline reminders cancelled, the E2 return check planned
    stamps.touch(stamps.PUBLIC_PAGE, [order.business_id])  # the unit's public page shows open orders
    return order


@transaction.atomic
def rectification_escalate(
    *,
    order: RectificationOrder,
    visit: Visit,
    on: datetime.date,
    successor: RectificationOrder | None = None,
) -> RectificationOrder:
    """A re-inspection found the order not complied with: it is escalated to whatever that visit
    decided (a new order with a new deadline, a ban, a revocation or a referral)."""
    order.status = OrderStatus.ESCALATED
    order.closed_by = visit
    order.closed_on = on
    order.successor = successor
    order.save(update_fields=["status", "closed_by", "closed_on", "successor"])
    order_replan(order)  # issue 8: its unsent reminders are cancelled
    stamps.touch(stamps.PUBLIC_PAGE, [order.business_id])  # the unit's public page shows open orders
    return order


@transaction.atomic
def rectification_reschedule(
    *,
    order: RectificationOrder,
    deadline: datetime.date,
    user,
    reason: str,
    today: datetime.date | None = None,
) -> DeadlineChange:
    """Move an open order's deadline (and its re-inspection with it), with the reason on record; its
    reminders are re-planned (issue 8).

    Earlier or later, the new date must be today or later (and not before the issue date): a date
    already past would make the order overdue on the spot (an overdue order is chased, not back-dated).
    Moved earlier inside the 3-day window, the inspectors and the lead department are told at the next
    sweep ("N天后到期"); moved later, the reminders of the old date still unsent are cancelled.
    """
    today = today or timezone.localdate()
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    reason = (reason or "").strip()
    errors = {}
    if order.status != OrderStatus.OPEN:
        raise ValidationError(
            _("该通知书已%(status)s，不能再调整整改期限。") % {"status": order.get_status_display()}
        )
    if not reason:
        errors["reason"] = _("请填写调整原因（将记入通知书的期限调整记录）。")
    if deadline < order.issued_on:
        errors["deadline"] = _("新的整改期限不能早于下达日期（%(d)s）。") % {
            "d": f"{order.issued_on:%Y-%m-%d}"
        }
    elif deadline < today:
        errors["deadline"] = _(
            "新的整改期限不能早于今天（%(d)s）；已过期限的整改请按逾期督办，不要改成过去的日期。"
        ) % {"d": f"{today:%Y-%m-%d}"}
    elif deadline == order.deadline:
        errors["deadline"] = _("新的整改期限与原期限（%(d)s）相同。") % {"d": f"{order.deadline:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    change = DeadlineChange(
        order=order, previous_deadline=order.deadline, deadline=deadline, reason=reason, changed_by=user
    )
    change.full_clean(exclude=["order", "changed_by"])
    change.save()
    order.deadline = deadline
    order.reinspection_due_on = deadline
    order.save(update_fields=["deadline", "reinspection_due_on"])
    order_replan(order)  # issue 8: the old date's unsent reminders cancelled, the new date's planned
    stamps.touch(stamps.PUBLIC_PAGE, [order.business_id])  # the public page shows the deadline
    return change
