"""What happened, from the apps that record it (inspections: visits, orders, cases, tip-offs).

The dashboard reads these through this one module. Every count is scoped to the user and is a fixed
number of queries (one aggregate per model), whatever the data.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.scoping import current_campaign, reads_every_town, scope
from campaigns.models import Business, Village
from campaigns.selectors import missing_licence_exists
from inspections.choices import (
    TIPOFF_CLOSED,
    CaseStatus,
    OrderStatus,
    TipOffStatus,
    VisitKind,
    VisitOutcome,
    VisitStatus,
)
from inspections.models import RectificationOrder, TipOff, UnlicensedCase, Visit
from inspections.selectors import tipoff_q


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


_UNSET = object()


def counters(user, today: datetime.date | None = None, *, campaign=_UNSET, town=None) -> list[dict]:
    """Open and overdue rectification orders, relapses, open unlicensed cases, tip-offs (scoped).
    `campaign`: the user's current campaign when the caller has it already (the dashboard: no query more).
    `town`: the town a city user's dashboard is cut to (issue 24) — its counters, not the whole city's
    (3 M visits at 300,000 businesses counted for a page about one town)."""
    today = today or timezone.localdate()
    if campaign is _UNSET:
        campaign = current_campaign(user)
    since = campaign.starts_on if campaign else today - datetime.timedelta(days=365)
    result = []
    # The open orders only (an index range of (status, deadline)), not every order ever issued read and
    # filtered in the aggregate: a village's counters read 135,000 orders at 100,000 businesses (issue 26).
    # A town's villages named as a list: each count reads their businesses' index ranges, not a join of
    # every business of the city to its village and town (a town of 300,000: 100 ms a count).
    villages = None if town is None else list(Village.objects.filter(town=town).values_list("pk", flat=True))
    in_town = Q() if villages is None else Q(business__village_id__in=villages)
    open_orders = RectificationOrder.objects.filter(in_town, status=OrderStatus.OPEN)
    row = scope(user, open_orders, "business__").aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=today)),
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
    # Two counts, not one aggregate with FILTERs: the visits are an index-only range of
    # (status, started_at), the relapses a few rows of their partial index (city scale, issue 9).
    submitted = Visit.objects.filter(in_town, status=VisitStatus.SUBMITTED, started_at__gte=_start_of(since))
    if not reads_every_town(user):  # issue 24: a town's office counts its own town's visits
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
    n = scope(user, UnlicensedCase.objects.filter(in_town, status=CaseStatus.OPEN), "business__").count()
    result.append({"label": _("无证照案件查处中"), "value": n, "url": "", "alert": True})
    if _reads_all(user):
        tipoffs = TipOff.objects.filter(tipoff_q(user))  # its own town's (issue 24)
        if villages is not None:
            tipoffs = tipoffs.filter(
                Q(town=town) | Q(village_id__in=villages) | Q(business__village_id__in=villages)
            )
        row = tipoffs.aggregate(
            received=Count("pk", filter=Q(submitted_at__gte=_start_of(since)) & ~Q(status=TipOffStatus.SPAM)),
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
    return Visit.objects.filter(
        status=VisitStatus.SUBMITTED,
        started_at__gte=_start_of(start),
        started_at__lt=_start_of(end + datetime.timedelta(days=1)),
    )


def _in(town_id: int | None, prefix: str = "business__") -> Q:
    """Issue 24: the rows of one town's businesses (a town campaign's bulletin); Q() for every town."""
    return Q(**{f"{prefix}village__town_id": town_id}) if town_id is not None else Q()


def period_activity(start: datetime.date, end: datetime.date, town_id: int | None = None) -> list[str]:
    """Bulletin lines: visits in the period by kind and by outcome (of one town's businesses, `town_id`)."""
    visits = _visits_between(start, end).filter(_in(town_id))
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


def period_cases(start: datetime.date, end: datetime.date, town_id: int | None = None) -> list[str]:
    """Bulletin lines: rectification orders, unlicensed cases and tip-offs in the period (of one town,
    `town_id`: its businesses' orders and cases, the tip-offs of its villages)."""
    lines = []
    orders = RectificationOrder.objects.filter(_in(town_id))
    cases = UnlicensedCase.objects.filter(_in(town_id))
    issued = orders.filter(issued_on__range=(start, end)).count()
    closed = orders.filter(status=OrderStatus.CLOSED, closed_on__range=(start, end)).count()
    row = orders.aggregate(
        open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=OrderStatus.OPEN, deadline__lt=end)),
    )
    lines.append(
        f"下达责令限期整改通知书{issued}份，复查销号{closed}份；目前整改中{row['open']}份，"
        f"其中逾期未复查{row['overdue']}份。"
    )
    opened = cases.filter(opened_on__range=(start, end)).count()
    resolved = cases.filter(resolved_on__range=(start, end)).count()
    open_now = cases.filter(status=CaseStatus.OPEN).count()
    lines.append(f"无证照经营立案{opened}起、结案{resolved}起，查处中{open_now}起。")
    received = (
        TipOff.objects.filter(
            _in(town_id, ""),
            submitted_at__gte=_start_of(start),
            submitted_at__lt=_start_of(end + datetime.timedelta(days=1)),
        )
        .exclude(status=TipOffStatus.SPAM)
        .count()
    )
    lines.append(f"受理群众举报{received}件。")
    return lines


def acceptance_checks(record) -> list:
    """Visits of the kinds 暗访 (undercover) and 随机抽查 (random) in the record's scope and window: the
    unannounced and spot checks that fed the acceptance (P2)."""
    start = record.checks_from or record.checked_on - datetime.timedelta(days=30)
    visits = _visits_between(start, record.checked_on).filter(
        kind__in=(VisitKind.UNDERCOVER, VisitKind.RANDOM)
    )
    if record.village_id:
        visits = visits.filter(business__village_id=record.village_id)
    elif record.department.leads_unlicensed:
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
