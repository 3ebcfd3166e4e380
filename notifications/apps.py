from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lib.schedule import write_schedule


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

        # Every migrate writes the declared periodic tasks (lib.schedule): a new declaration reaches
        # beat with the deployment that brings it, without a separate command.
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_schedule, sender=self, dispatch_uid="wuxiao-sync-schedule")


def _sync_schedule(sender, using="default", plan=None, **kwargs) -> None:
    from django.apps import apps

    if apps.is_installed("django_celery_beat"):
        write_schedule()
