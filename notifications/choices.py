"""Kinds of reminder and the channels they travel on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    LICENCE_EXPIRING = "licence_expiring", _("证照即将到期")
    LICENCE_EXPIRED = "licence_expired", _("证照已过期")
    PHASE_END = "phase_end", _("阶段即将结束")
    RECTIFICATION_DUE = "rectification_due", _("整改期限将到")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("整改逾期")
    REINSPECTION_DUE = "reinspection_due", _("复查（回头查）到期")
    SPOT_CHECK_ASSIGNED = "spot_check_assigned", _("抽查任务分派")
    VISIT_ASSIGNED = "visit_assigned", _("检查任务分派")
    TIPOFF_UNANSWERED = "tipoff_unanswered", _("举报未答复")
    BULLETIN = "bulletin", _("工作简报")
    REFERRAL = "referral", _("案件移送")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
