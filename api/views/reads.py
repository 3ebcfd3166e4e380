"""Read endpoints. Each list or object comes from the apps' selectors, scoped by `user=` exactly as the
pages are: an object outside the caller's scope is a 404, a list never contains one."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.scoping import current_campaign, reach
from campaigns import selectors as campaign_selectors
from campaigns.models import (
    Business,
    Category,
    Licence,
    LicenceRequirement,
    LicenceType,
    Town,
    Village,
)
from dashboard import figures
from dashboard import selectors as dashboard_selectors
from dashboard.reports import target_report
from dashboard.targets import Ctx
from inspections import selectors as inspection_selectors
from inspections.choices import Answer, VisitKind, VisitOutcome
from inspections.models import ChecklistItem, ChecklistTemplate, VisitAnswer
from ledgers import selectors as ledger_selectors
from ledgers.models import LedgerEntry
from ledgers.trace import trace_a6, trace_backward, trace_forward

from .. import serializers as s
from ..filters import ApiBusinessFilter, OrderFilter, VisitFilter
from ..pagination import ById, Cursor


def official(user) -> None:
    """Traces are for the campaign's staff: a business account gets the 404 of nothing (as on the pages)."""
    if not access.can_read_ledgers(user):
        raise Http404


class Me(APIView):
    """Who the caller is: user, roles, and the token used (if any)."""

    @extend_schema(responses=s.WhoAmISerializer)
    def get(self, request):
        user = request.user
        token = getattr(request.auth, "prefix", None)
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "name": user.get_full_name(),
                "roles": sorted(reach(user).kinds),
                "token": token,
            }
        )


class VillageList(generics.ListAPIView):
    """村（社区）: reference data, the same for everyone signed in."""

    serializer_class = s.VillageSerializer
    queryset = Village.objects.select_related("town").order_by("order", "name")


class CategoryList(generics.ListAPIView):
    """五小 categories and their lead departments."""

    serializer_class = s.CategorySerializer
    queryset = Category.objects.select_related("lead_department").order_by("order")


class LicenceTypeList(generics.ListAPIView):
    serializer_class = s.LicenceTypeSerializer
    queryset = LicenceType.objects.order_by("pk")


class ChecklistList(generics.ListAPIView):
    """The current checklist of each category with its items (reference data, like the checklist pages):
    the offline app keeps them and submits a visit with the id of the version it filled in."""

    serializer_class = s.ChecklistSerializer
    queryset = (
        ChecklistTemplate.objects.filter(is_current=True)
        .select_related("category")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("order", "pk")))
        .order_by("category__order")
    )


class ChecklistDetail(generics.RetrieveAPIView):
    """Any version of a checklist (an older one a visit was filled in with)."""

    serializer_class = s.ChecklistSerializer
    queryset = ChecklistTemplate.objects.select_related("category").prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("order", "pk"))
    )


def _with_licences(qs):
    licences = Licence.objects.select_related("licence_type").order_by(
        "licence_type__pk", "-issued_on", "-pk"
    )
    return qs.prefetch_related(Prefetch("licences", queryset=licences)).with_licence_status()


class BusinessList(generics.ListAPIView):
    """The roster in the caller's scope with licences and G1 status, filterable like the roster page."""

    serializer_class = s.BusinessSerializer
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiBusinessFilter

    def get_queryset(self):
        return _with_licences(campaign_selectors.business_list(user=self.request.user).order_by("pk"))


class BusinessDetail(generics.RetrieveAPIView):
    serializer_class = s.BusinessSerializer

    def get_queryset(self):
        return _with_licences(campaign_selectors.business_list(user=self.request.user))


