"""Issue 26 (the read path): the visit list's scope as index conditions, its page read ids first."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
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
