"""Reads for inspections, scoped through accounts.scoping; every list is a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import DateField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from accounts.choices import RoleKind
from accounts.scoping import assigned_q, reach, referred_q, scope
from campaigns.models import Business

from ..choices import OrderStatus, VisitStatus
from ..models import ChecklistTemplate, DeadlineChange, RectificationOrder, Visit, VisitAnswer, VisitPhoto

FAR_FUTURE = datetime.date(9999, 12, 31)


def visit_list(*, user) -> QuerySet[Visit]:
    qs = Visit.objects.select_related(
        "business__village", "business__category", "created_by", "template"
    ).prefetch_related("inspectors")
    return scope(user, qs, "business__", also=_also(user), subquery=True)


def _also(user, *, write: bool = False) -> Q:
    """Visits reached otherwise than through the business: assigned ones, and (reading, a city bureau,
    O5) those whose outcome referred the business to it."""
    return assigned_visits(user) if write else assigned_visits(user) | referred_q(user)


def assigned_visits(user, prefix: str = "") -> Q:
    """The visits the user was assigned as an inspector, wherever they are: a spot-check draw sends
    inspectors to other villages (P2). They may open, fill in and submit those (not amend them later)."""
    return assigned_q(user, Visit, "inspectors", prefix)


def visit_inspector_choices(business: Business):
    """Who may inspect this business: its village's inspectors, its category's lead department and the
    office (the visit start form's companions, and whom a tip-off check may be assigned to)."""
    from django.contrib.auth import get_user_model

    roles = (
        Q(roles__kind=RoleKind.INSPECTOR, roles__village=business.village_id)
        | Q(roles__kind=RoleKind.DEPARTMENT, roles__department=business.category.lead_department_id)
        | Q(roles__kind=RoleKind.OFFICE)
    )
    return get_user_model().objects.filter(roles, is_active=True).distinct().order_by("username")


def visit_queryset(*, user, write: bool = False) -> QuerySet[Visit]:
    """Visits the user may open (write=True: change) — in scope, or assigned to them — without the
    detail page's prefetching (an amendment, a sample's visit)."""
    return scope(
        user, Visit.objects.select_related("business"), "business__", write=write, also=assigned_visits(user)
    )


def visit_detail_queryset(*, user, write: bool = False) -> QuerySet[Visit]:
    answers = VisitAnswer.objects.order_by("order", "pk").prefetch_related(
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("pk"))
    )
    qs = Visit.objects.select_related(
        "business__village__town",
        "business__category__lead_department",
        "template",
        "reinspection_of",
        "referral_department",
        "created_by",
        "tipoff",
    ).prefetch_related(
        Prefetch("answers", queryset=answers),
        "licence_checks__licence_type",
        "licence_checks__licence",
        Prefetch(
            "photos", queryset=VisitPhoto.objects.filter(answer=None).order_by("pk"), to_attr="general_photos"
        ),
        "amendments__author",
        "inspectors",
        "orders_issued",
        "orders_resolved",
    )
    return scope(user, qs, "business__", write=write, also=_also(user, write=write))


def order_list(*, user) -> QuerySet[RectificationOrder]:
    qs = RectificationOrder.objects.select_related(
        "business__village", "business__category", "visit", "closed_by"
    )
    return scope(user, qs, "business__")


def order_detail_queryset(*, user) -> QuerySet[RectificationOrder]:
    items = VisitAnswer.objects.order_by("order", "pk")
    qs = RectificationOrder.objects.select_related(
        "business__village__town",
        "business__category",
        "visit",
        "department",
        "closed_by",
        "successor",
        "return_check_visit",
        "issued_by",
    ).prefetch_related(
        Prefetch("items", queryset=items),
        "samples",
        "visit__inspectors",
        "reinspections",
        Prefetch("deadline_changes", queryset=DeadlineChange.objects.select_related("changed_by")),
    )
    return scope(user, qs, "business__")


def order_lead_q(user) -> Q:
    """Orders whose deadline the user may move: the office every one; a department those it issued (the
    business's lead department, O3); nobody else."""
    r = reach(user)
    if r.write_all:
        return Q()
    if not r.departments:
        return Q(pk__in=[])
    return Q(department_id__in=r.departments) | Q(
        department__isnull=True, business__category__lead_department_id__in=r.departments
    )


