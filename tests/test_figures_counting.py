"""Counting a target (dashboard/figures.py) piece by piece (issue 22, mutation testing).

The whole-town tests (test_dashboard_targets.py) check the figures of the small town; these check each
step on its own with a handful of rows: a figure's rate, percent, gap and colour at the goal's edges (D4's
30% and the others' 100%), its scope and drill-down link, the roll-up of the village × category matrix into
every split, picking targets out of a matrix, the labels of each split (a category target only in its
categories, U1 whole to the enforcement branch, empty departments left out), the town split, and which
businesses are counted.
"""

import datetime

import pytest
from django.db.models import Q

from campaigns.models import Business, Campaign
from dashboard import figures
from dashboard.targets import ALL, Ctx, Target
from tests import factories as f

DAY = datetime.date(2026, 7, 1)


def target(target_id: str, goal: float = 1.0, categories=ALL, department=None, meets=None) -> Target:
    return Target(
        target_id, f"{target_id}的名称", goal, categories, meets or (lambda ctx: Q()), department=department
    )


# --- one figure -------------------------------------------------------------------------------------------


def test_rate_percent_and_gap():
    third = figures.Figure(target("G1"), 1, 3)
    assert third.rate == 1 / 3 and third.percent == 33.3 and third.gap == 2
    assert figures.Figure(target("G1"), 2, 3).percent == 66.7
    empty = figures.Figure(target("G1"), 0, 0)
    assert empty.rate is None and empty.percent is None and empty.gap == 0


@pytest.mark.parametrize(
    ("goal", "numerator", "denominator", "status"),
    [
        (1.0, 100, 100, "green"),
        (1.0, 99, 100, "amber"),
        (1.0, 80, 100, "amber"),  # AMBER_BAND below the goal: still amber
        (1.0, 79, 100, "red"),
        (0.3, 3, 10, "green"),  # D4's 30%, exactly
        (0.3, 31, 100, "green"),
        (0.3, 29, 100, "amber"),
        (0.3, 24, 100, "amber"),
        (0.3, 23, 100, "red"),
        (0.3, 0, 0, "none"),
    ],
)
def test_status_at_the_goals_edges(goal, numerator, denominator, status):
    assert figures.Figure(target("D4", goal), numerator, denominator).status == status


@pytest.mark.django_db
def test_scope_drill_down_and_as_dict():
    town = f.TownFactory.build(code="xigang")
    village = f.VillageFactory.build(code="dongcun", town=town)
    grocery = f.category("grocery")
    aic = f.department("aic")
    whole = figures.Figure(target("G1"), 3, 4)
    assert whole.scope() == {"village": None, "category": None, "department": None}
    assert whole.drill_query() == "target=G1"
    cell = figures.Figure(target("C1"), 1, 2, village=village, category=grocery, department=aic, town=town)
    assert cell.scope() == {"village": "dongcun", "category": "grocery", "department": "aic"}
    assert cell.drill_query() == "target=C1&village=dongcun&category=grocery&department=aic"  # no town
    in_town = figures.Figure(target("C1"), 1, 2, category=grocery, town=town)
    assert in_town.drill_query() == "target=C1&category=grocery&town=xigang"
    assert in_town.as_dict(DAY) == {
        "target": "C1",
        "label": "C1的名称",
        "goal": 1.0,
        "numerator": 1,
        "denominator": 2,
        "rate": 0.5,
        "status": "red",
        "as_of": "2026-07-01",
        "scope": {"category": "grocery"},
        "village": None,
        "category": "grocery",
        "department": None,
        "town": "xigang",
    }
    assert figures.Figure(target("D4", 0.3), 2, 3).as_dict(DAY)["rate"] == 0.6667
    as_dict = whole.as_dict(DAY)
    assert as_dict["scope"] == {"town": True} and as_dict["town"] is None
    assert figures.Figure(target("G1"), 0, 0).as_dict(DAY)["rate"] is None


