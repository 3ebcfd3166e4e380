"""Tip-offs inside the system: the office triages; lead departments and inspectors read what is theirs.

The tipster's contact is shown to the office only (can_triage_tipoffs); the template never receives it
otherwise.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from lib.files import serve_private_file
from lib.forms import apply_service_errors
from lib.lists import list_page

from .. import antispam, selectors, services
from ..choices import TIPOFF_CLOSED, TipOffStatus
from ..filters import TipOffFilter
from ..forms import TipOffCheckForm, TipOffRewardForm, TipOffTriageForm


@login_required
def tipoff_list(request):
    user = request.user
    if not access.can_see_tipoffs(user):
        raise Http404
    office = access.can_triage_tipoffs(user)
    status = request.GET.get("status", "")
    qs = selectors.tipoff_list(user=user, include_spam=office and status == TipOffStatus.SPAM)
    listing = list_page(request, TipOffFilter, qs)
    return render(
        request,
        "inspections/tipoff_list.html",
        {
            **listing.context(),
            "status": status,
            "statuses": TipOffStatus.choices,
            "office": office,
            "counts": selectors.tipoff_counts(request.user) if office else None,
            "refused_today": antispam.refused_today() if office else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tipoff_detail(request, pk: int):
    user = request.user
    tipoff = get_object_or_404(selectors.tipoff_detail_queryset(user=user), pk=pk)
    office = access.can_triage_tipoffs(user)
    triage_form = reward_form = check_form = None
    if office:
        action = request.POST.get("action")
        triage_form = TipOffTriageForm(
            request.POST if action == "triage" else None,
            user=user,
            initial={
                "status": tipoff.status,
                "lead_department": tipoff.lead_department_id,
                "business": tipoff.business_id or tipoff.suggested_business_id,
                "triage_note": tipoff.triage_note,
            },
        )
        reward_form = TipOffRewardForm(
            request.POST if action == "reward" else None,
            initial={"amount": tipoff.reward_amount, "paid_on": tipoff.reward_paid_on},
        )
        check_form = TipOffCheckForm(request.POST if action == "check" else None, business=tipoff.business)
        if request.method == "POST":
            form = {"triage": triage_form, "reward": reward_form, "check": check_form}.get(action)
            if form is None:
                raise Http404
            if form.is_valid():
                try:
                    if form is triage_form:
                        services.tipoff_triage(tipoff=tipoff, user=user, **form.cleaned_data)
                        messages.success(request, _("举报已更新。"))
                    elif form is check_form:
                        visit = services.tipoff_schedule_check(tipoff=tipoff, user=user, **form.cleaned_data)
                        messages.success(
                            request,
                            _("已安排 %(who)s 于 %(day)s 核查“%(name)s”。")
                            % {
                                "who": form.cleaned_data["inspector"].get_full_name()
                                or form.cleaned_data["inspector"].username,
                                "day": f"{form.cleaned_data['planned_on']:%Y-%m-%d}",
                                "name": visit.business.name,
                            },
                        )
                    else:
                        services.tipoff_record_reward(tipoff=tipoff, **form.cleaned_data)
                        messages.success(request, _("举报奖励已登记。"))
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    return redirect(tipoff)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "inspections/tipoff_detail.html",
        {
            "tipoff": tipoff,
            "office": office,
            "triage_form": triage_form,
            "reward_form": reward_form,
            "check_form": check_form,
            "check_visits": selectors.tipoff_check_visits(tipoff),
            "closed": tipoff.status in TIPOFF_CLOSED,
        },
    )


@login_required
def tipoff_photo(request, pk: int):
    """Photos are private uploads: served only to users who may read the tip-off."""
    user = request.user
    if not access.can_see_tipoffs(user):
        raise Http404
    photo = get_object_or_404(selectors.tipoff_photo_queryset(user=user), pk=pk)
    return serve_private_file(request, photo.image)
