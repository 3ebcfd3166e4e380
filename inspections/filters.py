"""The inspection lists' filters (lib.lists renders them): visits, orders, tip-offs, cases, samples, the
due list. A value that does not validate is left out, never an error page."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from campaigns.choices import PhaseCode
from campaigns.models import Business, Category
from lib.forms import id_param

from .choices import (
    MAJOR_SEVERITIES,
    ActivityKind,
    CaseStatus,
    DrugSaleKind,
    HolidayFinding,
    IncidentSeverity,
    IncidentStatus,
    OrderStatus,
    SampleKind,
    SampleMethod,
    SampleResult,
    TipOffStatus,
    VisitKind,
    VisitOutcome,
    VisitStatus,
)
from .models import Activity, DrugSaleFinding, HolidayCheck, HolidayCheckRound, Incident


def _flag(queryset: QuerySet, value, condition: dict) -> QuerySet:
    """A yes-only flag (?mine=1): any non-empty value turns it on."""
    return queryset.filter(**condition) if value else queryset


class VisitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label=_("状态"))
    outcome = django_filters.ChoiceFilter(choices=VisitOutcome.choices, label=_("处理结果"))
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("检查类型"))
    mine = django_filters.CharFilter(label=_("我参与的"), method="filter_mine")
    business = django_filters.CharFilter(label=_("经营单位"), method="filter_business")
    relapse = django_filters.CharFilter(label=_("反弹（W3）"), method="filter_relapse")

    def filter_mine(self, queryset, name, value):
        return _flag(queryset, value, {"inspectors": self.request.user})

    def filter_business(self, queryset, name, value):
        business = id_param(value)  # not an id (30 digits, full-width): no filter, no overflow
        return queryset.filter(business_id=business) if business is not None else queryset

    def filter_relapse(self, queryset, name, value):
        return _flag(queryset, value, {"is_relapse": True})


ORDER_STATES = [
    *OrderStatus.choices,
    ("overdue", _("逾期未复查")),
    ("return_check", _("回头查到期（E2）")),
]


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ORDER_STATES, label=_("状态"), method="filter_status")

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "return_check":
            return queryset.return_checks_due(today)
        return queryset.filter(status=value)


class TipOffFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TipOffStatus.choices, label=_("状态"))


class CaseFilter(django_filters.FilterSet):
    """Open cases unless another status (or 全部, an empty status) is asked for."""

    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("状态"), empty_label=_("全部"))
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices,
        field_name="business__village",
        label=_("村（社区）"),
        empty_label=_("全部"),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = CaseStatus.OPEN
        super().__init__(data, *args, **kwargs)


class SampleFilter(django_filters.FilterSet):
    result = django_filters.ChoiceFilter(choices=SampleResult.choices, label=_("检验结果"))
    kind = django_filters.ChoiceFilter(choices=SampleKind.choices, label=_("抽检类别"))


class ResidueFilter(django_filters.FilterSet):
    """A6: the residue results by result, test method, market, village, pesticide and date."""

    result = django_filters.ChoiceFilter(
        choices=[c for c in SampleResult.choices if c[0] != SampleResult.PENDING], label=_("检测结果")
    )
    method = django_filters.ChoiceFilter(choices=SampleMethod.choices, label=_("检测方式"))
    market = django_filters.ModelChoiceFilter(
        queryset=scoping.market_choices, field_name="business__market", label=_("集贸市场")
    )
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices, field_name="business__village", label=_("村（社区）")
    )
    pesticide = django_filters.CharFilter(lookup_expr="icontains", label=_("检出农药"))
    since = django_filters.DateFilter(field_name="sampled_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="sampled_on", lookup_expr="lte", label=_("截止日期"))


class IncidentFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=IncidentSeverity.choices, label=_("事故等级"))
    major = django_filters.BooleanFilter(label=_("重大及以上"), method="filter_major")
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("处置结果"))
    village = django_filters.ModelChoiceFilter(queryset=scoping.village_choices, label=_("村（社区）"))
    since = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = Incident
        fields = ["severity", "major", "status", "village", "since", "until"]

    def filter_major(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(severity__in=MAJOR_SEVERITIES)
            if value
            else queryset.exclude(severity__in=MAJOR_SEVERITIES)
        )


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("工作类型"))
    department = django_filters.ModelChoiceFilter(queryset=scoping.department_choices, label=_("部门"))
    village = django_filters.ModelChoiceFilter(queryset=scoping.village_choices, label=_("村（社区）"))
    phase = django_filters.ChoiceFilter(choices=PhaseCode.choices, label=_("阶段"))
    since = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = Activity
        fields = ["kind", "department", "village", "phase", "since", "until"]


class DrugSaleFindingFilter(django_filters.FilterSet):
    """D5: the drug-sale findings by kind, village, industrial zone, referral, date (a unit: ?business=)."""

    kind = django_filters.ChoiceFilter(choices=DrugSaleKind.choices, label=_("违法情形"))
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices, field_name="business__village", label=_("村（社区）")
    )
    zone = django_filters.ChoiceFilter(
        choices=(("yes", _("是")), ("no", _("否"))), label=_("工业区单位"), method="filter_zone"
    )
    referred = django_filters.ChoiceFilter(
        choices=(("yes", _("已移送")), ("no", _("未移送"))), label=_("移送药监"), method="filter_referred"
    )
    since = django_filters.DateFilter(field_name="found_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="found_on", lookup_expr="lte", label=_("截止日期"))
    business = django_filters.CharFilter(method="filter_business", widget=forms.HiddenInput)

    class Meta:
        model = DrugSaleFinding
        fields = ["kind", "village", "zone", "referred", "since", "until"]

    def filter_zone(self, queryset, name, value):
        zone = Exists(
            Business.subtypes.through.objects.filter(
                business=OuterRef("business"), subtype__code="industrial_zone"
            )
        )
        return queryset.filter(zone if value == "yes" else ~zone)

    def filter_referred(self, queryset, name, value):
        return queryset.filter(referred_to__isnull=value != "yes")

    def filter_business(self, queryset, name, value):
        business = id_param(value)
        return queryset.filter(business_id=business) if business is not None else queryset


class HolidayRoundFilter(django_filters.FilterSet):
    """C4: the rounds by holiday and year."""

    holiday = django_filters.CharFilter(lookup_expr="icontains", label=_("节日"))
    year = django_filters.NumberFilter(field_name="starts_on", lookup_expr="year", label=_("年份"))

    class Meta:
        model = HolidayCheckRound
        fields = ["holiday", "year"]


class HolidayCheckFilter(django_filters.FilterSet):
    """C4: a round's checks by what was found, village and category (a unit: ?business=)."""

    finding = django_filters.ChoiceFilter(
        choices=[("any", _("发现问题")), ("none", _("未发现问题")), *HolidayFinding.choices],
        label=_("检查结果"),
        method="filter_finding",
    )
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices, field_name="business__village", label=_("村（社区）")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), field_name="business__category", label=_("类别")
    )
    business = django_filters.CharFilter(method="filter_business", widget=forms.HiddenInput)

    class Meta:
        model = HolidayCheck
        fields = ["finding", "village", "category"]

    def filter_finding(self, queryset, name, value):
        found = Q()
        for kind in HolidayFinding.values:
            found |= Q(**{kind: True})
        if value == "any":
            return queryset.filter(found)
        if value == "none":
            return queryset.exclude(found)
        return queryset.filter(**{value: True})

    def filter_business(self, queryset, name, value):
        business = id_param(value)
        return queryset.filter(business_id=business) if business is not None else queryset
