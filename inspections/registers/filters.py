"""FilterSets of the incident and work registers."""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.choices import PhaseCode
from campaigns.models import Department, Village

from ..choices import ActivityKind, IncidentSeverity, IncidentStatus
from ..models import Activity, Incident


class IncidentFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=IncidentSeverity.choices, label=_("事故等级"))
    major = django_filters.BooleanFilter(label=_("重大及以上"), method="filter_major")
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("处置结果"))
    village = django_filters.ModelChoiceFilter(queryset=Village.objects.all(), label=_("村（社区）"))
    since = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = Incident
        fields = ["severity", "major", "status", "village", "since", "until"]

    def filter_major(self, queryset, name, value):
        from ..choices import MAJOR_SEVERITIES

        if value is None:
            return queryset
        return (
            queryset.filter(severity__in=MAJOR_SEVERITIES)
            if value
            else queryset.exclude(severity__in=MAJOR_SEVERITIES)
        )


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("工作类型"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("部门"))
    village = django_filters.ModelChoiceFilter(queryset=Village.objects.all(), label=_("村（社区）"))
    phase = django_filters.ChoiceFilter(choices=PhaseCode.choices, label=_("阶段"))
    since = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = Activity
        fields = ["kind", "department", "village", "phase", "since", "until"]
