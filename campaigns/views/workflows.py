"""Lists and reports the office runs on the roster: the green-channel workshops (B3), the temporary
licences' deadlines (E6), the village campaign groups (O2) and the recall/re-issue progress by industry
(B2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import rule_required
from lib.forms import apply_service_errors
from lib.lists import list_page

from .. import selectors, services
from ..choices import GreenChannelStage
from ..filters import GreenChannelFilter, LicenceReissueFilter, TemporaryLicenceFilter, VillageGroupFilter
from ..forms import LicenceReissueForm, VillageGroupMemberForm


@rule_required(access.can_see_registers)
def green_channel_list(request):
    """B3: every workshop on the green channel (applied → guided → licensed, with dates), by stage."""
    listing = list_page(request, GreenChannelFilter, selectors.green_channels(user=request.user))
    counts = selectors.green_channel_counts(listing.filter.qs)
    stages = [(value, label, counts.get(value, 0)) for value, label in GreenChannelStage.choices]
    return render(request, "campaigns/green_channel_list.html", {**listing.context(), "stages": stages})


@rule_required(access.can_see_registers)
def temporary_licences(request):
    """E6: each temporary licence with its rectification deadline and outcome; overdue ones flagged."""
    listing = list_page(request, TemporaryLicenceFilter, selectors.temporary_licences(user=request.user))
    today = timezone.localdate()
    return render(
        request,
        "campaigns/temporary_licences.html",
        {
            **listing.context(),
            "counts": selectors.temporary_licence_counts(listing.filter.qs, today),
            "today": today,
        },
    )


@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def village_groups(request):
    """O2: the village campaign groups' members, village by village; the office adds members here."""
    user = request.user
    can_manage = access.can_manage_village_groups(user)
    if request.method == "POST" and not can_manage:
        raise Http404
    form = VillageGroupMemberForm(request.POST or None, user=user) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            member = services.village_group_member_save(member=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已添加 %(name)s 到 %(village)s 专项整治小组。") % {
                "name": member.name, "village": member.village.name})  # fmt: skip
            return redirect("campaigns:village_groups")
    listing = list_page(request, VillageGroupFilter, selectors.village_group_members(user=user))
    return render(
        request,
        "campaigns/village_groups.html",
        {**listing.context(), "form": form, "can_manage": can_manage},
    )


@rule_required(access.can_manage_village_groups)
@require_POST
def village_group_member_remove(request, pk: int):
    member = get_object_or_404(selectors.village_group_members(user=request.user, write=True), pk=pk)
    services.village_group_member_remove(member=member)
    messages.success(request, _("已移除 %(name)s。") % {"name": member.name})
    return redirect("campaigns:village_groups")


@rule_required(access.can_see_registers)
@require_http_methods(["GET", "POST"])
def reissue_progress(request):
    """B2: the recall and re-issue of the workshops' commitment letters and licences — the progress table
    by industry, the records, and (for the office and departments) the form to record one."""
    user = request.user
    can_record = access.can_record_reissue(user)
    if request.method == "POST" and not can_record:
        raise Http404
    form = None
    if can_record:
        workshops = selectors.business_queryset(user=user, write=True).filter(category__code="workshop")
        form = LicenceReissueForm(request.POST or None, workshops=workshops)
        if request.method == "POST" and form.is_valid():
            try:
                services.licence_reissue_save(record=form.instance, user=user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("收回重发记录已保存。"))
                return redirect("campaigns:reissue_progress")
    listing = list_page(request, LicenceReissueFilter, selectors.licence_reissues(user=user))
    return render(
        request,
        "campaigns/reissue_progress.html",
        {**listing.context(), "progress": selectors.reissue_progress(user=user), "form": form},
    )
