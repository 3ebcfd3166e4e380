"""Findings the office records on a unit in its special actions: drug sales against the law by
supermarkets and general stores (D5), holiday-goods checks round by round (C4)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import DrugSaleKind, HolidayFinding


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


class HolidayCheckRound(models.Model):
    """C4: a round of holiday-goods checks the office runs around a holiday (春节、中秋、国庆 …): its
    name and dates; the units checked in it, and what was found, are its HolidayChecks."""

    holiday = models.CharField(_("节日"), max_length=30)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.TextField(_("工作安排"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("节日商品检查")
        verbose_name_plural = _("节日商品检查")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holiday", "starts_on"],
                name="holiday_round_once",
                violation_error_message=_("该节日同一开始日期的检查已登记。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y}年{self.holiday}节日商品检查"

    def get_absolute_url(self) -> str:
        return reverse("inspections:holiday_round", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 92:
            raise ValidationError({"ends_on": _("一轮节日检查不超过三个月，请核对日期。")})


class HolidayCheck(models.Model):
    """C4: one unit checked in a holiday round — on what day, what was found (each kind a flag: price,
    bundling and over-packaging, trademarks, false advertising, consumer fraud, expired goods) and what
    was done. One row per unit and round."""

    round = models.ForeignKey(
        HolidayCheckRound, on_delete=models.CASCADE, related_name="checks", verbose_name=_("检查轮次")
    )
    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        related_name="holiday_checks",
        verbose_name=_("经营单位"),
    )
    checked_on = models.DateField(_("检查日期"), default=timezone.localdate)
    price = models.BooleanField(HolidayFinding.PRICE.label, default=False)
    bundling = models.BooleanField(HolidayFinding.BUNDLING.label, default=False)
    trademark = models.BooleanField(HolidayFinding.TRADEMARK.label, default=False)
    false_ad = models.BooleanField(HolidayFinding.FALSE_AD.label, default=False)
    fraud = models.BooleanField(HolidayFinding.FRAUD.label, default=False)
    expired = models.BooleanField(HolidayFinding.EXPIRED.label, default=False)
    detail = models.TextField(_("问题及处理情况"), blank=True, default="")
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
        verbose_name = _("节日商品检查记录")
        verbose_name_plural = _("节日商品检查记录")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "business"],
                name="holiday_check_once_per_round",
                violation_error_message=_("该单位在本轮节日检查中已登记，请勿重复登记。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}：{self.business}"

    def get_absolute_url(self) -> str:
        return self.round.get_absolute_url() + f"?business={self.business_id}"

    @property
    def findings(self) -> list[str]:
        """The labels of what was found (empty: the unit passed)."""
        return [label for value, label in HolidayFinding.choices if getattr(self, value)]

    def clean(self) -> None:
        errors = {}
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = _("检查日期不能晚于今天。")
        elif (
            self.checked_on
            and self.round_id
            and not (self.round.starts_on <= self.checked_on <= self.round.ends_on)
        ):
            errors["checked_on"] = _("检查日期须在本轮检查期间（%(s)s 至 %(e)s）。") % {
                "s": self.round.starts_on.isoformat(),
                "e": self.round.ends_on.isoformat(),
            }
        if self.findings and not self.detail.strip():
            errors["detail"] = _("发现问题的，须填写问题及处理情况。")
        if errors:
            raise ValidationError(errors)
