"""The roster: businesses and their licences."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import HELD_STATES, INACTIVE_STATUSES, BusinessStatus, LicenceState, TemporaryOutcome
from ..validators import normalise_credit_code, normalise_phone, validate_credit_code, validate_phone
from .reference import Category, Department, LicenceRequirement, LicenceType, Market, SubType, Village


def held_licences(as_of: datetime.date) -> models.QuerySet:
    """Licences that count as held on a date: valid or temporary, issued by then and not yet expired."""
    return Licence.objects.filter(state__in=HELD_STATES).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=as_of),
        Q(expires_on__isnull=True) | Q(expires_on__gte=as_of),
    )


def satisfies_q(licence_type: int | str, prefix: str = "") -> Q:
    """Q on licences (through `prefix`) whose type meets a requirement of `licence_type`: the type itself
    or one of its equivalents (LicenceType.equivalents, DOMAIN §8). `licence_type` is a type's id, or the
    name of the outer query's field holding it (inside a sub-query: read as OuterRef(name))."""
    if isinstance(licence_type, str):
        direct, inner = OuterRef(licence_type), OuterRef(OuterRef(licence_type))
    else:
        direct = inner = licence_type
    through = LicenceType.equivalents.through.objects.filter(from_licencetype=inner)
    return Q(**{f"{prefix}licence_type": direct}) | Q(
        **{f"{prefix}licence_type__in": through.values("to_licencetype")}
    )


def has_subtype(business) -> models.QuerySet:
    """The business's link to the requirement's sub-type (used inside a LicenceRequirement sub-query).

    An EXISTS probe of the (business, subtype) unique index; `subtype__businesses=OuterRef(...)` instead
    joins every business holding that sub-type and filters afterwards (~2 ms per business and
    requirement at 100,000 businesses: a 50-row roster page spent ~250 ms there, issue 11).
    """
    return Business.subtypes.through.objects.filter(business=business, subtype=OuterRef("subtype"))


