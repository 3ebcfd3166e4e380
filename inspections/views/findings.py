"""Pages of the findings the office records in its special actions: drug sales against the law (D5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import rule_required
from campaigns.selectors import business_queryset
from lib.forms import apply_service_errors
from lib.lists import list_page

from ..choices import DrugSaleKind
from ..filters import DrugSaleFindingFilter
from ..forms.findings import DrugSaleFindingForm
from ..selectors import findings as selectors
from ..services import findings as services


@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def drug_sale_list(request):
    """D5: the units found selling drugs without a licence, affiliated or out of scope — counted by village
    and kind, each finding with what was sold and done; the office, departments and village inspectors
    record one here."""
    user = request.user
    can_record = access.can_record_drug_sale(user)
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
