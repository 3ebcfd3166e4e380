from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("专项整治")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.audit import register_business_history
        from accounts.panels import history_panel
        from accounts.scoping import register_unlicensed_q

        from . import models
        from .panels import register_business_panel
        from .selectors import missing_licence_exists

        # Issue 3: every change to businesses and licences is on record (who, when, before/after), and the
        # business page shows it (accounts keeps the log; the roster plugs its models and page into it).
        auditlog.register(models.Business, m2m_fields={"subtypes"})
        auditlog.register(models.Licence)
        register_business_history(models.Licence, "business")
        register_business_panel(order=900, render=history_panel)
        # The enforcement branch reaches the businesses missing a required licence (DOMAIN §1, U1).
        register_unlicensed_q(missing_licence_exists)
        # W4 help, B5 the processing site and B3 the green channel are evidence too.
        auditlog.register(models.HelpRecord)
        auditlog.register(models.ProcessingSite, m2m_fields={"industries"})
        auditlog.register(models.GreenChannel)
        auditlog.register(models.LicenceReissue)  # B2
        auditlog.register(models.TownSettings)  # issue 24: the office edits its town's settings in the app
        # Issue 24: the office sets its town's campaign and phases' dates in the app (town_campaign_save).
        auditlog.register(models.Campaign)
        auditlog.register(models.Phase)
        auditlog.register(models.LeadingGroupMember)  # O1: the office keeps its town's group in the app
        register_business_history(models.HelpRecord, "business")
        register_business_history(models.GreenChannel, "business")
        register_business_history(models.LicenceReissue, "business")
        from .views.help import help_panel

        register_business_panel(order=15, render=help_panel)
