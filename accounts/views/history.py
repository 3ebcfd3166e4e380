"""The full history of a business (its page shows the latest entries)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from campaigns.models import Business

from ..audit import business_entries, history_rows
from ..scoping import get_for_user

PAGE_SIZE = 50


@login_required
def business_history(request, pk: int):
    business = get_for_user(request.user, Business.objects.all(), pk=pk)
    page = Paginator(business_entries(business), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/business_history.html",
        {"business": business, "page": page, "history": history_rows(page.object_list), "query": ""},
    )
