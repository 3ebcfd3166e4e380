"""The targets dashboard, its drill-down lists and its Excel export. Every figure is scoped to the user."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access, scoping
from accounts.scoping import current_campaign
from campaigns.models import Business, Campaign, Category, Department, Town, Village
from lib import sheets
from lib.lists import paginate

from .. import activity, figures, selectors, services, status
from ..forms import AsOfForm
from ..targets import Ctx, available


def _require_viewer(request) -> None:
    if not access.can_view_dashboard(request.user):
        raise Http404


def _as_of(request) -> datetime.date:
    form = AsOfForm(request.GET)
    if form.is_valid() and form.cleaned_data["as_of"]:
        return form.cleaned_data["as_of"]
    return timezone.localdate()


def _pivot(figs: list[figures.Figure], attr: str, targets) -> list[tuple]:
    """Rows of (village or category, [figure or None per target]) for a table of the split."""
    cells = {(getattr(f, attr).pk, f.target.id): f for f in figs}
    subjects = sorted({getattr(f, attr) for f in figs}, key=lambda s: (s.order, s.pk))
    return [(s, [cells.get((s.pk, t.id)) for t in targets]) for s in subjects]


def _matrix(figs: list[figures.Figure], target_id: str):
    """Rows of (village, [figure or None per category]) for one target, and the categories."""
    cells = {(f.village.pk, f.category.pk): f for f in figs if f.target.id == target_id}
    villages = sorted({f.village for f in figs if f.target.id == target_id}, key=lambda v: (v.order, v.name))
    categories = sorted({f.category for f in figs if f.target.id == target_id}, key=lambda c: c.order)
    rows = [(v, [cells.get((v.pk, c.pk)) for c in categories]) for v in villages]
    return categories, rows


def _models(user, town=None) -> dict:
    """W2/E4: model units by category and the model markets, within the user's scope — and, per village,
    how far the model has spread: 点 (a model unit), 线 (a model market or street), 面 (a model village).
    `town`: the town a city user's dashboard is cut to (issue 24): that town's, not the whole city's."""
    qs = figures.businesses(user=user).filter(is_model=True)
    markets = scoping.markets(user).filter(is_model=True)
    villages = scoping.villages(user)
    if town is not None:  # the town's villages as a list: their index ranges, not a join to every town
        ids = list(Village.objects.filter(town=town).values_list("pk", flat=True))
        qs, markets, villages = (
            qs.filter(village_id__in=ids),
            markets.filter(village_id__in=ids),
            villages.filter(pk__in=ids),
        )
    counted = list(
        qs.order_by()
        .values("village_id", "category__short_name", "category__order")
        .annotate(n=Count("pk"))
        .order_by("category__order")
    )
    by_category: list[dict] = []
    units: dict[int, int] = {}
    for row in counted:
        if not by_category or by_category[-1]["category__short_name"] != row["category__short_name"]:
            by_category.append({"category__short_name": row["category__short_name"], "n": 0})
        by_category[-1]["n"] += row["n"]
        units[row["village_id"]] = units.get(row["village_id"], 0) + row["n"]
    markets = list(markets.select_related("village"))
    lines = {}
    for m in markets:
        lines.setdefault(m.village_id, []).append(m)
    spread = []
    for v in villages.filter(Q(pk__in=units) | Q(pk__in=lines) | Q(is_model=True)).order_by("order"):
        stage = "面" if v.is_model else "线" if v.pk in lines else "点"
        spread.append(
            {"village": v, "units": units.get(v.pk, 0), "markets": lines.get(v.pk, []), "stage": stage}
        )
    return {
        "units": by_category,
        "total": sum(r["n"] for r in by_category),
        "markets": markets,
        "spread": spread,
    }


def _town_param(request) -> Town | None:
    """?town=CODE: the city dashboard's drill-down into one town (issue 24); 404 on an unknown code."""
    code = request.GET.get("town")
    return get_object_or_404(Town, code=code) if code else None


