from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    OFFICE = "office", _("镇办公室")
    LEADER = "leader", _("领导")
    DEPARTMENT = "department", _("牵头部门")
    INSPECTOR = "inspector", _("村（社区）检查员")
    SUPERVISOR = "supervisor", _("督查组")
    BUSINESS = "business", _("经营单位账号")


# Roles that read every business in the town.
READ_ALL = (RoleKind.OFFICE, RoleKind.LEADER, RoleKind.SUPERVISOR)
