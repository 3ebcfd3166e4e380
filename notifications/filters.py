"""The inbox's filter (lib.lists renders it)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

SHOW = (("unread", _("未读")),)


class MessageFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(choices=SHOW, label=_("显示"), method="filter_show")

    def filter_show(self, queryset, name, value):
        return queryset.filter(read_at__isnull=True) if value == "unread" else queryset
