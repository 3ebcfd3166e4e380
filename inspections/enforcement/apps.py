"""Start-up wiring of the enforcement tools, called from InspectionsConfig.ready()."""


def ready() -> None:
    from auditlog.registry import auditlog

    from campaigns.panels import register_business_panel

    from ..models import Sample, TipOff, UnlicensedCase
    from .panels import unlicensed_panel

    # The tipster's contact stays out of the audit log: the log is read more widely than the office.
    auditlog.register(TipOff, exclude_fields=["contact_name", "contact_phone", "client_hash"])
    auditlog.register(UnlicensedCase)
    # A lab result is an official record (and the Excel import writes its own entries: record_bulk).
    auditlog.register(Sample)
    register_business_panel(order=60, render=unlicensed_panel)
