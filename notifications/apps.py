from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒与消息")

    def ready(self) -> None:
        # The roster's own planners (licence expiry, phase ends); later apps register theirs from
        # their own ready() (inspections/reminders.py).
        from . import planners  # noqa: F401
