"""Issue 26: today's dashboard and target_report read the per-business status with a number of queries
that does not grow with the town (same code path at both sizes, counts required equal), and say no
"数据截至" for today; another date is computed live and keeps its "数据截至"."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard import status
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town

pytestmark = pytest.mark.django_db
INDEX = reverse("dashboard:index")


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


def grow(village, n=40):
    more = [f.VillageFactory(town=village.town) for _ in range(4)]
    for i in range(n):
        b = f.BusinessFactory(
            village=more[i % 4], category=f.category(["grocery", "agri", "restaurant"][i % 3])
        )
        if i % 2:
            f.licensed(b)
    status.rebuild()  # factories write behind the services' back: the table is built anew


def dashboard_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def report_queries(*args) -> tuple[int, str]:
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("target_report", *args, stdout=out)
    return len(queries), out.getvalue()


def test_todays_dashboard_reads_the_status_in_a_constant_number_of_queries(client, leader, town, village):
    status.rebuild()
    client.force_login(leader)
    small, page = dashboard_queries(client)
    assert "数据截至" not in page.split('id="computed-at"')[1].split("</span>")[0]
    grow(village)
    big, _page = dashboard_queries(client)
    assert big == small


def test_todays_target_report_reads_the_status_in_a_constant_number_of_queries(town, village):
    status.rebuild()
    small, table = report_queries()
    assert "当日实时" in table and "数据截至" not in table
    small_json, _ = report_queries("--json")
    grow(village)
    assert report_queries()[0] == small
    assert report_queries("--json")[0] == small_json


def test_another_date_is_live_and_says_when(client, leader, town):
    status.rebuild()
    _n, table = report_queries("--as-of", AFTER.isoformat())
    assert "数据截至" in table
    client.force_login(leader)
    page = client.get(INDEX, {"as_of": AFTER.isoformat()}).content.decode()
    assert "数据截至" in page.split('id="computed-at"')[1].split("</span>")[0]
    assert AFTER != timezone.localdate()
