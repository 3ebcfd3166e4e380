"""What the dashboard keeps: weekly target snapshots, work bulletins (U2), acceptance records and
circulars (P2). The targets themselves are code (dashboard/targets.py), not rows."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Department, Village

from .choices import SHEETS, AcceptanceKind, CircularState, CityPaperKind, Conclusion


class TargetSnapshot(models.Model):
    """A town-wide target figure at a weekly as-of date, precomputed for the trend (refreshed nightly)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="target_snapshots", verbose_name=_("专项")
    )
    # Issue 24: the town the figure counts — a town's own campaign counts its town, the city's campaign
    # one series per town running it and one for the whole city (empty: every business of the install,
    # which is the one town of a single-town install).
    town = models.ForeignKey(
        "campaigns.Town",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("镇"),
    )
    as_of = models.DateField(_("统计日期"))
    target = models.CharField(_("目标"), max_length=10)
    numerator = models.PositiveIntegerField(_("达标数"))
    denominator = models.PositiveIntegerField(_("应统计数"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("目标快照")
        verbose_name_plural = _("目标快照")
        ordering = ["campaign", "as_of", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "as_of", "target"], condition=Q(town__isnull=True), name="snapshot_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "town", "as_of", "target"],
                condition=Q(town__isnull=False),
                name="snapshot_unique_town",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.as_of}: {self.numerator}/{self.denominator}"

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


class StoredMatrix(models.Model):
    """The town's target figures at a date, village × category, kept when computing them live costs more
    than the page can wait (issue 9, Speed): dashboard/figures.matrix() serves them and refreshes them in
    the background; at town scale nothing is kept and every figure is live."""

    as_of = models.DateField(_("统计日期"))
    campaign_start = models.DateField(_("专项开始日"))
    # Whose businesses: "town" (every active one), or "unlicensed" (the enforcement branch's reach).
    scope = models.CharField(_("范围"), max_length=20, default="town")
    targets = models.CharField(_("目标"), max_length=300, help_text=_("计算的目标编号，按顺序，以“-”连接"))
    rows = models.JSONField(_("村×类别计数"), default=list)
    computed_at = models.DateTimeField(_("计算时间"))
    duration_ms = models.PositiveIntegerField(_("计算耗时（毫秒）"))

    class Meta:
        verbose_name = _("目标数据缓存")
        verbose_name_plural = _("目标数据缓存")
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "campaign_start", "scope", "targets"], name="stored_matrix_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.computed_at:%Y-%m-%d %H:%M}, {self.duration_ms} ms)"


def bulletin_path(instance, filename: str) -> str:
    return f"bulletins/{instance.campaign_id}/{filename}"


