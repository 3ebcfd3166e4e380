"""python manage.py target_report: the dashboard's figures for the shell, as a table or JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

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
