"""Demo reminders and inbox messages: what the demo users see in their 消息中心 (issue 8)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .choices import ReminderKind
from .models import ChannelPreference, ContactDetails, Message, Reminder
from .registry import PlanContext
from .services import reminders_replan_all, reminders_sweep

DEMO_USERNAMES = [
    "office",
    "leader",
    "agri",
    "aic",
    "health",
    "economy",
    "techsup",
    "enforce",
    "inspector",
    "inspector2",
    "supervisor",
    "shop",
]


def clear(ctx) -> None:
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    Reminder.objects.filter(recipient__in=users).delete()
    Message.objects.filter(user__in=users).delete()
    ChannelPreference.objects.filter(user__in=users).delete()
    ContactDetails.objects.filter(user__in=users).delete()


def seed(ctx) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    if not users:
        return
    now = timezone.now()
    # Plan every reminder the demo town needs today (licences expiring, phase ends, orders ...) and send
    # what is already due, so the inboxes show real reminders; the rest wait for their day.
    reminders_replan_all(ctx=PlanContext(now=now))
    # Licence reminders were planned as the roster's services wrote them: count every row, not the replan's.
    planned = Reminder.objects.filter(cancelled_at__isnull=True, claimed_at__isnull=True).count()
    sent = reminders_sweep(now=now).sent
    # A few messages already delivered, some read, so the inbox and the header count show something.
    history = [
        (
            "office",
            ReminderKind.PHASE_END,
            "整改实施阶段将于本月底结束",
            "请各牵头部门于月底前报送整改进展。",
            "",
            3,
            True,
        ),
        (
            "office",
            ReminderKind.BULLETIN,
            "第12期工作简报已生成",
            "本周检查经营单位46家，发现问题12项，已整改9项。",
            "",
            1,
            False,
        ),
        (
            "aic",
            ReminderKind.LICENCE_EXPIRING,
            "证照30天内到期：东风集贸市场内3家食杂店",
            "3家小食杂店的食品流通许可证将于30天内到期，请督促换证。",
            "",
            2,
            False,
        ),
        (
            "inspector",
            ReminderKind.RECTIFICATION_DUE,
            "整改期限将到：请安排复查",
            "辖区内有经营单位整改期限将于3天后到期，请按时复查。",
            "",
            1,
            False,
        ),
        (
            "health",
            ReminderKind.REINSPECTION_DUE,
            "回头查到期（E2）",
            "已整改的小餐饮店本周需回头查。",
            "",
            5,
            True,
        ),
    ]
    for username, kind, title, body, link, days_ago, read in history:
        user = users.get(username)
        if user is None:
            continue
        created = now - datetime.timedelta(days=days_ago)
        message = Message.objects.create(user=user, kind=kind, title=title, body=body, link=link)
        Message.objects.filter(pk=message.pk).update(created_at=created, read_at=created if read else None)
    if "office" in users:
        ContactDetails.objects.create(user=users["office"], mobile="13800138000")
        ChannelPreference.objects.create(
            user=users["office"], kind=ReminderKind.RECTIFICATION_OVERDUE, email=True, sms=True
        )
    ctx.report.append(
        f"提醒：已规划 {planned} 条，其中 {sent} 条已到期并发送到消息中心；另有演示消息 {len(history)} 条。"
    )
