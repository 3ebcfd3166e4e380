"""O5: a city bureau's certifications — the licences it issues (市药监局 the 药品经营许可证, 市质监局 the
食品生产许可证) and their revocation — recorded for the businesses of its categories in every town, through
the office's licence services (reminders planned and today's kept figures updated in the same transaction).
The bureau reaches nothing else of the roster to write: only the types it issues, only these pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.access import rule_required
from lib.forms import apply_service_errors, id_param
from lib.lists import list_page

from .. import selectors, services
from ..choices import LicenceState
from ..filters import CertificationFilter
from ..forms import CertificationForm, LicenceRevokeForm


@rule_required(access.can_certify)
def certification_list(request):
    """What the user's bureau recorded: certifications and revocations, newest first."""
    listing = list_page(request, CertificationFilter, selectors.bureau_certifications(user=request.user))
    return render(
        request,
        "campaigns/certification_list.html",
        {**listing.context(), "types": selectors.certifiable_types(user=request.user)},
    )


def _bureau_names(user) -> str:
    return "、".join(d.name for d in selectors.user_bureaus(user=user))


@rule_required(access.can_certify)
@require_http_methods(["GET", "POST"])
def certification_add(request):
    """Record a licence the bureau issued (?business=<id> from the business page fills in the unit)."""
    user = request.user
    businesses = selectors.certifiable_businesses(user=user)
    types = list(selectors.certifiable_types(user=user))
    initial = {}
    business_id = id_param(request.GET.get("business"))
    if business_id is not None:
        initial["business"] = get_object_or_404(businesses, pk=business_id)
    if request.GET.get("type"):
        initial["licence_type"] = id_param(request.GET["type"])
    form = CertificationForm(
        request.POST or None,
        initial=initial,
        businesses=businesses,
        types=types,
        bureau_names=_bureau_names(user),
    )
    if request.method == "POST" and form.is_valid():
        licence = form.save(commit=False)
        bureau = selectors.certifying_bureau(user=user, licence_type=licence.licence_type)
        try:
            services.licence_certify(licence=licence, bureau=bureau, user=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(bureau)s已登记“%(name)s”的%(type)s。")
                % {"bureau": bureau.name, "name": licence.business.name, "type": licence.licence_type.name},
            )
            return redirect(licence.business)
    return render(request, "campaigns/certification_form.html", {"form": form, "title": _("登记发证")})


@rule_required(access.can_certify)
@require_http_methods(["GET", "POST"])
def certification_revoke(request, pk: int):
    """Revoke a licence of a type the bureau issues (another type, or a business outside its categories:
    the same 404 as a licence that does not exist)."""
    user = request.user
    licences = selectors.certifiable_licences(user=user).exclude(state=LicenceState.REVOKED)
    licence = get_object_or_404(licences, pk=pk)
    form = LicenceRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bureau = selectors.certifying_bureau(user=user, licence_type=licence.licence_type)
        services.licence_revoke(licence=licence, reason=form.cleaned_data["reason"], bureau=bureau)
        messages.warning(request, _("%(bureau)s已吊销该证照。") % {"bureau": bureau.name})
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
