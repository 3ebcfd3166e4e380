"""The business page's inspections panel: grade, open orders, recent visits (campaigns.panels)."""

from __future__ import annotations

from accounts import access
from accounts.scoping import reach, scope

from .choices import OrderStatus
from .models import InspectionProfile
from .selectors import case_q, tipoff_q

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
            "can_start": business.is_active and access.can_change_business(request.user, business),
        },
    )


def unlicensed_panel(request, business):
    user = request.user
    cases = list(
        business.unlicensed_cases.filter(case_q(user)).select_related("department").order_by("-opened_on")
    )
    tipoffs = (
        list(business.tipoffs.filter(tipoff_q(user)).order_by("-submitted_at"))
        if access.can_see_tipoffs(user)
        else []
    )
    can_open = (
        access.can_work_cases(user)
        and business.is_active
        and not getattr(business, "licences_complete", True)
        and not any(c.is_open for c in cases)
    )
    r = reach(user)
    samples = (
        list(business.samples.order_by("-sampled_on", "-pk")[:10])
        if r.read_all or r.departments or r.villages
        else []
    )
    can_sample = (
        bool(r.write_all or r.departments or r.villages)
        and business.is_active
        and scope(user, type(business).objects.filter(pk=business.pk), write=True).exists()
    )
    if not (cases or tipoffs or can_open or samples or can_sample):
        return None
    return "inspections/panels/enforcement.html", {
        "cases": cases,
        "tipoffs": tipoffs,
        "can_open": can_open,
        "samples": samples,
        "can_sample": can_sample,
    }
