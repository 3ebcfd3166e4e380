"""Per-town settings where towns differ (issue 24): the G2 ledger window, the E2 return-check days, the
documents' masthead (发文机关标志) and numbering prefix (发文字号's 机关代字).

Kept in their own one-to-one row, not as columns of Town, because:
- a town without a row uses every global default (settings.WUXIAO_*), so a single-town installation and
  every existing town change nothing and need no data migration;
- it is the office's to edit in the app, so its changes are evidence in the audit trail (registered
  with auditlog) while the town itself stays reference data edited in the admin;
- nothing reads it per row: campaigns.town_settings reads the towns that differ once per computation
  (the ledger window) or the one town of an order or document.

Every field left empty (None / "") means the global default. Read it through campaigns.town_settings,
never directly: that helper applies the defaults.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.text import squash

from .reference import Town

WINDOW_RANGE = (1, 366)
RETURN_CHECK_RANGE = (1, 365)


class TownSettings(models.Model):
    """One town's settings; empty means the installation's default."""

    town = models.OneToOneField(Town, on_delete=models.CASCADE, related_name="settings", verbose_name=_("镇"))
    ledger_window_days = models.PositiveSmallIntegerField(
        _("台账有效期（天）"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(WINDOW_RANGE[0], _("台账有效期至少为%(limit_value)s天。")),
            MaxValueValidator(WINDOW_RANGE[1], _("台账有效期不能超过%(limit_value)s天。")),
        ],
        help_text=_("G2：统计日前这么多天内有台账记录即视为建立台账；留空则用全局默认值。"),
    )
    return_check_days = models.PositiveSmallIntegerField(
        _("回头查间隔（天）"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(RETURN_CHECK_RANGE[0], _("回头查间隔至少为%(limit_value)s天。")),
            MaxValueValidator(RETURN_CHECK_RANGE[1], _("回头查间隔不能超过%(limit_value)s天。")),
        ],
        help_text=_("E2：整改复查合格后这么多天进行回头查；留空则用全局默认值。"),
    )
    masthead = models.CharField(
        _("发文机关标志"),
        max_length=40,
        blank=True,
        help_text=_("公文版头的发文机关名称，如“东风镇人民政府办公室”；留空则用领导小组（办公室）名称。"),
    )
    number_prefix = models.CharField(
        _("发文字号前缀"),
        max_length=12,
        blank=True,
        help_text=_("发文机关代字，如“东风镇办”，文号为“东风镇办〔2026〕1号”；留空则用默认代字。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("镇设置")
        verbose_name_plural = _("镇设置")

    def __str__(self) -> str:
        return f"{self.town}设置"

    def clean(self) -> None:
        self.masthead = squash(self.masthead)
        self.number_prefix = squash(self.number_prefix)
        errors = {}
        if self.number_prefix and any(ch in self.number_prefix for ch in "〔〕[]()（）0123456789"):
            errors["number_prefix"] = _("发文字号前缀只写机关代字（如“东风镇办”），年份和序号由系统生成。")
        if self.masthead and self.masthead.endswith("文件"):
            errors["masthead"] = _("发文机关标志只写机关名称，“文件”二字由系统加上。")
        if errors:
            raise ValidationError(errors)
