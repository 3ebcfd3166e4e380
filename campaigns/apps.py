from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("专项整治")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Issue 3: every change to businesses and licences is on record (who, when, before/after).
        auditlog.register(models.Business, m2m_fields={"subtypes"})
        auditlog.register(models.Licence)
