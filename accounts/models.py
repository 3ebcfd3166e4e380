"""Who does what: a user holds one or more roles, each tied to a village, a department or a business."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import CITY_ROLES, TOWN_WIDE, RoleKind

# Which scope each role needs; the others must be empty.
SCOPE_FIELD = {
    RoleKind.DEPARTMENT: "department",
    RoleKind.CITY_BUREAU: "department",
    RoleKind.INSPECTOR: "village",
    RoleKind.BUSINESS: "business",
}


class RoleAssignment(models.Model):
    """One role of a user (O1–O4), with the village, department or business it is limited to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("用户")
    )
    kind = models.CharField(_("角色"), max_length=20, choices=RoleKind.choices)
    village = models.ForeignKey(
        "campaigns.Village", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("村（社区）")
    )
    department = models.ForeignKey(
        "campaigns.Department", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("部门")
    )
    business = models.ForeignKey(
        "campaigns.Business", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("经营单位")
    )
    # Issue 24, town first: the town the role is held in. Required for the town-wide roles (TOWN_WIDE),
    # derived from the village, the department (when it is a town's own) or the business for the others,
    # empty for the city's roles. accounts.scoping reaches no other town through it.
    town = models.ForeignKey(
        "campaigns.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("镇"),
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")

    def __str__(self) -> str:
        scope = self.village or self.department or self.business
        return f"{self.get_kind_display()}（{scope}）" if scope else self.get_kind_display()

    def get_additional_data(self) -> dict:
        """Stored with each audit entry (auditlog calls this), so a user's history finds removed roles too."""
        return {"user_id": self.user_id}

    def clean(self) -> None:
        needed = SCOPE_FIELD.get(self.kind)
        errors = {}
        for field in ("village", "department", "business"):
            has = getattr(self, f"{field}_id") is not None
            if field == needed and not has:
                errors[field] = ValidationError(
                    _("该角色必须指定%(what)s。"), params={"what": self._meta.get_field(field).verbose_name}
                )
            elif field != needed and has:
                errors[field] = ValidationError(
                    _("该角色不应指定%(what)s。"), params={"what": self._meta.get_field(field).verbose_name}
                )
        if (
            self.kind == RoleKind.CITY_BUREAU
            and self.department_id is not None
            and "department" not in errors
            and self.department.level != "city"  # DepartmentLevel.CITY (campaigns, above accounts)
        ):
            errors["department"] = ValidationError(
                _("市级部门角色须选择市级部门（如市药监局、市质监局），“%(d)s”是镇级部门。"),
                params={"d": self.department},
            )
        if not errors:
            self._clean_town(errors)
        if errors:
            raise ValidationError(errors)

    def _scope_town_id(self) -> int | None:
        """The town the role's scope belongs to (None: a role without one, or a shared department)."""
        if self.village_id is not None:
            return self.village.town_id
        if self.business_id is not None:
            return self.business.village.town_id
        if self.department_id is not None:
            return self.department.town_id
        return None

    def _clean_town(self, errors: dict) -> None:
        """Issue 24: the town a role is held in — required for the town-wide roles (an install with one
        town fills it in), the scope's own for the others, none for the city's roles."""
        if self.kind in CITY_ROLES:
            if self.town_id is not None:
                errors["town"] = ValidationError(_("市级角色覆盖全市各镇，不应指定镇。"))
            return
        scoped = self._scope_town_id()
        if scoped is not None:
            if self.town_id is not None and self.town_id != scoped:
                errors["town"] = ValidationError(
                    _("所选镇与该角色的%(what)s所属的镇不一致。"),
                    params={"what": self._meta.get_field(SCOPE_FIELD[self.kind]).verbose_name},
                )
            else:
                self.town_id = scoped
            return
        if self.town_id is None and (self.kind in TOWN_WIDE or self.kind == RoleKind.DEPARTMENT):
            towns = self._meta.get_field("town").related_model.objects.values_list("pk", flat=True)[:2]
            if len(towns) == 1:  # a single-town install: its one town, nothing to choose
                self.town_id = towns[0]
            else:
                errors["town"] = ValidationError(_("该角色须指定所在的镇（街道）。"))


class LoginEvent(models.Model):
    """A login, failed login or logout (issue 3): who, from where, when. Append-only, never edited."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        FAILED = "failed", _("登录失败")
        LOGOUT = "logout", _("退出")

    kind = models.CharField(_("事件"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
