"""C7: the food-safety incident register and the dashboard target "no major incident", with drill-down."""

import datetime

import pytest
from django.urls import reverse

from dashboard import figures, targets
from dashboard.targets import Ctx
from inspections.models import Incident
from inspections.services import incident_save
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign

pytestmark = pytest.mark.django_db
JULY = datetime.date(2026, 7, 10)


def _incident(village, *units, severity="II", day=JULY, **extra):
    return incident_save(
        incident=Incident(
            title="集体食物中毒",
            place="东村祠堂",
            village=village,
            severity=severity,
            occurred_on=day,
            cases=23,
            **extra,
        ),
        businesses=list(units),
    )


def _c7(as_of):
    return {
        x.target.id: (x.numerator, x.denominator) for x in figures.compute(targets.available(), Ctx.at(as_of))
    }["C7"]


def test_c7_units_of_a_major_incident_fail_from_its_date(village):
    campaign()
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    f.BusinessFactory(name="东村鸿福便利店", village=village)
    _incident(village, shop, severity="II")
    assert _c7(AFTER) == (1, 2)
    assert _c7(JULY - datetime.timedelta(days=1)) == (2, 2)  # before it happened


def test_c7_a_general_incident_is_no_major_one(village):
    campaign()
    shop = f.BusinessFactory(village=village)
    _incident(village, shop, severity="IV")
    assert _c7(AFTER) == (1, 1)


def test_c7_drill_down_lists_the_incidents_units(client, office, village):
    campaign()
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    f.BusinessFactory(name="东村鸿福便利店", village=village)
    _incident(village, shop, severity="I")
    client.force_login(office)
    response = client.get(reverse("dashboard:drill"), {"target": "C7", "as_of": AFTER.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "东村兴隆士多店" in page and "东村鸿福便利店" not in page


def test_c7_office_records_an_incident_naming_its_units(client, office, village):
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    client.force_login(office)
    data = {
        "occurred_on": "2026-07-10",
        "title": "学校食堂食物中毒",
        "severity": "III",
        "village": village.pk,
        "place": "东村小学",
        "cases": "12",
        "deaths": "0",
        "status": "handling",
        "units": "东村兴隆士多店",
    }
    response = client.post(reverse("inspections:incident_create"), data)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert list(incident.businesses.all()) == [shop] and incident.recorded_by == office


def test_c7_unknown_unit_is_refused_naming_the_line(client, office, village):
    client.force_login(office)
    data = {
        "occurred_on": "2026-07-10",
        "title": "事故",
        "severity": "II",
        "village": village.pk,
        "place": "东村",
        "cases": "1",
        "deaths": "0",
        "status": "handling",
        "units": "不存在的店",
    }
    response = client.post(reverse("inspections:incident_create"), data)
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "第1行“不存在的店”" in response.content.decode()


def test_c7_closing_needs_an_outcome(village):
    with pytest.raises(Exception, match="处置情况"):
        _incident(village, status="closed")


def test_c7_inspector_of_another_village_gets_404(client, village, other_inspector):
    incident = _incident(village, f.BusinessFactory(village=village))
    client.force_login(other_inspector)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert incident.title not in client.get(reverse("inspections:incident_list")).content.decode()


def test_c7_incident_list_filters_major_in_constant_queries(
    client, office, village, django_assert_max_num_queries
):
    client.force_login(office)
    _incident(village, severity="IV")
    _incident(village, f.BusinessFactory(village=village), severity="I")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("inspections:incident_list"), {"major": "true"})
    for _ in range(15):
        _incident(village, f.BusinessFactory(village=village), severity="II")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:incident_list"), {"major": "true"})
    assert len(response.context["page"].object_list) == 16
