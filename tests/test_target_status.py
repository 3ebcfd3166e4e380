"""Issue 26: today's target figures kept per business (dashboard.status) agree with the live computation
(dashboard/targets.py + evidence.py + figures.py) on every target — today, on the day after a licence
expires and on the day a ledger line leaves the G2 window — on the demo town; the rows whose date has
come are counted live until the sweep rewrites them, and a sweep leaves nothing to report."""

import datetime

import pytest
from django.utils import timezone

from campaigns.choices import HELD_STATES
from campaigns.models import Licence
from dashboard import figures, status
from dashboard.models import BusinessTargetStatus, TargetStatusState
from dashboard.targets import Ctx, available
from ledgers.models import LedgerEntry
from ledgers.selectors import window_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_town")]


def normalised(rows: list[dict], n: int) -> dict:
    """Matrix rows as {(village, category): (n0, d0, n1, d1, …)}, groups with nothing counted left out."""
    out = {}
    for r in rows:
        values = tuple(r[f"{k}{i}"] for i in range(n) for k in ("n", "d"))
        if any(values):
            out[(r["village_id"], r["category_id"])] = values
    return out


def live(ctx: Ctx) -> dict:
    every = available()
    return normalised(figures.rows(every, ctx, "matrix", figures.businesses(), bound=False), len(every))


def kept(ctx: Ctx) -> dict:
    every = available()
    return normalised(status.matrix(every, ctx), len(every))


