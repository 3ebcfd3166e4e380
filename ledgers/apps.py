from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "ledgers"
    verbose_name = _("进销货台账")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every change to ledger lines and to the banned list is on record (who, when, before/after).
        auditlog.register(models.LedgerEntry)
        auditlog.register(models.BannedProduct)
