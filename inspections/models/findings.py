"""Findings the office records on a unit in its special actions: drug sales against the law by
supermarkets and general stores (D5)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import DrugSaleKind


class DrugSaleFinding(models.Model):
    """D5: a unit found selling drugs without a licence, under another firm's licence (挂靠), outside its
    mode or scope — above all supermarkets and general stores in the industrial zones — with what was sold
    and what was done: referral to the drug regulator, confiscation, an order to stop."""

    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="drug_sale_findings",
        verbose_name=_("经营单位"),
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    kind = models.CharField(_("违法情形"), max_length=20, choices=DrugSaleKind.choices)
    goods = models.CharField(_("所售药品"), max_length=200)
    affiliated_with = models.CharField(_("被挂靠的药品经营企业"), max_length=100, blank=True, default="")
    referred_to = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("移送药品监管部门"),
    )
    confiscated = models.BooleanField(_("没收药品"), default=False)
    ordered_to_stop = models.BooleanField(_("责令停止售药"), default=False)
    note = models.TextField(_("处理情况"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("违法售药查处")
        verbose_name_plural = _("违法售药查处")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["business", "found_on"], name="drugsale_business_day")]

    def __str__(self) -> str:
        return f"{self.found_on:%Y-%m-%d} {self.business}：{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:drug_sale_list") + f"?business={self.business_id}"

    def clean(self) -> None:
        errors = {}
        if self.found_on and self.found_on > timezone.localdate():
            errors["found_on"] = _("发现日期不能晚于今天。")
        if self.kind == DrugSaleKind.AFFILIATED and not self.affiliated_with.strip():
            errors["affiliated_with"] = _("挂靠经营须填写被挂靠的药品经营企业。")
        if not (self.referred_to_id or self.confiscated or self.ordered_to_stop):
            errors["referred_to"] = _("请至少选择一项处理措施：移送药品监管部门、没收药品或责令停止售药。")
        if errors:
            raise ValidationError(errors)
