"""The ledger lists' filters (lib.lists renders them): a business's lines and the banned-product alerts."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AlertState, Direction
from .text import alias_map, product_key


class LedgerEntryFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("进/销"))
    q = django_filters.CharFilter(label=_("商品"), method="filter_product")
    flagged = django_filters.CharFilter(label=_("只看有问题的"), method="filter_flagged")

    def filter_product(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(product_key__startswith=product_key(value, alias_map())) if value else queryset

    def filter_flagged(self, queryset, name, value):
        if value != "1":
            return queryset
        return queryset.filter(
            Q(flag_no_registration=True)
            | Q(flag_expired_sale=True)
            | Q(flag_no_certificate=True)
            | Q(flag_no_invoice=True)
        )


class AlertFilter(django_filters.FilterSet):
    """Open alerts unless another state is asked for."""

    state = django_filters.ChoiceFilter(choices=AlertState.choices, label=_("状态"))

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "state" not in data:
            data = data.copy()
            data["state"] = AlertState.OPEN
        super().__init__(data, *args, **kwargs)
