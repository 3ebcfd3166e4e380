from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """Each role lands on the page it works from."""
    return redirect("campaigns:business_list")
