"""Ledger pages: a business's ledger, the quick phone form, Excel import, alerts, traces.

Thin views: scope (accounts.scoping, for_ledger=True where a business account may come), a form, one
service call, a redirect. A business account reaches only its own business's ledger; anything else 404s.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, scoping
from accounts.access import rule_required
from accounts.scoping import reach, scope
from campaigns import town_settings
from campaigns.models import Business
from campaigns.selectors import business_queryset
from lib import sheets
from lib.lists import list_page

from . import selectors
from .choices import AlertState, Direction
from .exports import trace_workbook
from .filters import AlertFilter, LedgerEntryFilter
from .forms import AlertHandleForm, LedgerImportForm, TraceForm, line_formset
from .imports import BadFile, ledger_import, template_workbook
from .models import LedgerAlert
from .services import LedgerLinesInvalid, ledger_alert_handle, ledger_lines_create
from .trace import trace_a6, trace_backward, trace_forward


def _business(request, pk: int, *, write: bool = False) -> Business:
    return get_object_or_404(business_queryset(user=request.user, write=write, for_ledger=True), pk=pk)


@login_required
def my_ledger(request):
    """A business account's landing page: its own ledger (or the list of them if it keeps several)."""
    r = reach(request.user)
    if not r.businesses:
        return redirect("ledgers:index")
    if len(r.businesses) == 1:
        return redirect("ledgers:business_ledger", pk=next(iter(r.businesses)))
    businesses = Business.objects.filter(pk__in=r.businesses).select_related("village", "category")
    return render(request, "ledgers/my_businesses.html", {"businesses": businesses})


@login_required
def index(request):
    if access.is_business_account(request.user):
        return redirect("ledgers:my_ledger")
    if not access.can_read_ledgers(request.user):
        raise Http404
    alerts = selectors.alert_list(user=request.user, state=AlertState.OPEN)
    missing = selectors.with_ledger_metrics(
        scope(request.user, Business.objects.active().select_related("village", "category"))
    ).filter(ledger_recent=0)
    return render(
        request,
        "ledgers/index.html",
        {
            "alerts": alerts[:20],
            "alert_count": alerts.count(),
            "missing": missing.order_by("village__order", "name")[:30],
            "missing_count": missing.count(),
            # One figure when every town keeps the default window; else each unit's town's (issue 24).
            "window_days": None if town_settings.ledger_windows() else selectors.window_days(),
        },
    )


@login_required
def business_ledger(request, pk: int):
    business = _business(request, pk)
    listing = list_page(request, LedgerEntryFilter, selectors.ledger_entries(business=business))
    direction = request.GET.get("direction", "")
    query = request.GET.get("q", "").strip()
    flagged = request.GET.get("flagged") == "1"
    alerts = business.ledger_alerts.filter(state=AlertState.OPEN).select_related("banned_product")
    return render(
        request,
        "ledgers/business_ledger.html",
        {
            "business": business,
            **listing.context(),
            "filters": {"direction": direction, "q": query, "flagged": flagged},
            "directions": Direction.choices,
            "summary": selectors.ledger_summary(business),
            "flags": selectors.flag_counts(business),
            "alerts": list(alerts),
            "can_write": access.can_write_ledger(request.user, business),
            "is_business_account": access.is_business_account(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lines_new(request, pk: int):
    business = _business(request, pk, write=True)
    default_kind = {"agri": "pesticide", "pharmacy": "drug", "slaughter": "meat"}.get(
        business.category.code, "food"
    )
    formset = line_formset(
        request.POST or None,
        default_direction=request.GET.get("direction", Direction.PURCHASE),
        default_kind=default_kind,
    )
    if request.method == "POST" and formset.is_valid():
        forms = [f for f in formset.forms if f.has_changed()]
        try:
            entries = ledger_lines_create(
                business=business, lines=[f.line() for f in forms], user=request.user
            )
        except LedgerLinesInvalid as exc:
            for e in exc.line_errors:
                forms[e.index].add_error(e.field if e.field in forms[e.index].fields else None, e.message)
        else:
            alerts = LedgerAlert.objects.filter(entry__in=entries).count()
            messages.success(request, _("已登记 %(n)d 条台账。") % {"n": len(entries)})
            if alerts:
                messages.warning(
                    request, _("其中 %(n)d 条为禁用产品，已向牵头部门发出预警。") % {"n": alerts}
                )
            return redirect("ledgers:business_ledger", pk=business.pk)
    return render(request, "ledgers/lines_form.html", {"business": business, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import_view(request, pk: int):
    business = _business(request, pk, write=True)
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            result = ledger_import(
                business=business, data=upload.read(), user=request.user, display_name=upload.name or ""
            )
        except BadFile as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)d 条台账。") % {"n": result.created})
                for notice in result.notices:
                    messages.info(request, _("提示：%(m)s") % {"m": notice})
                return redirect("ledgers:business_ledger", pk=business.pk)
    return render(request, "ledgers/import.html", {"business": business, "form": form, "result": result})


@login_required
def import_template(request):
    return sheets.xlsx_response(template_workbook(), "经营台账导入模板.xlsx")


@rule_required(access.can_read_ledgers)
def alert_list(request):
    listing = list_page(request, AlertFilter, selectors.alert_list(user=request.user))
    state = request.GET.get("state", AlertState.OPEN)
    return render(
        request,
        "ledgers/alerts.html",
        {**listing.context(), "state": state, "states": AlertState.choices},
    )


@rule_required(access.can_read_ledgers)
@require_POST
def alert_handle(request, pk: int):
    alert = get_object_or_404(selectors.alert_list(user=request.user), pk=pk)
    if not access.can_handle_alert(request.user, alert):
        raise Http404  # alerts go to the lead department; others read them but do not close them
    form = AlertHandleForm(request.POST)
    if form.is_valid():
        try:
            ledger_alert_handle(alert=alert, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("预警已标记为已处理。"))
    else:
        messages.error(request, _("请填写处理情况。"))
    target = request.POST.get("next", "")
    # A path on this site only: anything else ("9999-12-31") was taken for a URL name and raised.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = reverse("ledgers:alerts")
    return redirect(target)


@rule_required(access.can_read_ledgers)
def trace(request):
    form = TraceForm(
        request.GET or None,
        businesses=scope(request.user, Business.objects.all()),
        villages=scoping.villages(request.user).order_by("order", "name"),
    )
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        common = {"since": data["since"], "until": data["until"], "user": request.user}
        if data["mode"] == "backward":
            result = trace_backward(
                business=data["business"], product=data["product"], batch=data["batch"], **common
            )
        elif data["mode"] == "a6":
            result = trace_a6(product=data["product"], village=data["village"], **common)
        else:
            result = trace_forward(
                product=data["product"], batch=data["batch"], supplier=data["supplier"], **common
            )
        if request.GET.get("export") == "xlsx":
            return sheets.xlsx_response(
                trace_workbook(result), f"追溯结果-{datetime.date.today():%Y%m%d}.xlsx"
            )
    params = request.GET.copy()
    params.pop("export", None)
    return render(
        request, "ledgers/trace.html", {"form": form, "result": result, "query": params.urlencode()}
    )
