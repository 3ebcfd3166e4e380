"""The roster targets (G1, A2, B1, C1, U1) and F1 (licence and monthly return) on the small town, at two
dates and in every split."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import figures, targets
from dashboard.targets import Ctx
from tests import factories as f
from tests.factories_dashboard import AFTER, BEFORE, campaign, small_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


ROSTER = {
    "G1",
    "A2",
    "B1",
    "C1",
    "F1",
    "U1",
}  # from licences (F1: and the monthly return); visits and ledgers: test_dashboard_evidence


def town_figures(as_of):
    return {
        x.target.id: (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), Ctx.at(as_of))
        if x.target.id in ROSTER
    }


def test_every_target_is_defined_once_with_goal_and_label():
    ids = [t.id for t in targets.available()]
    assert len(ids) == len(set(ids))
    for t in targets.available():
        assert t.label and t.rule and 0 < t.goal <= 1


def test_town_figures_before_the_restaurant_licence_expires(town):
    assert town_figures(BEFORE) == {
        "G1": (5, 8),
        "A2": (1, 2),
        "B1": (1, 1),
        "C1": (2, 3),
        "F1": (1, 1),
        "U1": (4, 5),
    }


def test_town_figures_after_it_expires(town):
    got = town_figures(AFTER)
    assert got["G1"] == (4, 8)
    assert got["U1"] == (3, 5)


def test_split_by_village(town, village, other_village):
    got = {
        (x.target.id, x.village.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), Ctx.at(AFTER), "village")
    }
    assert got[("G1", village.code)] == (3, 4)
    assert got[("G1", other_village.code)] == (1, 4)
    assert got[("A2", other_village.code)] == (0, 1)
    assert got[("U1", village.code)] == (2, 2)
    assert got[("U1", other_village.code)] == (1, 3)


def test_split_by_category_keeps_category_targets_to_their_category(town):
    got = {
        (x.target.id, x.category.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), Ctx.at(AFTER), "category")
    }
    assert got[("G1", "grocery")] == (1, 3)
    assert got[("G1", "agri")] == (1, 2)
    assert got[("G1", "restaurant")] == (0, 1)
    assert got[("C1", "grocery")] == (2, 3)
    assert ("C1", "agri") not in got
    assert ("A2", "grocery") not in got


def test_split_by_department_gives_u1_whole_to_enforcement(town):
    got = {
        (x.target.id, x.department.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), Ctx.at(AFTER), "department")
    }
    assert got[("G1", "aic")] == (1, 3)
    assert got[("G1", "agri_office")] == (1, 2)
    assert got[("G1", "economy")] == (1, 1)
    assert got[("G1", "health")] == (0, 1)
    assert got[("U1", "enforcement")] == (3, 5)
    assert not any(t == "U1" and d != "enforcement" for t, d in got)


def test_village_by_category_matrix(town, village, other_village):
    got = {
        (x.target.id, x.village.code, x.category.code): (x.numerator, x.denominator)
        for x in figures.compute(targets.available(), Ctx.at(AFTER), "matrix")
    }
    assert got[("G1", village.code, "grocery")] == (1, 2)
    assert got[("G1", other_village.code, "grocery")] == (0, 1)
    assert got[("A2", village.code, "agri")] == (1, 1)


def test_status_colours():
    g1 = targets.get("G1")
    assert figures.Figure(g1, 10, 10).status == "green"
    assert figures.Figure(g1, 8, 10).status == "amber"
    assert figures.Figure(g1, 7, 10).status == "red"
    assert figures.Figure(g1, 0, 0).status == "none"


# One aggregate query; on PostgreSQL wrapped in a savepoint that sets work_mem (3 statements more).
ONE_QUERY = 4


def test_each_split_is_one_query_whatever_the_size(town, village, django_assert_max_num_queries):
    ctx = Ctx.at(AFTER)
    assert ctx.ledger_windows is not None  # the towns' G2 windows: read once per Ctx (issue 24)
    with CaptureQueriesContext(connection) as small:
        figures.rows(targets.available(), ctx, "village", figures.businesses())
    for _ in range(5):
        f.licensed(f.BusinessFactory(village=f.VillageFactory(town=village.town)))
    with django_assert_max_num_queries(ONE_QUERY):
        with CaptureQueriesContext(connection) as large:
            figures.rows(targets.available(), ctx, "village", figures.businesses())
    assert len(large) == len(small)
    aggregates = [q for q in large.captured_queries if "COUNT(" in q["sql"]]
    assert len(aggregates) == 1
    with django_assert_max_num_queries(ONE_QUERY):
        figures.rows(targets.available(), ctx, "matrix", figures.businesses())


def test_drill_down_lists_who_does_not_meet(town, village):
    ctx = Ctx.at(AFTER)
    names = lambda qs: sorted(b.name for b in qs)  # noqa: E731
    assert names(figures.failing(targets.get("G1"), ctx)) == sorted(
        ["东村鸿福便利店", "西村杂货铺", "西村种子店", "西村粥粉面"]
    )
    assert names(figures.failing(targets.get("G1"), ctx, village=village)) == ["东村鸿福便利店"]
    assert names(figures.failing(targets.get("C1"), ctx)) == ["西村杂货铺"]
    enforcement = f.department("enforcement")
    assert names(figures.failing(targets.get("U1"), ctx, department=enforcement)) == [
        "西村杂货铺",
        "西村粥粉面",
    ]


def test_drill_down_is_scoped(town, inspector, aic_user):
    ctx = Ctx.at(AFTER)
    g1 = targets.get("G1")
    assert sorted(b.name for b in figures.failing(g1, ctx, user=inspector)) == ["东村鸿福便利店"]
    assert sorted(b.name for b in figures.failing(g1, ctx, user=aic_user)) == ["东村鸿福便利店", "西村杂货铺"]


def test_all_splits_from_one_query_match_each_split_computed_alone(town, django_assert_max_num_queries):
    ctx = Ctx.at(AFTER)
    ts = targets.available()

    def key(x):
        return (
            x.target.id,
            x.village and x.village.pk,
            x.category and x.category.pk,
            x.department and x.department.pk,
        )

    with django_assert_max_num_queries(ONE_QUERY + 3):  # the aggregate and the three label lists
        together = figures.compute_splits(ts, ctx)
    for split in figures.SPLITS:
        alone = figures.compute(ts, ctx, split)
        assert {key(x): (x.numerator, x.denominator) for x in together[split]} == {
            key(x): (x.numerator, x.denominator) for x in alone
        }, split
