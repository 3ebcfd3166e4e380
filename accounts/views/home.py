"""Where each role lands after login."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from .. import access
from ..choices import RoleKind
from ..scoping import reach


@login_required
def home(request):
    """Each role lands on the page it works from; a business account on its own ledger (if the ledgers
    app provides one yet); leadership, the office, supervisors and lead departments on the targets
    dashboard (a department sees its own targets); a village inspector on the due list."""
    r = reach(request.user)
    if access.is_business_account(request.user):
        try:
            return redirect(reverse("ledgers:my_ledger"))
        except NoReverseMatch:
            return render(request, "accounts/ledger_pending.html")
    if not r.kinds:
        return render(request, "accounts/no_role.html")
    if r.has(
        RoleKind.OFFICE,
        RoleKind.LEADER,
        RoleKind.SUPERVISOR,
        RoleKind.DEPARTMENT,
        RoleKind.CITY_LEADER,
        RoleKind.CITY_BUREAU,
    ):
        return redirect("dashboard:index")
    if r.has(RoleKind.INSPECTOR) and not r.write_all:
        return redirect("inspections:due")  # a village inspector works from the due list
    return redirect("campaigns:business_list")
