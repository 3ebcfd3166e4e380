"""Reward tip-offs from the public (有奖举报, W5): kept whole, triaged by the office."""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import TIPOFF_CLOSED, SpamReason, TipOffStatus

# No 0/O/1/I/L: the tipster reads the code off a phone screen and may type it again days later.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A public tracking code: random, so knowing one never leads to another (no sequence to walk)."""
    return "JB" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def tipoff_photo_path(instance, filename: str) -> str:
    # A random name: the uploader's file name may carry personal data and is not needed.
    return f"tipoffs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class TipOff(models.Model):
    """A tip-off sent through the public form. Every submission is kept; spam is flagged, not dropped.

    The tipster's contact (contact_name, contact_phone) is personal data: only the office reads it
    (views check reach().write_all; the audit log leaves these fields out).
    """

    reference = models.CharField(_("举报编号"), max_length=12, unique=True, default=new_reference)
    content = models.TextField(_("举报内容"), max_length=2000)
    village = models.ForeignKey(
        "campaigns.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("所在村（社区）"),
    )
    # Issue 24, town first: the town the tip-off is about — its village's or unit's, or the town the
    # tipster chose (镇（街道）) when the village is 不清楚. A town's staff read their own town's only.
    town = models.ForeignKey(
        "campaigns.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("所在镇（街道）"),
    )
    place = models.CharField(_("具体地点"), max_length=200, blank=True)
    business_name = models.CharField(_("被举报单位（举报人填写）"), max_length=100, blank=True)
    suggested_business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("系统匹配的经营单位"),
        help_text=_("按举报人填写的名称自动匹配，供办公室确认"),
    )
    business = models.ForeignKey(
        "campaigns.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("经营单位"),
    )
    contact_name = models.CharField(_("举报人称呼"), max_length=30, blank=True)
    contact_phone = models.CharField(_("举报人联系电话"), max_length=30, blank=True)
    wants_reward = models.BooleanField(_("申请举报奖励"), default=False)
    status = models.CharField(
        _("办理状态"), max_length=20, choices=TipOffStatus.choices, default=TipOffStatus.RECEIVED
    )
    spam_reason = models.CharField(_("无效原因"), max_length=20, choices=SpamReason.choices, blank=True)
    lead_department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        verbose_name=_("承办部门"),
    )
    triage_note = models.TextField(_("办理情况"), blank=True)
    reward_amount = models.DecimalField(
        _("奖励金额（元）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    reward_paid_on = models.DateField(_("奖励发放日期"), null=True, blank=True)
    client_hash = models.CharField(
        _("来源标识"), max_length=64, blank=True, help_text=_("提交者IP的不可逆摘要，仅用于限流和识别刷单")
    )
    submitted_at = models.DateTimeField(_("举报时间"), default=timezone.now)
    triaged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受理人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="tipoff_status_time"),
            models.Index(fields=["client_hash", "submitted_at"], name="tipoff_client_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reward_amount__isnull=True, reward_paid_on__isnull=True) | Q(status="proven"),
                name="tipoff_reward_only_when_proven",
                violation_error_message=_("只有查证属实的举报才能登记奖励。"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("inspections:tipoff_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.status != TipOffStatus.PROVEN and (
            self.reward_amount is not None or self.reward_paid_on is not None
        ):
            errors["reward_amount"] = _("只有查证属实的举报才能登记奖励。")
        if self.reward_paid_on and self.reward_amount is None:
            errors["reward_amount"] = _("登记发放日期前请先填写奖励金额。")
        if self.reward_paid_on and self.reward_paid_on > timezone.localdate():
            errors["reward_paid_on"] = _("奖励发放日期不能晚于今天。")
        if self.status in (TipOffStatus.ASSIGNED, TipOffStatus.VERIFYING) and not self.lead_department_id:
            errors["lead_department"] = _("交办或核查中的举报必须指定承办部门。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_spam(self) -> bool:
        return self.status == TipOffStatus.SPAM

    @property
    def overdue_days(self) -> int:
        """Days past its answer time (WUXIAO_TIPOFF_ANSWER_DAYS after it came in) while still unfinished;
        0 when finished or not yet due. The list and the page mark it (逾期), as the reminders do."""
        if self.status in TIPOFF_CLOSED:
            return 0
        waited = (timezone.localdate() - timezone.localdate(self.submitted_at)).days
        return max(0, waited - settings.WUXIAO_TIPOFF_ANSWER_DAYS)


class TipOffPhoto(models.Model):
    """A photo sent with a tip-off, re-encoded on upload (metadata such as GPS and device removed)."""

    tipoff = models.ForeignKey(
        TipOff, on_delete=models.CASCADE, related_name="photos", verbose_name=_("举报")
    )
    image = models.FileField(_("照片"), upload_to=tipoff_photo_path)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")
        ordering = ["tipoff", "pk"]

    def __str__(self) -> str:
        return f"{self.tipoff.reference} #{self.pk}"
