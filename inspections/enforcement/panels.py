"""The business page's section for unlicensed-unit cases and tip-offs about the business."""

from .selectors import can_see_tipoffs, can_work_cases, case_q, tipoff_q


def unlicensed_panel(request, business):
    user = request.user
    cases = list(
        business.unlicensed_cases.filter(case_q(user)).select_related("department").order_by("-opened_on")
    )
    tipoffs = (
        list(business.tipoffs.filter(tipoff_q(user)).order_by("-submitted_at"))
        if can_see_tipoffs(user)
        else []
    )
    can_open = (
        can_work_cases(user)
        and business.is_active
        and not getattr(business, "licences_complete", True)
        and not any(c.is_open for c in cases)
    )
    if not (cases or tipoffs or can_open):
        return None
    return "inspections/panels/enforcement.html", {"cases": cases, "tipoffs": tipoffs, "can_open": can_open}
