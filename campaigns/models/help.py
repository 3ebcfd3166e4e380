"""Help given to units (W4 疏堵结合), the centralised processing site (B5) and the green channel (B3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import GreenChannelStage, HelpKind
from .business import Business
from .reference import Department, SubType, Village


class ProcessingSite(models.Model):
    """A centralised processing site for small workshops (小作坊集中加工场, B5): the industries it takes, and
    whether purchasing, production, management and testing are unified there (统一采购、生产、管理、检验).
    Units moved there are the HelpRecords of kind "concentration" naming it."""

    name = models.CharField(_("加工场名称"), max_length=100, unique=True)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="processing_sites", verbose_name=_("所在村（社区）")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    industries = models.ManyToManyField(
        SubType, blank=True, related_name="processing_sites", verbose_name=_("入驻行业")
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    unified_purchasing = models.BooleanField(_("统一采购"), default=False)
    unified_production = models.BooleanField(_("统一生产"), default=False)
    unified_management = models.BooleanField(_("统一管理"), default=False)
    unified_testing = models.BooleanField(_("统一检验"), default=False)
    note = models.TextField(
        _("说明"), blank=True, help_text=_("市质监局的支持：厂房布局、车间设立、检验手段等")
    )

    class Meta:
        verbose_name = _("小作坊集中加工场")
        verbose_name_plural = _("小作坊集中加工场")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:site_detail", args=[self.pk])


class HelpRecord(models.Model):
    """Help a unit was given (W4): joining a chain or unified distribution, moving to the concentration
    site (B5), merging, joint processing, a job for a displaced operator, green-channel help (B3).
    The W4 report sets the units helped against those banned, per category and village."""

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="help_records", verbose_name=_("经营单位")
    )
    kind = models.CharField(_("帮扶方式"), max_length=20, choices=HelpKind.choices)
    given_on = models.DateField(_("帮扶日期"), default=timezone.localdate)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_records",
        verbose_name=_("帮扶部门"),
    )
    partner = models.CharField(
        _("合作方"), max_length=100, blank=True, help_text=_("连锁企业、配送企业、兼并方或安置单位")
    )
    site = models.ForeignKey(
        ProcessingSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_records",
        verbose_name=_("集中加工场"),
    )
    note = models.TextField(_("帮扶情况"), blank=True)
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
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["business", "given_on"], name="help_business_day")]

    def __str__(self) -> str:
        return f"{self.business}：{self.get_kind_display()}（{self.given_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:business_detail", args=[self.business_id])

    def clean(self) -> None:
        errors = {}
        if self.given_on and self.given_on > timezone.localdate():
            errors["given_on"] = _("帮扶日期不能晚于今天。")
        if self.kind == HelpKind.CONCENTRATION and not self.site_id:
            errors["site"] = _("迁入集中加工场须选择是哪个加工场。")
        if self.kind != HelpKind.CONCENTRATION and self.site_id:
            errors["site"] = _("只有“区域集中”才选择集中加工场。")
        if self.kind in (HelpKind.CHAIN, HelpKind.DISTRIBUTION, HelpKind.MERGER) and not self.partner.strip():
            errors["partner"] = _("请填写连锁企业、配送企业或兼并方的名称。")
        if errors:
            raise ValidationError(errors)


class GreenChannel(models.Model):
    """A workshop on the green channel to the food production licence (B3): applied, guided (改造帮扶),
    licensed — each with its date, so the office sees who is stuck where."""

    business = models.OneToOneField(
        Business, on_delete=models.PROTECT, related_name="green_channel", verbose_name=_("小作坊")
    )
    stage = models.CharField(
        _("进度"), max_length=10, choices=GreenChannelStage.choices, default=GreenChannelStage.APPLIED
    )
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)
    guided_on = models.DateField(_("帮扶改造开始"), null=True, blank=True)
    licensed_on = models.DateField(_("取证日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("绿色通道")
        verbose_name_plural = _("绿色通道")
        ordering = ["applied_on", "pk"]

    def __str__(self) -> str:
        return f"{self.business}：{self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:business_detail", args=[self.business_id])

    def clean(self) -> None:
        errors = {}
        if self.business_id and self.business.category.code != "workshop":
            errors["business"] = _("绿色通道只办理小作坊的食品生产许可证。")
        if self.guided_on and self.applied_on and self.guided_on < self.applied_on:
            errors["guided_on"] = _("帮扶改造开始日期不能早于申请日期。")
        if self.stage == GreenChannelStage.LICENSED and not self.licensed_on:
            errors["licensed_on"] = _("已取证须填写取证日期。")
        if self.licensed_on and self.applied_on and self.licensed_on < self.applied_on:
            errors["licensed_on"] = _("取证日期不能早于申请日期。")
        if errors:
            raise ValidationError(errors)
