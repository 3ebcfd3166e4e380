"""The bench's own rules (issue 26), checked without a city: data from the seed and a fixed anchor alone,
every option of bench/run.py real, query counts required equal, loaded runs marked."""

import datetime

import pytest

from bench import generate, load, measure, report, run


def test_generator_anchor_is_fixed_not_today():
    args = generate.parser().parse_args([])
    assert args.anchor == generate.DEFAULT_ANCHOR
    # Parsed on another day, the same command wants the same data.
    assert generate.wanted_params(args) == generate.wanted_params(generate.parser().parse_args([]))
    later = generate.parser().parse_args(["--anchor", "2027-01-05"])
    assert later.anchor == datetime.date(2027, 1, 5)


def test_stored_dataset_reused_only_with_the_same_anchor_and_seed():
    args = generate.parser().parse_args(["--businesses", "1000", "--seed", "3"])
    wanted = generate.wanted_params(args)
    assert generate.matches({**wanted, "complete": True}, wanted)
    assert not generate.matches({**wanted, "complete": False}, wanted)
    assert not generate.matches(None, wanted)
    a_week_older = {**wanted, "complete": True, "anchor": "2026-11-24"}
    assert not generate.matches(a_week_older, wanted)  # no "recent enough": the anchor must be equal
    assert not generate.matches({**wanted, "complete": True, "seed": 4}, wanted)


def test_generator_writes_no_clock_time():
    """Every timestamp the generator writes comes from the anchor: no now() in its SQL, no clock call."""
    import inspect

    from bench import city

    for module in (generate, city):
        source = inspect.getsource(module)
        assert "now()" not in source, module.__name__
        assert "localdate" not in source and ".today(" not in source, module.__name__


def test_run_options_parse_and_reach_their_step():
    flags = ["--no-small", "--no-import", "--import-big", "--no-load", "--no-docs"]
    args = run.parser().parse_args(
        ["--businesses", "2000", "--small", "100", "--runs", "2", "--load-seconds", "5", *flags]
    )
    assert (args.businesses, args.small, args.runs, args.load_seconds) == (2000, 100, 2, 5)
    assert args.no_small and args.no_import and args.import_big and args.no_load and args.no_docs
    assert run.parser().parse_args([]).mid == 10_000 and run.parser().parse_args(["--mid", "0"]).mid == 0
    # The smaller cities' command line is one bench.measure accepts: every section (the growth table), and
    # --pages-only changes what it measures.
    small = measure.parser().parse_args([*run.SMALL_ARGS, "100", "--json-out", "x.json"])
    assert not small.pages_only and small.businesses == 100 and small.runs == 3
    pages = [name for name, _ in measure.sections(True)]
    assert pages == list(measure.PAGE_SECTIONS)
    assert len(measure.sections(small.pages_only)) > len(pages)
    assert load.SNAPSHOTS  # the load test restores what it writes besides its visits


def test_query_counts_must_be_equal_not_just_not_larger():
    def results(city_q, small_q):
        rows = lambda q: {"sections": {"Pages": [{"id": "p", "measure": "page", "queries": q}]}}  # noqa: E731
        return {"city": rows(city_q), "small": rows(small_q)}

    assert report._queries_flat(results(24, 24)) == (True, [])
    flat, grown = report._queries_flat(results(22, 24))  # fewer at the big size: another code path
    assert not flat and grown == ["page (24 → 22)"]
    assert not report._queries_flat(results(26, 24))[0]


def test_growth_is_per_tenfold_and_judged_on_todays_figures_and_lists():
    """Issue 26: the same measure at 1,000, 10,000 and 100,000 businesses; the factor per 10× of N, and the
    goal (< 2×) applied to today's figures and the list pages only."""

    def city(n, **ms):
        rows = [{"id": k, "measure": k, "median_ms": v, "queries": 5} for k, v in ms.items()]
        return {"dataset": {"businesses": n}, "sections": {"S": rows}}

    results = {
        "small": city(1_000, dashboard_city=10.0, dashboard_city_live=100.0),
        "mid": city(10_000, dashboard_city=15.0, dashboard_city_live=1_000.0),
        "city": city(100_000, dashboard_city=40.0, dashboard_city_live=10_000.0),
    }
    rows = {r["id"]: r for r in report.growth_rows(results)}
    assert rows["dashboard_city"]["factors"] == [1.5, 2.67]
    assert rows["dashboard_city"]["met"] is False  # 2.67× from 10,000 to 100,000
    assert "met" not in rows["dashboard_city_live"]  # the live computation is shown, not judged
    results["mid"] = city(3_162, dashboard_city=15.0, dashboard_city_live=1_000.0)  # half a decade
    assert report.growth_rows(results)[0]["factors"][0] == 2.25  # (15 / 10) ** 2: per 10×
    lines = report.growth_section(results)
    assert lines[0] == "## Growth with N" and any("dashboard_city" in line for line in lines)
    assert report.growth_rows({"city": results["city"]}) == []  # one size: no growth table


def test_loaded_marking():
    assert report.loaded(2.5, 2) and not report.loaded(2.0, 2) and not report.loaded(None, 2)
    assert report._load_cell({"load_at_start": 19.7}, 2) == "19.7 **loaded**"
    assert report._load_cell({"load_at_start": 0.4}, 2) == "0.4"
    assert report._load_cell({}, 2) == "—"


@pytest.mark.django_db
def test_load_test_puts_the_city_back_as_it_found_it(inspector, village):
    """What a submitted visit changes (a licence's display, the business row) and the audit entries it
    writes are restored from the copy taken before the load; rows added meanwhile are removed."""
    from auditlog.models import LogEntry

    from campaigns.models import Business, Licence
    from tests.factories import BusinessFactory, licensed

    business = BusinessFactory(village=village)
    other = BusinessFactory(village=village)
    held = licensed(business)
    licensed(other)
    from dashboard import status
    from dashboard.models import BusinessTargetStatus

    status.rebuild()
    kept = ("pk", "business", "target", "counted", "met", "changes_on")
    status_before = sorted(BusinessTargetStatus.objects.values_list(*kept))
    assert status_before
    before = sorted(Licence.objects.values_list("pk", "displayed", "displayed_seen_on", "updated_at"))
    name = business.name
    snapshot = load._snapshot([business.pk, other.pk])
    lic = held[0]
    lic.displayed = not lic.displayed
    lic.displayed_seen_on = datetime.date(2026, 1, 2)
    lic.save()
    Business.objects.filter(pk=business.pk).update(name="改过的名字")
    licensed(other)  # a licence added during the load
    BusinessTargetStatus.objects.filter(business=business).delete()  # rewritten by a submitted visit …
    status.recompute([business.pk])  # … as new rows
    assert sorted(BusinessTargetStatus.objects.values_list(*kept)) != status_before
    assert LogEntry.objects.filter(id__gt=snapshot["audit_max_id"]).exists()

    restored = load._restore(snapshot)

    assert sorted(Licence.objects.values_list("pk", "displayed", "displayed_seen_on", "updated_at")) == before
    assert Business.objects.get(pk=business.pk).name == name
    assert not LogEntry.objects.filter(id__gt=snapshot["audit_max_id"]).exists()
    assert restored["campaigns_licence"]["changed_by_the_test"] >= 2
    assert restored["campaigns_licence"]["still_different"] == 0
    assert restored["campaigns_business"] == {"changed_by_the_test": 1, "still_different": 0}
    assert restored["audit_entries_deleted"] >= 1
    assert sorted(BusinessTargetStatus.objects.values_list(*kept)) == status_before  # issue 26
    assert restored["dashboard_businesstargetstatus"]["still_different"] == 0
