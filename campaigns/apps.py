from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("专项整治")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.audit import register_business_history

        from . import models

        # Issue 3: every change to businesses and licences is on record (who, when, before/after).
        auditlog.register(models.Business, m2m_fields={"subtypes"})
        auditlog.register(models.Licence)
        # W4 help, B5 the processing site and B3 the green channel are evidence too.
        auditlog.register(models.HelpRecord)
        auditlog.register(models.ProcessingSite, m2m_fields={"industries"})
        auditlog.register(models.GreenChannel)
        register_business_history(models.HelpRecord, "business")
        register_business_history(models.GreenChannel, "business")

        from .panels import register_business_panel
        from .views.help import help_panel

        register_business_panel(order=15, render=help_panel)
