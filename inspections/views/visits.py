"""The inspector's pages: due list, start a visit, the visit form, the visit record, photos."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, scoping
from accounts.scoping import reach
from campaigns.models import Village
from campaigns.selectors import business_queryset
from lib.lists import list_page, paginate

from .. import selectors, services
from ..choices import OrderStatus, VisitKind, VisitOutcome, VisitStatus
from ..filters import VisitFilter
from ..forms import AmendmentForm, VisitForm, VisitStartForm


@access.rule_required(access.works_in_field)  # the rule of its menu entry (accounts/nav.py)
def due_list(request):
    """Due today and overdue in the user's scope (an inspector: their village); or a search."""
    today = timezone.localdate()
    r = reach(request.user)
    q = request.GET.get("q", "").strip()
    # Whoever works across villages (the office, a department, leadership) gets the list grouped by village
    # and a village filter; a village inspector has one village.
    villages = Village.objects.none()
    if r.read_all or r.departments:
        villages = scoping.villages(request.user).order_by("order", "name")  # issue 24: the user's towns
    if r.villages and not (r.read_all or r.departments) and len(r.villages) > 1:
        villages = Village.objects.filter(pk__in=r.villages).order_by("order", "name")
    villages = list(villages)
    village = next((v for v in villages if str(v.pk) == request.GET.get("village", "")), None)
    if q:
        rows = selectors.business_search(user=request.user, q=q, today=today)
    else:
        rows = selectors.due_list(
            user=request.user, today=today, village=village, by_village=bool(villages) and village is None
        )
    # No FilterSet: a search replaces the due list by another selector (any unit in scope, not only due).
    page = paginate(request, rows)
    return render(
        request,
        "inspections/due_list.html",
        {
            "page": page,
            "q": q,
            "today": today,
            "query": urlencode({k: v for k, v in (("q", q), ("village", village and village.pk)) if v}),
            "villages": villages,
            "village": village,
            "grouped": bool(villages) and village is None and not q,
            # leaders and supervisors read the list; those who inspect get the buttons
            "can_start": access.can_start_visits(request.user),
        },
    )


# The visit list counts at most this many visits (lib.lists.CappedPaginator): a town's inspector reaches
# 100,000 at city scale, and the count cost more than the page (issue 26).
VISIT_LIST_COUNT_CAP = 1000


@access.rule_required(access.works_in_field)  # the rule of its menu entry (accounts/nav.py)
def visit_list(request):
    listing = list_page(
        request, VisitFilter, selectors.visit_list(user=request.user), count_cap=VISIT_LIST_COUNT_CAP
    )
    return render(
        request,
        "inspections/visit_list.html",
        {
            **listing.context(),
            "statuses": VisitStatus.choices,
            "outcomes": VisitOutcome.choices,
            "kinds": VisitKind.choices,
            "current": request.GET,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_start(request, business_pk: int):
    business = get_object_or_404(business_queryset(user=request.user, write=True), pk=business_pk)
    open_orders = list(business.rectification_orders.filter(status=OrderStatus.OPEN).order_by("deadline"))
    initial_kind = VisitKind.REINSPECTION if open_orders else request.GET.get("kind", VisitKind.ROUTINE)
    form = VisitStartForm(
        request.POST or None, initial={"kind": initial_kind}, business=business, user=request.user
    )
    if not business.is_active:
        form.add_error(
            None,
            _("“%(name)s”状态为“%(status)s”，不能再登记检查。")
            % {"name": business.name, "status": business.get_status_display()},
        )
    elif request.method == "POST" and form.is_valid():
        order = None
        if order_pk := request.POST.get("order"):
            order = next((o for o in open_orders if str(o.pk) == order_pk), None)
        try:
            visit = services.visit_start(
                business=business,
                user=request.user,
                kind=form.cleaned_data["kind"],
                reinspection_of=order,
                inspectors=[request.user, *form.cleaned_data["companions"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("inspections:visit_edit", visit.pk)
    return render(
        request,
        "inspections/visit_start.html",
        {"business": business, "form": form, "open_orders": open_orders},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    visit = get_object_or_404(selectors.visit_detail_queryset(user=request.user, write=True), pk=pk)
    if not visit.is_draft:
        return redirect(visit)
    form = VisitForm(request.POST or None, request.FILES or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            if submitting:
                services.visit_submit(visit=visit, user=request.user, data=form.to_input())
            else:
                services.visit_save_draft(visit=visit, user=request.user, data=form.to_input())
        except ValidationError as exc:
            form.add_service_errors(exc)
            messages.error(request, _("未能保存：请按标红的提示修改。已填写的内容仍保留在本页。"))
        else:
            if submitting:
                messages.success(request, _("检查已提交。"))
                return redirect(f"{reverse('inspections:visit_detail', args=[visit.pk])}?saved=1")
            messages.success(request, _("草稿已保存。"))
            return redirect(f"{reverse('inspections:visit_edit', args=[visit.pk])}?saved=1")
    elif request.method == "POST":
        messages.error(request, _("未能保存：请按标红的提示修改。"))
    return render(
        request,
        "inspections/visit_form.html",
        {
            "visit": visit,
            "form": form,
            "saved": request.GET.get("saved") == "1",
            "today": timezone.localdate(),
        },
    )


@login_required
def visit_detail(request, pk: int):
    visit = get_object_or_404(selectors.visit_detail_queryset(user=request.user), pk=pk)
    can_change = access.can_change_business(request.user, visit.business)
    assigned = any(u.pk == request.user.pk for u in visit.inspectors.all())
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "can_change": can_change or (visit.is_draft and assigned),
            "amend_form": AmendmentForm() if can_change and not visit.is_draft else None,
            "saved": request.GET.get("saved") == "1",
        },
    )


@login_required
@require_POST
def visit_amend(request, pk: int):
    visit = get_object_or_404(selectors.visit_queryset(user=request.user, write=True), pk=pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.visit_amend(visit=visit, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("更正已记录。"))
    else:
        messages.error(request, _("请填写更正内容和更正原因。"))
    return redirect(visit)


@login_required
def photo(request, pk: int):
    """A visit photo, only to users who may see the visit (never a public media URL)."""
    item = get_object_or_404(selectors.photo_queryset(user=request.user), pk=pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def photo_delete(request, pk: int):
    item = get_object_or_404(
        selectors.photo_queryset(user=request.user, write=True),
        pk=pk,
    )
    try:
        services.photo_delete(photo=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("inspections:visit_edit", item.visit_id)
