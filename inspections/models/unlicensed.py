"""Unlicensed-unit cases (无证照经营单位, U1): led by the enforcement branch until the unit is dealt with."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CASE_ANSWER_DAYS, CaseSource, CaseStatus


class UnlicensedCase(models.Model):
    """A case against a business found without its required licences (U1), from the roster, a visit or
    a tip-off; closed as licensed, banned (取缔, B4), moved to the centralised site (B5) or shut down.

    At most one open case per business; a business that relapses gets a new case (W3), the old one stays.
    """

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="unlicensed_cases",
        verbose_name=_("经营单位"),
    )
    department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        related_name="unlicensed_cases",
        verbose_name=_("牵头部门"),
    )
    source = models.CharField(_("案件来源"), max_length=20, choices=CaseSource.choices)
    tipoff = models.ForeignKey(
        "inspections.TipOff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unlicensed_cases",
        verbose_name=_("关联举报"),
    )
    missing_licences = models.CharField(
        _("立案时所缺证照"), max_length=300, help_text=_("立案时的快照，证照补齐后仍可查")
    )
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("立案日期"), default=timezone.localdate)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("立案人"),
    )
    resolved_on = models.DateField(_("结案日期"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结案人"),
    )
    note = models.TextField(_("办理情况"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("无证照案件")
        verbose_name_plural = _("无证照案件")
        ordering = ["opened_on", "pk"]
        indexes = [models.Index(fields=["status", "opened_on"], name="unlicensed_status_opened")]
        constraints = [
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(status="open"),
                name="unlicensed_one_open_case_per_business",
                violation_error_message=_("该经营单位已有在办的无证照案件。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True)
                | (~Q(status="open") & Q(resolved_on__isnull=False)),
                name="unlicensed_resolved_on_iff_closed",
                violation_error_message=_("结案的案件必须有结案日期，在办案件不能有结案日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("inspections:case_detail", args=[self.pk])

    def clean(self) -> None:
        if self.resolved_on and self.opened_on and self.resolved_on < self.opened_on:
            raise ValidationError({"resolved_on": _("结案日期不能早于立案日期。")})

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def age_days(self, today=None) -> int:
        end = self.resolved_on or today or timezone.localdate()
        return (end - self.opened_on).days

    @property
    def overdue_days(self) -> int:
        """Days an open case is past its answer time (U1: investigated promptly — the first age band of the
        list, CASE_ANSWER_DAYS after it was opened); 0 once resolved."""
        if not self.is_open:
            return 0
        return max(0, self.age_days() - CASE_ANSWER_DAYS)
