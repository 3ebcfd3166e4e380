"""Purchase and sales ledgers (进销货台账, G2/A3/C2/C3), the banned-product list (A4) and its alerts.

Names are stored twice: as typed, and as a normalised key (ledgers.text.product_key) that every match
uses — saving, tracing and banned-product checks — so typing variants never break a trace.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AlertState, CertificateKind, Direction, ProductKind, Unit


class LedgerEntry(models.Model):
    """One line of a business's purchase (进货) or sales (销售) ledger.

    The transaction date (occurred_on) is what the ledger records; entered_at is when it was typed in.
    The flags are computed by ledgers.services when the line is saved and kept on the row, so counting
    them per business is one indexed query.
    """

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("经营单位"),
    )
    direction = models.CharField(_("类型"), max_length=3, choices=Direction.choices)
    occurred_on = models.DateField(_("日期"), help_text=_("进货或销售的日期"))
    product_name = models.CharField(_("品名"), max_length=100)
    product_key = models.CharField(_("品名（规范化）"), max_length=100, editable=False)
    specification = models.CharField(_("规格"), max_length=60, blank=True)
    kind = models.CharField(_("商品类别"), max_length=12, choices=ProductKind.choices)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("单位"), max_length=4, choices=Unit.choices)
    batch = models.CharField(_("批号"), max_length=60, blank=True)
    batch_key = models.CharField(_("批号（规范化）"), max_length=60, blank=True, editable=False)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("保质期（天）"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    registration_number = models.CharField(
        _("登记证号"), max_length=60, blank=True, help_text=_("农药登记证号或肥料登记证号")
    )
    # Purchases: where it came from (进货来源) and what was collected (索证索票).
    supplier_name = models.CharField(_("供货方"), max_length=100, blank=True)
    supplier_key = models.CharField(_("供货方（规范化）"), max_length=100, blank=True, editable=False)
    supplier_code = models.CharField(
        _("供货方许可证号或信用代码"), max_length=60, blank=True, help_text=_("许可证号或统一社会信用代码")
    )
    supplier_business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_supplied",
        verbose_name=_("供货方（名册内）"),
        editable=False,
    )
    certificate_collected = models.BooleanField(_("已索证"), default=False, help_text=_("合格证或检验报告"))
    certificate_kind = models.CharField(
        _("证明类型"), max_length=12, choices=CertificateKind.choices, blank=True
    )
    invoice_collected = models.BooleanField(_("已索票"), default=False, help_text=_("发票或销货凭证"))
    # Sales: where it went (去向).
    buyer_name = models.CharField(_("购货方（去向）"), max_length=100, blank=True)
    buyer_key = models.CharField(_("购货方（规范化）"), max_length=100, blank=True, editable=False)
    buyer_business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_bought",
        verbose_name=_("购货方（名册内）"),
        editable=False,
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # Flags (checked at save): A4 fertilizer without registration, C4 sold past expiry, C2 索证索票.
    flag_no_registration = models.BooleanField(_("缺登记证号"), default=False, editable=False)
    flag_expired_sale = models.BooleanField(_("售出时已过期"), default=False, editable=False)
    flag_no_certificate = models.BooleanField(_("未索证"), default=False, editable=False)
    flag_no_invoice = models.BooleanField(_("未索票"), default=False, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
        editable=False,
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # A business's ledger page, and the G2/C2 metrics over a window: on PostgreSQL the included
            # columns make the metrics an index-only scan (no heap visits for 10M-row ledgers).
            models.Index(
                fields=["business", "-occurred_on"],
                name="ledger_business_day_cov",
                include=[
                    "direction",
                    "certificate_collected",
                    "invoice_collected",
                    "flag_no_registration",
                    "flag_expired_sale",
                    "flag_no_certificate",
                    "flag_no_invoice",
                ],
            ),
            # The targets over the whole town in a window (G2, A3, C2, A4): a range of days, not every line.
            models.Index(
                fields=["occurred_on", "business"],
                name="ledger_day_business",
                include=[
                    "direction",
                    "kind",
                    "certificate_collected",
                    "invoice_collected",
                    "flag_no_registration",
                ],
            ),
            # Sale-before-purchase rule and backward trace: this business, this product (and batch).
            models.Index(fields=["business", "product_key", "batch_key"], name="ledger_business_product"),
            # Forward and A6 traces: a product (prefix match on PostgreSQL) in a date window.
            models.Index(
                fields=["product_key", "occurred_on"],
                name="ledger_product_date",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["product_key", "batch_key"], name="ledger_product_batch"),
            # Forward trace from a supplier: by normalised name or by licence number / credit code.
            models.Index(fields=["supplier_key", "product_key"], name="ledger_supplier_product"),
            models.Index(
                fields=["supplier_code"], name="ledger_supplier_code", condition=~Q(supplier_code="")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="ledger_quantity_positive",
                violation_error_message=_("数量必须大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.get_direction_display()} {self.product_name}"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:business_ledger", args=[self.business_id])

    @property
    def is_purchase(self) -> bool:
        return self.direction == Direction.PURCHASE

    @property
    def flags(self) -> list[str]:
        """The flags raised on this line, as their Chinese labels."""
        names = ("flag_no_registration", "flag_expired_sale", "flag_no_certificate", "flag_no_invoice")
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]

    @property
    def counterparty(self) -> str:
        return self.supplier_name if self.is_purchase else self.buyer_name


class BannedProduct(models.Model):
    """A product that may not be sold (A4: 甲胺磷 and the other four), with aliases and effective dates."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    name_key = models.CharField(_("名称（规范化）"), max_length=60, unique=True, editable=False)
    kind = models.CharField(
        _("商品类别"), max_length=12, choices=ProductKind.choices, default=ProductKind.PESTICIDE
    )
    aliases = models.TextField(
        _("别名"), blank=True, help_text=_("每行一个，或用逗号、顿号分隔，如：1605、乙基对硫磷")
    )
    basis = models.CharField(_("依据"), max_length=120, blank=True, help_text=_("如：农业部公告第322号"))
    effective_from = models.DateField(_("禁用起始日期"))
    effective_to = models.DateField(_("禁用截止日期"), null=True, blank=True, help_text=_("留空表示长期禁用"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("禁用产品")
        verbose_name_plural = _("禁用产品")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="banned_effective_range",
                violation_error_message=_("禁用截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        from .text import split_aliases

        return split_aliases(self.aliases)

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class LedgerAlert(models.Model):
    """An alert raised at once when a ledger line matches a banned product, sent to the lead department."""

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="ledger_alerts",
        verbose_name=_("经营单位"),
    )
    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("台账记录")
    )
    banned_product = models.ForeignKey(
        BannedProduct, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("禁用产品")
    )
    department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        related_name="ledger_alerts",
        verbose_name=_("通报部门"),
    )
    message = models.CharField(_("内容"), max_length=300)
    state = models.CharField(_("状态"), max_length=10, choices=AlertState.choices, default=AlertState.OPEN)
    created_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handling_note = models.CharField(_("处理情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("禁用产品预警")
        verbose_name_plural = _("禁用产品预警")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "state", "-created_at"], name="ledger_alert_dept_state"),
            models.Index(fields=["business", "state"], name="ledger_alert_business_state"),
        ]

    def __str__(self) -> str:
        return self.message
