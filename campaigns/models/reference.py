"""Reference data: the town and its villages, the departments, the categories and what they require."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CategoryCode, DepartmentLevel, LeadingGroupRole, PhaseCode


class Town(models.Model):
    """A township (镇) running the campaign."""

    name = models.CharField(_("镇名称"), max_length=50, unique=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("镇")
        verbose_name_plural = _("镇")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village or community (村/社区, O2); each has its own campaign group and inspectors."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="villages", verbose_name=_("镇"))
    name = models.CharField(_("村（社区）名称"), max_length=50)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    is_town_centre = models.BooleanField(_("镇中心区"), default=False)
    is_model = models.BooleanField(
        _("样板村（社区）"), default=False, help_text=_("W2/E4：样板由点（单位）连线（市场、街道）扩面（村）")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("村（社区）")
        verbose_name_plural = _("村（社区）")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="village_unique_name_in_town")]

    def __str__(self) -> str:
        return self.name


class Market(models.Model):
    """A farmers' market (集贸市场); groceries in markets are a sub-population of C1–C6."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="markets", verbose_name=_("所在村")
    )
    name = models.CharField(_("市场名称"), max_length=80, unique=True)
    is_model = models.BooleanField(
        _("样板市场"), default=False, help_text=_("C6：至少建成一个高标准的样板市场")
    )

    class Meta:
        verbose_name = _("集贸市场")
        verbose_name_plural = _("集贸市场")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A lead department (牵头部门, O3) or a city bureau that helps (O5)."""

    name = models.CharField(_("部门名称"), max_length=50, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    level = models.CharField(
        _("层级"), max_length=10, choices=DepartmentLevel.choices, default=DepartmentLevel.TOWN
    )
    leads_unlicensed = models.BooleanField(
        _("牵头无证照整治"), default=False, help_text=_("城市综合执法分局：负责所有证照不全的经营单位")
    )
    # Issue 24 (town first): a town-level department set up by one town is that town's; empty for the
    # city's bureaus and for the shared departments every town's roles name (the categories' leads): a
    # department role then says its town itself (accounts.RoleAssignment.town).
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("所属镇"),
        help_text=_("镇级部门所属的镇；各镇共用的部门和市级部门留空"),
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Category(models.Model):
    """One of the five kinds of small business, or the slaughterhouse (DOMAIN §1)."""

    code = models.CharField(_("代码"), max_length=20, unique=True, choices=CategoryCode.choices)
    name = models.CharField(_("类别名称"), max_length=30, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, unique=True)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="led_categories", verbose_name=_("牵头部门")
    )
    helper_departments = models.ManyToManyField(
        Department, blank=True, related_name="helped_categories", verbose_name=_("协助部门")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("类别")
        verbose_name_plural = _("类别")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class SubType(models.Model):
    """A sub-type of a category named in the source (农药, 豆制品, 集贸市场内 ...)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="subtypes", verbose_name=_("类别")
    )
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("子类名称"), max_length=30)

    class Meta:
        verbose_name = _("子类")
        verbose_name_plural = _("子类")
        ordering = ["category__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="subtype_unique_code"),
            models.UniqueConstraint(fields=["category", "name"], name="subtype_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class LicenceType(models.Model):
    """A kind of licence or certificate (营业执照, 卫生许可证, GSP证书 ...)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("证照名称"), max_length=30, unique=True)
    issuer = models.CharField(_("通常发证机关"), max_length=50, blank=True)
    # DOMAIN §8: names change (食品流通许可证 and 餐饮服务许可证 → 食品经营许可证 ...). A licence held under a
    # type or under one of its equivalents meets the same requirement of §7 (G1, A2, B1, C1). This table is
    # the only place the equivalence lives: the Python rules (LicenceType.equivalence_map) and the SQL
    # ones (campaigns.models.business.satisfies_q, licence_gap_q) read it.
    equivalents = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        verbose_name=_("新旧名称（满足同一证照要求）"),
        help_text=_("旧名称与现行名称互相替代：持有其中任一种，即满足要求其中另一种的证照要求。"),
    )
    # O5: the departments that issue (and revoke) this type. A city bureau records the certifications of
    # the types it issues — 市药监局 the 药品经营许可证, 市质监局 the 食品生产许可证 — and no other type.
    issuing_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="issued_licence_types",
        verbose_name=_("发证部门"),
        help_text=_("核发、吊销此类证照的部门；市级部门只能登记本部门核发的证照。"),
    )

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def equivalence_map(cls) -> dict[int, set[int]]:
        """Type id -> the ids that meet a requirement of it (itself and its equivalents); one query.
        A type without equivalents is absent: read it as `found.get(pk, {pk})`."""
        found: dict[int, set[int]] = {}
        for a, b in cls.equivalents.through.objects.values_list("from_licencetype_id", "to_licencetype_id"):
            found.setdefault(a, {a}).add(b)
        return found


class LicenceRequirement(models.Model):
    """A licence a category requires (DOMAIN §7); with a sub-type it applies only to businesses of it."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("类别")
    )
    subtype = models.ForeignKey(
        SubType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("仅限子类"),
    )
    licence_type = models.ForeignKey(
        LicenceType, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("证照类型")
    )

    class Meta:
        verbose_name = _("证照要求")
        verbose_name_plural = _("证照要求")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "subtype", "licence_type"], name="requirement_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = f"{self.category}·{self.subtype}" if self.subtype_id else str(self.category)
        return f"{scope}：{self.licence_type}"

    def clean(self) -> None:
        if self.subtype_id and self.subtype.category_id != self.category_id:
            raise ValidationError({"subtype": _("子类不属于所选类别。")})


