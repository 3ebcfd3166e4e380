"""Start-up wiring of the enforcement tools, called from InspectionsConfig.ready()."""


def ready() -> None:
    from auditlog.registry import auditlog

    from campaigns.panels import register_business_panel

    from ..models import TipOff, UnlicensedCase
    from .panels import unlicensed_panel

    # The tipster's contact stays out of the audit log: the log is read more widely than the office.
    auditlog.register(TipOff, exclude_fields=["contact_name", "contact_phone", "client_hash"])
    auditlog.register(UnlicensedCase)
    register_business_panel(order=60, render=unlicensed_panel)
