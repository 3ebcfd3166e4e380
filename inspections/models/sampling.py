"""Product sampling (抽检/抽验, A5, D6): a sample sent to a lab, its result and what followed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import SampleAction, SampleKind, SampleResult


class Sample(models.Model):
    """A sample taken from a business (usually during a visit) and sent to a lab or city bureau.

    A failing result (不合格) leads to a rectification order (through the visits' order service) or a
    referral, and the business is due follow-up sampling (D6) until a later sample links back here."""

    number = models.CharField(
        _("抽样单编号"), max_length=40, unique=True, error_messages={"unique": _("该抽样单编号已登记。")}
    )
    business = models.ForeignKey(
        "campaigns.Business", on_delete=models.PROTECT, related_name="samples", verbose_name=_("经营单位")
    )
    visit = models.ForeignKey(
        "inspections.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        verbose_name=_("抽样时的检查"),
    )
    kind = models.CharField(_("抽检类别"), max_length=20, choices=SampleKind.choices)
    product = models.CharField(_("样品名称"), max_length=100)
    batch = models.CharField(_("批号/生产日期"), max_length=60, blank=True)
    quantity = models.CharField(_("抽样数量"), max_length=40)
    lab = models.CharField(_("检验机构"), max_length=100)
    bureau = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("送检部门"),
    )
    sampled_on = models.DateField(_("抽样日期"))
    result = models.CharField(
        _("检验结果"), max_length=10, choices=SampleResult.choices, default=SampleResult.PENDING
    )
    failing_items = models.TextField(_("不合格项目"), blank=True)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    action = models.CharField(_("处理方式"), max_length=10, choices=SampleAction.choices, blank=True)
    order = models.ForeignKey(
        "inspections.RectificationOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        verbose_name=_("整改通知书"),
    )
    referral_department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("移送部门"),
    )
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("跟踪抽检对象"),
        help_text=_("D6：对此前不合格样品的跟踪抽检"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("抽检样品")
        verbose_name_plural = _("抽检样品")
        ordering = ["-sampled_on", "-pk"]
        indexes = [models.Index(fields=["business", "result"], name="sample_business_result")]

    def __str__(self) -> str:
        return f"{self.number} {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:sample_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.result == SampleResult.FAIL and not self.failing_items.strip():
            errors["failing_items"] = _("不合格须填写不合格项目。")
        if self.result != SampleResult.PENDING and not self.result_on:
            errors["result_on"] = _("请填写结果日期。")
        if self.result_on and self.sampled_on and self.result_on < self.sampled_on:
            errors["result_on"] = _("结果日期不能早于抽样日期。")
        if self.visit_id and self.business_id and self.visit.business_id != self.business_id:
            errors["visit"] = _("所选检查不是对该经营单位的检查。")
        if errors:
            raise ValidationError(errors)
