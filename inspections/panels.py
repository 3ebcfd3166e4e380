"""The business page's inspections panel: grade, open orders, recent visits (campaigns.panels)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from accounts.scoping import reach, scope
from campaigns.panels import RosterAction

from .choices import OrderStatus
from .models import InspectionProfile
from .placards import public_url
from .selectors import case_q, publicity, tipoff_q

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
    drug_sales = (  # D5
        list(business.drug_sale_findings.select_related("referred_to").order_by("-found_on", "-pk")[:10])
        if r.read_all or r.departments or r.villages
        else []
    )
    holiday_checks = (  # C4
        list(business.holiday_checks.select_related("round").order_by("-checked_on", "-pk")[:5])
        if r.read_all or r.departments or r.villages
        else []
    )
    can_sample = (
        bool(r.write_all or r.departments or r.villages)
        and business.is_active
        and scope(user, type(business).objects.filter(pk=business.pk), write=True).exists()
    )
    if not (cases or tipoffs or can_open or samples or can_sample or drug_sales or holiday_checks):
        return None
    return "inspections/panels/enforcement.html", {
        "cases": cases,
        "tipoffs": tipoffs,
        "can_open": can_open,
        "samples": samples,
        "can_sample": can_sample,
        "drug_sales": drug_sales,
        "holiday_checks": holiday_checks,
    }


def publicity_panel(request, business):
    """一公开 (issue 25): the unit's public page address, its placard and the office's code rotation."""
    codes = list(publicity.public_codes_of(business))
    current = next((c for c in codes if c.is_current), None)
    can_print = access.can_print_placards(request.user) and business.is_active
    if current is None and not can_print:
        return None
    return (
        "inspections/panels/publicity.html",
        {
            "current": current,
            "public_url": public_url(current.code) if current else "",
            "retired": [c for c in codes if not c.is_current][:5],
            "can_print": can_print,
            "can_rotate": access.can_rotate_public_code(request.user) and business.is_active,
        },
    )


def placard_roster_action(request, query: str):
    """The roster's 打印公示牌: the placards of the units its filters select (a village, a category …)."""
    if not access.can_print_placards(request.user):
        return None
    url = reverse("inspections:placard_sheet") + (f"?{query}" if query else "")
    return RosterAction(label=_("打印公示牌"), url=url, icon="bi-qr-code", element_id="roster-placards")