class Campaign(models.Model):
    """A run of the special campaign, with its phases (DOMAIN §5)."""

    name = models.CharField(_("专项整治名称"), max_length=100)
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns", verbose_name=_("镇")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    is_current = models.BooleanField(_("当前专项"), default=True)
    e_ledger_goal = models.PositiveSmallIntegerField(
        _("电子台账推广目标（%）"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("C3：逐步引导小食杂店使用电子台账，由办公室设定本期目标比例，不要求100%"),
    )

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @classmethod
    def current(cls, town: "Town | int | None" = None) -> "Campaign | None":
        """The current campaign; of one town when `town` is given (issue 24: each town runs its own, the
        city's campaign — no town — stands for a town that has none of its own). Without a town: the
        latest current one, as in a single-town install (accounts.scoping.current_campaign picks the
        user's town)."""
        current = cls.objects.filter(is_current=True)
        if town is not None:
            town_id = getattr(town, "pk", town)
            own = current.filter(town_id=town_id).order_by("-starts_on").first()
            return own or current.filter(town__isnull=True).order_by("-starts_on").first()
        return current.order_by("-starts_on").first()

    def phase_on(self, day=None) -> "Phase | None":
        day = day or timezone.localdate()
        return self.phases.filter(starts_on__lte=day, ends_on__gte=day).first()


class Phase(models.Model):
    """A phase of a campaign: P1 rectification, P2 summary and acceptance."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("专项")
    )
    code = models.CharField(_("阶段"), max_length=5, choices=PhaseCode.choices)
    name = models.CharField(_("名称"), max_length=50)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="phase_unique_code")]

    def __str__(self) -> str:
        return f"{self.get_code_display()}（{self.starts_on:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}）"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class LeadingGroupMember(models.Model):
    """A member of the town's leading group (领导小组, O1)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="leading_group", verbose_name=_("专项")
    )
    name = models.CharField(_("姓名"), max_length=30)
    position = models.CharField(_("职务"), max_length=60)
    role = models.CharField(_("小组职务"), max_length=20, choices=LeadingGroupRole.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("所在部门")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["campaign", "order"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"
