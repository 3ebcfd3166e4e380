"""Rectification orders (责令限期整改通知书): issued by a visit, closed or escalated by a re-inspection."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import OrderStatus


class RectificationOrderQuerySet(models.QuerySet):
    def open(self) -> "RectificationOrderQuerySet":
        return self.filter(status=OrderStatus.OPEN)

    def overdue(self, today=None) -> "RectificationOrderQuerySet":
        """Open orders past their deadline with no re-inspection submitted yet."""
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def return_checks_due(self, today=None) -> "RectificationOrderQuerySet":
        """E2: closed orders whose return check (回头查) is due and not done."""
        today = today or timezone.localdate()
        return self.filter(
            status=OrderStatus.CLOSED, return_check_due_on__lte=today, return_check_visit__isnull=True
        )


class RectificationOrder(models.Model):
    """责令限期整改通知书: the failed items of a visit and the date they must be put right by.

    Its re-inspection (回头查) is due at the deadline. A passing re-inspection closes it (closed_by) and
    schedules the E2 return check; a failing one escalates it (status escalated; a new order, a ban,
    a revocation or a referral from that visit's outcome)."""

    number = models.CharField(_("文书编号"), max_length=50, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="rectification_orders",
        verbose_name=_("经营单位"),
    )
    visit = models.ForeignKey(
        "inspections.Visit", on_delete=models.PROTECT, related_name="orders_issued", verbose_name=_("检查")
    )
    department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发文部门"),
    )
    items = models.ManyToManyField(
        "inspections.VisitAnswer", related_name="orders", verbose_name=_("不符合条目")
    )
    issued_on = models.DateField(_("下达日期"))
    deadline = models.DateField(_("整改期限"))
    requirements_text = models.TextField(_("整改要求"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    reinspection_due_on = models.DateField(_("复查日期"))
    closed_by = models.ForeignKey(
        "inspections.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders_resolved",
        verbose_name=_("复查记录"),
        help_text=_("销号或升级处理所依据的回头查"),
    )
    closed_on = models.DateField(_("销号/升级日期"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("升级后的整改通知书"),
    )
    return_check_due_on = models.DateField(_("回头查日期（E2）"), null=True, blank=True)
    return_check_visit = models.ForeignKey(
        "inspections.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="return_checks_of",
        verbose_name=_("回头查记录（E2）"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("下达人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RectificationOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("责令限期整改通知书")
        verbose_name_plural = _("责令限期整改通知书")
        ordering = ["-issued_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="order_unique_sequence"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="order_status_deadline"),
            models.Index(fields=["business", "status"], name="order_business_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("inspections:order_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == OrderStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.status == OrderStatus.OPEN and self.deadline < timezone.localdate()


class DeadlineChange(models.Model):
    """An open order's deadline moved by the office or its lead department, with the reason on record.

    The order keeps only its current deadline; these rows say who moved it, from when, to when and why
    (the order page lists them, the audit trail has the order's own change too)."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="deadline_changes",
        verbose_name=_("整改通知书"),
    )
    previous_deadline = models.DateField(_("原整改期限"))
    deadline = models.DateField(_("新整改期限"))
    reason = models.CharField(_("调整原因"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("调整人")
    )
    changed_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改期限调整")
        verbose_name_plural = _("整改期限调整")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.previous_deadline:%Y-%m-%d} → {self.deadline:%Y-%m-%d}"