@pytest.mark.django_db
def test_a_figures_goal_is_its_towns(village):
    """Issue 24: C3's goal is set by each town's office on its own campaign; a town without one takes the
    city's. The figure's town decides, else its village's, else the town of whoever reads it."""
    home, other = village.town, f.TownFactory(code="xigang", name="西岗镇")
    there = f.VillageFactory(town=other, name="西岗村", code="xigangcun")
    Campaign.objects.update(is_current=False)
    dates = {"starts_on": DAY, "ends_on": DAY + datetime.timedelta(days=100), "is_current": True}
    Campaign.objects.create(name="全市专项", e_ledger_goal=40, **dates)
    Campaign.objects.create(name="西岗镇专项", town=other, e_ledger_goal=80, **dates)
    c3 = Target("C3", "C3", 0.5, ("grocery",), lambda ctx: Q(), goal_field="e_ledger_goal")
    goal = lambda **where: figures.Figure(c3, 7, 10, **where).goal  # noqa: E731
    assert goal(town=other) == goal(village=there) == goal(goal_town_id=other.pk) == 0.8
    assert goal(town=home) == goal(village=village) == goal(goal_town_id=home.pk) == 0.4
    assert goal(town=home, village=there) == goal(town=home, goal_town_id=other.pk) == 0.4
    assert goal(village=village, goal_town_id=other.pk) == 0.4
    assert figures.Figure(c3, 7, 10, town=other).status == "amber"  # 70% of 80%
    assert figures.Figure(c3, 7, 10, town=home).status == "green"
    assert figures.Figure(c3, 7, 10, town=other).as_dict(DAY)["goal"] == 0.8


# --- the matrix and its splits ----------------------------------------------------------------------------

MATRIX = [
    {"village_id": 1, "category_id": 10, "d0": 2, "n0": 1, "d1": 5, "n1": 5},
    {"village_id": 1, "category_id": 11, "d0": 3, "n0": 3, "d1": 0, "n1": 0},
    {"village_id": 2, "category_id": 10, "d0": 4, "n0": 0, "d1": 1, "n1": 1},
]


def test_rollup_sums_the_matrix_into_each_split():
    rollup = figures._rollup
    assert rollup(MATRIX, "town", 2, {}) == [{"d0": 9, "n0": 4, "d1": 6, "n1": 6}]
    assert rollup(MATRIX, "village", 2, {}) == [
        {"village_id": 1, "d0": 5, "n0": 4, "d1": 5, "n1": 5},
        {"village_id": 2, "d0": 4, "n0": 0, "d1": 1, "n1": 1},
    ]
    assert rollup(MATRIX, "category", 2, {}) == [
        {"category_id": 10, "d0": 6, "n0": 1, "d1": 6, "n1": 6},
        {"category_id": 11, "d0": 3, "n0": 3, "d1": 0, "n1": 0},
    ]
    by_lead = "category__lead_department_id"
    assert rollup(MATRIX, "department", 2, {10: 100, 11: 101}) == [
        {by_lead: 100, "d0": 6, "n0": 1, "d1": 6, "n1": 6},
        {by_lead: 101, "d0": 3, "n0": 3, "d1": 0, "n1": 0},
    ]
    assert rollup(MATRIX, "department", 2, {10: 100, 11: 100}) == [
        {by_lead: 100, "d0": 9, "n0": 4, "d1": 6, "n1": 6}
    ]
    assert rollup(MATRIX, "town", 1, {}) == [{"d0": 9, "n0": 4}]  # the first targets only
    assert rollup([], "town", 2, {}) == [{"d0": 0, "n0": 0, "d1": 0, "n1": 0}]  # nobody: 0 of 0
    assert rollup([], "village", 2, {}) == []


def test_pick_renumbers_the_wanted_targets_and_keeps_the_rows_place():
    a, b, c = target("A"), target("B"), target("C")
    row = {
        "village_id": 1,
        "category_id": 10,
        "town_id": 7,
        "n0": 1,
        "d0": 2,
        "n1": 3,
        "d1": 4,
        "n2": 5,
        "d2": 6,
    }
    assert figures.pick([row, {**row, "town_id": 8}], [a, b, c], [c, a]) == [
        {"village_id": 1, "category_id": 10, "town_id": 7, "n0": 5, "d0": 6, "n1": 1, "d1": 2},
        {"village_id": 1, "category_id": 10, "town_id": 8, "n0": 5, "d0": 6, "n1": 1, "d1": 2},
    ]
    no_town = {k: v for k, v in row.items() if k != "town_id"}
    assert figures.pick([no_town], [a, b, c], [b]) == [{"village_id": 1, "category_id": 10, "n0": 3, "d0": 4}]


def test_in_town_keeps_the_rows_of_its_villages():
    town = f.TownFactory.build(pk=7)
    assert figures.in_town(MATRIX, town, {1: 7, 2: 8}) == MATRIX[:2]
    assert figures.in_town(MATRIX, town, {2: 7}) == MATRIX[2:]


