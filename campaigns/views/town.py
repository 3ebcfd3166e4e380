"""Issue 24: the office sets its town's own settings (the G2 ledger window, E2's return-check days, the
documents' masthead and numbering prefix; an empty field keeps the installation's default), its own
campaign and phases' dates, and (O1) its leading group's members — its own town's only (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.access import rule_required
from lib.forms import apply_service_errors

from .. import selectors, services
from .. import town_settings as effective_settings
from ..forms import LeadingGroupMemberForm, TownCampaignForm, TownSettingsForm
from ..models import Campaign, LeadingGroupMember, TownSettings


def _own(town) -> TownSettings:
    try:
        return town.settings
    except TownSettings.DoesNotExist:
        return TownSettings(town=town)


@login_required
def town_settings(request):
    """The towns the office sets, each with the values in force (its own or the default)."""
    if not access.can_edit_town_settings(request.user):
        raise Http404
    towns = list(selectors.settings_towns(request.user))
    rows = [(town, _own(town), effective_settings.effective(_own(town))) for town in towns]
    return render(
        request,
        "campaigns/town_settings.html",
        {"rows": rows, "defaults": effective_settings.default()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def town_settings_edit(request, pk: int):
    """One town's settings form."""
    if not access.can_edit_town_settings(request.user):
        raise Http404
    town = get_object_or_404(selectors.settings_towns(request.user), pk=pk)
    form = TownSettingsForm(request.POST or None, instance=_own(town))
    if request.method == "POST" and form.is_valid():
        try:
            services.town_settings_save(row=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(town)s的设置已保存。") % {"town": town.name})
            return redirect("campaigns:town_settings")
    return render(
        request,
        "campaigns/town_settings_edit.html",
        {"form": form, "town": town, "defaults": effective_settings.default()},
    )


# --- the town's own campaign and its phases' dates --------------------------------------------------------
@login_required
def town_campaigns(request):
    """The towns whose campaign the office sets, each with the campaign it runs (its own or the city's)
    and the phases' dates."""
    if not access.can_edit_town_campaign(request.user):
        raise Http404
    rows = []
    for town in selectors.settings_towns(request.user):
        campaign = Campaign.current(town)
        phases = list(campaign.phases.order_by("starts_on")) if campaign is not None else []
        rows.append((town, campaign, phases))
    return render(request, "campaigns/town_campaigns.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def town_campaign_edit(request, pk: int):
    """One town's campaign: its name and dates and the end of the rectification phase (P1)."""
    if not access.can_edit_town_campaign(request.user):
        raise Http404
    town = get_object_or_404(selectors.settings_towns(request.user), pk=pk)
    campaign = Campaign.current(town)
    initial = {}
    if campaign is not None:
        p1 = campaign.phases.filter(code="P1").first()
        initial = {
            "name": campaign.name if campaign.town_id == town.pk else f"{town.name}{campaign.name}",
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "p1_ends_on": p1.ends_on if p1 is not None else None,
        }
    form = TownCampaignForm(request.POST or None, initial=initial)
    own = campaign is not None and campaign.town_id == town.pk
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.town_campaign_save(town=town, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(town)s的专项整治已保存。") % {"town": town.name})
            members = saved.leading_group.count() if not own else 0
            if members:  # O1: a new campaign kept the town's leading group
                messages.info(
                    request,
                    _("新专项沿用了本镇上一期专项的领导小组（%(n)d 人），可在“领导小组”中调整。")
                    % {"n": members},
                )
            return redirect("campaigns:town_campaigns")
    return render(request, "campaigns/town_campaign_edit.html", {"form": form, "town": town, "own": own})


# --- O1: the town's leading group ----------------------------------------------------------------------
@rule_required(access.can_manage_leading_group)
def leading_groups(request):
    """O1: the leading group of each town the office keeps — its current campaign's members, in order."""
    towns = list(selectors.settings_towns(request.user))
    campaigns = selectors.leading_group_campaigns(towns)
    members: dict[int, list[LeadingGroupMember]] = {}
    ids = [c.pk for c in campaigns.values() if c is not None]
    for member in selectors.leading_group_members(user=request.user).filter(campaign_id__in=ids):
        members.setdefault(member.campaign_id, []).append(member)
    rows = [
        (town, campaigns[town.pk], members.get(campaigns[town.pk].pk, []) if campaigns[town.pk] else [])
        for town in towns
    ]
    return render(request, "campaigns/leading_groups.html", {"rows": rows})


@rule_required(access.can_manage_leading_group)
@require_http_methods(["GET", "POST"])
def leading_group_add(request, pk: int):
    """O1: add a member to the town's leading group (its current campaign's)."""
    town = get_object_or_404(selectors.settings_towns(request.user), pk=pk)
    campaign = selectors.leading_group_campaigns([town])[town.pk]
    if campaign is None:
        messages.error(
            request,
            _("%(town)s目前沿用全市专项，请先在“本镇专项”设立本镇专项，再登记本镇领导小组。")
            % {"town": town.name},
        )
        return redirect("campaigns:town_campaign_edit", pk=town.pk)
    form = LeadingGroupMemberForm(request.POST or None, instance=LeadingGroupMember(campaign=campaign))
    return _member_form(request, form, town)


@rule_required(access.can_manage_leading_group)
@require_http_methods(["GET", "POST"])
def leading_group_member_edit(request, pk: int):
    member = get_object_or_404(selectors.leading_group_members(user=request.user), pk=pk)
    form = LeadingGroupMemberForm(request.POST or None, instance=member)
    return _member_form(request, form, member.campaign.town)


def _member_form(request, form, town):
    if request.method == "POST" and form.is_valid():
        try:
            member = services.leading_group_member_save(member=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("领导小组成员 %(name)s 已保存。") % {"name": member.name})
            return redirect("campaigns:leading_groups")
    return render(request, "campaigns/leading_group_member_form.html", {"form": form, "town": town})


@rule_required(access.can_manage_leading_group)
@require_POST
def leading_group_member_remove(request, pk: int):
    member = get_object_or_404(selectors.leading_group_members(user=request.user), pk=pk)
    services.leading_group_member_remove(member=member)
    messages.success(request, _("已将 %(name)s 移出领导小组。") % {"name": member.name})
    return redirect("campaigns:leading_groups")
