"""Choices for tip-offs, unlicensed-unit cases, spot-check draws and samples (W5, U1, P2, A5, D6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
