"""Choices for visits, checklists, rectification orders and grades (DOMAIN §4, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("日常检查")
    SURPRISE = "surprise", _("突击检查")  # A5 不定期突击检查
    UNDERCOVER = "undercover", _("暗访")  # P2 领导小组办公室暗访
    REINSPECTION = "reinspection", _("回头查")  # E2, re-inspection of a rectification order
    ACCEPTANCE = "acceptance", _("验收")  # P2 逐级验收
    RANDOM = "random", _("随机抽查")  # P2 随机抽查
    TIPOFF = "tipoff", _("举报核查")  # W5 有奖举报


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class VisitOutcome(models.TextChoices):
    PASSED = "passed", _("合格")
    RECTIFY = "rectify", _("限期整改")
    BAN = "ban", _("取缔")  # B4
    REVOKE = "revoke", _("吊销/暂扣证照")  # E6, D4
    REFER = "refer", _("移送")  # D3, D4, E7


class Answer(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class LicenceAction(models.TextChoices):
    NONE = "", _("无")
    REVOKE = "revoke", _("吊销")
    SUSPEND = "suspend", _("暂扣")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已整改销号")
    ESCALATED = "escalated", _("已升级处理")


class Grade(models.TextChoices):
    """Risk grade of a business from its last visits: A low risk (visited least often) … C high risk."""

    A = "A", _("A级（低风险）")
    B = "B", _("B级（中风险）")
    C = "C", _("C级（高风险）")


class HygieneGrade(models.TextChoices):
    """E1: the restaurants' quantified hygiene grade (食品卫生监督量化分级), shown at the door."""

    A = "A", _("A级·优秀")
    B = "B", _("B级·良好")
    C = "C", _("C级·一般")
