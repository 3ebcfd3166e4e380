"""The full history of a business (its page shows the latest entries)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from accounts.audit import business_entries, history_rows
from lib.lists import paginate

from .. import selectors


@login_required
def business_history(request, pk: int):
    business = get_object_or_404(selectors.business_queryset(user=request.user), pk=pk)
    page = paginate(request, business_entries(business))  # the audit trail: no filters
    return render(
        request,
        "campaigns/business_history.html",
        {"business": business, "page": page, "history": history_rows(page.object_list), "query": ""},
    )
