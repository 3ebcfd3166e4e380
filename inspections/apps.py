from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查与整改")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.audit import register_business_history, register_history
        from campaigns.panels import register_business_panel, register_roster_action

        from . import models
        from .panels import business_panel, placard_roster_action, publicity_panel, unlicensed_panel

        register_business_panel(order=20, render=business_panel)
        register_business_panel(order=60, render=unlicensed_panel)
        register_business_panel(order=70, render=publicity_panel)
        register_roster_action(order=10, render=placard_roster_action)

        # Visits, their answers and orders are official records: every change is on record.
        auditlog.register(models.Visit, m2m_fields={"inspectors"})
        auditlog.register(models.VisitAnswer)
        auditlog.register(models.VisitLicenceCheck)
        auditlog.register(models.RectificationOrder)
        auditlog.register(models.DeadlineChange)
        auditlog.register(models.ChecklistTemplate)
        auditlog.register(models.FrequencyRule)
        auditlog.register(models.InspectionProfile)
        # Evidence (issue 22): a photo uploaded or deleted, an amendment, a spot-check draw and its pairs,
        # a tip-off's photos, the checklist's items — each leaves a trace (tests/test_audit_coverage.py).
        auditlog.register(models.VisitPhoto)
        auditlog.register(models.VisitAmendment)
        auditlog.register(models.ChecklistItem)
        auditlog.register(models.SpotCheckDraw)
        auditlog.register(models.SpotCheckPair, m2m_fields={"inspectors"})
        auditlog.register(models.TipOffPhoto)
        # C7 incidents and the work register are evidence the campaign is judged on.
        auditlog.register(models.Incident, m2m_fields={"businesses"})
        auditlog.register(models.Activity, m2m_fields={"businesses"})
        auditlog.register(models.SlaughterReturn)
        auditlog.register(models.DrugSaleFinding)  # D5: what a unit sold and what was done
        register_business_history(models.DrugSaleFinding, "business")
        auditlog.register(models.HolidayCheckRound)  # C4: a round's holiday and dates
        auditlog.register(models.HolidayCheck)  # C4: what was found at a unit in the round
        register_business_history(models.HolidayCheck, "business")
        # …and shown: visits, orders and grades on the business page, answers and checks on the visit's.
        register_business_history(models.Visit, "business")
        register_business_history(models.RectificationOrder, "business")
        register_business_history(models.InspectionProfile, "business")
        register_business_history(models.DeadlineChange, "order__business")
        register_history(models.Visit, models.VisitAnswer, "visit")
        register_history(models.Visit, models.VisitLicenceCheck, "visit")
        register_history(models.RectificationOrder, models.DeadlineChange, "order")
        register_history(models.Visit, models.VisitPhoto, "visit")
        register_history(models.Visit, models.VisitAmendment, "visit")
        register_history(models.SpotCheckDraw, models.SpotCheckPair, "draw")

        # The tipster's contact stays out of the audit log: the log is read more widely than the office.
        auditlog.register(models.TipOff, exclude_fields=["contact_name", "contact_phone", "client_hash"])
        auditlog.register(models.UnlicensedCase)
        # A lab result is an official record (and the Excel import writes its own entries: record_bulk).
        auditlog.register(models.Sample)
        # 一公开: who retired a unit's public code, when and why (old placards stop working).
        auditlog.register(models.PublicCode)
        register_business_history(models.PublicCode, "business")