def boundary_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The day after the first held licence's expiry after today, and the first day a ledger line dated
    within the window leaves it."""
    expiry = (
        Licence.objects.filter(state__in=HELD_STATES, expires_on__gte=today)
        .order_by("expires_on")
        .values_list("expires_on", flat=True)
        .first()
    )
    assert expiry is not None, "the demo town has a licence expiring ahead"
    days = window_days()
    oldest = (
        LedgerEntry.objects.filter(
            occurred_on__gte=today - datetime.timedelta(days=days), occurred_on__lte=today
        )
        .order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    assert oldest is not None, "the demo town has ledger lines within the window"
    return expiry + datetime.timedelta(days=1), oldest + datetime.timedelta(days=days + 1)


def test_seed_demo_builds_the_status_for_today_and_every_target():
    today = timezone.localdate()
    st = TargetStatusState.objects.get()
    assert st.targets == status.targets_key(available())
    assert status.serves(Ctx.at(today))
    assert set(BusinessTargetStatus.objects.values_list("target", flat=True)) == {t.id for t in available()}


def test_kept_status_agrees_with_live_figures_today_and_at_two_boundaries():
    today = timezone.localdate()
    licence_day, ledger_day = boundary_dates(today)
    assert kept(Ctx.at(today)) == live(Ctx.at(today))
    for day in sorted({licence_day, ledger_day}):
        ctx = Ctx.at(day)
        # The rows whose date has come are counted live before the sweep reaches them …
        assert BusinessTargetStatus.objects.filter(changes_on__lte=day).exists()
        assert kept(ctx) == live(ctx), day
        # … and rewritten by it: the same figures, nothing left due, nothing differing row by row.
        swept = status.sweep(ctx=ctx)
        assert not swept.rebuilt and swept.businesses > 0
        assert not BusinessTargetStatus.objects.filter(changes_on__lte=day).exists()
        assert kept(ctx) == live(ctx), day
        assert status.differences(ctx=ctx) == []


def test_a_licence_expiring_moves_g1_on_the_day_after_and_not_before():
    today = timezone.localdate()
    licence_day, _ledger_day = boundary_dates(today)
    every = available()
    g1 = [t.id for t in every].index("G1")

    def town_g1(ctx):
        rows = status.matrix(every, ctx)
        return sum(r[f"n{g1}"] for r in rows), sum(r[f"d{g1}"] for r in rows)

    eve, day = Ctx.at(licence_day - datetime.timedelta(days=1)), Ctx.at(licence_day)
    live_eve = figures.compute(every, eve)
    live_day = figures.compute(every, day)
    assert town_g1(eve) == next((f.numerator, f.denominator) for f in live_eve if f.target.id == "G1")
    assert town_g1(day) == next((f.numerator, f.denominator) for f in live_day if f.target.id == "G1")


def test_the_check_reports_a_row_changed_behind_the_services_back_and_repairs_it():
    row = BusinessTargetStatus.objects.filter(counted=True).order_by("pk").first()
    BusinessTargetStatus.objects.filter(pk=row.pk).update(met=not row.met)
    found = status.differences()
    rows = [d for d in found if isinstance(d, status.Difference)]
    assert [(d.business_id, d.target) for d in rows] == [(row.business_id, row.target)]
    assert "目标" in str(rows[0]) and str(row.business_id) in str(rows[0])
    # ... and the totals (issue 24) no longer sum the rows in that town × category for that target
    # and the village's (issue 26)
    totals = [d for d in found if isinstance(d, status.TotalDifference)]
    assert [(d.town_id, d.village_id, d.category_id, d.target) for d in totals] == [
        (row.village.town_id, None, row.category_id, row.target),
        (None, row.village_id, row.category_id, row.target),
    ]
    assert all(d.rows[1] == d.kept[1] + (-1 if row.met else 1) for d in totals)
    assert "镇（街道）" in str(totals[0]) and "村（社区）" in str(totals[1])
    status.differences(repair=True)
    assert status.differences() == []
    assert BusinessTargetStatus.objects.get(business_id=row.business_id, target=row.target).met == row.met


def test_the_command_sweeps_checks_and_says_what_is_kept():
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("target_status", "--check", stdout=out)
    assert "一致" in out.getvalue() and "目标状态" in out.getvalue()
    row = BusinessTargetStatus.objects.filter(counted=True).order_by("pk").first()
    BusinessTargetStatus.objects.filter(pk=row.pk).update(counted=False)
    with pytest.raises(CommandError, match="共 3 处"):  # the row, its town's total and its village's
        call_command("target_status", "--check", stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError, match="已重新计算"):
        call_command("target_status", "--check", "--repair", stdout=out)
    call_command("target_status", "--check", stdout=io.StringIO())  # repaired: no difference left
    out = io.StringIO()
    call_command("target_status", "--sweep", stdout=out)
    assert "已巡检" in out.getvalue()


def test_the_drill_down_reads_the_kept_rows_and_lists_what_the_live_rule_lists():
    """Issue 26: today's drill-down is an index lookup in the kept rows; it lists exactly the businesses the
    live computation lists, today and on the boundary days (the due rows computed live)."""
    today = timezone.localdate()
    licence_day, ledger_day = boundary_dates(today)
    for day in (today, licence_day, ledger_day):
        ctx = Ctx.at(day)
        for target in available():
            listed = set(figures.failing(target, ctx).values_list("pk", flat=True))
            live_ids = figures.failing_live(target, ctx, figures.businesses()).values_list("pk", flat=True)
            assert listed == set(live_ids), (day, target.id)
    g1 = next(t for t in available() if t.id == "G1")
    row = BusinessTargetStatus.objects.filter(target="G1", counted=True, met=False).order_by("pk").first()
    assert row is not None, "the demo town has a business missing a licence"
    # The list is read from the kept rows today: a row marked met leaves it (the check would report it).
    BusinessTargetStatus.objects.filter(pk=row.pk).update(met=True)
    assert row.business_id not in set(figures.failing(g1, Ctx.at(today)).values_list("pk", flat=True))


def test_the_drill_down_for_every_town_counts_from_the_totals_and_pages_like_the_list():
    """Issue 26 (growth): for a reader of every town, today's drill-down takes its length from the kept
    totals and its pages from an ordered walk of the failing rows (status.KeptFailing: on PostgreSQL a
    LATERAL join that stops once the page is full) — the same businesses in the same order as the list,
    for the town, a village, a category and a department, on the first, a middle and the last page."""
    from campaigns.models import Category, Department, Town, Village

    ctx = Ctx.at(timezone.localdate())
    scopes = [{}, {"town": Town.objects.first()}, {"village": Village.objects.order_by("pk").first()}]
    scopes += [{"category": c} for c in Category.objects.all()]
    scopes += [{"department": d} for d in Department.objects.all()]
    scopes += [
        {"village": Village.objects.order_by("-pk").first(), "category": c} for c in Category.objects.all()
    ]
    compared = 0
    for target in available():
        for scope in scopes:
            listed = list(figures.failing(target, ctx, **scope).values_list("pk", flat=True))
            kept = figures.failing_kept(target, ctx, **scope)
            assert kept is not None  # no row is due today: the kept totals serve
            assert kept.count() == len(listed), (target.id, scope)
            for start in (0, 5, max(0, len(listed) - 5)):
                assert kept[start : start + 5] == listed[start : start + 5], (target.id, scope, start)
            compared += bool(listed)
    assert compared > len(available())  # most scopes list businesses: the pages compared are not empty
    # A row already due (the sweep has not reached it): the list counts it live, KeptFailing steps aside.
    row = BusinessTargetStatus.objects.filter(target="G1").order_by("pk").first()
    BusinessTargetStatus.objects.filter(pk=row.pk).update(changes_on=ctx.as_of)
    g1 = next(t for t in available() if t.id == "G1")
    assert figures.failing_kept(g1, ctx) is None


def test_the_drill_down_of_a_scoped_user_reads_its_own_list():
    """An inspector's scope filters businesses: KeptFailing (which counts every town's totals) steps aside."""
    from accounts.models import RoleAssignment

    inspector = RoleAssignment.objects.filter(kind="inspector").order_by("pk").first().user
    g1 = next(t for t in available() if t.id == "G1")
    assert figures.failing_kept(g1, Ctx.at(timezone.localdate()), user=inspector) is None


def _key(figure) -> tuple:
    subject = figure.village or figure.category or figure.department
    return (figure.target.id, getattr(subject, "pk", 0), figure.numerator, figure.denominator)


def test_a_village_or_department_dashboard_aggregates_its_own_kept_rows_and_agrees_with_live():
    """Issue 26 (reads): today an inspector's or a lead department's figures aggregate only the kept rows of
    its villages or categories (not the whole city's cut down afterwards) and equal the live computation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import RoleAssignment
    from dashboard import selectors

    ctx = Ctx.at(timezone.localdate())
    users = [
        RoleAssignment.objects.filter(kind="inspector").order_by("pk").first().user,
        RoleAssignment.objects.filter(kind="department", department__leads_unlicensed=False)
        .order_by("pk")
        .first()
        .user,
    ]
    for user in users:
        cut = figures.matrix_cut(user)
        assert cut is not None and (cut.villages or cut.categories), user.username
        targets = selectors.targets_for_user(user)
        with CaptureQueriesContext(connection) as queries:
            kept, _at = figures.splits_for(user, targets, ctx)
        aggregate = [q["sql"] for q in queries if "dashboard_businesstargetstatus" in q["sql"]]
        # the kept rows read by their own columns: village IN (…) OR category IN (…), not the whole table
        own = ('"village_id" IN (', '"category_id" IN (')
        assert aggregate and all(any(c in sql for c in own) for sql in aggregate), user.username
        # the dashboard's scope for a cut: the businesses of its villages or categories (as the town's matrix
        # cut down by figures.scoped_rows always was), computed live
        from django.db.models import Q

        own = figures.businesses().filter(Q(village__in=cut.villages) | Q(category__in=cut.categories))
        live = figures.compute_splits(targets, ctx, own)
        for split in ("town", "village", "category", "department"):
            # the same figures (the page orders them itself: dashboard.views.board._pivot)
            assert sorted(_key(x) for x in kept[split]) == sorted(_key(x) for x in live[split]), (
                user.username,
                split,
            )


def test_a_village_or_category_report_aggregates_only_its_kept_rows_and_agrees_with_live():
    """Issue 26: `target_report --village/--category` today reads only that scope's kept rows (not the
    whole city's matrix cut down) and says what the live computation says."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Category, Village
    from dashboard.reports import target_report

    today = timezone.localdate()
    village = Village.objects.filter(businesses__isnull=False).order_by("pk").first()
    category = Category.objects.get(code="grocery")
    for scope in ({"village": village}, {"category": category}, {"village": village, "category": category}):
        with CaptureQueriesContext(connection) as queries:
            kept = target_report(as_of=today, **scope)
        assert kept.exact, scope
        read = [
            q["sql"]
            for q in queries
            if "dashboard_businesstargetstatus" in q["sql"] or "dashboard_targetstatustotal" in q["sql"]
        ]
        if list(scope) == ["category"]:  # a category in every town: its totals per town (issue 24)
            assert read and all(f'"category_id" IN ({category.pk})' in sql for sql in read), scope
        else:
            assert read and all(" WHERE " in sql and '_id" = ' in sql for sql in read), scope
        live = target_report(as_of=today, live=True, **scope)
        assert [(f.target.id, f.numerator, f.denominator) for f in kept.figures] == [
            (f.target.id, f.numerator, f.denominator) for f in live.figures
        ], scope


def test_a_towns_dashboard_for_the_city_aggregates_only_that_towns_kept_rows_and_agrees_with_live():
    """Issue 24 / 26: the city's drill into one town (?town=CODE) reads that town's kept rows only (its
    villages' index ranges, not every town's aggregated and cut down afterwards) and equals the live
    computation over the town's businesses."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Town
    from dashboard import selectors
    from tests import factories as f

    leader = f.user_with_role("city_leader", "town_drill_city_leader")
    town = Town.objects.get()
    f.VillageFactory(town=f.TownFactory(name="另一镇", code="another"))  # a second town, with no business
    ctx = Ctx.at(timezone.localdate())
    targets = selectors.targets_for_user(leader)
    with CaptureQueriesContext(connection) as queries:
        kept, _at = figures.splits_for(leader, targets, ctx, in_one=town)
    aggregate = [q["sql"] for q in queries if "dashboard_businesstargetstatus" in q["sql"]]
    # the town's villages named as a list: an index range per village, not a join over the city's rows
    ids = ", ".join(str(pk) for pk in town.villages.values_list("pk", flat=True))
    assert aggregate and all(f'"village_id" IN ({ids})' in sql for sql in aggregate)
    live = figures.compute_splits(targets, ctx, figures.businesses().filter(village__town=town))
    for split in ("town", "village", "category", "department"):
        assert sorted(_key(x) for x in kept[split]) == sorted(_key(x) for x in live[split]), split
    assert all(x.town == town for x in kept["town"])
