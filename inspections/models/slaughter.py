"""The slaughterhouse's monthly return (F1): head slaughtered at the designated plant against the town's
consumption, and head slaughtered for hire (代宰, F5)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SlaughterReturn(models.Model):
    """One month at the designated slaughterhouse: how many pigs it slaughtered, how many the town
    consumed (the economy office's estimate from market sales), of which slaughtered for hire.

    F1's designated-slaughter rate is head_slaughtered / head_consumed; the target is met when the
    latest month reaches 100% (the source's "定点屠宰率达100%以上")."""

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="slaughter_returns",
        verbose_name=_("屠宰场"),
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    head_slaughtered = models.PositiveIntegerField(_("定点屠宰头数"))
    head_consumed = models.PositiveIntegerField(_("全镇生猪消费头数（估算）"))
    head_for_hire = models.PositiveIntegerField(_("其中代宰头数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定点屠宰月报")
        verbose_name_plural = _("定点屠宰月报")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "month"],
                name="slaughter_return_one_per_month",
                violation_error_message=_("该屠宰场这个月的月报已填报。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.month:%Y年%m月}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:slaughter_returns")

    @property
    def rate(self) -> float | None:
        return self.head_slaughtered / self.head_consumed if self.head_consumed else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)

    def clean(self) -> None:
        errors = {}
        if self.month:
            self.month = self.month.replace(day=1)
            if self.month > timezone.localdate():
                errors["month"] = _("不能填报尚未开始的月份。")
        if self.business_id and self.business.category.code != "slaughter":
            errors["business"] = _("定点屠宰月报只能由屠宰场填报。")
        if self.head_for_hire > self.head_slaughtered:
            errors["head_for_hire"] = _("代宰头数不能多于屠宰头数。")
        if errors:
            raise ValidationError(errors)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