@login_required
def city(request):
    """The city's dashboard (O5, issue 24): every target per town side by side, the towns ranked by the
    chosen target; a town's name opens the town dashboard cut to that town (then village → business)."""
    user = request.user
    if not access.is_city(user):
        raise Http404
    as_of = _as_of(request)
    ctx = Ctx.at(as_of, current_campaign(request.user))
    targets = selectors.targets_for_user(user)
    by_id = {t.id: t for t in targets}
    rank_by = by_id.get(request.GET.get("rank", ""))
    rows, computed_at = selectors.city_board(user, targets, ctx, rank_by=rank_by)
    return render(
        request,
        "dashboard/city.html",
        {
            "as_of": as_of,
            "computed_at": computed_at,
            "exact": as_of == timezone.localdate() and status.serves(ctx),
            "as_of_form": AsOfForm(initial={"as_of": as_of}),
            "targets": targets,
            "rank_by": rank_by,
            "rows": rows,
            "whose": selectors.whose_figures(user),
        },
    )


@login_required
def index(request):
    _require_viewer(request)
    user = request.user
    as_of = _as_of(request)
    campaign = user_campaign = current_campaign(request.user)
    ctx = Ctx.at(as_of, campaign)  # the other towns' own campaign starts apply inside (ctx.town_starts)
    targets = selectors.targets_for_user(user)
    in_town = _town_param(request)
    if in_town is not None:  # the phase and the trend shown are that town's own campaign's (issue 24)
        campaign = Campaign.current(in_town)
    splits, computed_at = figures.splits_for(user, targets, ctx, in_one=in_town)
    town = selectors.worst_first(splits["town"])  # what needs work first (issue 20)
    matrix_figs = splits["matrix"]
    matrix_target = request.GET.get("matrix") or (targets[0].id if targets else "")
    if matrix_target not in {t.id for t in targets}:
        matrix_target = targets[0].id if targets else ""
    categories, matrix_rows = _matrix(matrix_figs, matrix_target)
    # Issue 24: the trend of the town shown (the one cut to, or the user's own), not the install's whole.
    trend_town = (in_town or scoping.home_town(user)) if scoping.reach(user).multi_town else None
    dates, series, trend_computed_at = selectors.trend(campaign, targets, trend_town)
    return render(
        request,
        "dashboard/index.html",
        {
            "as_of": as_of,
            "computed_at": computed_at,
            # Today's figures from the per-business status are exact: no "数据截至" (issue 26).
            "exact": as_of == timezone.localdate() and status.serves(ctx),
            "as_of_form": AsOfForm(initial={"as_of": as_of}),
            "is_today": as_of == timezone.localdate(),
            "campaign": campaign,
            "phase": campaign.phase_on(as_of) if campaign else None,
            "targets": targets,
            "town": town,
            "whose": selectors.whose_figures(user),
            "summary": selectors.summary(town),
            "by_village": _pivot(splits["village"], "village", targets),
            "by_category": _pivot(splits["category"], "category", targets),
            "by_department": _by_department(splits["department"]),
            "matrix_target": matrix_target,
            "matrix_categories": categories,
            "matrix_rows": matrix_rows,
            "town_chart": {
                "ids": [f.target.id for f in town],
                "labels": [str(f.target.label) for f in town],
                "rates": [f.percent for f in town],
                "goals": [round(f.goal * 100, 1) for f in town],
                "status": [f.status for f in town],
            },
            "trend": {"dates": dates, "series": [{"id": k, "data": v} for k, v in series.items()]},
            "trend_computed_at": trend_computed_at,
            "counters": activity.counters(user, campaign=user_campaign, town=in_town),
            "models": _models(user, in_town),
            "can_manage": access.can_manage_papers(user),
            "can_read_documents": access.can_read_town_documents(user),
            "in_town": in_town,
            "is_city": access.is_city(user),
        },
    )


def _by_department(figs: list[figures.Figure]) -> list[tuple[Department, list[figures.Figure]]]:
    grouped: dict[int, tuple[Department, list]] = {}
    for f in figs:
        grouped.setdefault(f.department.pk, (f.department, []))[1].append(f)
    return sorted(grouped.values(), key=lambda pair: pair[0].name)


def _drill_scope(request):
    """The target and the scope of a drill-down from its query string; 404 on anything unknown."""
    targets = {t.id: t for t in selectors.targets_for_user(request.user)}
    target = targets.get(request.GET.get("target", ""))
    if target is None:
        raise Http404
    village = category = department = None
    town = _town_param(request)
    if request.GET.get("village"):
        village = get_object_or_404(Village, code=request.GET["village"])
    if request.GET.get("category"):
        category = get_object_or_404(Category, code=request.GET["category"])
    if request.GET.get("department"):
        department = get_object_or_404(Department, code=request.GET["department"])
    return target, village, category, department, town


