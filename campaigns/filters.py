"""The roster's filters (issue: foundation — roster list)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from lib.text import squash

from .choices import BusinessStatus, GreenChannelStage, LicenceState, VillageGroupRole
from .models import (
    Business,
    Category,
    GreenChannel,
    HelpRecord,
    Licence,
    LicenceReissue,
    LicenceType,
    SubType,
    VillageGroupMember,
)

YES_NO = (("yes", _("是")), ("no", _("否")))


class BusinessFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("类别"))
    subtype = django_filters.ModelChoiceFilter(
        queryset=SubType.objects.select_related("category"), field_name="subtypes", label=_("子类")
    )
    village = django_filters.ModelChoiceFilter(queryset=scoping.village_choices, label=_("村（社区）"))
    status = django_filters.ChoiceFilter(choices=BusinessStatus.choices, label=_("经营状态"))
    complete = django_filters.ChoiceFilter(choices=YES_NO, label=_("证照齐全"), method="filter_complete")
    expiring = django_filters.NumberFilter(
        label=_("证照N天内到期"), method="filter_expiring", min_value=0, max_value=3650
    )
    model = django_filters.ChoiceFilter(choices=YES_NO, label=_("示范单位"), method="filter_model")
    # Issue 24: one town of a city's installation, by its code (the city dashboard's links, the per-town
    # export); not drawn among the page's filters, so a single town's page is as it was.
    town = django_filters.CharFilter(label=_("镇（街道）"), method="filter_town")
    helped = django_filters.ChoiceFilter(choices=YES_NO, label=_("已帮扶（W4）"), method="filter_helped")
    temporary = django_filters.ChoiceFilter(
        choices=YES_NO, label=_("持临时许可证（E6）"), method="filter_temporary"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("category__order", "category"),
            ("village__order", "village"),
            ("status", "status"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("单位名称"),
            "category": _("类别"),
            "village": _("村（社区）"),
            "status": _("经营状态"),
            "updated": _("更新时间"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Business
        fields = [
            "q", "category", "subtype", "village", "status", "complete", "expiring", "model", "helped",
            "temporary", "town",
        ]  # fmt: skip

    def search(self, queryset, name, value):
        """A part of the name, operator, address, credit code or a licence number (case-insensitive).

        One UNION of the business columns and the licence numbers, so that on PostgreSQL each side is a
        bitmap scan of its trigram index (migration campaigns 0004); an OR with EXISTS(licence) would be a
        sequential scan with a sub-plan per business. On a selective search with the licences-incomplete
        filter the planner then checks only the matching businesses (issue 11: 1 s -> a few ms).
        """
        value = value.strip()
        if not value:
            return queryset
        code = squash(value).upper()
        columns = (
            Business.objects.filter(
                Q(name__icontains=value)
                | Q(operator__icontains=value)
                | Q(credit_code__icontains=code)
                | Q(address__icontains=value)
            )
            .order_by()
            .values("pk")
        )
        licences = Licence.objects.filter(number__icontains=squash(value)).order_by().values("business_id")
        return queryset.filter(pk__in=columns.union(licences))

    def filter_complete(self, queryset, name, value):
        # After a search or a village (applied before it), the gap is computed over their matches only —
        # a name searched in a city of 100,000 checks a handful of businesses; alone, over the whole roster
        # in one hash join (bounding it by every business would only add a semi-join).
        narrowed = any(self.form.cleaned_data.get(f) for f in ("q", "village", "town"))
        return queryset.licences_complete(value == "yes", within=narrowed)

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.with_licence_expiring(int(value))

    def filter_town(self, queryset, name, value):
        return queryset.filter(village__town__code=value.strip()) if value.strip() else queryset

    def filter_model(self, queryset, name, value):
        return queryset.filter(is_model=(value == "yes"))

    def filter_helped(self, queryset, name, value):
        """W4: units given help (a HelpRecord) — the report's drill-down."""
        helped = Exists(HelpRecord.objects.filter(business=OuterRef("pk")))
        return queryset.filter(helped) if value == "yes" else queryset.exclude(helped)

    def filter_temporary(self, queryset, name, value):
        """E6: units on a temporary licence (to rectify, then licensed or revoked)."""
        temporary = Exists(Licence.objects.filter(business=OuterRef("pk"), state=LicenceState.TEMPORARY))
        return queryset.filter(temporary) if value == "yes" else queryset.exclude(temporary)

    @property
    def count_with_page(self) -> bool:
        """With the licences filter every matching business is checked before the page can be sorted or
        counted: lib.lists counts with the page's own query then (one check, not two; issue 26)."""
        return bool(self.form.cleaned_data.get("complete")) and not self.form.cleaned_data.get("subtype")

    @property
    def qs(self):
        # Sub-type filtering goes through the M2M join; keep one row per business.
        qs = super().qs
        return qs.distinct() if self.form.cleaned_data.get("subtype") else qs


