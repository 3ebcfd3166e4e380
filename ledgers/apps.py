from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "ledgers"
    verbose_name = _("进销货台账")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from campaigns.panels import register_business_panel

        from . import models
        from .panels import ledger_panel

        # Every change to ledger lines and to the banned list is on record (who, when, before/after).
        auditlog.register(models.LedgerEntry)
        auditlog.register(models.BannedProduct)
        auditlog.register(models.LedgerAlert)
        register_business_panel(order=30, render=ledger_panel)