def _count(queryset: models.QuerySet) -> Coalesce:
    """A correlated COUNT(*) of a queryset, as an annotation; 0 when it has no rows."""
    counted = (
        queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=models.Count("*")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


def licence_gap_q(
    prefix: str = "",
    as_of: datetime.date | None = None,
    *,
    displayed: bool = False,
    within: models.QuerySet | None = None,
) -> Q:
    """Q selecting businesses (through `prefix`) that lack a required licence on `as_of` (G1, DOMAIN §7).

    With displayed=True, also those whose required licence was not seen displayed (the 亮证 half of G1).
    A licence of an equivalent type (LicenceType.equivalents: old and new names) meets the requirement.
    Set-based: one uncorrelated sub-select joining requirements to held licences, so filtering or counting
    100,000 businesses costs one hash join instead of a correlated sub-query per business. Gives the same
    answer as the per-row annotations of BusinessQuerySet.with_licence_status (tested).
    `within` (a queryset of business pks) bounds the set to the businesses being counted — a village's
    figures then check its few hundred businesses, not the city's.
    """
    as_of = as_of or timezone.localdate()
    business = Business._meta.db_table
    requirement = LicenceRequirement._meta.db_table
    subtypes = Business.subtypes.through._meta.db_table
    licence = Licence._meta.db_table
    equivalents = LicenceType.equivalents.through._meta.db_table
    states = ", ".join(f"'{state}'" for state in HELD_STATES)
    shown = " AND h.displayed" if displayed else ""
    bound, bound_params = "", ()
    if within is not None:
        within_sql, bound_params = within.query.sql_with_params()
        bound = f" AND b.id IN ({within_sql})"
    sql = f"""
        SELECT b.id FROM {business} b
        JOIN {requirement} r ON r.category_id = b.category_id
        LEFT JOIN {subtypes} bs ON bs.business_id = b.id AND bs.subtype_id = r.subtype_id
        WHERE (r.subtype_id IS NULL OR bs.business_id IS NOT NULL){bound}
          AND NOT EXISTS (
            SELECT 1 FROM {licence} h
            WHERE h.business_id = b.id AND h.state IN ({states})
              AND (h.licence_type_id = r.licence_type_id OR h.licence_type_id IN (
                SELECT e.to_licencetype_id FROM {equivalents} e
                WHERE e.from_licencetype_id = r.licence_type_id))
              AND (h.issued_on IS NULL OR h.issued_on <= %s)
              AND (h.expires_on IS NULL OR h.expires_on >= %s){shown}
          )
    """
    return Q(**{f"{prefix}pk__in": RawSQL(sql, (*bound_params, as_of, as_of))})


class BusinessQuerySet(models.QuerySet):
    def active(self) -> "BusinessQuerySet":
        """Businesses still trading: the population of every target."""
        return self.exclude(status__in=INACTIVE_STATUSES)

    def with_licence_status(self, as_of: datetime.date | None = None) -> "BusinessQuerySet":
        """Annotate each business with what G1 asks at a date, in the same query as the list.

        required_count: licence types its category (and sub-types) require (DOMAIN §7);
        missing_count: of those, how many it holds no licence for on that date;
        undisplayed_count: of those held, how many were not seen displayed (亮证);
        licences_complete / licences_displayed: the two halves of G1.
        """
        as_of = as_of or timezone.localdate()
        requirements = LicenceRequirement.objects.filter(category=OuterRef("category")).filter(
            Q(subtype__isnull=True) | Exists(has_subtype(OuterRef(OuterRef("pk"))))
        )
        held = held_licences(as_of).filter(satisfies_q("licence_type"), business=OuterRef(OuterRef("pk")))
        return self.annotate(
            required_count=_count(requirements),
            missing_count=_count(requirements.exclude(Exists(held))),
            undisplayed_count=_count(
                requirements.filter(Exists(held)).exclude(Exists(held.filter(displayed=True)))
            ),
        ).annotate(
            licences_complete=models.ExpressionWrapper(
                Q(missing_count=0), output_field=models.BooleanField()
            ),
            licences_displayed=models.ExpressionWrapper(
                Q(missing_count=0, undisplayed_count=0), output_field=models.BooleanField()
            ),
        )

    def licences_complete(
        self, value: bool = True, as_of: datetime.date | None = None, *, within: bool = False
    ) -> "BusinessQuerySet":
        """Businesses holding (value=True) or lacking (False) a required licence on `as_of` — set-based.
        within=True bounds the check to this queryset's own businesses (a search or a filter already
        applied: the roster's "licences incomplete + 便利店" checks the matches, not the whole city)."""
        gap = licence_gap_q(as_of=as_of, within=self.order_by().values("pk") if within else None)
        return self.exclude(gap) if value else self.filter(gap)

    def with_licence_expiring(self, days: int, today: datetime.date | None = None) -> "BusinessQuerySet":
        """Businesses holding a licence that is still valid today and expires within `days` days."""
        today = today or timezone.localdate()
        soon = Licence.objects.filter(
            business=OuterRef("pk"),
            state__in=HELD_STATES,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )
        return self.filter(Exists(soon))


class Business(models.Model):
    """A small business on the campaign's roster. Never hard-deleted: closed or banned ones keep history."""

    name = models.CharField(_("单位名称"), max_length=100)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("类别")
    )
    subtypes = models.ManyToManyField(SubType, blank=True, related_name="businesses", verbose_name=_("子类"))
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("村（社区）")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    operator = models.CharField(_("经营者"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已被其他经营单位使用。")},
    )
    status = models.CharField(
        _("经营状态"), max_length=20, choices=BusinessStatus.choices, default=BusinessStatus.OPERATING
    )
    is_town_centre = models.BooleanField(_("镇中心区"), default=False)
    market = models.ForeignKey(
        Market,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("所在市场"),
    )
    is_model = models.BooleanField(
        _("示范（样板）单位"), default=False, help_text=_("W2：样板单位，以点带线、以线带面")
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("经营单位")
        verbose_name_plural = _("经营单位")
        ordering = ["village__order", "category__order", "name"]
        indexes = [
            models.Index(fields=["village", "category"], name="business_village_cat"),
            models.Index(fields=["category", "status"], name="business_cat_status"),
            models.Index(fields=["name"], name="business_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "village"],
                condition=Q(credit_code__isnull=True),
                name="business_unique_name_in_village_without_code",
                violation_error_message=_("本村（社区）已有同名且无信用代码的经营单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:business_detail", args=[self.pk])

    def clean(self) -> None:
        self.credit_code = normalise_credit_code(self.credit_code) or None
        self.phone = normalise_phone(self.phone)
        errors = {}
        if self.credit_code:
            clash = Business.objects.filter(credit_code=self.credit_code).exclude(pk=self.pk).first()
            if clash:
                errors["credit_code"] = ValidationError(
                    _("统一社会信用代码 %(code)s 已属于“%(name)s”（%(village)s），不能重复登记。"),
                    code="unique",
                    params={"code": self.credit_code, "name": clash.name, "village": clash.village},
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status not in INACTIVE_STATUSES

    def required_licence_types(self) -> models.QuerySet:
        return LicenceType.objects.filter(
            Exists(
                LicenceRequirement.objects.filter(
                    licence_type=OuterRef("pk"), category=self.category_id
                ).filter(Q(subtype__isnull=True) | Q(subtype__in=self.subtypes.all()))
            )
        )


class Licence(models.Model):
    """A licence or certificate a business holds (or held)."""

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="licences", verbose_name=_("经营单位")
    )
    licence_type = models.ForeignKey(
        LicenceType, on_delete=models.PROTECT, related_name="licences", verbose_name=_("证照类型")
    )
    number = models.CharField(_("证照编号"), max_length=60)
    issuer = models.CharField(_("发证机关"), max_length=60, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=LicenceState.choices, default=LicenceState.VALID
    )
    # E6: a temporary licence's rectification deadline (整改期限; the expiry when not set) and the outcome
    # (licensed or revoked) once decided — kept after the licence is renewed, revoked or expires.
    rectify_by = models.DateField(
        _("整改期限"), null=True, blank=True, help_text=_("临时许可证须在此日期前整改到位（不填则按有效期）")
    )
    temporary_outcome = models.CharField(
        _("临时许可结果"), max_length=10, choices=TemporaryOutcome.choices, blank=True, default=""
    )
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    displayed = models.BooleanField(_("亮证"), default=False, help_text=_("最近一次检查时是否亮证经营"))
    displayed_seen_on = models.DateField(_("亮证核查日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # O5: who recorded it — the user, and the city bureau when one recorded its own certification or
    # revocation (the business page names the bureau).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    certified_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certified_licences",
        verbose_name=_("发证登记部门"),
    )
    revoked_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_licences",
        verbose_name=_("吊销登记部门"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["business", "licence_type", "-issued_on"]
        indexes = [
            models.Index(fields=["business", "licence_type", "state"], name="licence_business_type_state"),
            models.Index(fields=["expires_on"], name="licence_expires"),
            models.Index(fields=["number"], name="licence_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="licence_expiry_after_issue",
                violation_error_message=_("有效期至不能早于发证日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_type} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:business_detail", args=[self.business_id])

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("有效期至不能早于发证日期。")})
        if self.issued_on and self.rectify_by and self.rectify_by < self.issued_on:
            raise ValidationError({"rectify_by": _("整改期限不能早于发证日期。")})
        if self.rectify_by and self.state == LicenceState.VALID and not self.temporary_outcome:
            raise ValidationError({"rectify_by": _("只有临时许可证才填写整改期限。")})

    def is_held_on(self, day: datetime.date) -> bool:
        return (
            self.state in HELD_STATES
            and (self.issued_on is None or self.issued_on <= day)
            and (self.expires_on is None or self.expires_on >= day)
        )

    @property
    def effective_state(self) -> str:
        """The state as of today: a 'valid' licence past its expiry date reads as expired."""
        if self.state in HELD_STATES and self.expires_on and self.expires_on < timezone.localdate():
            return LicenceState.EXPIRED
        return self.state

    def get_effective_state_display(self) -> str:
        return LicenceState(self.effective_state).label

    @property
    def days_to_expiry(self) -> int | None:
        if not self.expires_on:
            return None
        return (self.expires_on - timezone.localdate()).days
