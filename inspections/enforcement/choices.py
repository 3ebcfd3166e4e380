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
