"""Risk grades and how often each grade is visited."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Grade, HygieneGrade


class FrequencyRule(models.Model):
    """Grade → visit interval (editable by the office). A business's grade comes from its recent scores:
    the best grade whose `min_score` the average reaches (W3: lower grades are visited more often)."""

    grade = models.CharField(_("风险等级"), max_length=1, choices=Grade.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(
        _("最低平均分"), help_text=_("近期检查平均分达到此分数可定为该等级")
    )
    interval_days = models.PositiveSmallIntegerField(_("检查间隔（天）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查频次")
        verbose_name_plural = _("检查频次")
        ordering = ["grade"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}：每{self.interval_days}天"


class InspectionProfile(models.Model):
    """What inspections know about one business: grade, last visit, when it is next due, relapse.

    Kept current by services (visit_submit, grade_refresh), so the due list is a single query."""

    business = models.OneToOneField(
        "campaigns.Business",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inspection_profile",
        verbose_name=_("经营单位"),
    )
    grade = models.CharField(_("风险等级"), max_length=1, choices=Grade.choices, blank=True)
    hygiene_grade = models.CharField(
        _("量化分级（E1）"),
        max_length=1,
        choices=HygieneGrade.choices,
        blank=True,
        help_text=_("餐饮店、小作坊"),
    )
    graded_on = models.DateField(_("定级日期"), null=True, blank=True)
    last_visit_on = models.DateField(_("最近检查日期"), null=True, blank=True)
    last_score = models.PositiveSmallIntegerField(_("最近得分"), null=True, blank=True)
    next_due_on = models.DateField(_("下次应检日期"), null=True, blank=True)
    relapsed_on = models.DateField(_("最近反弹日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("监管档案")
        verbose_name_plural = _("监管档案")
        indexes = [models.Index(fields=["next_due_on"], name="profile_next_due")]

    def __str__(self) -> str:
        return f"{self.business}：{self.grade or '未定级'}"
