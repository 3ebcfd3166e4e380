from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("目标与看板")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Bulletin, exclude_fields=["figures"])
        auditlog.register(models.AcceptanceRecord)
        auditlog.register(models.Circular)
