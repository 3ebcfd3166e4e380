"""python manage.py target_report: the dashboard's figures for the shell, as a table or JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import status
from tests import factories as f
from tests.api_helpers import token_client
from tests.factories_dashboard import AFTER, BEFORE, campaign, small_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


def report(*args) -> str:
    out = io.StringIO()
    call_command("target_report", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_agreed_fields(town):
    rows = json.loads(report("--as-of", AFTER.isoformat(), "--json"))
    g1 = next(r for r in rows if r["target"] == "G1")
    assert {"target", "label", "goal", "numerator", "denominator", "rate", "scope"} <= set(g1)
    assert (g1["label"], g1["goal"], g1["numerator"], g1["denominator"], g1["rate"]) == (
        "证照齐全并亮证经营",
        1.0,
        4,
        8,
        0.5,
    )
    assert g1["scope"] == {"town": True}


def test_as_of_changes_the_figures(town):
    rows = {r["target"]: r for r in json.loads(report("--as-of", BEFORE.isoformat(), "--json"))}
    assert (rows["G1"]["numerator"], rows["U1"]["numerator"]) == (5, 4)


def test_village_and_category_scope(town, village, other_village):
    rows = json.loads(
        report(
            "--as-of", AFTER.isoformat(), "--village", other_village.code, "--category", "grocery", "--json"
        )
    )
    # only the targets that apply to groceries
    assert {r["target"] for r in rows} == {"G1", "G2", "G3", "G4", "C1", "C2", "C3", "C5", "C7", "U1"}
    g1 = next(r for r in rows if r["target"] == "G1")
    assert (g1["numerator"], g1["denominator"]) == (0, 1)
    assert g1["scope"] == {"village": other_village.code, "category": "grocery"}
    assert g1["village"] == other_village.code and g1["category"] == "grocery"


def test_table_is_in_chinese(town):
    out = report("--as-of", AFTER.isoformat())
    assert "统计日期：2026-08-01" in out and "范围：全镇" in out
    assert "G1" in out and "50.0%" in out and "未达标" in out


def test_bad_input_says_what_is_wrong(town):
    with pytest.raises(CommandError, match="没有代码为“nowhere”的村"):
        report("--village", "nowhere")
    with pytest.raises(CommandError, match="没有代码为“bakery”的类别"):
        report("--category", "bakery")


# --- issue 24 / O5: one city, many towns — the town split of the figures ---------------------------------


def second_town(n_towns: int = 1) -> list:
    """More towns of the city, each with one village and two groceries: one licensed (G1 met), one not."""
    made = []
    for i in range(n_towns):
        town = f.TownFactory(name=f"第{i + 2}镇", code=f"town{i + 2}")
        v = f.VillageFactory(town=town, name=f"第{i + 2}镇一村", code=f"t{i + 2}v1")
        f.licensed(f.BusinessFactory(village=v))
        f.BusinessFactory(village=v)
        made.append(town)
    return made


def test_every_row_names_its_town_in_a_single_town_install(town, village):
    """A single-town installation sees no change but the new field: every row names the one town."""
    rows = json.loads(report("--as-of", AFTER.isoformat(), "--json"))
    assert rows and {r["town"] for r in rows} == {village.town.code}
    g1 = next(r for r in rows if r["target"] == "G1")
    assert g1["scope"] == {"town": True} and (g1["numerator"], g1["denominator"]) == (4, 8)


def test_town_option_counts_that_towns_businesses_only(town, village):
    """Issue 24 (O5): --town CODE counts one town's businesses; without it the city's rows name no town."""
    second_town()
    rows = {r["target"]: r for r in json.loads(report("--as-of", AFTER.isoformat(), "--json"))}
    assert (rows["G1"]["numerator"], rows["G1"]["denominator"], rows["G1"]["town"]) == (5, 10, None)
    mine = {
        r["target"]: r
        for r in json.loads(report("--as-of", AFTER.isoformat(), "--town", village.town.code, "--json"))
    }
    assert (mine["G1"]["numerator"], mine["G1"]["denominator"], mine["G1"]["town"]) == (4, 8, "ceshi")
    theirs = {
        r["target"]: r for r in json.loads(report("--as-of", AFTER.isoformat(), "--town", "town2", "--json"))
    }
    assert (theirs["G1"]["numerator"], theirs["G1"]["denominator"], theirs["G1"]["town"]) == (1, 2, "town2")
    # every agreed field is still there, under its old name
    assert {"target", "label", "goal", "numerator", "denominator", "rate", "status", "as_of", "scope"} <= set(
        theirs["G1"]
    ) and {"village", "category", "department", "computed_at"} <= set(theirs["G1"])
    # --live counts the town's own businesses now: the same figures
    live = {
        r["target"]: r
        for r in json.loads(report("--as-of", AFTER.isoformat(), "--town", "town2", "--live", "--json"))
    }
    assert (live["G1"]["numerator"], live["G1"]["denominator"]) == (1, 2)
    table = report("--as-of", AFTER.isoformat(), "--town", "town2")
    assert "范围：第2镇" in table
    assert "范围：全市各镇" in report("--as-of", AFTER.isoformat())


def test_town_option_today_reads_the_kept_status(town, village):
    """Today's figures come from BusinessTargetStatus (which keeps the village): cut by the village's town."""
    second_town()
    status.rebuild()
    rows = {r["target"]: r for r in json.loads(report("--town", "town2", "--json"))}
    assert (rows["G1"]["numerator"], rows["G1"]["denominator"], rows["G1"]["town"]) == (1, 2, "town2")


def test_unknown_town_and_a_village_of_another_town_are_refused_in_chinese(town, village):
    second_town()
    with pytest.raises(CommandError, match="没有代码为“nowhere”的镇（街道）。可用代码：ceshi、town2"):
        report("--town", "nowhere")
    with pytest.raises(CommandError, match="不属于第2镇"):
        report("--town", "town2", "--village", village.code)


def test_town_report_queries_do_not_grow_with_the_towns(town, village):
    """The town comes through the village: one query for the villages' towns, not one per town."""
    second_town(1)
    status.rebuild()

    def count(*args):
        with CaptureQueriesContext(connection) as queries:
            report(*args)
        return len(queries)

    def counts():
        after = AFTER.isoformat()
        return [count("--town", "town2", "--json"), count("--json"), count("--as-of", after, "--json")]

    small = counts()
    for i in range(3, 7):  # four more towns
        t = f.TownFactory(name=f"第{i}镇", code=f"town{i}")
        f.licensed(f.BusinessFactory(village=f.VillageFactory(town=t)))
    status.rebuild()
    assert counts() == small


