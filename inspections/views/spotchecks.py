"""Random spot checks (P2 双随机一公开): draw, see, verify, redraw; and the public results page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from lib.forms import apply_service_errors, exc_has
from lib.lists import paginate

from .. import selectors
from ..choices import DrawStatus
from ..forms import DrawForm, RedrawForm
from ..services import spotchecks as services


def _draw_kwargs(data) -> dict:
    return {
        "title": data["title"],
        "categories": list(data["categories"]),
        "villages": list(data["villages"]),
        "grades": list(data["grades"]),
        "subtypes": list(data["subtypes"]),
        "drug_sales": data["drug_sales"],
        "count": data["count"],
        "percentage": data["percentage"],
        "pool_users": list(data["pool"]),
        "team_size": data["team_size"],
        "planned_on": data["planned_on"],
        "seed": data["seed"],
    }


@login_required
def draw_list(request):
    if not access.can_see_draws(request.user):
        raise Http404
    page = paginate(request, selectors.draw_list(), per_page=30)  # no filters: the town's record
    return render(
        request,
        "inspections/draw_list.html",
        {"page": page, "can_draw": access.can_draw(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draw_create(request, pk: int | None = None):
    """A new draw, or (with pk) a redraw of draw pk: a new recorded draw with a reason."""
    if not access.can_draw(request.user):
        raise Http404
    old = get_object_or_404(selectors.draw_queryset(user=request.user), pk=pk) if pk else None
    if old is not None and old.status != DrawStatus.ACTIVE:
        raise Http404
    initial = {}
    if old is not None:
        c = old.criteria
        initial = {
            "title": old.title,
            "categories": c.get("categories"),
            "villages": c.get("villages"),
            "grades": c.get("grades"),
            "subtypes": c.get("subtypes"),
            "drug_sales": c.get("drug_sales", False),
            "count": c.get("count"),
            "percentage": c.get("percentage"),
            "pool": [u for u, _v in old.pool],
            "team_size": old.team_size,
            "planned_on": old.planned_on,
        }
    form = DrawForm(request.POST or None, initial=initial, user=request.user)
    redraw_form = RedrawForm(request.POST or None) if old else None
    if request.method == "POST" and form.is_valid() and (redraw_form is None or redraw_form.is_valid()):
        try:
            draw = services.spotcheck_draw(
                user=request.user,
                redraw_of=old,
                reason=redraw_form.cleaned_data["reason"] if redraw_form else "",
                **_draw_kwargs(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_service_errors(redraw_form if exc_has(exc, "reason") and redraw_form else form, exc)
        else:
            messages.success(
                request, _("已抽取 %(n)d 家，并已向检查人员派发随机抽查任务。") % {"n": draw.size}
            )
            return redirect(draw)
    return render(
        request, "inspections/draw_form.html", {"form": form, "redraw_form": redraw_form, "old": old}
    )


@login_required
def draw_detail(request, pk: int):
    if not access.can_see_draws(request.user):
        raise Http404
    draw = get_object_or_404(selectors.draw_queryset(user=request.user), pk=pk)
    verified = replay = None
    if request.GET.get("verify"):
        verified, replay = services.draw_verify(draw)
    return render(
        request,
        "inspections/draw_detail.html",
        {
            "draw": draw,
            "pairs": selectors.draw_pairs(draw),
            "can_draw": access.can_draw(request.user),
            "verified": verified,
            "replay": replay,
            "redrawn_by": getattr(draw, "redrawn_by", None) if draw.status == DrawStatus.SUPERSEDED else None,
        },
    )


def spotcheck_results_public(request):
    """一公开: results of random spot checks once their visit is submitted; no login, no personal data."""
    page = paginate(request, selectors.published_results())
    return render(request, "inspections/spotcheck_results_public.html", {"page": page})
