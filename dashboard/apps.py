from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("目标与看板")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import pre_delete

        from lib import kept

        from . import models, status

        # Writes below the dashboard announce the businesses they changed (lib.kept); their kept
        # per-business target status is recomputed in the writer's transaction (issue 26).
        kept.register(status.on_change)
        # A business deleted takes its rows past the writers: out of the totals first (issue 24).
        pre_delete.connect(status.on_business_delete, sender="campaigns.Business", dispatch_uid="totals")

        auditlog.register(models.Bulletin, exclude_fields=["figures"])
        auditlog.register(models.AcceptanceRecord)
        auditlog.register(models.Circular)
        auditlog.register(models.CityPaper, exclude_fields=["figures"])  # issue 24: the city's papers