def test_the_api_takes_a_town_as_target_report_does(town, village, office, admin_user):
    """/api/v1/targets/?town=CODE gives the rows of `target_report --town CODE --json` (issue 24) to whoever
    reads that town (a superuser here); town first: another town's office gets a 404."""
    (second,) = second_town()
    assert token_client(office).get("/api/v1/targets/?town=town2").status_code == 404
    api = token_client(admin_user)
    expected = json.loads(report("--town", "town2", "--json"))
    got = api.get("/api/v1/targets/?town=town2").json()
    strip = [{k: v for k, v in r.items() if k != "computed_at"} for r in expected]
    assert [{k: v for k, v in r.items() if k != "computed_at"} for r in got] == strip
    assert {r["town"] for r in got} == {"town2"}
    assert api.get("/api/v1/targets/?town=nowhere").status_code == 404
    assert api.get(f"/api/v1/targets/?town=town2&village={village.code}").status_code == 404
    # A department's own figures, cut to the town: 工商分局 leads the groceries, 1 of 2 there.
    aic = token_client(
        f.user_with_role("department", "api_aic_town", department=f.department("aic"), town=second)
    )
    rows = {r["target"]: r for r in aic.get("/api/v1/targets/?town=town2").json()}
    assert (rows["G1"]["numerator"], rows["G1"]["denominator"], rows["G1"]["town"]) == (1, 2, "town2")