def order_reschedule_queryset(*, user) -> QuerySet[RectificationOrder]:
    qs = RectificationOrder.objects.select_related("business__village", "business__category", "department")
    return scope(user, qs, "business__").filter(order_lead_q(user))


def open_orders_with_items() -> QuerySet[RectificationOrder]:
    """Open orders, soonest deadline first, with their failed items (a Prefetch queryset)."""
    items = VisitAnswer.objects.order_by("order", "pk")
    return (
        RectificationOrder.objects.filter(status=OrderStatus.OPEN)
        .order_by("deadline", "pk")
        .prefetch_related(Prefetch("items", queryset=items))
    )


def photo_queryset(*, user, write: bool = False) -> QuerySet[VisitPhoto]:
    return scope(
        user,
        VisitPhoto.objects.select_related("visit"),
        "visit__business__",
        write=write,
        also=assigned_visits(user, "visit__"),
    )


def _due_annotations(qs: QuerySet[Business], *, user, today: datetime.date) -> QuerySet[Business]:
    open_orders = RectificationOrder.objects.filter(
        business=OuterRef("pk"), status=OrderStatus.OPEN
    ).order_by("deadline", "pk")
    return_checks = RectificationOrder.objects.filter(
        business=OuterRef("pk"),
        status=OrderStatus.CLOSED,
        return_check_visit__isnull=True,
        return_check_due_on__isnull=False,
    ).order_by("return_check_due_on")
    drafts = Visit.objects.filter(
        business=OuterRef("pk"), status=VisitStatus.DRAFT, created_by=user
    ).order_by("-started_at")
    return qs.annotate(
        grade=F("inspection_profile__grade"),
        hygiene_grade=F("inspection_profile__hygiene_grade"),
        last_visit_on=F("inspection_profile__last_visit_on"),
        next_due_on=F("inspection_profile__next_due_on"),
        relapsed_on=F("inspection_profile__relapsed_on"),
        order_deadline=Subquery(open_orders.values("deadline")[:1]),
        order_id=Subquery(open_orders.values("pk")[:1]),
        order_number=Subquery(open_orders.values("number")[:1]),
        return_check_due=Subquery(return_checks.values("return_check_due_on")[:1]),
        draft_id=Subquery(drafts.values("pk")[:1]),
    ).annotate(
        # Never visited: due today. Otherwise the earliest of the frequency date, the re-inspection
        # of an open order (its deadline) and an E2 return check.
        due_on=Least(
            Coalesce(F("next_due_on"), Value(today, output_field=DateField())),
            Coalesce(F("order_deadline"), Value(FAR_FUTURE, output_field=DateField())),
            Coalesce(F("return_check_due"), Value(FAR_FUTURE, output_field=DateField())),
        )
    )


def due_list(
    *, user, today: datetime.date | None = None, village=None, by_village: bool = False
) -> QuerySet[Business]:
    """The inspector's list: active businesses in the user's scope due today or overdue — by the grade's
    frequency, an open order's re-inspection (回头查) or an E2 return check. Most overdue first; with
    by_village (the office, a department: many villages) grouped by village, most overdue first in each."""
    today = today or timezone.localdate()
    qs = scope(user, Business.objects.active().select_related("village", "category"))
    if village is not None:
        qs = qs.filter(village=village)
    order = (
        ("village__order", "village__name", "due_on", "name", "pk")
        if by_village
        else ("due_on", "name", "pk")
    )
    return _due_annotations(qs, user=user, today=today).filter(due_on__lte=today).order_by(*order)


def business_search(*, user, q: str, today: datetime.date | None = None) -> QuerySet[Business]:
    """Find a business to visit by name, address, operator or credit code (in scope, still trading)."""
    today = today or timezone.localdate()
    q = q.strip()
    qs = scope(user, Business.objects.active().select_related("village", "category"))
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(address__icontains=q)
            | Q(operator__icontains=q)
            | Q(credit_code__iexact=q)
        )
    return _due_annotations(qs, user=user, today=today).order_by("name", "pk")


def checklist_list() -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.select_related("category", "created_by").order_by(
        "category__order", "-version"
    )
