"""Every model holding evidence is in the audit trail (issue 22).

Each model of the project is either audited (django-auditlog registered) or named in NOT_EVIDENCE with
the reason it needs no trail. A new model fails this test until someone decides which it is.
"""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps

from inspections import services as inspection_services
from inspections.models import TipOffPhoto, VisitPhoto
from tests import factories as f
from tests.factories_enforcement import TipOffFactory
from tests.factories_inspections import jpeg_upload
from tests.test_url_walk import LOCAL_APPS

# Models whose every change is evidence: photos, documents, results, sheets, records of what was done.
EVIDENCE = {
    "campaigns.Business",
    "campaigns.Licence",
    # issue 23: help (W4), the processing site (B5), the green channel (B3), incidents (C7), the work
    # register, the slaughterhouse's monthly returns (F1)
    "campaigns.HelpRecord",
    "campaigns.ProcessingSite",
    "campaigns.GreenChannel",
    "inspections.Incident",
    "inspections.Activity",
    "inspections.SlaughterReturn",
    "campaigns.LicenceReissue",  # B2: a paper recalled and re-issued
    "inspections.DrugSaleFinding",  # D5: a drug sale found on a unit and what was done
    "inspections.HolidayCheckRound",  # C4: a round of holiday-goods checks
    "inspections.HolidayCheck",  # C4: what a unit was found doing in the round
    "accounts.RoleAssignment",
    "inspections.Visit",
    "inspections.VisitAnswer",
    "inspections.VisitPhoto",
    "inspections.VisitLicenceCheck",
    "inspections.VisitAmendment",
    "inspections.RectificationOrder",
    "inspections.DeadlineChange",
    "inspections.ChecklistTemplate",
    "inspections.ChecklistItem",
    "inspections.FrequencyRule",
    "inspections.InspectionProfile",
    "inspections.TipOff",
    "inspections.TipOffPhoto",
    "inspections.UnlicensedCase",
    "inspections.Sample",  # the lab's result is a field of the sample
    "inspections.SpotCheckDraw",
    "inspections.SpotCheckPair",
    "ledgers.LedgerEntry",
    "ledgers.BannedProduct",
    "ledgers.LedgerAlert",
    "dashboard.Bulletin",
    "dashboard.AcceptanceRecord",  # the acceptance sheet: its scores are a field
    "dashboard.Circular",
    "dashboard.CityPaper",  # issue 24: the city's bulletin and circular on its towns
    "inspections.PublicCode",  # a placard's QR code: issued, retired (who, when, why)
    "campaigns.TownSettings",  # issue 24: a town's window, return-check days, masthead, set by its office
    "campaigns.Campaign",  # issue 24: a town's campaign and its dates, set by its office
    "campaigns.Phase",
    "campaigns.LeadingGroupMember",  # O1: the office keeps its town's leading group in the app
}
# Models that are not evidence, and why.
NOT_EVIDENCE = {
    "campaigns.Town": "reference data, edited in the admin (whose own log records it)",
    "campaigns.Village": "reference data, edited in the admin",
    "campaigns.Market": "reference data, edited in the admin",
    "campaigns.Department": "reference data, edited in the admin",
    "campaigns.Category": "reference data, edited in the admin",
    "campaigns.SubType": "reference data, edited in the admin",
    "campaigns.LicenceType": "reference data, edited in the admin",
    "campaigns.LicenceRequirement": "reference data, edited in the admin",
    "campaigns.VillageGroupMember": "reference data: who sits on a village's group (O2)",
    "campaigns.ImportRecord": "itself the record of an import (who, file, when, counts, changes)",
    "accounts.LoginEvent": "itself a log (sign-ins, lockouts)",
    "dashboard.TargetSnapshot": "a figure computed from audited records",
    "dashboard.StoredMatrix": "kept figures computed from audited records",
    "dashboard.BusinessTargetStatus": "today's figures per business, from audited records (issue 26)",
    "dashboard.TargetStatusState": "which figures BusinessTargetStatus is kept for",
    "dashboard.TargetStatusTotal": "BusinessTargetStatus summed per town × category (issue 24)",
    "dashboard.TargetStatusVillageTotal": "BusinessTargetStatus summed per village × category (issue 26)",
    "notifications.Reminder": "derived from audited records by the planners",
    "notifications.Message": "a delivered reminder: derived",
    "notifications.ChannelPreference": "a user's own delivery setting",
    "notifications.ContactDetails": "a user's own contact for delivery",
    "api.ApiToken": "a credential keeping its own record (created_by/at, revoked_by/at)",
    "api.ApiTokenUse": "itself a log (each use of a token)",
}


def _local_models() -> set[str]:
    return {
        m._meta.label
        for app in LOCAL_APPS
        if apps.is_installed(app)
        for m in apps.get_app_config(app).get_models()
    }


def test_every_model_is_either_audited_evidence_or_says_why_not():
    undecided = sorted(_local_models() - EVIDENCE - set(NOT_EVIDENCE))
    assert not undecided, f"add {undecided} to EVIDENCE (and register it with auditlog) or NOT_EVIDENCE"
    assert not EVIDENCE & set(NOT_EVIDENCE)


def test_every_evidence_model_is_registered_with_auditlog():
    missing = sorted(label for label in EVIDENCE if not auditlog.contains(apps.get_model(label)))
    assert not missing, f"register {missing} with auditlog in its AppConfig.ready()"


@pytest.mark.django_db
def test_a_visit_photo_uploaded_and_deleted_leaves_a_trace(inspector, village):
    shop = f.BusinessFactory(village=village)
    draft = inspection_services.visit_start(business=shop, user=inspector)
    photo = inspection_services.photo_add(visit=draft, user=inspector, upload=jpeg_upload())
    pk = photo.pk
    inspection_services.photo_delete(photo=photo)
    actions = set(
        LogEntry.objects.get_for_model(VisitPhoto).filter(object_id=pk).values_list("action", flat=True)
    )
    assert actions == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}


@pytest.mark.django_db
def test_a_tipoff_photo_is_on_record(village):
    tipoff = TipOffFactory(village=village)
    photo = TipOffPhoto.objects.create(tipoff=tipoff, image="tipoffs/x.jpg")
    assert LogEntry.objects.get_for_model(TipOffPhoto).filter(object_id=photo.pk).exists()


@pytest.mark.django_db
def test_a_visits_answers_and_licence_checks_are_on_record(inspector, village):
    """The checklist is written with grouped UPDATEs (no signals): each changed row is recorded anyway."""
    from inspections.models import VisitAnswer, VisitLicenceCheck
    from tests.factories_inspections import inspect

    shop = f.BusinessFactory(village=village)
    f.licensed(shop)
    visit = inspect(shop, inspector, fails=("G2-1",))
    failed = visit.answers.get(code="G2-1")
    entry = LogEntry.objects.get_for_model(VisitAnswer).get(object_id=failed.pk)
    assert entry.actor == inspector and entry.changes_dict["answer"] == ["", "fail"]
    checks = LogEntry.objects.get_for_model(VisitLicenceCheck).filter(
        object_id__in=visit.licence_checks.values("pk")
    )
    assert checks.count() == visit.licence_checks.count()
