"""Records of the campaign's own work on the roster: the village campaign groups' members (O2) and the
recall and re-issue of the workshops' commitment letters and licences, industry by industry (B2)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import VillageGroupRole
from .business import Business
from .reference import LicenceType, Village


class VillageGroupMember(models.Model):
    """A member of a village's (community's) campaign group (村级专项整治小组, O2): each village has its own
    group, and its members are listed village by village."""

    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="group_members", verbose_name=_("村（社区）")
    )
    name = models.CharField(_("姓名"), max_length=30)
    role = models.CharField(_("小组职务"), max_length=10, choices=VillageGroupRole.choices)
    position = models.CharField(_("单位及职务"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("村（社区）专项整治小组成员")
        verbose_name_plural = _("村（社区）专项整治小组成员")
        ordering = ["village__order", "village__name", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="village_group_member_once",
                violation_error_message=_("该村（社区）小组已有同名成员。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village}：{self.name}（{self.get_role_display()}）"


class LicenceReissue(models.Model):
    """B2: a workshop's commitment letter (or licence) recalled and re-issued — one row per unit and paper,
    so the office's progress table counts, industry by industry, the units recalled and re-issued."""

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="reissues", verbose_name=_("小作坊")
    )
    licence_type = models.ForeignKey(
        LicenceType, on_delete=models.PROTECT, related_name="reissues", verbose_name=_("收回的证照/承诺书")
    )
    recalled_on = models.DateField(_("收回日期"), default=timezone.localdate)
    reissued_on = models.DateField(_("重新核发日期"), null=True, blank=True)
    number = models.CharField(_("新证编号"), max_length=60, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("承诺书/证照收回重发")
        verbose_name_plural = _("承诺书/证照收回重发")
        ordering = ["-recalled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "licence_type"],
                name="reissue_once_per_paper",
                violation_error_message=_("该小作坊的这份证照已登记收回，请修改原记录。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.business}：{self.licence_type}"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.business_id and self.business.category.code != "workshop":
            errors["business"] = _("承诺书收回重发只针对小作坊（B2）。")
        if self.recalled_on and self.recalled_on > today:
            errors["recalled_on"] = _("收回日期不能晚于今天。")
        if self.reissued_on:
            if self.reissued_on > today:
                errors["reissued_on"] = _("重新核发日期不能晚于今天。")
            elif self.recalled_on and self.reissued_on < self.recalled_on:
                errors["reissued_on"] = _("重新核发日期不能早于收回日期。")
        if errors:
            raise ValidationError(errors)