@pytest.mark.django_db
def test_in_town_reads_the_villages_towns_when_not_given(village, other_village):
    matrix = [
        {"village_id": village.pk, "n0": 1, "d0": 1},
        {"village_id": other_village.pk, "n0": 0, "d0": 1},
    ]
    assert figures.in_town(matrix, village.town) == matrix
    assert figures.in_town(matrix, f.TownFactory(code="xigang", name="西岗镇")) == []


@pytest.mark.django_db
def test_the_town_split_sums_each_towns_rows(village):
    first = village.town
    second = f.TownFactory(code="xigang", name="西岗镇")
    third = f.TownFactory(code="anzhen", name="安镇")  # no business: 0 of 0
    there = f.VillageFactory(town=second, name="西岗村", code="xigangcun")
    a, b = target("A"), target("B")
    matrix = [
        {"village_id": village.pk, "category_id": 1, "n0": 1, "d0": 2, "n1": 0, "d1": 1},
        {"village_id": village.pk, "category_id": 2, "n0": 3, "d0": 3, "n1": 1, "d1": 1},
        {"village_id": there.pk, "category_id": 1, "n0": 0, "d0": 4, "n1": 2, "d1": 2},
    ]
    got = [
        (fig.town.code, fig.target.id, fig.numerator, fig.denominator)
        for fig in figures.compute_towns([a, b], matrix)
    ]
    order = sorted([first, second, third], key=lambda t: t.name)
    expected = {
        first.code: [("A", 4, 5), ("B", 1, 2)],
        second.code: [("A", 0, 4), ("B", 2, 2)],
        third.code: [("A", 0, 0), ("B", 0, 0)],
    }
    assert got == [(t.code, *fig) for t in order for fig in expected[t.code]]
    # Rows that name their town are summed by it, without asking the villages'.
    named = [{**r, "town_id": second.pk} for r in matrix]
    got = {
        (fig.town.code, fig.target.id): (fig.numerator, fig.denominator)
        for fig in figures.compute_towns([a, b], named)
    }
    assert got[(second.code, "A")] == (4, 9) and got[(first.code, "A")] == (0, 0)


# --- labels --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_labels_of_each_split(village, other_village):
    grocery, agri = f.category("grocery"), f.category("agri")
    aic, agri_office = grocery.lead_department, agri.lead_department
    enforcement = f.department("enforcement")
    c1, g1 = target("C1", categories=("grocery",)), target("G1")
    u1 = target("U1", department="enforcement")
    labels = figures._Labels.load("all")
    assert set(labels.villages) >= {village.pk, other_village.pk}
    assert labels.categories[grocery.pk] == grocery and labels.departments[aic.pk] == aic

    raw = [
        {
            "village_id": village.pk,
            "category_id": grocery.pk,
            "n0": 1,
            "d0": 2,
            "n1": 2,
            "d1": 2,
            "n2": 0,
            "d2": 1,
        },
        {
            "village_id": other_village.pk,
            "category_id": agri.pk,
            "n0": 0,
            "d0": 0,
            "n1": 1,
            "d1": 3,
            "n2": 1,
            "d2": 1,
        },
    ]
    matrix = figures._label([c1, g1], "matrix", raw, labels)
    assert [(x.target.id, x.village, x.category, x.numerator, x.denominator) for x in matrix] == [
        ("C1", village, grocery, 1, 2),  # C1 counts groceries only
        ("G1", village, grocery, 2, 2),
        ("G1", other_village, agri, 1, 3),
    ]
    by_lead = [
        {"category__lead_department_id": aic.pk, "n0": 1, "d0": 2, "n1": 0, "d1": 0, "n2": 1, "d2": 4},
        {
            "category__lead_department_id": agri_office.pk,
            "n0": 0,
            "d0": 0,
            "n1": 2,
            "d1": 3,
            "n2": 2,
            "d2": 2,
        },
    ]
    departments = figures._label([c1, g1, u1], "department", by_lead, labels)
    assert [(x.target.id, x.department, x.numerator, x.denominator) for x in departments] == [
        ("C1", aic, 1, 2),  # the agriculture office has no grocery to count: left out
        ("G1", agri_office, 2, 3),
        ("U1", enforcement, 3, 6),  # the enforcement branch's whole
    ]
    no_enforcement = figures._Labels.load("department")
    no_enforcement.departments.pop(enforcement.pk)
    assert [x.target.id for x in figures._label([u1], "department", by_lead, no_enforcement)] == []
    town = figures._label([g1], "town", [{"n0": 3, "d0": 5}], figures._Labels.load("town"))
    assert [(x.village, x.category, x.department, x.numerator, x.denominator) for x in town] == [
        (None, None, None, 3, 5)
    ]