def _workshop_industries():
    return SubType.objects.filter(category__code="workshop").order_by("pk")


class GreenChannelFilter(django_filters.FilterSet):
    """B3: the green-channel workshops, by stage, village and industry."""

    stage = django_filters.ChoiceFilter(choices=GreenChannelStage.choices, label=_("进度"))
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices, field_name="business__village", label=_("村（社区）")
    )
    industry = django_filters.ModelChoiceFilter(
        queryset=_workshop_industries(), field_name="business__subtypes", label=_("行业"), distinct=True
    )

    class Meta:
        model = GreenChannel
        fields = ["stage", "village", "industry"]


TEMPORARY_STATES = (
    ("open", _("整改中")),
    ("overdue", _("已逾期")),
    ("licensed", _("达标发证")),
    ("revoked", _("不达标吊销")),
)


class TemporaryLicenceFilter(django_filters.FilterSet):
    """E6: the temporary licences by their outcome (open, overdue, licensed, revoked), category, village."""

    outcome = django_filters.ChoiceFilter(choices=TEMPORARY_STATES, label=_("结果"), method="filter_outcome")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), field_name="business__category", label=_("类别")
    )
    village = django_filters.ModelChoiceFilter(
        queryset=scoping.village_choices, field_name="business__village", label=_("村（社区）")
    )
    o = django_filters.OrderingFilter(
        fields=(("deadline", "deadline"), ("business__name", "name")),
        field_labels={"deadline": _("整改期限"), "name": _("单位名称")},
        label=_("排序"),
    )

    class Meta:
        model = Licence
        fields = ["outcome", "category", "village"]

    def filter_outcome(self, queryset, name, value):
        from django.utils import timezone

        if value == "open":
            return queryset.filter(temporary_outcome="")
        if value == "overdue":
            return queryset.filter(temporary_outcome="", deadline__lt=timezone.localdate())
        return queryset.filter(temporary_outcome=value)

    @property
    def qs(self):
        qs = super().qs
        return qs if self.form.cleaned_data.get("o") else qs.order_by("temporary_outcome", "deadline", "pk")


class VillageGroupFilter(django_filters.FilterSet):
    """O2: the village groups' members, by village and role."""

    village = django_filters.ModelChoiceFilter(queryset=scoping.village_choices, label=_("村（社区）"))
    role = django_filters.ChoiceFilter(choices=VillageGroupRole.choices, label=_("小组职务"))

    class Meta:
        model = VillageGroupMember
        fields = ["village", "role"]


class LicenceReissueFilter(django_filters.FilterSet):
    """B2: the recall/re-issue records, by industry, paper and whether re-issued."""

    industry = django_filters.ModelChoiceFilter(
        queryset=_workshop_industries(), field_name="business__subtypes", label=_("行业"), distinct=True
    )
    licence_type = django_filters.ModelChoiceFilter(queryset=LicenceType.objects.all(), label=_("证照"))
    reissued = django_filters.ChoiceFilter(choices=YES_NO, label=_("已重新核发"), method="filter_reissued")

    class Meta:
        model = LicenceReissue
        fields = ["industry", "licence_type", "reissued"]

    def filter_reissued(self, queryset, name, value):
        return queryset.filter(reissued_on__isnull=value != "yes")


class CertificationFilter(django_filters.FilterSet):
    """O5: a city bureau's certifications and revocations, by business, type and what was recorded."""

    q = django_filters.CharFilter(label=_("单位名称"), field_name="business__name", lookup_expr="icontains")
    licence_type = django_filters.ModelChoiceFilter(queryset=LicenceType.objects.all(), label=_("证照"))
    action = django_filters.ChoiceFilter(
        choices=(("certified", _("发证")), ("revoked", _("吊销"))), label=_("登记"), method="filter_action"
    )

    class Meta:
        model = Licence
        fields = ["q", "licence_type", "action"]

    def filter_action(self, queryset, name, value):
        if value == "revoked":
            return queryset.filter(revoked_by__isnull=False)
        return queryset.filter(certified_by__isnull=False)
