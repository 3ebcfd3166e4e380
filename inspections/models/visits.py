"""A visit to a business: its answers (a snapshot of the checklist), photos, licence checks, amendments."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Answer, LicenceAction, VisitKind, VisitOutcome, VisitStatus


class Visit(models.Model):
    """An inspection of one business by one or more inspectors. A draft until submitted; then locked
    (corrections are VisitAmendment rows). Submitting applies the outcome (services.visit_submit)."""

    business = models.ForeignKey(
        "campaigns.Business", on_delete=models.PROTECT, related_name="visits", verbose_name=_("经营单位")
    )
    template = models.ForeignKey(
        "inspections.ChecklistTemplate",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("检查表版本"),
    )
    kind = models.CharField(
        _("检查方式"), max_length=20, choices=VisitKind.choices, default=VisitKind.ROUTINE
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.DRAFT
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspection_visits", verbose_name=_("检查人员")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    started_at = models.DateTimeField(_("检查时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=VisitOutcome.choices, blank=True)
    score = models.PositiveSmallIntegerField(
        _("得分"), null=True, blank=True, help_text=_("适用条目得分率，0–100")
    )
    notes = models.TextField(_("检查情况"), blank=True)
    # Optional location from the browser (navigator.geolocation), WGS84.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    reinspection_of = models.ForeignKey(
        "inspections.RectificationOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reinspections",
        verbose_name=_("复查的整改通知书"),
    )
    # What the form holds for 限期整改 until submit copies it onto the order.
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    requirements_text = models.TextField(_("整改要求"), blank=True)
    referral_department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_visits",
        verbose_name=_("移送部门"),
    )
    referral_note = models.CharField(_("移送事由"), max_length=200, blank=True)
    tipoff = models.ForeignKey(
        "inspections.TipOff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="check_visits",
        verbose_name=_("核查的举报"),
        help_text=_("W5：举报核查时所核查的举报"),
    )
    is_relapse = models.BooleanField(_("反弹"), default=False, help_text=_("W3：曾整改合格的条目再次不符合"))
    # Issue 18: the id an offline client gave the visit before it reached the server; unique, so the same
    # submission sent twice (a retry, two tabs, a race) makes one visit (api: POST /api/v1/visits/).
    client_uuid = models.UUIDField(_("客户端编号"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["business", "status", "-started_at"], name="visit_business_status"),
            models.Index(fields=["status", "-started_at"], name="visit_status_started"),
            # The visit list's order: a page of an inspector's visits is the first few matching rows of
            # this index instead of a sort of every visit they may see (issue 11).
            models.Index(fields=["-started_at", "-id"], name="visit_started_desc"),
            # Relapses (W3) are few: the dashboard counts them without reading every visit.
            models.Index(
                fields=["started_at", "business"], name="visit_relapse", condition=models.Q(is_relapse=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business} · {self.get_kind_display()} · {timezone.localtime(self.started_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:visit_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == VisitStatus.DRAFT


class VisitAnswer(models.Model):
    """The answer to one checklist item. The item's text, code, requirement and basis are copied at the
    start of the visit so a later template edit never changes what was checked."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("检查"))
    item = models.ForeignKey(
        "inspections.ChecklistItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("检查条目"),
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    code = models.CharField(_("条目代码"), max_length=20)
    requirement = models.CharField(_("依据要求"), max_length=10)
    text = models.CharField(_("检查内容"), max_length=200)
    basis = models.CharField(_("整改依据"), max_length=200, blank=True)
    requires_photo_on_failure = models.BooleanField(_("不符合时须拍照"), default=False)
    weight = models.PositiveSmallIntegerField(_("分值"), default=10)
    answer = models.CharField(_("结论"), max_length=8, choices=Answer.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    is_relapse = models.BooleanField(_("反弹"), default=False)

    class Meta:
        verbose_name = _("检查结论")
        verbose_name_plural = _("检查结论")
        ordering = ["visit", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["visit", "code"], name="visit_answer_unique_code")]
        indexes = [
            # The targets (dashboard/evidence.py) ask "which visits answered / failed an item citing G3"
            # (or item E1-1): index-only range scans instead of reading every answer (issue 9, Speed).
            models.Index(fields=["requirement", "answer", "visit"], name="answer_requirement"),
            models.Index(fields=["code", "answer", "visit"], name="answer_code"),
            # "Did this visit fail anything?" per visit (E1d, F2, G3 …): failures are a few per cent.
            models.Index(fields=["visit"], name="answer_failed", condition=models.Q(answer="fail")),
        ]

    def __str__(self) -> str:
        return f"[{self.requirement}] {self.text}：{self.get_answer_display() or '—'}"


def _photo_path(instance: "VisitPhoto", filename: str) -> str:
    # Private storage (MEDIA_ROOT is never served directly); a random name reveals nothing.
    return f"visits/{instance.visit_id}/{uuid.uuid4().hex}.jpg"


class VisitPhoto(models.Model):
    """A photo taken during a visit (resized JPEG), optionally of one answer. Served only through a
    scoped view."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("检查"))
    answer = models.ForeignKey(
        VisitAnswer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("对应条目"),
    )
    image = models.FileField(_("照片"), upload_to=_photo_path)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size = models.PositiveIntegerField(_("字节数"), default=0)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["visit", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or f"照片 {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:photo", args=[self.pk])


class VisitLicenceCheck(models.Model):
    """G1 at the door: for each licence the business must hold, was it held and displayed (亮证)?
    Submitting copies `displayed` onto the licence (Licence.displayed / displayed_seen_on)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="licence_checks", verbose_name=_("检查")
    )
    licence_type = models.ForeignKey(
        "campaigns.LicenceType", on_delete=models.PROTECT, related_name="+", verbose_name=_("证照类型")
    )
    licence = models.ForeignKey(
        "campaigns.Licence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_checks",
        verbose_name=_("证照"),
    )
    held = models.BooleanField(_("持证"), null=True, blank=True)
    displayed = models.BooleanField(_("亮证"), null=True, blank=True)
    action = models.CharField(
        _("证照处理"), max_length=10, choices=LicenceAction.choices, blank=True, default=LicenceAction.NONE
    )

    class Meta:
        verbose_name = _("证照核查")
        verbose_name_plural = _("证照核查")
        ordering = ["visit", "licence_type__pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "licence_type"], name="visit_licence_check_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_type}：{'持证' if self.held else '未持证'}"


class VisitAmendment(models.Model):
    """A correction to a submitted visit. Submitted visits are never edited silently: this row says
    who corrected what, when and why."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("检查")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("更正人")
    )
    text = models.TextField(_("更正内容"))
    reason = models.CharField(_("更正原因"), max_length=200)
    created_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        ordering = ["visit", "created_at"]

    def __str__(self) -> str:
        return f"{self.visit} 更正：{self.reason}"
