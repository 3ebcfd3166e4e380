"""W4: the report of units helped versus banned (疏堵结合), with drill-downs into the roster."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts import access
from accounts.scoping import current_campaign

from .. import help_report


@login_required
def help_vs_banned(request):
    if not access.can_view_dashboard(request.user):
        raise Http404
    campaign = current_campaign(request.user)
    since = campaign.starts_on if campaign else None
    cells = help_report.rows(user=request.user, since=since)
    by_category = sorted(help_report.totals(cells, "category"), key=lambda c: c.category.order)
    return render(
        request,
        "dashboard/help_report.html",
        {
            "cells": cells,
            "by_category": by_category,
            "helped": sum(c.helped for c in cells),
            "banned": sum(c.banned for c in cells),
            "since": since,
        },
    )
