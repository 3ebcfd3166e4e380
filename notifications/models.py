"""What is due (Reminder rows, swept by a periodic task), what was delivered (Message) and to whom how."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ReminderKind


class Reminder(models.Model):
    """A reminder due at a time, to one user. The row is the truth: nothing waits in the broker.

    Planners (notifications.registry) compute the rows an object needs; `dedupe_key` (unique) names
    the occasion (object, deadline date, threshold, recipient), so planning twice never plans it twice
    and a moved deadline gets new keys (the stale unsent rows are cancelled). The sweep claims a row
    with a conditional UPDATE of `claimed_at` before sending it: a second sweep, a second worker or a
    retried task finds nothing left to claim.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=ReminderKind.choices)
    planner = models.CharField(_("规划来源"), max_length=40, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("对象类型")
    )
    object_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    url = models.CharField(_("链接"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("到期时间"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    channels = models.CharField(_("已发送渠道"), max_length=60, blank=True)
    message = models.OneToOneField(
        "Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
        verbose_name=_("站内消息"),
    )

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep's query: due, unclaimed, not cancelled.
            models.Index(
                fields=["due_at"],
                condition=Q(claimed_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_pending_due",
            ),
            models.Index(fields=["content_type", "object_id"], name="reminder_target"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"

    @property
    def state(self) -> str:
        if self.cancelled_at:
            return "cancelled"
        if self.sent_at:
            return "sent"
        if self.claimed_at:
            return "claimed"
        return "pending"


class Message(models.Model):
    """An in-app inbox message (站内消息). Always delivered, whatever the user's channel choices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages", verbose_name=_("用户")
    )
    kind = models.CharField(
        _("类型"), max_length=30, choices=ReminderKind.choices, default=ReminderKind.OTHER
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="message_user_recent"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="message_user_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ChannelPreference(models.Model):
    """Whether a user wants one kind of reminder by email and/or SMS as well (the inbox is always on).

    No row for a kind means the default: email on (when the user has an address), SMS off.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
        verbose_name=_("用户"),
    )
    kind = models.CharField(_("提醒类型"), max_length=30, choices=ReminderKind.choices)
    email = models.BooleanField(_("邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)

    class Meta:
        verbose_name = _("提醒渠道设置")
        verbose_name_plural = _("提醒渠道设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="channel_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class ContactDetails(models.Model):
    """Where a user's SMS go (the user model has no phone number)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact", verbose_name=_("用户")
    )
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("联系方式")
        verbose_name_plural = _("联系方式")

    def __str__(self) -> str:
        return str(self.user)
