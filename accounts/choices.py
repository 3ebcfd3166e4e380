from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    OFFICE = "office", _("镇办公室")
    LEADER = "leader", _("领导")
    DEPARTMENT = "department", _("牵头部门")
    INSPECTOR = "inspector", _("村（社区）检查员")
    SUPERVISOR = "supervisor", _("督查组")
    BUSINESS = "business", _("经营单位账号")
    # O5 / issue 24: the city over its towns. City leadership reads every town; a city bureau (a
    # campaigns.Department of level city: 市药监局, 市质监局, 市局) reads its categories in every town,
    # records samples there and receives the referrals sent to it. Neither writes the roster.
    CITY_LEADER = "city_leader", _("市领导")
    CITY_BUREAU = "city_bureau", _("市级部门（市局）")


# Roles that read every business in the town (city leadership: every business of every town).
READ_ALL = (RoleKind.OFFICE, RoleKind.LEADER, RoleKind.SUPERVISOR, RoleKind.CITY_LEADER)
# The city's roles (issue 24): they see the city's dashboard, every town side by side.
CITY_ROLES = (RoleKind.CITY_LEADER, RoleKind.CITY_BUREAU)
# Issue 24, "town first": the roles that reach a whole town. Each is held in one town (RoleAssignment.town);
# a town's staff never reach another town's rows. The city's roles above them read every town.
TOWN_WIDE = (RoleKind.OFFICE, RoleKind.LEADER, RoleKind.SUPERVISOR)