class Bulletin(models.Model):
    """A numbered work bulletin (工作专报, U2): progress on every target over a period, as a .docx.

    `figures` keeps the town figures it reported, so the next bulletin can say what changed.
    The file is private: it is served only through the bulletin download view.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("专项")
    )
    number = models.PositiveIntegerField(_("期数"))
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    figures = models.JSONField(_("目标数据"), default=list)
    file = models.FileField(_("文件"), upload_to=bulletin_path, max_length=200)
    scheduled = models.BooleanField(_("定时生成"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作专报")
        verbose_name_plural = _("工作专报")
        ordering = ["-campaign__starts_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="bulletin_unique_number"),
        ]

    def __str__(self) -> str:
        return _("工作专报第%(n)s期") % {"n": self.number}

    def get_absolute_url(self) -> str:
        return reverse("dashboard:bulletin_download", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"五小整治工作专报第{self.number}期.docx"


class AcceptanceRecord(models.Model):
    """An acceptance check of P2 (逐级验收): the town checks a village, the leading group a lead department.

    `scores` holds the score sheet (choices.SHEETS: item code -> points); the unannounced checks (暗访)
    and spot checks (随机抽查) that fed it are the visits of those kinds in its scope during
    [checks_from, checked_on] (dashboard.selectors.acceptance_checks).
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="acceptance_records", verbose_name=_("专项")
    )
    kind = models.CharField(_("验收类型"), max_length=12, choices=AcceptanceKind.choices)
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("村（社区）"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("牵头部门"),
    )
    checks_from = models.DateField(_("暗访抽查起始日"), null=True, blank=True)
    checked_on = models.DateField(_("验收日期"))
    team = models.CharField(_("验收组成员"), max_length=200, blank=True)
    scores = models.JSONField(_("评分表"), default=dict)
    total = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, default=0)
    conclusion = models.CharField(_("验收结论"), max_length=10, choices=Conclusion.choices)
    findings = models.TextField(_("主要问题"), blank=True)
    remarks = models.TextField(_("验收意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("验收记录")
        verbose_name_plural = _("验收记录")
        ordering = ["campaign", "kind", "-checked_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="village", village__isnull=False, department__isnull=True))
                | Q(kind="department", department__isnull=False, village__isnull=True),
                name="acceptance_subject_matches_kind",
                violation_error_message=_("验收村（社区）须选村（社区），验收部门须选牵头部门。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("dashboard:acceptance_detail", args=[self.pk])

    @property
    def subject(self):
        return self.village if self.kind == AcceptanceKind.VILLAGE else self.department

    def sheet(self) -> list[dict]:
        """The score sheet with this record's points, item by item."""
        return [
            {"code": code, "item": item, "what": what, "max": full, "score": self.scores.get(code)}
            for code, item, what, full in SHEETS[self.kind]
        ]

    def clean(self) -> None:
        errors = {}
        if self.kind == AcceptanceKind.VILLAGE and not self.village_id:
            errors["village"] = _("请选择被验收的村（社区）。")
        if self.kind == AcceptanceKind.DEPARTMENT and not self.department_id:
            errors["department"] = _("请选择被验收的牵头部门。")
        if self.checks_from and self.checked_on and self.checks_from > self.checked_on:
            errors["checks_from"] = _("暗访抽查起始日不能晚于验收日期。")
        for code, item, _what, full in SHEETS.get(self.kind, []):
            value = self.scores.get(code)
            if value is None or not 0 <= float(value) <= full:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("评分表“%(item)s”应为 0 至 %(full)s 分。") % {"item": item, "full": full}
                )
        if errors:
            raise ValidationError(errors)


def circular_path(instance, filename: str) -> str:
    return f"circulars/{instance.campaign_id}/{filename}"


class Circular(models.Model):
    """A circular (通报) ending P2: commends the best, criticises the weakest. Editable while a draft;
    issuing freezes the text and stores the .docx."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="circulars", verbose_name=_("专项")
    )
    number = models.PositiveIntegerField(_("文号"))
    title = models.CharField(_("标题"), max_length=120)
    preamble = models.TextField(_("开头"))
    commended = models.TextField(_("表彰先进"))
    criticised = models.TextField(_("通报批评"))
    requirements = models.TextField(_("下一步要求"))
    ranking = models.JSONField(_("排名依据"), default=dict)
    state = models.CharField(
        _("状态"), max_length=10, choices=CircularState.choices, default=CircularState.DRAFT
    )
    file = models.FileField(_("文件"), upload_to=circular_path, max_length=200, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="circular_unique_number"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dashboard:circular_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.state == CircularState.ISSUED

    @property
    def filename(self) -> str:
        return f"{self.title}.docx"


class BusinessTargetStatus(models.Model):
    """Today's standing of one active business on one target its category counts (issue 26): whether it
    is in the target's population (`counted`), whether it meets it (`met`) and the date on which that
    changes by itself (`changes_on`: a licence's expiry, a ledger line leaving the window, a dated record
    coming due). Kept by dashboard.status in the same transaction as every write that can change it, swept
    once a day for the dates; today's dashboard and target_report aggregate this table."""

    business = models.ForeignKey(
        "campaigns.Business", on_delete=models.CASCADE, related_name="+", verbose_name=_("经营单位")
    )
    target = models.CharField(_("目标"), max_length=8)
    # The business's village and category, copied so the aggregate needs no join (kept with the business).
    village = models.ForeignKey(
        "campaigns.Village",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("村（社区）"),
    )
    category = models.ForeignKey(
        "campaigns.Category",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("类别"),
    )
    counted = models.BooleanField(_("计入统计"))
    met = models.BooleanField(_("达标"))
    changes_on = models.DateField(_("自动变化日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位目标状态")
        verbose_name_plural = _("单位目标状态")
        constraints = [
            models.UniqueConstraint(fields=["business", "target"], name="target_status_unique"),
        ]
        indexes = [
            # The aggregate: an index-only scan grouped by village × category × target.
            models.Index(
                fields=["village", "category", "target", "counted", "met", "changes_on"],
                name="target_status_agg",
            ),
            models.Index(fields=["changes_on"], name="target_status_due"),
            # The drill-down: the businesses counted and not meeting one target.
            models.Index(
                fields=["target", "business"],
                condition=models.Q(counted=True, met=False),
                name="target_status_failing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.target} {'✔' if self.met else '✘'}"


class TargetStatusTotal(models.Model):
    """The BusinessTargetStatus rows summed per town × category × target (issue 24: a city's figures): how
    many are counted and how many of those met, whatever their changes_on. Kept by dashboard.status by
    delta in the same transaction as the rows (their business rows locked first), rebuilt with them; a
    reader subtracts the few rows already due and counts those live. The city's page and the city's
    target_report then sum a few thousand totals (30 towns × the targets of 7 categories) instead of
    every business's rows (2.6 M at 300,000 businesses); a town's or a village's figures still aggregate
    their own rows (an index range of their villages)."""

    town = models.ForeignKey(
        "campaigns.Town",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("镇（街道）"),
    )
    category = models.ForeignKey(
        "campaigns.Category",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("类别"),
    )
    target = models.CharField(_("目标"), max_length=8)
    counted = models.IntegerField(_("计入统计数"))
    met = models.IntegerField(_("达标数"))

    class Meta:
        verbose_name = _("目标状态合计")
        verbose_name_plural = _("目标状态合计")
        constraints = [
            models.UniqueConstraint(fields=["town", "category", "target"], name="target_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.category_id} {self.target}: {self.met}/{self.counted}"


class TargetStatusVillageTotal(models.Model):
    """The BusinessTargetStatus rows summed per village × category × target (issue 26: today's dashboards
    of a town, a village, a department): kept like TargetStatusTotal, in the same transaction and by the
    same difference. A town's page (its villages side by side) then sums a few thousand of these — its
    villages × the targets of its categories — instead of every row of its businesses (800,000 for a town
    of 100,000); the city's page keeps the 30-row-a-target town totals."""

    village = models.ForeignKey(
        "campaigns.Village",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("村（社区）"),
    )
    category = models.ForeignKey(
        "campaigns.Category",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("类别"),
    )
    target = models.CharField(_("目标"), max_length=8)
    counted = models.IntegerField(_("计入统计数"))
    met = models.IntegerField(_("达标数"))

    class Meta:
        verbose_name = _("目标状态村合计")
        verbose_name_plural = _("目标状态村合计")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "category", "target"], name="target_village_total_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.category_id} {self.target}: {self.met}/{self.counted}"


class TargetStatusState(models.Model):
    """Which figures the BusinessTargetStatus rows are kept for (one row): the campaign's start and the
    installation's targets. Rows are served for today only while both match; until the first build (and
    after either changes) the figures are computed live and the daily sweep rebuilds the table."""

    campaign_start = models.DateField(_("专项开始日"))
    targets = models.CharField(_("目标"), max_length=300)
    built_at = models.DateTimeField(_("建立时间"))
    swept_on = models.DateField(_("最近巡检日期"))

    class Meta:
        verbose_name = _("单位目标状态（元数据）")
        verbose_name_plural = _("单位目标状态（元数据）")

    def __str__(self) -> str:
        return f"{self.campaign_start} {self.targets} ({self.swept_on})"


def city_paper_path(instance, filename: str) -> str:
    return f"city-papers/{instance.year}/{filename}"


class CityPaper(models.Model):
    """The city's own bulletin (全市工作专报) or circular (全市通报) on its towns (issue 24, O5): drafted by
    a city leader from the city's figures, it ranks the towns and names those below a target with their
    figures; a .docx with the city's masthead (settings.WUXIAO_CITY_OFFICE), numbered per kind and year
    (the circular with the city's prefix, WUXIAO_CITY_DOC_PREFIX). `figures` keeps what it said.

    Like the town's circular: editable while a draft (the title and the text of its parts; the ranking
    table stays the figures'), issuing (印发) freezes the text and stores the .docx. Papers drafted before
    drafts existed were final at once: migration 0010 carries them as issued, their text in the file."""

    kind = models.CharField(_("类型"), max_length=10, choices=CityPaperKind.choices)
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("标题"), max_length=150)
    as_of = models.DateField(_("统计日期"))
    figures = models.JSONField(_("各镇数据"), default=dict)
    preamble = models.TextField(_("开头"), blank=True)
    commended = models.TextField(_("通报表扬"), blank=True, help_text=_("仅全市通报；留空则不设此部分。"))
    criticised = models.TextField(_("未达标的镇（街道）"), blank=True)
    requirements = models.TextField(_("工作要求"), blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=CircularState.choices, default=CircularState.DRAFT
    )
    file = models.FileField(_("文件"), upload_to=city_paper_path, max_length=200, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("印发人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("全市专报与通报")
        verbose_name_plural = _("全市专报与通报")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="city_paper_unique_number"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dashboard:city_paper_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.state == CircularState.ISSUED

    @property
    def is_circular(self) -> bool:
        return self.kind == CityPaperKind.CIRCULAR

    @property
    def reference(self) -> str:
        """第N期, or the circular's 发文字号 (市食安办〔2026〕N号), as drafted."""
        return self.figures.get("reference", "")

    @property
    def filename(self) -> str:
        return f"{self.title}.docx"