@pytest.mark.django_db
def test_labels_load_only_what_a_split_shows(village, other_village, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert figures._Labels.load("town") == figures._Labels()
    with django_assert_num_queries(1):
        assert set(figures._Labels.load("village").villages) == {village.pk, other_village.pk}
    with django_assert_num_queries(2):  # and the categories
        assert set(figures._Labels.load("matrix", villages={village.pk}).villages) == {village.pk}
    assert not figures._Labels.load("matrix").departments and figures._Labels.load("matrix").categories
    category = figures._Labels.load("category")
    assert category.categories and not category.villages and not category.departments
    department = figures._Labels.load("department")
    assert department.departments and not department.villages and not department.categories


# --- which businesses, and the one query ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_businesses_counted(village, other_village, inspector):
    grocery, agri = f.category("grocery"), f.category("agri")
    here = f.BusinessFactory(village=village, category=grocery)
    there = f.BusinessFactory(village=other_village, category=agri)
    f.BusinessFactory(village=village, category=grocery, status="closed")
    assert set(figures.businesses()) == {here, there}
    assert set(figures.businesses(user=inspector)) == {here}
    assert set(figures.businesses(village=other_village)) == {there}
    assert set(figures.businesses(category=grocery)) == {here}
    assert set(figures.businesses(department=agri.lead_department)) == {there}
    assert set(figures.businesses(town=village.town)) == {here, there}
    assert not figures.businesses(town=f.TownFactory(code="xigang", name="西岗镇")).exists()
    assert figures._is_town(figures.businesses())
    assert not figures._is_town(figures.businesses(village=village))
    assert not figures._is_town(Business.objects.filter(pk__in=[]))


@pytest.mark.django_db
def test_rows_count_population_and_meeting_per_group(village, other_village):
    grocery, agri = f.category("grocery"), f.category("agri")
    centre = f.BusinessFactory(village=village, category=grocery, is_town_centre=True)
    outskirts = f.BusinessFactory(village=village, category=grocery)
    farm = f.BusinessFactory(village=other_village, category=agri)
    centre_only = Target(
        "C2",
        "C2",
        1.0,
        ("grocery",),
        lambda ctx: Q(pk=centre.pk),
        population=lambda ctx: Q(is_town_centre=True),
    )
    named = Target("G1", "G1", 1.0, ALL, lambda ctx: Q(pk__in=[outskirts.pk, farm.pk]))
    ctx = Ctx.at(DAY)
    assert figures.rows([], ctx, "town", figures.businesses()) == []
    assert figures.rows([centre_only, named], ctx, "town", figures.businesses()) == [
        {"d0": 1, "n0": 1, "d1": 3, "n1": 2}
    ]
    by_village = figures.rows([centre_only, named], ctx, "village", figures.businesses())
    assert sorted(by_village, key=lambda r: r["village_id"] != village.pk) == [
        {"village_id": village.pk, "d0": 1, "n0": 1, "d1": 2, "n1": 1},
        {"village_id": other_village.pk, "d0": 0, "n0": 0, "d1": 1, "n1": 1},
    ]
    per_business = figures.rows([named], ctx, "business", figures.businesses(village=village))
    assert sorted(
        (r["pk"], r["village_id"], r["category_id"], r["n0"], r["d0"]) for r in per_business
    ) == sorted([(centre.pk, village.pk, grocery.pk, 0, 1), (outskirts.pk, village.pk, grocery.pk, 1, 1)])
    # The figures of a village bound the conditions' sets to its businesses (Ctx.within).
    seen = []
    bounded = Target("X", "X", 1.0, ALL, lambda ctx: seen.append(ctx.within) or Q())
    figures.rows([bounded], ctx, "town", figures.businesses(village=village))
    figures.rows([bounded], ctx, "town", figures.businesses(village=village), bound=False)
    figures.rows([bounded], ctx, "town", figures.businesses())
    assert {b.pk for b in Business.objects.filter(pk__in=seen[0])} == {centre.pk, outskirts.pk}
    assert seen[1:] == [None, None]
    live = figures.failing_live(centre_only, ctx, figures.businesses())
    assert list(live) == [] and list(figures.failing_live(named, ctx, figures.businesses())) == [centre]
