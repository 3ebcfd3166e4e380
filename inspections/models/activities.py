"""The office's work register (工作记录): trainings, publicity, advert monitoring, supervision,
self-summaries, referrals, the slaughterhouse's annual inspection … — one shape for many requirements
(see ActivityKind)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.choices import PhaseCode

from ..choices import ACTIVITY_REQUIREMENT, ActivityKind, Endorser


class Activity(models.Model):
    """One piece of campaign work the office must be able to show and count: what, when, by whom, where,
    which units it touched, and — depending on the kind — the stage (O4/U2), the endorser of an illegal
    advert (D3), the organ a case went to and its number (D3, E7, O5), whether it is published (W5).

    Each kind cites the requirement it realises (ActivityKind / ACTIVITY_REQUIREMENT); clean() holds the
    rules that make a kind's record complete.
    """

    kind = models.CharField(_("工作类型"), max_length=24, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"), default=timezone.localdate)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容与发现"), blank=True)
    department = models.ForeignKey(
        "campaigns.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("部门"),
    )
    village = models.ForeignKey(
        "campaigns.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("村（社区）"),
    )
    # Issue 24, town first: whose record it is — its village's town, else its units', else the town the
    # recorder works in (activity_save). A record naming no place is read by that town's staff only.
    town = models.ForeignKey(
        "campaigns.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("镇（街道）"),
    )
    phase = models.CharField(_("阶段"), max_length=5, choices=PhaseCode.choices, blank=True)
    participants = models.PositiveIntegerField(
        _("人数/份数"), null=True, blank=True, help_text=_("培训人数、张贴海报份数、参加人数等")
    )
    businesses = models.ManyToManyField(
        "campaigns.Business", blank=True, related_name="activities", verbose_name=_("涉及经营单位")
    )
    endorser = models.CharField(_("代言人类型"), max_length=10, choices=Endorser.choices, blank=True)
    referred_to = models.CharField(_("移送/接收机关"), max_length=60, blank=True)
    case_number = models.CharField(_("案件编号"), max_length=60, blank=True)
    published = models.BooleanField(_("对外公布"), default=False, help_text=_("在公开的典型案例页面公布"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作记录")
        verbose_name_plural = _("工作记录")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "held_on"], name="activity_kind_day"),
            models.Index(fields=["published", "held_on"], name="activity_published_day"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:activity_detail", args=[self.pk])

    @property
    def requirement(self) -> str:
        return ACTIVITY_REQUIREMENT.get(self.kind, "")

    def clean(self) -> None:
        errors = {}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("日期不能晚于今天。")
        if self.kind == ActivityKind.ADVERT and not self.endorser:
            errors["endorser"] = _("违法广告监测须注明代言人类型（公众人物、专家、患者或其他）。")
        if self.kind != ActivityKind.ADVERT and self.endorser:
            errors["endorser"] = _("只有违法广告监测才填写代言人类型。")
        if self.kind == ActivityKind.CRIMINAL_REFERRAL:
            if not self.referred_to.strip():
                errors["referred_to"] = _("移送追究刑事责任须填写接收机关（如公安机关）。")
            if not self.case_number.strip():
                errors["case_number"] = _("移送追究刑事责任须填写案件编号。")
        if self.kind == ActivityKind.SUPERVISION and not self.phase:
            errors["phase"] = _("督查须注明所属阶段（整改实施或总结验收）。")
        if self.kind == ActivityKind.SELF_SUMMARY and not (self.department_id or self.village_id):
            errors["department"] = _("自查总结须注明是哪个部门或村（社区）的总结。")
        if self.kind == ActivityKind.VILLAGE_GROUP and not self.village_id:
            errors["village"] = _("村（社区）专项整治小组的工作须注明村（社区）。")
        if self.published and self.kind != ActivityKind.EXPOSURE:
            errors["published"] = _("只有典型案例曝光可以对外公布。")
        if errors:
            raise ValidationError(errors)
