"""A record of each roster import (issue 4): who imported which file when, the counts and what changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEWING = "previewing", _("正在预检")
    PREVIEWED = "previewed", _("预检完成")
    IMPORTING = "importing", _("正在导入")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("失败")


class ImportRecord(models.Model):
    """One uploaded roster workbook, from its preview (dry run) to its import.

    The file is kept under MEDIA_ROOT/imports/ with a random name between preview and confirm and is
    never served; the progress fields let the page follow a background import of 100,000 rows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_imports",
        verbose_name=_("导入人"),
    )
    session_key = models.CharField(_("会话"), max_length=64, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    stored_path = models.CharField(_("暂存文件"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWING
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    stage = models.CharField(_("进度说明"), max_length=50, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    counts = models.JSONField(_("统计"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    changes = models.JSONField(_("变更摘要"), default=list, blank=True)
    message = models.TextField(_("文件问题"), blank=True)

    class Meta:
        verbose_name = _("名册导入记录")
        verbose_name_plural = _("名册导入记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING)
