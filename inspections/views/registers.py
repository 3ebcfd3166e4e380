"""Pages of the incident register (C7) and the work register; the public list of typical cases (W5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access, scoping
from accounts.scoping import reach
from campaigns.models import Department, Village
from lib.forms import apply_service_errors
from lib.lists import list_page, paginate

from .. import services
from ..choices import ACTIVITY_REQUIREMENT, MAJOR_SEVERITIES
from ..filters import ActivityFilter, IncidentFilter
from ..forms.registers import ActivityForm, IncidentForm, SlaughterReturnForm
from ..selectors import registers as selectors

PUBLIC_PAGE_SIZE = 20


def _page(request, qs, size=None):
    """A list without filters (the public list, the monthly returns): the page and the pager's query."""
    page = paginate(request, qs, **({"per_page": size} if size else {}))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- incidents (C7) ---------------------------------------------------------------------------------
@login_required
def incident_list(request):
    user = request.user
    if not access.can_see_registers(user):
        raise Http404
    listing = list_page(request, IncidentFilter, selectors.incident_list(user=user))
    return render(
        request,
        "inspections/registers/incident_list.html",
        {
            **listing.context(),
            "major": MAJOR_SEVERITIES,
            "can_record": access.can_record_incident(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    return _incident_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, pk: int):
    incident = get_object_or_404(selectors.incident_detail_queryset(user=request.user), pk=pk)
    return _incident_form(request, incident)


def _incident_form(request, incident):
    user = request.user
    can_record = access.can_record_incident(user)
    if incident is None and not can_record:
        raise Http404
    if request.method == "POST" and not can_record:
        raise Http404
    businesses = selectors.units_for_forms(user=user)
    form = (
        IncidentForm(request.POST or None, instance=incident, businesses=businesses) if can_record else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = services.incident_save(
                incident=form.instance, businesses=form.cleaned_data["units"], user=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("食品安全事故已登记。") if incident is None else _("已保存。"))
            return redirect(saved)
    units = list(incident.businesses.select_related("category", "village")) if incident else []
    return render(
        request,
        "inspections/registers/incident_form.html",
        {"incident": incident, "form": form, "units": units},
    )


# --- the work register -----------------------------------------------------------------------------
@login_required
def activity_list(request):
    user = request.user
    if not access.can_see_registers(user):
        raise Http404
    listing = list_page(request, ActivityFilter, selectors.activity_list(user=user))
    return render(
        request,
        "inspections/registers/activity_list.html",
        {
            **listing.context(),
            "summary": selectors.activity_summary(listing.filter.qs),
            "requirements": ACTIVITY_REQUIREMENT,
            "can_record": access.can_record_activity(user),
        },
    )


def _limit_choices(form: ActivityForm, user) -> None:
    """Outside the office one records work of one's own department or villages, and never publishes."""
    if access.can_publish_cases(user):  # the office: its own towns' villages and departments (issue 24)
        form.fields["village"].queryset = scoping.villages(user)
        form.fields["department"].queryset = scoping.departments(user)
        return
    r = reach(user)
    form.fields["department"].queryset = Department.objects.filter(pk__in=r.departments)
    if not r.departments:
        form.fields["village"].queryset = Village.objects.filter(pk__in=r.villages)
    del form.fields["published"]


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    user = request.user
    if not access.can_record_activity(user):
        raise Http404
    businesses = selectors.units_for_forms(user=user)
    form = ActivityForm(
        request.POST or None, businesses=businesses, initial={"kind": request.GET.get("kind")}
    )
    _limit_choices(form, user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_save(
                activity=form.instance, businesses=form.cleaned_data["units"], user=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("工作记录已登记。"))
            return redirect(activity)
    return render(request, "inspections/registers/activity_form.html", {"form": form})


@login_required
def activity_detail(request, pk: int):
    activity = get_object_or_404(selectors.activity_detail_queryset(user=request.user), pk=pk)
    units = list(selectors.record_units(user=request.user, record=activity))
    return render(
        request, "inspections/registers/activity_detail.html", {"activity": activity, "units": units}
    )


# --- public (W5) -------------------------------------------------------------------------------------
def exposure_public(request):
    """W5: the typical cases the office has published (曝光典型案例). No login; only what was published."""
    page, query = _page(request, selectors.published_cases(), PUBLIC_PAGE_SIZE)
    return render(request, "inspections/registers/exposure_public.html", {"page": page, "query": query})


# --- F1: the slaughterhouse's monthly return ------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def slaughter_returns(request):
    """F1: the monthly designated-slaughter rate, and the form to add a month (the lead department)."""
    user = request.user
    readable = selectors.slaughter_returns(user=user)
    plants = selectors.slaughterhouses_to_report(user=user)
    if not (reach(user).read_all or plants.exists()):
        raise Http404
    form = None
    if plants.exists():
        form = SlaughterReturnForm(request.POST or None, slaughterhouses=plants)
        if request.method == "POST" and form.is_valid():
            try:
                services.slaughter_return_save(entry=form.instance, user=user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("月报已填报。"))
                return redirect("inspections:slaughter_returns")
    elif request.method == "POST":
        raise Http404
    page, query = _page(request, readable)
    return render(
        request, "inspections/registers/slaughter_returns.html", {"page": page, "query": query, "form": form}
    )
