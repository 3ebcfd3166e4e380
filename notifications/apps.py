from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("提醒与消息")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # The roster's own planners (licence expiry, phase ends), then every app's `reminders` module
        # (inspections/reminders.py registers rectification orders), as the admin discovers admin.py.
        from . import planners  # noqa: F401

        autodiscover_modules("reminders")

        # A licence written by the roster's services plans its reminders in the same transaction.
        from campaigns.hooks import register_after_write

        from .services import plan_on_write

        register_after_write(plan_on_write)
