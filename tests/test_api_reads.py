"""The API's reads and the other writes (issue 18): every endpoint scoped as the pages are, targets equal to
`target_report --json`, ledger lines written through the phone form's service, the office's tip-off
triage, and list query counts that do not grow with the data."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import TipOff
from ledgers.models import LedgerEntry
from ledgers.services import ledger_lines_create
from tests import factories as f
from tests.api_helpers import token_client
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db

LINE = {
    "direction": "in",
    "product_name": "大米",
    "kind": "food",
    "quantity": "10",
    "unit": "kg",
    "supplier_name": "粮油批发部",
}


def _town(village, other_village, inspector, n: int = 1):
    """n shops in each village, each visited (one failing → an order) and with a ledger line."""
    shops = {village.pk: [], other_village.pk: []}
    for v in (village, other_village):
        for i in range(n):
            shop = f.BusinessFactory(village=v, category=f.category("grocery"))
            f.licensed(shop)
            inspect(shop, inspector, fails=("C2-1",) if i == 0 else ())
            ledger_lines_create(business=shop, lines=[{**LINE, "occurred_on": timezone.localdate()}])
            shops[v.pk].append(shop)
    return shops


@pytest.fixture
def town(village, other_village, office):
    return _town(village, other_village, office)


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_lists_hold_only_the_callers_scope_and_objects_outside_are_404(
    town, inspector, village, other_village
):
    api = token_client(inspector)
    mine, theirs = town[village.pk][0], town[other_village.pk][0]
    assert _ids(api.get("/api/v1/businesses/")) == {mine.pk}
    visits = _ids(api.get("/api/v1/visits/"))
    assert visits == set(mine.visits.values_list("pk", flat=True))
    assert _ids(api.get("/api/v1/orders/")) == set(mine.rectification_orders.values_list("pk", flat=True))
    assert len(_ids(api.get(f"/api/v1/businesses/{mine.pk}/ledger/"))) == 1
    outside = [
        f"/api/v1/businesses/{theirs.pk}/",
        f"/api/v1/businesses/{theirs.pk}/ledger/",
        f"/api/v1/visits/{theirs.visits.first().pk}/",
        f"/api/v1/orders/{theirs.rectification_orders.first().pk}/",
    ]
    for url in outside:
        response = api.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    # Filters cannot reach around the scope either.
    assert _ids(api.get(f"/api/v1/businesses/?village={other_village.pk}")) == set()
    assert _ids(api.get(f"/api/v1/visits/?business={theirs.pk}")) == set()
    written = api.post(
        f"/api/v1/businesses/{theirs.pk}/ledger/",
        {"lines": [{**LINE, "occurred_on": "2026-01-05"}]},
        format="json",
    )
    assert written.status_code == 404
    trace = api.get("/api/v1/trace/?mode=forward&product=大米").json()
    assert {b["id"] for b in trace["businesses"]} == {mine.pk}


def test_business_list_filters_like_the_roster_and_pages_by_cursor(town, office, village):
    api = token_client(office)
    assert _ids(api.get(f"/api/v1/businesses/?village={village.pk}")) == {town[village.pk][0].pk}
    assert len(_ids(api.get("/api/v1/businesses/?complete=yes"))) == 2
    page = api.get("/api/v1/businesses/?page_size=1").json()
    assert len(page["results"]) == 1 and page["next"]
    following = api.get(page["next"]).json()
    assert following["results"][0]["id"] > page["results"][0]["id"]
    bad = api.get("/api/v1/businesses/?village=99999999999999999999&status=nope")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"village", "status"}
    assert api.get("/api/v1/businesses/?cursor=garbage").status_code == 404
    licences = api.get(f"/api/v1/businesses/{town[village.pk][0].pk}/").json()["licences"]
    assert licences and {"number", "expires_on", "effective_state"} <= set(licences[0])


def test_targets_are_the_rows_of_target_report_json(town, office, village):
    api = token_client(office)
    for query, args in (("", []), (f"?village={village.code}", ["--village", village.code])):
        out = io.StringIO()
        call_command("target_report", "--json", *args, stdout=out)
        expected = json.loads(out.getvalue())
        got = api.get(f"/api/v1/targets/{query}").json()
        strip = [{k: v for k, v in r.items() if k != "computed_at"} for r in expected]
        assert [{k: v for k, v in r.items() if k != "computed_at"} for r in got] == strip
    assert api.get("/api/v1/targets/?as_of=1999-01-01").status_code == 400
    assert api.get("/api/v1/targets/?village=nowhere").status_code == 404


def test_targets_of_an_inspector_are_their_villages(town, inspector, village, other_village):
    api = token_client(inspector)
    rows = api.get("/api/v1/targets/").json()
    g1 = next(r for r in rows if r["target"] == "G1")
    assert g1["denominator"] == 1  # their village's one shop, not the town's two
    assert api.get(f"/api/v1/targets/?village={other_village.code}").status_code == 404
    shop_account = f.user_with_role("business", "api_shop", business=town[village.pk][0])
    assert token_client(shop_account).get("/api/v1/targets/").status_code == 404


def test_business_account_writes_its_own_ledger_through_the_form_service(town, village, other_village):
    shop = town[village.pk][0]
    api = token_client(f.user_with_role("business", "api_shop", business=shop))
    ok = api.post(
        f"/api/v1/businesses/{shop.pk}/ledger/",
        {"lines": [{**LINE, "occurred_on": "2026-01-05"}]},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["lines"][0]["unit"] == "千克" and ok.json()["alerts"] == 0
    before = LedgerEntry.objects.count()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = api.post(
        f"/api/v1/businesses/{shop.pk}/ledger/",
        {"lines": [{**LINE, "occurred_on": "2026-01-05"}, {**LINE, "occurred_on": future, "quantity": "0"}]},
        format="json",
    )
    assert bad.status_code == 400
    fields = bad.json()["fields"]
    assert "晚于今天" in fields["lines[1].occurred_on"][0]["message"]
    assert "lines[1].quantity" in fields
    assert LedgerEntry.objects.count() == before  # all or nothing
    other = town[other_village.pk][0]
    assert (
        api.post(f"/api/v1/businesses/{other.pk}/ledger/", {"lines": [LINE]}, format="json").status_code
        == 404
    )
    # Traces are for the campaign's staff.
    assert api.get("/api/v1/trace/?mode=forward&product=大米").status_code == 404


def test_office_sets_a_tipoff_status_through_the_triage_service(office, inspector, village, aic_user):
    tipoff = TipOff.objects.create(content="无证经营", village=village, status="received")
    url = f"/api/v1/tipoffs/{tipoff.pk}/status/"
    assert token_client(inspector).post(url, {"status": "unfounded"}, format="json").status_code == 404
    api = token_client(office)
    department = aic_user.roles.get().department
    response = api.post(
        url, {"status": "assigned", "lead_department": department.pk, "triage_note": "转工商"}, format="json"
    )
    assert response.status_code == 200, response.json()
    tipoff.refresh_from_db()
    assert (tipoff.status, tipoff.lead_department, tipoff.triaged_by) == ("assigned", department, office)
    bad = api.post(url, {"status": "maybe"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["fields"]
    # The department it was assigned to reads it; a village inspector of the same village does too.
    assert token_client(aic_user).get(f"/api/v1/tipoffs/{tipoff.pk}/").status_code == 200


LISTS = [
    "/api/v1/businesses/",
    "/api/v1/visits/",
    "/api/v1/orders/",
    "/api/v1/villages/",
    "/api/v1/categories/",
    "/api/v1/licence-types/",
    "/api/v1/checklists/",
]


def _counts(api, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


def test_list_query_counts_do_not_grow_with_the_data(village, other_village, office, inspector):
    """Two data sizes, the same number of queries per list (as the office and as an inspector)."""
    small = _town(village, other_village, office, n=1)
    users = (token_client(office), token_client(inspector))
    ledger = f"/api/v1/businesses/{small[village.pk][0].pk}/ledger/"
    before = [_counts(api, [*LISTS, ledger]) for api in users]
    _town(village, other_village, office, n=4)
    ledger_lines_create(
        business=small[village.pk][0], lines=[{**LINE, "occurred_on": timezone.localdate()} for _ in range(5)]
    )
    after = [_counts(api, [*LISTS, ledger]) for api in users]
    assert before == after
    assert max(before[0].values()) <= 12


def test_the_offline_app_builds_a_visit_from_the_checklists_endpoint(inspector, village):
    """What #19 will do: read the current checklist of the business's category, answer it, submit."""
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    api = token_client(inspector)
    checklists = api.get("/api/v1/checklists/").json()
    grocery = next(c for c in checklists if c["category_code"] == "grocery")
    assert grocery["is_current"] and grocery["items"]
    assert api.get(f"/api/v1/checklists/{grocery['id']}/").json() == grocery
    licence_types = [
        lic["licence_type"] for lic in api.get(f"/api/v1/businesses/{shop.pk}/").json()["licences"]
    ]
    payload = {
        "client_uuid": "0b6b0f3e-8a39-4a7a-9a59-2f2f7d8b9c11",
        "business": shop.pk,
        "checklist": grocery["id"],
        "answers": {item["code"]: {"answer": "pass"} for item in grocery["items"]},
        "licences": {str(t): {"held": True, "displayed": True} for t in licence_types},
        "outcome": "passed",
    }
    response = api.post("/api/v1/visits/submit/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["checklist_version"] == grocery["version"]
