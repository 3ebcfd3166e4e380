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
from ..forms import TownSettingsForm
from ..models import TownSettings


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
