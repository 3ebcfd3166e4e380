"""What happened, from the apps that record it (inspections: visits, orders, cases, tip-offs).

The dashboard reads these through this one module so that it shows only what exists: each function
returns nothing for a model that is not installed. Every count is scoped to the user and is a fixed
number of queries (one aggregate per model), whatever the data.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from campaigns.models import Business, Campaign

TIPOFF_CLOSED = ("proven", "unfounded", "spam")


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def counters(user, today: datetime.date | None = None) -> list[dict]:
    """Open and overdue rectification orders, relapses, open unlicensed cases, tip-offs (scoped)."""
    from accounts.scoping import scope

    today = today or timezone.localdate()
    campaign = Campaign.current()
    since = campaign.starts_on if campaign else today - datetime.timedelta(days=365)
    result = []
    Order = _model("inspections.RectificationOrder")
    if Order is not None:
        row = scope(user, Order.objects.all(), "business__").aggregate(
            open=Count("pk", filter=Q(status="open")),
            overdue=Count("pk", filter=Q(status="open", deadline__lt=today)),
        )
        result += [
            {"label": _("整改中的通知书"), "value": row["open"], "url": _url("inspections:order_list")},
            {
                "label": _("逾期未复查"),
                "value": row["overdue"],
                "url": _url("inspections:order_list"),
                "alert": True,
            },
        ]
    Visit = _model("inspections.Visit")
    if Visit is not None:
        # Two counts, not one aggregate with FILTERs: the visits are an index-only range of
        # (status, started_at), the relapses a few rows of their partial index (city scale, issue 9).
        submitted = Visit.objects.filter(status="submitted", started_at__gte=_start_of(since))
        if not _reads_all(user):
            # The user's businesses as one set, not the scope's rule re-checked for each of ~10 visits a
            # business (the enforcement branch's rule is a licence check: 6 s over 1M visits, issue 9).
            submitted = submitted.filter(business__in=scope(user, Business.objects.all()).values("pk"))
        row = {
            "visits": submitted.count(),
            "relapses": submitted.filter(is_relapse=True).values("business").distinct().count(),
        }
        result += [
            {"label": _("专项以来检查"), "value": row["visits"], "url": _url("inspections:visit_list")},
            {"label": _("反弹单位（W3）"), "value": row["relapses"], "url": "", "alert": True},
        ]
    Case = _model("inspections.UnlicensedCase")
    if Case is not None:
        n = scope(user, Case.objects.filter(status="open"), "business__").count()
        result.append({"label": _("无证照案件查处中"), "value": n, "url": "", "alert": True})
    TipOff = _model("inspections.TipOff")
    if TipOff is not None and _reads_all(user):
        row = TipOff.objects.aggregate(
            received=Count("pk", filter=Q(submitted_at__gte=_start_of(since)) & ~Q(status="spam")),
            open=Count("pk", filter=~Q(status__in=TIPOFF_CLOSED)),
        )
        result += [
            {"label": _("专项以来举报"), "value": row["received"], "url": ""},
            {"label": _("举报待办结"), "value": row["open"], "url": "", "alert": True},
        ]
    return result


def _reads_all(user) -> bool:
    return access.reads_all(user)


def _visits_between(start: datetime.date, end: datetime.date):
    Visit = _model("inspections.Visit")
    return Visit.objects.filter(
        status="submitted",
        started_at__gte=_start_of(start),
        started_at__lt=_start_of(end + datetime.timedelta(days=1)),
    )


def period_activity(start: datetime.date, end: datetime.date) -> list[str]:
    """Bulletin lines: visits in the period by kind and by outcome."""
    Visit = _model("inspections.Visit")
    if Visit is None:
        return []
    from inspections.choices import VisitKind, VisitOutcome

    visits = _visits_between(start, end)
    total = visits.count()
    if not total:
        return []
    kinds = {r["kind"]: r["n"] for r in visits.values("kind").annotate(n=Count("pk")).order_by()}
    outcomes = {r["outcome"]: r["n"] for r in visits.values("outcome").annotate(n=Count("pk")).order_by()}
    units = visits.values("business").distinct().count()
    by_kind = "、".join(f"{label}{kinds[k]}次" for k, label in VisitKind.choices if kinds.get(k))
    by_outcome = "、".join(
        f"{label}{outcomes[k]}家次" for k, label in VisitOutcome.choices if outcomes.get(k)
    )
    relapses = visits.filter(is_relapse=True).count()
    lines = [f"本期共检查经营单位{units}家、{total}次，其中{by_kind}。", f"处理结果：{by_outcome}。"]
    if relapses:
        lines.append(f"发现整改后反弹{relapses}家次，已提高检查频次。")
    return lines


def period_cases(start: datetime.date, end: datetime.date) -> list[str]:
    """Bulletin lines: rectification orders, unlicensed cases and tip-offs in the period."""
    lines = []
    Order = _model("inspections.RectificationOrder")
    if Order is not None:
        issued = Order.objects.filter(issued_on__range=(start, end)).count()
        closed = Order.objects.filter(status="closed", closed_on__range=(start, end)).count()
        row = Order.objects.aggregate(
            open=Count("pk", filter=Q(status="open")),
            overdue=Count("pk", filter=Q(status="open", deadline__lt=end)),
        )
        lines.append(
            f"下达责令限期整改通知书{issued}份，复查销号{closed}份；目前整改中{row['open']}份，"
            f"其中逾期未复查{row['overdue']}份。"
        )
    Case = _model("inspections.UnlicensedCase")
    if Case is not None:
        opened = Case.objects.filter(opened_on__range=(start, end)).count()
        resolved = Case.objects.filter(resolved_on__range=(start, end)).count()
        open_now = Case.objects.filter(status="open").count()
        lines.append(f"无证照经营立案{opened}起、结案{resolved}起，查处中{open_now}起。")
    TipOff = _model("inspections.TipOff")
    if TipOff is not None:
        received = (
            TipOff.objects.filter(
                submitted_at__gte=_start_of(start),
                submitted_at__lt=_start_of(end + datetime.timedelta(days=1)),
            )
            .exclude(status="spam")
            .count()
        )
        lines.append(f"受理群众举报{received}件。")
    return lines


def acceptance_checks(record) -> list:
    """Visits of the kinds 暗访 (undercover) and 随机抽查 (random) in the record's scope and window: the
    unannounced and spot checks that fed the acceptance (P2)."""
    Visit = _model("inspections.Visit")
    if Visit is None:
        return []
    start = record.checks_from or record.checked_on - datetime.timedelta(days=30)
    visits = _visits_between(start, record.checked_on).filter(kind__in=("undercover", "random"))
    if record.village_id:
        visits = visits.filter(business__village_id=record.village_id)
    elif record.department.leads_unlicensed:
        from campaigns.selectors import missing_licence_exists

        visits = visits.filter(missing_licence_exists("business__", record.checked_on))
    else:
        visits = visits.filter(business__category__lead_department_id=record.department_id)
    return [
        {
            "date": timezone.localtime(v.started_at).date(),
            "kind": v.get_kind_display(),
            "business": v.business,
            "outcome": v.get_outcome_display() or "—",
            "url": v.get_absolute_url(),
        }
        for v in visits.select_related("business").order_by("started_at")
    ]
