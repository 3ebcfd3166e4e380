from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查与整改")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Visits, their answers and orders are official records: every change is on record.
        auditlog.register(models.Visit, m2m_fields={"inspectors"})
        auditlog.register(models.VisitAnswer)
        auditlog.register(models.VisitLicenceCheck)
        auditlog.register(models.RectificationOrder)
        auditlog.register(models.ChecklistTemplate)
        auditlog.register(models.FrequencyRule)
        auditlog.register(models.InspectionProfile)
