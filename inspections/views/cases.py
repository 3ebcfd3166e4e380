"""Unlicensed-unit cases (U1): list by village and age, open (one business or all due), close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from campaigns.selectors import business_queryset
from lib.forms import apply_service_errors
from lib.lists import list_page

from .. import selectors, services
from ..choices import CaseStatus
from ..filters import CaseFilter
from ..forms import CaseNoteForm, CaseResolveForm
from ..selectors import AGE_BANDS


@access.rule_required(access.can_see_cases)  # the rule of its menu entry (accounts/nav.py)
def case_list(request):
    user = request.user
    listing = list_page(request, CaseFilter, selectors.case_list(user=user))
    filters = listing.filter.form
    status = filters.cleaned_data.get("status", CaseStatus.OPEN) if filters.is_valid() else CaseStatus.OPEN
    can_work = access.can_work_cases(user)
    return render(
        request,
        "inspections/case_list.html",
        {
            **listing.context(),
            "filters": filters,
            "status": status,
            "summary": selectors.open_cases_by_village_and_age(user=user),
            "bands": [label for _limit, label in AGE_BANDS],
            "can_work": can_work,
            "due": selectors.unlicensed_without_case_count() if can_work else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    user = request.user
    case = get_object_or_404(selectors.case_detail_queryset(user=user), pk=pk)
    can_work = access.can_work_cases(user)
    action = request.POST.get("action")
    resolve_form = note_form = None
    if can_work and case.is_open:
        resolve_form = CaseResolveForm(request.POST if action == "resolve" else None)
        note_form = CaseNoteForm(request.POST if action == "note" else None)
        if request.method == "POST":
            form = resolve_form if action == "resolve" else note_form
            if form.is_valid():
                try:
                    if form is resolve_form:
                        services.case_resolve(case=case, user=user, **form.cleaned_data)
                        messages.success(request, _("案件已结案。"))
                    else:
                        services.case_add_note(case=case, note=form.cleaned_data["note"])
                        messages.success(request, _("已记录办理进展。"))
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    return redirect(case)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "inspections/case_detail.html",
        {"case": case, "resolve_form": resolve_form, "note_form": note_form, "today": timezone.localdate()},
    )


@login_required
@require_POST
def case_open(request, business_pk: int):
    """Open a case for one business (from its page)."""
    user = request.user
    if not access.can_work_cases(user):
        raise Http404
    business = get_object_or_404(business_queryset(user=user), pk=business_pk)
    try:
        case = services.case_open(business=business, user=user, note=request.POST.get("note", "")[:1000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(business)
    messages.success(request, _("已对“%(name)s”立案。") % {"name": business.name})
    return redirect(case)


@login_required
@require_POST
def case_open_all(request):
    """Open a case for every unlicensed business without one (idempotent)."""
    if not access.can_work_cases(request.user):
        raise Http404
    try:
        cases = services.case_open_all_unlicensed(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if cases:
            messages.success(request, _("已为 %(n)d 家无证照经营单位立案。") % {"n": len(cases)})
        else:
            messages.info(request, _("没有需要新立案的无证照经营单位。"))
    return redirect("inspections:case_list")
