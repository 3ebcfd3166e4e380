from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查与整改")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from campaigns.panels import register_business_panel

        from . import models
        from .panels import business_panel

        register_business_panel(order=20, render=business_panel)

        # Visits, their answers and orders are official records: every change is on record.
        auditlog.register(models.Visit, m2m_fields={"inspectors"})
        auditlog.register(models.VisitAnswer)
        auditlog.register(models.VisitLicenceCheck)
        auditlog.register(models.RectificationOrder)
        auditlog.register(models.ChecklistTemplate)
        auditlog.register(models.FrequencyRule)
        auditlog.register(models.InspectionProfile)

        from .enforcement.apps import ready as enforcement_ready

        enforcement_ready()
