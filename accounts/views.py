from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .choices import RoleKind
from .scoping import reach


@login_required
def home(request):
    """Each role lands on the page it works from: a village inspector on the due list."""
    r = reach(request.user)
    if r.has(RoleKind.INSPECTOR) and not r.write_all:
        return redirect("inspections:due")
    return redirect("campaigns:business_list")
