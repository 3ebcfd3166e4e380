"""Choices for the campaign's reference data (DOMAIN §1, §5, §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryCode(models.TextChoices):
    AGRI = "agri", _("小农资店")
    WORKSHOP = "workshop", _("小作坊")
    GROCERY = "grocery", _("小食杂店")
    PHARMACY = "pharmacy", _("小药店")
    RESTAURANT = "restaurant", _("小餐饮店")
    SLAUGHTER = "slaughter", _("镇中心屠宰场")


class BusinessStatus(models.TextChoices):
    OPERATING = "operating", _("正常经营")
    RECTIFYING = "rectifying", _("整改中")
    BANNED = "banned", _("已取缔")
    CLOSED = "closed", _("已关闭")
    MOVED = "moved", _("迁入集中加工场")


# A business in these states is no longer inspected or counted in the targets' populations.
INACTIVE_STATUSES = (BusinessStatus.BANNED, BusinessStatus.CLOSED, BusinessStatus.MOVED)


class LicenceState(models.TextChoices):
    VALID = "valid", _("有效")
    TEMPORARY = "temporary", _("临时")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


# A licence in one of these states counts as held (G1), provided it has not expired at the date asked.
HELD_STATES = (LicenceState.VALID, LicenceState.TEMPORARY)


class DepartmentLevel(models.TextChoices):
    TOWN = "town", _("镇级部门")
    CITY = "city", _("市级部门")


class PhaseCode(models.TextChoices):
    P1 = "P1", _("整改实施阶段")
    P2 = "P2", _("总结验收阶段")


class LeadingGroupRole(models.TextChoices):
    DIRECTOR = "director", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    OFFICE_DEPUTY = "office_deputy", _("办公室副主任")


class HelpKind(models.TextChoices):
    """W4 疏堵结合: the help a unit is given instead of (or besides) punishment, as the source lists it."""

    CHAIN = "chain", _("加入连锁经营")
    DISTRIBUTION = "distribution", _("统一配送")
    CONCENTRATION = "concentration", _("区域集中（迁入集中加工场）")  # B5
    MERGER = "merger", _("整合兼并")
    JOINT = "joint", _("联合加工")
    JOBS = "jobs", _("转岗就业安置")  # for operators of banned units (就业渠道)
    GREEN_CHANNEL = "green_channel", _("绿色通道办证帮扶")  # B3


class GreenChannelStage(models.TextChoices):
    """B3: a workshop's way to the food production licence through the green channel."""

    APPLIED = "applied", _("已申请")
    GUIDED = "guided", _("帮扶改造中")
    LICENSED = "licensed", _("已取证")
    WITHDRAWN = "withdrawn", _("已退出")


class TemporaryOutcome(models.TextChoices):
    """E6: how a unit on a temporary licence came out of its rectification (blank: still to decide)."""

    LICENSED = "licensed", _("达标发证")
    REVOKED = "revoked", _("不达标吊销")


class VillageGroupRole(models.TextChoices):
    """O2: a member's place in a village's (community's) campaign group."""

    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    LIAISON = "liaison", _("联络员")
