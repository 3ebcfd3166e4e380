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


class Face(models.TextChoices):
    """The face of the 量化分级 placard at the door (E1), on the public page and the QR placard."""

    SMILE = "smile", _("笑脸")
    FLAT = "flat", _("平脸")
    CRY = "cry", _("哭脸")


HYGIENE_FACE = {HygieneGrade.A: Face.SMILE, HygieneGrade.B: Face.FLAT, HygieneGrade.C: Face.CRY}


# --- tip-offs, unlicensed-unit cases, spot checks, sampling ---------------------------------------
class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ASSIGNED = "assigned", _("已交办")
    VERIFYING = "verifying", _("核查中")
    PROVEN = "proven", _("查证属实")
    UNFOUNDED = "unfounded", _("查无实据")
    SPAM = "spam", _("无效举报")


# A tip-off in one of these states is finished: the public status page says so.
TIPOFF_CLOSED = (TipOffStatus.PROVEN, TipOffStatus.UNFOUNDED, TipOffStatus.SPAM)


class SpamReason(models.TextChoices):
    HONEYPOT = "honeypot", _("填写了隐藏字段（疑似机器提交）")
    TOO_FAST = "too_fast", _("填写时间过短（疑似机器提交）")
    BAD_TOKEN = "bad_token", _("表单令牌无效")
    OFFICE = "office", _("办公室判定无效")


class CaseSource(models.TextChoices):
    ROSTER = "roster", _("名册核查")
    VISIT = "visit", _("检查发现")
    TIPOFF = "tipoff", _("群众举报")


# An open unlicensed-unit case should be settled within this many days (U1: "investigated promptly"); the
# case list's first age band ends here and older open cases are marked 逾期.
CASE_ANSWER_DAYS = 30


class CaseStatus(models.TextChoices):
    OPEN = "open", _("查处中")
    LICENSED = "licensed", _("已办证")
    BANNED = "banned", _("已取缔")
    MOVED = "moved", _("迁入集中加工场")
    CLOSED = "closed", _("已自行关停")


# The business status each outcome leaves behind (B4 取缔, B5 集中加工场); None leaves it as it is.
CASE_OUTCOME_BUSINESS_STATUS = {
    CaseStatus.LICENSED: None,
    CaseStatus.BANNED: "banned",
    CaseStatus.MOVED: "moved",
    CaseStatus.CLOSED: "closed",
}


class DrawStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUPERSEDED = "superseded", _("已重新抽取")


class SampleKind(models.TextChoices):
    FOOD = "food", _("食品抽检")
    DRUG = "drug", _("药品抽验")  # D6
    HERBAL = "herbal", _("中药材专项抽验")  # D6 中药材/中药饮片
    FERTILIZER = "fertilizer", _("肥料质量抽检")  # A5
    PESTICIDE = "pesticide", _("农药抽检")
    VET_DRUG = "vet_drug", _("兽药抽检")  # A5 禁用激素类
    SEED = "seed", _("种子抽检")


class SampleResult(models.TextChoices):
    PENDING = "pending", _("待检")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class SampleAction(models.TextChoices):
    NONE = "", _("暂不处理")
    RECTIFY = "rectify", _("责令整改")
    REFER = "refer", _("移送处理")
