"""The business page's inspections panel: grade, open orders, recent visits (campaigns.panels)."""

from __future__ import annotations

from accounts.scoping import can_change_business

from .choices import OrderStatus
from .models import InspectionProfile

RECENT = 8


def business_panel(request, business):
    """Registered from InspectionsConfig.ready(); the business page already checked the user's scope."""
    profile = InspectionProfile.objects.filter(business=business).first()
    visits = list(business.visits.select_related("template").order_by("-started_at", "-pk")[: RECENT + 1])
    open_orders = list(business.rectification_orders.filter(status=OrderStatus.OPEN).order_by("deadline"))
    return (
        "inspections/business_panel.html",
        {
            "profile": profile,
            "visits": visits[:RECENT],
            "more": len(visits) > RECENT,
            "open_orders": open_orders,
            "can_start": business.is_active and can_change_business(request.user, business),
        },
    )
