"""Rectification orders: list (overdue first to act on), printable page, .docx, moving the deadline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from lib import pdf
from lib.lists import list_page

from .. import selectors, services
from ..choices import OrderStatus
from ..documents import order_docx as build_docx
from ..documents import order_text
from ..filters import OrderFilter
from ..forms import DeadlineChangeForm


@access.rule_required(access.works_in_field)  # the rule of its menu entry (accounts/nav.py)
def order_list(request):
    orders = selectors.order_list(user=request.user).order_by("status", "deadline", "pk")
    listing = list_page(request, OrderFilter, orders)
    return render(
        request,
        "inspections/order_list.html",
        {
            **listing.context(),
            "status": request.GET.get("status", ""),
            "statuses": OrderStatus.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def order_detail(request, pk: int):
    order = get_object_or_404(selectors.order_detail_queryset(user=request.user), pk=pk)
    return render(
        request,
        "inspections/order_detail.html",
        {
            "order": order,
            "text": order_text(order),
            "can_reinspect": order.business.is_active
            and access.can_change_business(request.user, order.business),
            "can_reschedule": access.may_reschedule(request.user, order),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_reschedule(request, pk: int):
    """The office or the order's lead department moves an open order's deadline, with a reason."""
    order = get_object_or_404(selectors.order_reschedule_queryset(user=request.user), pk=pk)
    if order.status != OrderStatus.OPEN:
        messages.error(
            request, _("该通知书已%(status)s，不能再调整整改期限。") % {"status": order.get_status_display()}
        )
        return redirect(order)
    form = DeadlineChangeForm(request.POST or None, initial={"deadline": order.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.rectification_reschedule(
                order=order,
                deadline=form.cleaned_data["deadline"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("整改期限已由 %(old)s 调整为 %(new)s，提醒已按新期限重新安排。")
                % {"old": f"{change.previous_deadline:%Y-%m-%d}", "new": f"{change.deadline:%Y-%m-%d}"},
            )
            return redirect(order)
    return render(
        request,
        "inspections/order_reschedule.html",
        {"order": order, "form": form, "today": timezone.localdate()},
    )


@login_required
def order_docx(request, pk: int):
    order = get_object_or_404(selectors.order_detail_queryset(user=request.user), pk=pk)
    response = HttpResponse(
        build_docx(order),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"order-{order.pk}.docx\"; filename*=UTF-8''{_quote(order.number)}.docx"
    )
    return response


@login_required
def order_pdf(request, pk: int):
    """The order as PDF (for phones and printing), made by a worker with LibreOffice (issue 17)."""
    order = get_object_or_404(selectors.order_detail_queryset(user=request.user), pk=pk)
    return pdf.pdf_response(
        request,
        build_docx(order),
        filename=f"{order.number}.pdf",
        docx_url=reverse("inspections:order_docx", args=[order.pk]),
    )


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value)