@login_required
def drill(request):
    """The businesses behind a figure that do NOT meet its target, each linking to its page."""
    _require_viewer(request)
    target, village, category, department, town = _drill_scope(request)
    as_of = _as_of(request)
    ctx = Ctx.at(as_of, current_campaign(request.user))
    kept = status.serves(ctx)
    scope = {
        "user": request.user,
        "village": village,
        "category": category,
        "department": department,
        "town": town,
    }
    listed = figures.failing_kept(target, ctx, **scope) if kept else None
    if listed is not None:
        # Today, for a reader of every town: the count from the kept totals and the page by an ordered walk
        # of the failing rows' index ranges — work in proportion to the page, not to the city (issue 26:
        # the COUNT and the sort of every failing business grew 4.8× per 10× of N).
        page = paginate(request, listed)
    elif kept:
        # Today the list is read from the kept rows: a COUNT on the failing rows' index and the page's 50 —
        # not every failing id into Python (63,000 for G1 over 100,000 businesses: 410 ms; issue 26).
        failing = figures.failing(target, ctx, kept=kept, **scope)
        page = paginate(request, failing.values_list("pk", flat=True))
    else:
        # Computed live: one pass over the condition, not two (a COUNT and then the page each tested every
        # business: 1.1 s for G3 over 100,000): the ordered ids of all of them, then the page's rows by id.
        failing = figures.failing(target, ctx, kept=kept, **scope)
        page = paginate(request, list(failing.values_list("pk", flat=True)))
    ids = list(page.object_list)
    rows = {b.pk: b for b in Business.objects.filter(pk__in=ids).select_related("category", "village")}
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # one deleted meanwhile: gone
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/drill.html",
        {
            "target": target,
            "village": village,
            "category": category,
            "department": department,
            "town": town,
            "as_of": as_of,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
def export(request):
    """The dashboard's figures as an Excel workbook: one sheet per split."""
    _require_viewer(request)
    as_of = _as_of(request)
    ctx = Ctx.at(as_of, current_campaign(request.user))
    targets = selectors.targets_for_user(request.user)
    book = sheets.Book()
    splits, _computed_at = figures.splits_for(request.user, targets, ctx)
    header = [
        _("目标"),
        _("内容"),
        _("村（社区）"),
        _("类别"),
        _("牵头部门"),
        _("目标值"),
        _("达标数"),
        _("应统计数"),
        _("完成率"),
    ]
    for split, label in figures.SPLIT_LABELS.items():
        sheet = book.sheet(
            str(label), header, [6, 36, 14, 14, 14, 9, 9, 9, 9], title=_("专项整治目标完成情况"), as_of=as_of
        )
        for f in splits[split]:
            sheet.write(
                [
                    f.target.id,
                    str(f.target.label),
                    f.village.name if f.village else "",
                    f.category.short_name if f.category else "",
                    str(f.department) if f.department else "",
                    f"{f.goal * 100:.1f}%",
                    f.numerator,
                    f.denominator,
                    f"{f.rate * 100:.1f}%" if f.rate is not None else "",
                ]
            )
    info = book.sheet(_("说明"), [_("目标"), _("内容"), _("统计规则")], [8, 36, 80], as_of=as_of)
    for t in targets:
        info.write([t.id, str(t.label), str(t.rule)])
    return sheets.xlsx_response(book.close(), f"专项整治目标-{as_of:%Y%m%d}.xlsx")


@login_required
@require_POST
def refresh_trend(request):
    """The office recomputes the weekly trend now instead of waiting for the nightly task."""
    if not access.can_manage_papers(request.user):
        raise Http404
    campaign = current_campaign(request.user)
    if campaign is None:
        raise Http404
    ctx = Ctx.at(timezone.localdate(), campaign)
    if services.figures_kept():
        # City scale: seconds of work for the database — a worker does it, the page stays responsive.
        if services.figures_refresh_later(ctx):
            message = _("已开始在后台重新计算目标数据和趋势，完成后页面上的“数据截至”时间会更新。")
        else:
            message = _("目标数据正在后台重新计算中，完成后页面上的“数据截至”时间会更新。")
        messages.info(request, message)
    else:
        town = services.snapshot_town(scoping.home_town(request.user))
        services.snapshots_refresh(campaign=campaign, full=True, town=town)
        figures.town_matrix(available(), ctx, refresh=True)
        messages.success(request, _("目标数据和趋势已重新计算。"))
    return redirect("dashboard:index")
