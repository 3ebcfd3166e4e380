from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .choices import RoleKind
from .scoping import reach


@login_required
def home(request):
    """Each role lands on the page it works from: leadership, the office and supervisors on the targets
    dashboard; everyone else on the roster."""
    if reach(request.user).has(RoleKind.OFFICE, RoleKind.LEADER, RoleKind.SUPERVISOR):
        return redirect("dashboard:index")
    return redirect("campaigns:business_list")
