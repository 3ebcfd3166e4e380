"""Food-safety incidents (食品安全事故, C7): the register behind the target "no major incident"."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import MAJOR_SEVERITIES, IncidentSeverity, IncidentStatus


class Incident(models.Model):
    """A food-safety incident in the town: when and where, the units involved, its grade on the national
    scale (Ⅰ 特别重大 … Ⅳ 一般), how many fell ill, and how it ended.

    C7 asks that no *major* (重大 or above) incident happen; the units of a major incident fail C7 on the
    dashboard from the day it happened, and are listed in its drill-down.
    """

    occurred_on = models.DateField(_("发生日期"), default=timezone.localdate)
    place = models.CharField(_("发生地点"), max_length=200)
    village = models.ForeignKey(
        "campaigns.Village", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("村（社区）")
    )
    title = models.CharField(_("事件名称"), max_length=100)
    severity = models.CharField(_("事故等级"), max_length=4, choices=IncidentSeverity.choices)
    cases = models.PositiveIntegerField(_("发病人数"), default=0)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    description = models.TextField(_("事件经过"), blank=True)
    status = models.CharField(
        _("处置结果"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.HANDLING
    )
    outcome = models.TextField(_("处置情况"), blank=True)
    businesses = models.ManyToManyField(
        "campaigns.Business", blank=True, related_name="incidents", verbose_name=_("涉事经营单位")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("食品安全事故")
        verbose_name_plural = _("食品安全事故")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["severity", "occurred_on"], name="incident_severity_day")]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}（{self.get_severity_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("inspections:incident_detail", args=[self.pk])

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
        if self.status != IncidentStatus.HANDLING and not self.outcome.strip():
            raise ValidationError({"outcome": _("已结案或已移送的事故须填写处置情况。")})

    @property
    def is_major(self) -> bool:
        return self.severity in MAJOR_SEVERITIES
