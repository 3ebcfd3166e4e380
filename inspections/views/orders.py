"""Rectification orders: list (overdue first to act on), printable page, .docx."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.scoping import can_change_business, get_for_user

from .. import selectors
from ..choices import OrderStatus
from ..documents import order_docx as build_docx
from ..documents import order_text

PAGE_SIZE = 50


@login_required
def order_list(request):
    today = timezone.localdate()
    orders = selectors.order_list(user=request.user)
    status = request.GET.get("status")
    if status == "overdue":
        orders = orders.overdue(today)
    elif status == "return_check":
        orders = orders.return_checks_due(today)
    elif status in OrderStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders.order_by("status", "deadline", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/order_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "status": status or "",
            "statuses": OrderStatus.choices,
            "today": today,
        },
    )


@login_required
def order_detail(request, pk: int):
    order = get_for_user(
        request.user, selectors.order_detail_queryset(user=request.user), "business__", pk=pk
    )
    return render(
        request,
        "inspections/order_detail.html",
        {
            "order": order,
            "text": order_text(order),
            "can_reinspect": order.business.is_active and can_change_business(request.user, order.business),
        },
    )


@login_required
def order_docx(request, pk: int):
    order = get_for_user(
        request.user, selectors.order_detail_queryset(user=request.user), "business__", pk=pk
    )
    response = HttpResponse(
        build_docx(order),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"order-{order.pk}.docx\"; filename*=UTF-8''{_quote(order.number)}.docx"
    )
    return response


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value)
