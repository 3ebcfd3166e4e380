"""Product sampling (抽检/抽验, A5, D6): a sample sent to a lab, its result and what followed."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import SampleAction, SampleKind, SampleMethod, SampleResult


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
    # A6: a vegetable pesticide-residue result (kind RESIDUE) — how it was tested, the pesticide found, the
    # value against its limit; a failed one is traced back to the agri shops that sold that pesticide.
    method = models.CharField(
        _("检测方式"), max_length=10, choices=SampleMethod.choices, default=SampleMethod.LAB
    )
    pesticide = models.CharField(_("检出农药"), max_length=60, blank=True, default="")
    residue_value = models.DecimalField(
        _("检出值（mg/kg）"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    residue_limit = models.DecimalField(
        _("限量值（mg/kg）"), max_digits=10, decimal_places=4, null=True, blank=True
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
        if self.kind == SampleKind.RESIDUE:
            errors.update(self._residue_errors())
        if errors:
            raise ValidationError(errors)

    def _residue_errors(self) -> dict:
        """A6: a failed residue result names the pesticide (the trace starts from it); a value and a limit
        given must agree with the result."""
        errors = {}
        if self.result == SampleResult.FAIL and not self.pesticide.strip():
            errors["pesticide"] = _("农残检测不合格须填写检出的农药名称（据此追溯售药门店）。")
        value, limit = self.residue_value, self.residue_limit
        if value is not None and value < 0:
            errors["residue_value"] = _("检出值不能为负数。")
        if limit is not None and limit <= 0:
            errors["residue_limit"] = _("限量值须大于0。")
        if not errors and value is not None and limit is not None and self.result != SampleResult.PENDING:
            if value > limit and self.result != SampleResult.FAIL:
                errors["result"] = _("检出值超过限量值，结果应为不合格。")
            elif value <= limit and self.result == SampleResult.FAIL:
                errors["result"] = _("检出值未超过限量值，结果应为合格；如判定不合格请核对数值。")
        return errors

    @property
    def is_residue(self) -> bool:
        return self.kind == SampleKind.RESIDUE

    # A6: how far back the trace looks for sales of the pesticide before the test day.
    TRACE_DAYS = 90

    @property
    def residue_trace_query(self) -> str:
        """A6: the query of the ledgers' trace page (mode a6) for this failed result: the pesticide sold by
        any shop of the town in the TRACE_DAYS before the test (ledgers.trace.trace_a6)."""
        return urlencode(
            {
                "mode": "a6",
                "product": self.pesticide,
                "since": (self.sampled_on - datetime.timedelta(days=self.TRACE_DAYS)).isoformat(),
                "until": self.sampled_on.isoformat(),
            }
        )

    def residue_prepare(self) -> None:
        """A6, before validation: the kind set, the result dated on the test day, and a failed result's
        不合格项目 written from the pesticide, value and limit when left blank."""
        self.kind = SampleKind.RESIDUE
        self.pesticide = (self.pesticide or "").strip()
        if self.result_on is None:
            self.result_on = self.sampled_on
        if self.result == SampleResult.FAIL and not self.failing_items.strip():
            self.failing_items = self.residue_failing_text()

    def residue_failing_text(self) -> str:
        """A6: 不合格项目 as the pesticide found, its value and limit ("毒死蜱 检出 0.35（限量 0.1）")."""
        if not self.pesticide.strip():
            return ""
        found = self.pesticide.strip()
        if self.residue_value is not None:
            found += _(" 检出 %(v)s") % {"v": f"{self.residue_value.normalize():f}"}
        if self.residue_limit is not None:
            found += _("（限量 %(l)s）") % {"l": f"{self.residue_limit.normalize():f}"}
        return found
