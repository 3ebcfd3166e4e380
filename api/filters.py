"""The API's filters: the roster's own FilterSet (campaigns.filters.BusinessFilter) for businesses, and
small FilterSets for the lists that have none on the pages. Ids are bounded so a huge number is a 400,
not an overflow in the database driver."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.filters import BusinessFilter
from campaigns.models import Category, SubType, Village
from inspections.choices import OrderStatus, VisitKind, VisitOutcome, VisitStatus
from inspections.models import RectificationOrder, Visit

from .serializers import MAX_ID


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not (
            str(value).isascii() and str(value).isdigit() and 0 < int(value) <= MAX_ID
        ):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class BoundedIdFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    field_class = forms.IntegerField


class ApiBusinessFilter(BusinessFilter):
    """The roster's filters (search, category, sub-type, village, status, licences complete, expiring,
    model unit); its sort `o` is left out: a cursor list has one fixed order."""

    o = None
    category = BoundedModelChoiceFilter(queryset=Category.objects.all(), label=_("类别"))
    village = BoundedModelChoiceFilter(queryset=Village.objects.all(), label=_("村（社区）"))
    subtype = BoundedModelChoiceFilter(
        queryset=SubType.objects.select_related("category"), field_name="subtypes", label=_("子类")
    )


class VisitFilter(django_filters.FilterSet):
    business = BoundedIdFilter(field_name="business_id", label=_("经营单位 id"))
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label=_("状态"))
    outcome = django_filters.ChoiceFilter(choices=VisitOutcome.choices, label=_("处理结果"))
    kind = django_filters.ChoiceFilter(choices=VisitKind.choices, label=_("检查方式"))

    class Meta:
        model = Visit
        fields = ["business", "status", "outcome", "kind"]


class OrderFilter(django_filters.FilterSet):
    business = BoundedIdFilter(field_name="business_id", label=_("经营单位 id"))
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=_("状态"))

    class Meta:
        model = RectificationOrder
        fields = ["business", "status"]