class TodayWork(APIView):
    """Today's work for the offline visit app (issue 19): the caller's due list with each business's card
    (licences, the licence types it needs, open orders and their items, grade, last visit), the current
    checklists of those businesses' categories and the choices the visit form needs. A constant number of
    queries whatever the length of the list."""

    @extend_schema(responses=s.TodayWorkSerializer)
    def get(self, request):
        user = request.user
        if not access.can_start_visits(user):
            raise Http404
        today = timezone.localdate()
        due = list(
            _with_licences(inspection_selectors.due_list(user=user, today=today)).prefetch_related(
                "subtypes",
                Prefetch(
                    "rectification_orders",
                    queryset=inspection_selectors.open_orders_with_items(),
                    to_attr="open_orders",
                ),
            )
        )
        categories = {b.category_id for b in due}
        needed = LicenceRequirement.objects.filter(category__in=categories).values_list(
            "category_id", "subtype_id", "licence_type_id"
        )
        by_category: dict[int, list[tuple[int | None, int]]] = {}
        for category_id, subtype_id, type_id in needed:
            by_category.setdefault(category_id, []).append((subtype_id, type_id))
        for b in due:
            subtypes = {st.pk for st in b.subtypes.all()}
            b.required_licence_types = sorted(
                {t for st, t in by_category.get(b.category_id, []) if st is None or st in subtypes}
            )
            b.due_reason = _due_reason(b, today)
            for order in b.open_orders:
                order.item_codes = [a.code for a in order.items.all()]
        checklists = ChecklistList.queryset.filter(category__in=categories)
        data = {
            "taken_at": timezone.now(),
            "today": today,
            "businesses": s.DueBusinessSerializer(due, many=True).data,
            "checklists": s.ChecklistSerializer(checklists, many=True).data,
            "licence_types": s.LicenceTypeSerializer(LicenceType.objects.order_by("pk"), many=True).data,
            "answers": _choices(Answer),
            "outcomes": _choices(VisitOutcome),
            "kinds": _choices(VisitKind),
        }
        return Response(data)


def _choices(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices.choices]


def _due_reason(business, today: datetime.date) -> str:
    """Why the business is on today's list, in the inspector's words (the due list's badges)."""
    if business.order_deadline and business.due_on == business.order_deadline:
        return f"整改期限 {business.order_deadline:%Y-%m-%d}，需复查"
    if business.return_check_due and business.due_on == business.return_check_due:
        return f"回头查到期 {business.return_check_due:%Y-%m-%d}"
    if business.next_due_on is None:
        return "尚未检查"
    return f"按频次应于 {business.next_due_on:%Y-%m-%d} 检查"


def visit_queryset(user):
    """Visits the user may read (the visit list's selector) with their answers, checks and orders."""
    answers = VisitAnswer.objects.order_by("order", "pk")
    return inspection_selectors.visit_list(user=user).prefetch_related(
        Prefetch("answers", queryset=answers), "licence_checks", "orders_issued"
    )


class VisitList(generics.ListAPIView):
    """Visits in the caller's scope (and those assigned to them), newest first, with their answers."""

    serializer_class = s.VisitSerializer
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = VisitFilter

    def get_queryset(self):
        return visit_queryset(self.request.user)


class VisitDetail(generics.RetrieveAPIView):
    serializer_class = s.VisitSerializer

    def get_queryset(self):
        return visit_queryset(self.request.user)


def _orders(user):
    return inspection_selectors.order_list(user=user).prefetch_related("items")


class OrderList(generics.ListAPIView):
    """整改通知书 in the caller's scope, newest first."""

    serializer_class = s.OrderSerializer
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilter

    def get_queryset(self):
        return _orders(self.request.user)


class OrderDetail(generics.RetrieveAPIView):
    serializer_class = s.OrderSerializer

    def get_queryset(self):
        return _orders(self.request.user)


