"""Pages of the findings the office records in its special actions: drug sales against the law (D5),
holiday-goods checks round by round (C4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import rule_required
from campaigns.selectors import business_queryset
from lib.forms import apply_service_errors
from lib.lists import list_page

from ..choices import DrugSaleKind, HolidayFinding
from ..filters import DrugSaleFindingFilter, HolidayCheckFilter, HolidayRoundFilter
from ..forms.findings import DrugSaleFindingForm, HolidayCheckForm, HolidayRoundForm
from ..selectors import findings as selectors
from ..services import findings as services


@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def drug_sale_list(request):
    """D5: the units found selling drugs without a licence, affiliated or out of scope — counted by village
    and kind, each finding with what was sold and done; the office, departments and village inspectors
    record one here."""
    user = request.user
    can_record = access.can_record_findings(user)
    if request.method == "POST" and not can_record:
        raise Http404
    form = None
    if can_record:
        form = DrugSaleFindingForm(request.POST or None, businesses=business_queryset(user=user, write=True))
        if request.method == "POST" and form.is_valid():
            try:
                services.drug_sale_finding_save(finding=form.instance, user=user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("违法售药查处记录已保存。"))
                return redirect("inspections:drug_sale_list")
    listing = list_page(request, DrugSaleFindingFilter, selectors.drug_sale_findings(user=user))
    return render(
        request,
        "inspections/findings/drug_sale_list.html",
        {
            **listing.context(),
            "by_village": selectors.drug_sales_by_village(listing.filter.qs),
            "kinds": DrugSaleKind.choices,
            "form": form,
        },
    )


# --- C4 holiday-goods checks -----------------------------------------------------------------------
@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def holiday_round_list(request):
    """C4: the rounds of holiday-goods checks with each round's report (units checked, with a finding, by
    kind); the office opens a round here."""
    user = request.user
    can_manage = access.can_manage_holiday_rounds(user)
    if request.method == "POST" and not can_manage:
        raise Http404
    form = HolidayRoundForm(request.POST or None) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = services.holiday_round_save(round_=form.instance, user=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已开始“%(r)s”。") % {"r": saved})
            return redirect(saved)
    listing = list_page(request, HolidayRoundFilter, selectors.holiday_rounds(user=user))
    return render(
        request,
        "inspections/findings/holiday_round_list.html",
        {**listing.context(), "form": form, "kinds": HolidayFinding.choices},
    )


@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def holiday_round(request, pk: int):
    """C4: one round — its report over the units the user reaches, the checks by what was found, and the
    form to record a unit checked."""
    user = request.user
    round_ = get_object_or_404(selectors.holiday_round_queryset(user=user), pk=pk)
    can_record = access.can_record_findings(user)
    if request.method == "POST" and not can_record:
        raise Http404
    form = None
    if can_record:
        form = HolidayCheckForm(
            request.POST or None, round_=round_, businesses=business_queryset(user=user, write=True)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.holiday_check_save(check=form.instance, user=user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("检查记录已保存。"))
                return redirect(round_)
    checks = selectors.holiday_checks(user=user).filter(round=round_)
    listing = list_page(request, HolidayCheckFilter, checks)
    return render(
        request,
        "inspections/findings/holiday_round.html",
        {
            **listing.context(),
            "round": round_,
            "report": selectors.holiday_report(checks),
            "form": form,
        },
    )
