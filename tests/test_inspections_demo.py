"""The demo shows a living campaign: every outcome, orders in every state, a relapse, a due list."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from inspections.choices import OrderStatus, VisitOutcome, VisitStatus
from inspections.models import DeadlineChange, InspectionProfile, RectificationOrder, Visit
from inspections.selectors import due_list
from notifications.choices import ReminderKind
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_demo_has_every_outcome_order_state_relapse_and_due_work():
    call_command("seed_demo", businesses=80, seed=2009)
    today = timezone.localdate()
    outcomes = set(Visit.objects.filter(status=VisitStatus.SUBMITTED).values_list("outcome", flat=True))
    assert outcomes == set(VisitOutcome.values)
    assert set(RectificationOrder.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert RectificationOrder.objects.overdue(today).exists()
    assert Visit.objects.filter(is_relapse=True).exists()
    assert Visit.objects.filter(status=VisitStatus.DRAFT, created_by__username="inspector").exists()
    assert InspectionProfile.objects.exclude(grade="").exists()
    inspector = get_user_model().objects.get(username="inspector")
    due = due_list(user=inspector, today=today)
    assert due.exists() and {b.village.code for b in due} == {"zhongxin"}
    # Issue 8: an order's deadline extended with its reason; drawn inspectors told of their spot checks.
    change = DeadlineChange.objects.get()
    assert change.order.status == OrderStatus.OPEN and change.deadline == change.order.deadline
    assert Message.objects.filter(kind=ReminderKind.SPOT_CHECK_ASSIGNED).exists()
