"""Checklist templates per category, versioned: editing makes a new version, visits keep their snapshot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChecklistTemplate(models.Model):
    """One version of a category's checklist (DOMAIN §3–§4). Exactly one version per category is current."""

    category = models.ForeignKey(
        "campaigns.Category",
        on_delete=models.PROTECT,
        related_name="checklist_templates",
        verbose_name=_("类别"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("名称"), max_length=100)
    is_current = models.BooleanField(_("现行版本"), default=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修订人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["category__order", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["category", "version"], name="checklist_unique_version"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(is_current=True), name="checklist_one_current_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class ChecklistItem(models.Model):
    """A line of a checklist. `code` is stable across versions (relapse compares codes, W3);
    `requirement` cites the DOMAIN id the item checks (G1, D1 …)."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("检查表")
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    code = models.CharField(_("条目代码"), max_length=20, help_text=_("跨版本不变，例如 D1-1"))
    requirement = models.CharField(_("依据要求"), max_length=10, help_text=_("整治要求编号，例如 G1、D1"))
    text = models.CharField(_("检查内容"), max_length=200)
    basis = models.CharField(
        _("整改依据"), max_length=200, blank=True, help_text=_("写入整改通知书的依据，留空则引用整治方案")
    )
    requires_photo_on_failure = models.BooleanField(_("不符合时须拍照"), default=False)
    weight = models.PositiveSmallIntegerField(_("分值"), default=10)

    class Meta:
        verbose_name = _("检查条目")
        verbose_name_plural = _("检查条目")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklist_item_unique_code"),
        ]

    def __str__(self) -> str:
        return f"[{self.requirement}] {self.text}"
