"""Random spot checks (双随机一公开, P2): a recorded draw and the pairs it made."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import DrawStatus


class SpotCheckDraw(models.Model):
    """One random draw, kept for good: its seed and every input (the population and the inspector pool as
    they were), so anyone can re-run it and get the same pairs. A redraw is a new draw pointing here."""

    title = models.CharField(_("抽查名称"), max_length=100)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spot_check_draws",
        verbose_name=_("专项"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=DrawStatus.choices, default=DrawStatus.ACTIVE)
    seed = models.BigIntegerField(_("随机种子"))
    team_size = models.PositiveSmallIntegerField(_("每组人数"), default=2)
    size = models.PositiveIntegerField(_("抽取家数"))
    criteria = models.JSONField(_("抽取条件"), default=dict)
    criteria_text = models.CharField(_("抽取条件（文字）"), max_length=300, blank=True)
    population = models.JSONField(_("备选经营单位"), default=list, help_text=_("[[经营单位ID, 村ID], …]"))
    pool = models.JSONField(_("检查人员库"), default=list, help_text=_("[[用户ID, 村ID或空], …]"))
    result = models.JSONField(_("抽取结果"), default=list)
    digest = models.CharField(_("校验码"), max_length=64, help_text=_("输入与结果的SHA-256摘要"))
    planned_on = models.DateField(_("计划检查日期"))
    redraw_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redrawn_by",
        verbose_name=_("重新抽取自"),
    )
    reason = models.CharField(_("重新抽取原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("随机抽查")
        verbose_name_plural = _("随机抽查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw_detail", args=[self.pk])


class SpotCheckPair(models.Model):
    """A drawn business with the inspectors drawn for it, and the 随机抽查 visit assigned to them."""

    draw = models.ForeignKey(
        SpotCheckDraw, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("抽查")
    )
    order = models.PositiveIntegerField(_("序号"))
    business = models.ForeignKey(
        "campaigns.Business", on_delete=models.PROTECT, related_name="spot_checks", verbose_name=_("经营单位")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("检查人员")
    )
    visit = models.OneToOneField(
        "inspections.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spot_check",
        verbose_name=_("检查记录"),
    )
    own_village = models.BooleanField(_("本村人员参检"), default=False, help_text=_("人员不足，无法回避"))
    repeated_team = models.BooleanField(_("组合重复"), default=False, help_text=_("人员组合已用尽，无法避免"))

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["draw", "order"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "order"], name="spotcheck_pair_unique_order"),
            models.UniqueConstraint(fields=["draw", "business"], name="spotcheck_pair_unique_business"),
        ]

    def __str__(self) -> str:
        return f"{self.draw} #{self.order} {self.business}"
