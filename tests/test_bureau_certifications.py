"""O5 (issue 23): a city bureau records its own certifications — the licences it issues (市药监局 the
药品经营许可证 and GSP证书, 市质监局 the 食品生产许可证 and 工业产品生产许可证) — and their revocation, for
the businesses of its categories in any town, through the office's licence services: reminders planned and
today's kept figures (dashboard.status) updated in the same transaction, every change audited, and the
business page naming the bureau. It cannot touch the roster otherwise, nor a type it does not issue."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import access, nav
from campaigns import services as roster
from campaigns.models import Licence, LicenceType
from dashboard import status
from dashboard.models import BusinessTargetStatus
from notifications.models import Reminder
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def far_pharmacy(db):
    """A pharmacy in another town, holding its 营业执照 and GSP证书 but not its 药品经营许可证."""
    town = f.TownFactory(name="第二镇", code="dier")
    village = f.VillageFactory(town=town, name="第二镇一村", code="dier1")
    pharmacy = f.BusinessFactory(name="第二镇药店", village=village, category=f.category("pharmacy"))
    f.LicenceFactory(business=pharmacy, licence_type=f.licence_type("business"), number="YYZZ-1")
    f.LicenceFactory(business=pharmacy, licence_type=f.licence_type("gsp"), number="GSP-1")
    return pharmacy


@pytest.fixture
def drug_bureau(db):
    return f.user_with_role("city_bureau", "city_drug_user", department=f.department("city_drug"))


def certify(client, business, licence_type: str, number: str = "药经-2026-001"):
    return client.post(
        reverse("campaigns:certification_add"),
        {
            "business": business.name,
            "licence_type": f.licence_type(licence_type).pk,
            "number": number,
            "issued_on": TODAY.isoformat(),
            "expires_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
            "state": "valid",
            "displayed": "on",  # seen on the wall at the bureau's check: G1 is met at once
        },
    )


def g1_met(business) -> bool:
    return BusinessTargetStatus.objects.get(business=business, target="G1").met


def test_licence_types_name_the_departments_that_issue_them():
    """O5: the migration fills LicenceType.issuing_departments for the seeded types."""
    issued = {
        code: set(LicenceType.objects.get(code=code).issuing_departments.values_list("code", flat=True))
        for code in ("drug_trade", "gsp", "food_production", "industrial_production", "business")
    }
    assert issued == {
        "drug_trade": {"city_drug"},
        "gsp": {"city_drug"},
        "food_production": {"city_quality"},
        "industrial_production": {"city_quality"},
        "business": {"aic"},
    }


def test_a_bureau_certifies_in_another_town_through_the_office_service(client, far_pharmacy, drug_bureau):
    """O5: the certification is a licence like the office's: G1 met in the kept status at once, its expiry
    reminder planned, the change on the audit trail with the bureau's user, the page naming the bureau."""
    f.user_with_role("department", "economy_user", department=f.department("economy"))  # pharmacies' lead
    status.rebuild()
    assert not g1_met(far_pharmacy)
    client.force_login(drug_bureau)
    response = certify(client, far_pharmacy, "drug_trade")
    assert response.status_code == 302, response.content.decode()[:3000]
    licence = Licence.objects.get(number="药经-2026-001")
    assert licence.business == far_pharmacy and licence.certified_by == f.department("city_drug")
    assert licence.recorded_by == drug_bureau and licence.issuer == "市药监局"
    assert g1_met(far_pharmacy)  # dashboard.status, in the same transaction (issue 26)
    assert Reminder.objects.filter(object_id=licence.pk, planner="licence").exists()  # 20 days to expiry
    entry = LogEntry.objects.get_for_object(licence).get()
    assert entry.actor == drug_bureau
    page = client.get(reverse("campaigns:business_detail", args=[far_pharmacy.pk])).content.decode()
    assert "市药监局登记发证" in page
    listed = client.get(reverse("campaigns:certification_list"))
    assert licence in list(listed.context["page"].object_list)