class TargetList(APIView):
    """The 100% targets at a date. For the town's readers (office, leadership, supervisors) these are the
    rows of `target_report --json` (same code); for a department or an inspector, their dashboard's
    figures (their targets, their scope). `town`/`village`/`category` are codes (`town`: one town of a
    city's installation, issue 24)."""

    @extend_schema(parameters=[s.TargetQuerySerializer], responses=s.TargetRowSerializer(many=True))
    def get(self, request):
        user = request.user
        if not access.can_view_dashboard(user):
            raise Http404
        query = s.TargetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        town = village = category = None
        if code := query.validated_data.get("town"):
            town = get_object_or_404(Town, code=code)
        if code := query.validated_data.get("village"):
            village = get_object_or_404(Village.objects.select_related("town"), code=code)
            if town is not None and village.town_id != town.pk:
                raise Http404  # a village of another town: nothing there

        if code := query.validated_data.get("category"):
            category = get_object_or_404(Category, code=code)
        r = reach(user)
        towns = r.town_ids()  # issue 24, town first: another town's rows are not there for a town's staff
        elsewhere = (town is not None and town.pk) or (village is not None and village.town_id)
        if towns is not None and elsewhere and elsewhere not in towns:
            raise Http404
        if r.read_all:
            if towns is not None and town is None:  # a town's office, leaders, supervisors: their town
                town = village.town if village is not None else None
                if town is None and len(r.towns) == 1:
                    town = Town.objects.get(pk=next(iter(r.towns)))
            if towns is None or (town is not None and town.pk in r.towns):
                report = target_report(as_of=as_of, village=village, category=category, town=town)
                return Response(report.rows())
        return Response(self._scoped(user, as_of, village, category, town))

    def _scoped(self, user, as_of: datetime.date, village, category, town=None) -> list[dict]:
        targets = dashboard_selectors.targets_for_user(user)
        ctx = Ctx.at(as_of, current_campaign(user))
        splits, computed_at = figures.splits_for(user, targets, ctx, in_one=town)
        if village and category:
            rows = [f for f in splits["matrix"] if f.village == village and f.category == category]
        elif village:
            rows = [f for f in splits["village"] if f.village == village]
        elif category:
            rows = [f for f in splits["category"] if f.category == category]
        else:
            rows = splits["town"]
        if (village or category) and not rows:
            raise Http404
        at = timezone.localtime(computed_at).isoformat()
        town = town or (village.town if village else figures.sole_town())  # issue 24: rows name their town
        for f in rows:
            f.town = town
        return [{**f.as_dict(as_of), "computed_at": at} for f in rows]


class BusinessLedger(generics.ListAPIView):
    """A business's ledger lines, newest first (the business account's own, or the staff's scope)."""

    serializer_class = s.LedgerLineSerializer
    pagination_class = Cursor

    def business(self, *, write: bool = False) -> Business:
        scoped = campaign_selectors.business_queryset(user=self.request.user, write=write, for_ledger=True)
        return get_object_or_404(scoped, pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no pk
            return LedgerEntry.objects.none()
        return ledger_selectors.ledger_entries(business=self.business())


class Trace(APIView):
    """Traces forward, backward and A6 (the /ledgers/trace/ page's), over the caller's scope."""

    @extend_schema(parameters=[s.TraceQuerySerializer], responses=s.TraceResultSerializer)
    def get(self, request):
        official(request.user)
        query = s.TraceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        common = {"since": data.get("since"), "until": data.get("until"), "user": request.user}
        if data["mode"] == "backward":
            if "business" not in data:
                raise ValidationError({"business": ["反向追溯须指定经营单位。"]})
            business = get_object_or_404(
                campaign_selectors.business_queryset(user=request.user), pk=data["business"]
            )
            result = trace_backward(business=business, product=data["product"], batch=data["batch"], **common)
        elif data["mode"] == "a6":
            village = get_object_or_404(Village, pk=data["village"]) if "village" in data else None
            result = trace_a6(product=data["product"], village=village, **common)
        else:
            result = trace_forward(
                product=data["product"], batch=data["batch"], supplier=data["supplier"], **common
            )
        return Response(result.as_json())


class TipOffDetail(generics.RetrieveAPIView):
    """A tip-off as the caller may read it (the office, leadership; a department or village's own)."""

    serializer_class = s.TipOffSerializer

    def get_queryset(self):
        return inspection_selectors.tipoff_detail_queryset(user=self.request.user)
