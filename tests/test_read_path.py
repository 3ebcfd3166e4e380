"""Issue 26 (the read path): the visit list's scope as index conditions, its page read ids first."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Business
from inspections.models import Visit
from inspections.selectors.visits import visit_list
from lib.lists import CappedPaginator
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_in_array_finds_the_rows_in_finds(village, other_village):
    """lib.lookups: `__in_array` is `__in` — on PostgreSQL written `= ANY(ARRAY(subquery))`."""
    mine = [f.BusinessFactory(village=village) for _ in range(3)]
    f.BusinessFactory(village=other_village)
    ids = Business.objects.filter(village=village).values("pk")
    qs = Business.objects.filter(pk__in_array=ids)
    assert sorted(qs.values_list("pk", flat=True)) == sorted(b.pk for b in mine)
    assert set(qs) == set(Business.objects.filter(pk__in=ids))
    assert list(Business.objects.filter(pk__in_array=[mine[0].pk])) == [mine[0]]  # a list: as `__in`
    sql = str(qs.query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql


def test_visit_list_scope_is_the_village_or_the_assignment(
    village, other_village, inspector, other_inspector
):
    """A village inspector's list: their village's visits, and a visit elsewhere they were assigned (P2) —
    not the other village's others. The scope is written as index conditions on PostgreSQL (lib.lookups)."""
    own = inspect(f.BusinessFactory(village=village), other_inspector)
    assigned = inspect(f.BusinessFactory(village=other_village), other_inspector)
    assigned.inspectors.add(inspector)
    inspect(f.BusinessFactory(village=other_village), other_inspector)  # not theirs
    qs = visit_list(user=inspector)
    assert set(qs) == {own, assigned}
    if connection.vendor == "postgresql":
        assert str(qs.query).count("= ANY(ARRAY(SELECT") == 2


def test_capped_paginator_reads_the_page_ids_first_in_order(village, inspector):
    """CappedPaginator.page: the ids of the page (ordered, sliced), then the rows with their joins — the
    same rows in the same order as slicing the queryset, each page, the last one short."""
    for days in range(7):
        inspect(f.BusinessFactory(village=village), inspector, day=TODAY - datetime.timedelta(days=days % 3))
    qs = (
        Visit.objects.select_related("business__village")
        .prefetch_related("inspectors")
        .order_by("-started_at", "-pk")
    )
    expected = list(qs)
    paginator = CappedPaginator(qs, 3, cap=100)
    pages = [paginator.page(n) for n in paginator.page_range]
    assert [list(p.object_list) for p in pages] == [expected[0:3], expected[3:6], expected[6:7]]
    page = paginator.page(1)
    assert [v.business.village for v in page] == [village] * 3  # the joins and prefetches kept
    assert all(list(v.inspectors.all()) == [inspector] for v in page)


def test_list_filter_choices_are_read_once_and_unchanged(rf, office, village, other_village):
    """lib.lists.ListedChoices: a list's drop-downs offer what Django's iterator offers (empty label
    first), read in one query per drop-down when drawn — no COUNT, no server-side cursor — and none when
    the page does not draw them."""
    from django.forms.models import ModelChoiceIterator

    from campaigns.filters import BusinessFilter
    from campaigns.selectors import business_list
    from lib.lists import ListedChoices, list_page

    f.category("grocery"), f.category("pharmacy")
    request = rf.get("/")
    request.user = office
    listing = list_page(request, BusinessFilter, business_list(user=office))
    fields = [
        fl for fl in listing.filter.form.fields.values() if getattr(fl, "iterator", None) is ListedChoices
    ]
    assert {
        n for n, fl in listing.filter.form.fields.items() if getattr(fl, "iterator", None) is ListedChoices
    } == {
        "category",
        "subtype",
        "village",
    }
    with CaptureQueriesContext(connection) as nothing:
        choices = [fl.choices for fl in fields]
    assert len(nothing) == 0  # not read until drawn
    for field, listed in zip(fields, choices, strict=True):
        expected = [(str(v), str(label)) for v, label in ModelChoiceIterator(field)]
        with CaptureQueriesContext(connection) as drawn:
            n = len(listed)
            got = [(str(v), str(label)) for v, label in listed]
        assert got == expected and n == len(expected) and len(drawn) == 1


def test_dashboard_counters_reuse_the_campaign_the_page_read(inspector):
    """The dashboard reads the user's current campaign once: its counters are given it (two queries fewer
    for a town without a campaign of its own: its own, then the city's)."""
    from dashboard import activity
    from tests.factories_dashboard import campaign

    current = campaign()
    with CaptureQueriesContext(connection) as asked:
        expected = activity.counters(inspector)
    with CaptureQueriesContext(connection) as given:
        got = activity.counters(inspector, campaign=current)
    assert got == expected
    assert any("campaigns_campaign" in q["sql"] for q in asked.captured_queries)
    assert not any("campaigns_campaign" in q["sql"] for q in given.captured_queries)
    assert len(given) < len(asked)


def test_roster_licences_filter_counts_with_its_page(office_client, village):
    """lib.lists.PageCountsPaginator: with the licences filter (G1's first half) the roster's number and
    page come from one query — the same number, pages and rows as counting first; past the last page the
    last page, as before; nothing found: an empty first page."""
    from django.urls import reverse

    from lib.lists import PAGE_SIZE

    n = PAGE_SIZE + 3
    for i in range(n):
        f.BusinessFactory(name=f"便利店{i:03d}", village=village)  # a grocery holding no licence: incomplete
    f.licensed(f.BusinessFactory(name="便利店全", village=village))
    url = reverse("campaigns:business_list")

    def listed(params):
        response = office_client.get(url, {"complete": "no", "q": "便利店", **params})
        page = response.context["page"]
        return page.paginator.count, page.number, [b.name for b in page.object_list]

    names = [f"便利店{i:03d}" for i in range(n)]
    with CaptureQueriesContext(connection) as one:
        assert listed({"o": "name"}) == (n, 1, names[:PAGE_SIZE])
    counted = [q for q in one.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert not any("campaigns_business" in q["sql"] for q in counted)
    assert listed({"o": "name", "page": 2}) == (n, 2, names[PAGE_SIZE:])
    assert listed({"o": "name", "page": 9}) == (n, 2, names[PAGE_SIZE:])  # past the end: the last page
    assert listed({"o": "name", "page": "x"}) == (n, 1, names[:PAGE_SIZE])
    response = office_client.get(url, {"complete": "no", "q": "没有这个名字"})
    assert response.context["page"].paginator.count == 0 and list(response.context["page"]) == []