def test_a_bureau_cannot_certify_a_type_it_does_not_issue_nor_outside_its_categories(
    client, far_pharmacy, drug_bureau
):
    client.force_login(drug_bureau)
    response = certify(client, far_pharmacy, "food_production", number="SC-1")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["licence_type"])
    assert "市药监局不核发“食品生产许可证”" in errors and "药品经营许可证" in errors
    grocery = f.BusinessFactory(name="第二镇士多", village=far_pharmacy.village)
    response = certify(client, grocery, "drug_trade", number="YJ-2")
    assert response.status_code == 200 and response.context["form"].errors["business"]
    assert not Licence.objects.filter(number__in=["SC-1", "YJ-2"]).exists()
    # The service refuses the same, whoever calls it.
    with pytest.raises(ValidationError, match="不核发"):
        roster.licence_certify(
            licence=Licence(business=far_pharmacy, licence_type=f.licence_type("business"), number="X"),
            bureau=f.department("city_drug"),
        )


def test_a_bureau_revokes_its_own_types_and_nothing_else(client, far_pharmacy, drug_bureau, office):
    """O5 吊销: the office's revocation service, naming the bureau; G1 is lost in the kept status at once."""
    drug = roster.licence_save(
        licence=Licence(
            business=far_pharmacy,
            licence_type=f.licence_type("drug_trade"),
            number="YJ-OLD",
            issued_on=TODAY - datetime.timedelta(days=100),
            expires_on=TODAY + datetime.timedelta(days=300),
            displayed=True,
        )
    )
    status.rebuild()
    assert g1_met(far_pharmacy)
    client.force_login(drug_bureau)
    business_licence = far_pharmacy.licences.get(licence_type__code="business")
    refused = reverse("campaigns:certification_revoke", args=[business_licence.pk])
    assert client.post(refused, {"reason": "无"}).status_code == 404  # 营业执照 is not the bureau's
    response = client.post(reverse("campaigns:certification_revoke", args=[drug.pk]), {"reason": "出租柜台"})
    assert response.status_code == 302
    drug.refresh_from_db()
    assert drug.state == "revoked" and drug.revoked_by == f.department("city_drug")
    assert "吊销（市药监局）：出租柜台" in drug.note
    assert not g1_met(far_pharmacy)
    assert LogEntry.objects.get_for_object(drug).filter(actor=drug_bureau).exists()
    business_licence.refresh_from_db()
    assert business_licence.state == "valid"
    # Revoked already: nothing left to revoke.
    assert client.get(reverse("campaigns:certification_revoke", args=[drug.pk])).status_code == 404
    page = client.get(reverse("campaigns:business_detail", args=[far_pharmacy.pk])).content.decode()
    assert "市药监局登记吊销" in page


def test_the_bureau_touches_the_roster_no_other_way(client, far_pharmacy, drug_bureau):
    client.force_login(drug_bureau)
    licence = far_pharmacy.licences.get(licence_type__code="gsp")
    for name, args in (
        ("campaigns:business_edit", [far_pharmacy.pk]),
        ("campaigns:licence_add", [far_pharmacy.pk]),
        ("campaigns:licence_edit", [licence.pk]),
        ("campaigns:licence_renew", [licence.pk]),
        ("campaigns:licence_revoke", [licence.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert not access.can_change_business(drug_bureau, far_pharmacy)


def test_only_a_bureau_that_issues_licences_has_the_menu_entry(far_pharmacy, drug_bureau, office, client):
    quality = f.user_with_role("city_bureau", "quality_user", department=f.department("city_quality"))
    city_leader = f.user_with_role("city_leader", "city_leader_user")

    def shown(user):
        return "campaigns:certification_list" in {e.url_name for e in nav.entries_for(user)}

    assert shown(drug_bureau) and shown(quality)
    assert not shown(office) and not shown(city_leader)
    client.force_login(office)
    assert client.get(reverse("campaigns:certification_list")).status_code == 404
    # 市质监局 issues no pharmacy papers and reads no pharmacy: the pharmacy is not its to certify.
    client.force_login(quality)
    response = certify(client, far_pharmacy, "food_production", number="SC-9")
    assert response.status_code == 200 and response.context["form"].errors["business"]
