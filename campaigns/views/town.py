"""Issue 24: the office sets its town's own settings (the G2 ledger window, E2's return-check days, the
documents' masthead and numbering prefix); an empty field keeps the installation's default."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from lib.forms import apply_service_errors

from .. import selectors, services
from .. import town_settings as effective_settings
from ..forms import TownCampaignForm, TownSettingsForm
from ..models import Campaign, TownSettings


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
    if request.method == "POST" and form.is_valid():
        try:
            services.town_campaign_save(town=town, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(town)s的专项整治已保存。") % {"town": town.name})
            return redirect("campaigns:town_campaigns")
    own = campaign is not None and campaign.town_id == town.pk
    return render(request, "campaigns/town_campaign_edit.html", {"form": form, "town": town, "own": own})
