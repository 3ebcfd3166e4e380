"""The roster pages: list, detail, create/edit, licences. Thin: scope, form, service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import rule_required
from accounts.scoping import scope
from lib.forms import apply_service_errors, business_label
from lib.lists import list_page
from lib.text import squash

from .. import selectors, services
from ..filters import BusinessFilter
from ..forms import BusinessForm, LicenceForm, LicenceRenewForm, LicenceRevokeForm
from ..models import Business, Licence
from ..panels import render_business_panels, roster_actions

SUGGESTIONS = 10


@rule_required(access.works_in_field)  # the rule of its menu entry (accounts/nav.py)
def business_list(request):
    listing = list_page(request, BusinessFilter, selectors.business_list(user=request.user))
    listing.page.object_list = selectors.with_status_in_order(listing.page.object_list)
    return render(
        request,
        "campaigns/business_list.html",
        {
            **listing.context(),
            "can_create": access.can_create_business(request.user),
            "can_import": access.may_import(request.user),
            "actions": roster_actions(request, listing.query),
        },
    )


@login_required
def business_search(request):
    """Suggestions for a BusinessField's <datalist>: a few businesses in the user's scope, as JSON.

    By the start of the credit code or a part of the name; under two characters nothing (a single
    character matches a good part of a 100,000-business roster). The value is what BusinessField
    resolves back (business_label); nothing outside the user's scope is ever listed.
    """
    text = " ".join(request.GET.get("q", "").split())[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    code = squash(text).upper()
    found = (
        scope(request.user, Business.objects.select_related("village"))
        .filter(Q(name__icontains=text) | Q(credit_code__startswith=code))
        .order_by("name", "pk")[:SUGGESTIONS]
    )
    return JsonResponse({"results": [{"value": business_label(b)} for b in found]})


@login_required
def business_detail(request, pk: int):
    business = get_object_or_404(selectors.business_detail_queryset(user=request.user), pk=pk)
    return render(
        request,
        "campaigns/business_detail.html",
        {
            "business": business,
            "missing_types": services.licence_types_missing(business),
            "can_change": access.can_change_business(request.user, business),
            # O5: a city bureau records its own certifications here (never other changes)
            "can_certify": access.can_certify(request.user),
            "certify_types": access.certify_type_ids(request.user),
            "panels": render_business_panels(request, business),
        },
    )


def _save_business(request, form, business):
    try:
        business = services.business_save(
            business=form.save(commit=False), subtypes=form.cleaned_data["subtypes"]
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, _("已保存“%(name)s”。") % {"name": business.name})
    return redirect(business)


@rule_required(access.can_create_business)
@require_http_methods(["GET", "POST"])
def business_create(request):
    form = BusinessForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = _save_business(request, form, None)
        if response:
            return response
    return render(request, "campaigns/business_form.html", {"form": form, "business": None})


@login_required
@require_http_methods(["GET", "POST"])
def business_edit(request, pk: int):
    business = get_object_or_404(selectors.business_queryset(user=request.user, write=True), pk=pk)
    form = BusinessForm(request.POST or None, instance=business, user=request.user)
    if request.method == "POST" and form.is_valid():
        response = _save_business(request, form, business)
        if response:
            return response
    return render(request, "campaigns/business_form.html", {"form": form, "business": business})


@login_required
@require_http_methods(["GET", "POST"])
def licence_add(request, pk: int):
    business = get_object_or_404(selectors.business_queryset(user=request.user, write=True), pk=pk)
    form = LicenceForm(
        request.POST or None, business=business, initial={"licence_type": request.GET.get("type")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_save(licence=form.save(commit=False))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("证照已登记。"))
            return redirect(business)
    return render(
        request, "campaigns/licence_form.html", {"form": form, "business": business, "title": _("登记证照")}
    )


def _licence_for(request, pk: int) -> Licence:
    return get_object_or_404(selectors.licence_queryset(user=request.user, write=True), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk: int):
    licence = _licence_for(request, pk)
    form = LicenceForm(request.POST or None, instance=licence, business=licence.business)
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_save(licence=form.save(commit=False))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("证照已更新。"))
            return redirect(licence.business)
    return render(
        request,
        "campaigns/licence_form.html",
        {"form": form, "business": licence.business, "licence": licence, "title": _("修改证照")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence_renew(request, pk: int):
    licence = _licence_for(request, pk)
    form = LicenceRenewForm(request.POST or None, initial={"issuer": licence.issuer})
    if request.method == "POST" and form.is_valid():
        try:
            services.licence_renew(licence=licence, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("证照已换发。"))
            return redirect(licence.business)
    return render(
        request,
        "campaigns/licence_form.html",
        {"form": form, "business": licence.business, "licence": licence, "title": _("换发证照")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def licence_revoke(request, pk: int):
    licence = _licence_for(request, pk)
    form = LicenceRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.licence_revoke(licence=licence, reason=form.cleaned_data["reason"])
        messages.warning(request, _("证照已吊销。"))
        return redirect(licence.business)
    return render(
        request,
        "campaigns/licence_form.html",
        {
            "form": form,
            "business": licence.business,
            "licence": licence,
            "title": _("吊销证照"),
            "danger": True,
        },
    )
