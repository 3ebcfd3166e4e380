"""W4 help records (on the business page), B5 the processing sites, B3 the green channel, C3's goal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.scoping import current_campaign, reach, town_wide_q
from lib.forms import apply_service_errors

from .. import selectors, services
from ..forms import ELedgerGoalForm, GreenChannelForm, HelpRecordForm, ProcessingSiteForm
from ..models import GreenChannel, HelpRecord, ProcessingSite


def help_panel(request, business):
    """The business page's W4/B3 panel (campaigns.panels); the page already checked the user's scope."""
    records = list(business.help_records.select_related("department", "site"))
    channel = GreenChannel.objects.filter(business=business).first()
    can_change = access.can_change_business(request.user, business)
    return (
        "campaigns/help_panel.html",
        {
            "records": records,
            "channel": channel,
            "can_change": can_change,
            "help_form": HelpRecordForm(prefix="help") if can_change else None,
            "channel_form": GreenChannelForm(prefix="gc", instance=channel)
            if can_change and business.category.code == "workshop"
            else None,
        },
    )


@login_required
@require_POST
def help_add(request, business_pk: int):
    business = get_object_or_404(selectors.business_queryset(user=request.user, write=True), pk=business_pk)
    form = HelpRecordForm(request.POST, prefix="help", instance=HelpRecord(business=business))
    if form.is_valid():
        try:
            services.help_record_add(record=form.instance, user=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("帮扶记录已登记。"))
            return redirect(business)
    messages.error(request, _("帮扶记录未保存：%(errors)s") % {"errors": _form_errors(form)})
    return redirect(business)


@login_required
@require_POST
def green_channel_save(request, business_pk: int):
    business = get_object_or_404(selectors.business_queryset(user=request.user, write=True), pk=business_pk)
    channel = GreenChannel.objects.filter(business=business).first() or GreenChannel(business=business)
    form = GreenChannelForm(request.POST, prefix="gc", instance=channel)
    if form.is_valid():
        try:
            services.green_channel_save(channel=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("绿色通道进度已保存。"))
            return redirect(business)
    messages.error(request, _("绿色通道进度未保存：%(errors)s") % {"errors": _form_errors(form)})
    return redirect(business)


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return "；".join(parts)


# --- B5 processing sites ---------------------------------------------------------------------------
def _sites_q(user, *, write: bool = False) -> Q:
    """Sites a user may see: all (of their towns) for read-all roles; those in their villages or taking
    an industry of a category their department leads — in the town that department role is held in
    (issue 24). write=True: the sites the office keeps, of the towns it is the office of."""
    r = reach(user)
    if write:
        return town_wide_q(user, "village__town", write=True)
    if r.read_all and r.all_towns_read:
        return Q()
    q = Q(village_id__in=r.villages)
    if r.read_all:
        q |= town_wide_q(user, "village__town")
    taking = ProcessingSite.industries.through.objects
    if r.departments and not r.multi_town:
        led = taking.filter(subtype__category__lead_department_id__in=r.departments)
        q |= Q(pk__in=led.values("processingsite_id"))
    elif r.departments:
        for department, town in r.department_towns:
            if town is not None:
                led = taking.filter(subtype__category__lead_department_id=department)
                q |= Q(village__town_id=town, pk__in=led.values("processingsite_id"))
    return q


@login_required
def site_list(request):
    if not access.can_see_registers(request.user):
        raise Http404
    sites = (
        ProcessingSite.objects.filter(_sites_q(request.user))
        .select_related("village")
        .prefetch_related("industries")
        .annotate(moved=Count("help_records__business", distinct=True))
    )
    return render(
        request,
        "campaigns/site_list.html",
        {"sites": sites, "can_create": access.can_manage_sites(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, pk: int | None = None):
    if not access.can_manage_sites(request.user):
        raise Http404
    sites = ProcessingSite.objects.filter(_sites_q(request.user, write=True))
    site = get_object_or_404(sites, pk=pk) if pk else None
    form = ProcessingSiteForm(request.POST or None, instance=site, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.processing_site_save(
                site=form.instance, industries=form.cleaned_data["industries"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("集中加工场已保存。"))
            return redirect(saved)
    return render(request, "campaigns/site_form.html", {"form": form, "site": site})


@login_required
def site_detail(request, pk: int):
    site = get_object_or_404(
        ProcessingSite.objects.filter(_sites_q(request.user)).select_related("village"), pk=pk
    )
    moved = HelpRecord.objects.filter(site=site).select_related("business__category", "business__village")
    return render(
        request,
        "campaigns/site_detail.html",
        {"site": site, "moved": moved, "can_edit": access.can_manage_sites(request.user)},
    )


# --- C3 goal -------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def e_ledger_goal(request):
    """C3: the office sets the campaign's e-ledger goal (a share of groceries, not 100%)."""
    if not access.can_set_goals(request.user):
        raise Http404
    campaign = current_campaign(request.user)
    if campaign is None:
        raise Http404
    form = ELedgerGoalForm(request.POST or None, initial={"percent": campaign.e_ledger_goal})
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_set_e_ledger_goal(campaign=campaign, percent=form.cleaned_data["percent"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("电子台账推广目标已设为 %(p)d%%。") % {"p": campaign.e_ledger_goal})
            return redirect("dashboard:index")
    return render(request, "campaigns/e_ledger_goal.html", {"form": form, "campaign": campaign})
