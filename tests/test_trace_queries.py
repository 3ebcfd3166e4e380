"""A trace's query count does not depend on the data (issue 26): the same for a chain of 1 hop and of 5.

The walk's lines are read in one recursive statement (ledgers.trace), on SQLite and PostgreSQL alike; it
used to take one query per hop found (4 queries on the bench's small city, 6 on its big one).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgers.services import RosterIndex
from ledgers.text import name_key
from ledgers.trace import trace_a6, trace_backward, trace_forward
from tests import factories as f
from tests.factories_ledgers import line, record

PEST = {"kind": "pesticide", "unit": "瓶", "product": "吡虫啉", "batch": "P0315"}


def _chain(hops: int, tag: str, *, outside_too: bool = False) -> list:
    """A maker in the roster → shop 0 → shop 1 → … → shop `hops`: each shop buys the batch from the one
    before (linked by name when saved) and sells part of it on to the next, naming it as the buyer. With
    `outside_too`, every shop also buys the product from a supplier outside the roster."""
    agri = f.category("agri")
    maker = f.BusinessFactory(name=f"{tag}农药厂", category=agri)
    shops = [f.BusinessFactory(name=f"{tag}农资店{i}", category=agri) for i in range(hops + 1)]
    chain = [maker, *shops]
    for i, shop in enumerate(shops):
        supplier = chain[i]
        lines = [line(days_ago=90 - 10 * i, quantity="100", supplier_name=supplier.name, **PEST)]
        if outside_too:
            lines.append(line(days_ago=91 - 10 * i, quantity="5", supplier_name="江苏红太阳农药厂", **PEST))
        if i < hops:
            lines.append(
                line("out", days_ago=85 - 10 * i, quantity="50", buyer_name=shops[i + 1].name, **PEST)
            )
        else:
            lines.append(line("out", days_ago=85 - 10 * i, quantity="2", buyer_name="陈志明", **PEST))
        record(shop, *lines)
    return shops


def _queries(fn) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return len(queries), result


@pytest.mark.django_db
def test_forward_trace_queries_do_not_grow_with_the_chain():
    short = _chain(1, "短")
    long = _chain(5, "长")
    # The two chains share the batch: each is traced from its maker.
    n_short, short_result = _queries(lambda: trace_forward(product="吡虫啉", supplier="短农药厂"))
    n_long, long_result = _queries(lambda: trace_forward(product="吡虫啉", supplier="长农药厂"))
    # The walk itself: the long chain reaches four levels (MAX_DEPTH + 1), the short one three.
    assert {r.business for r in short_result.rows} == {s.name for s in short}
    assert max(r.level for r in long_result.rows) == 4 > max(r.level for r in short_result.rows) == 3
    assert {r.business for r in long_result.rows} == {s.name for s in long[:4]}
    assert n_short == n_long == 2  # the alias map, then the one statement


@pytest.mark.django_db
def test_backward_trace_queries_do_not_grow_with_the_chain():
    short = _chain(1, "短")
    long = _chain(5, "长")
    n_short, short_result = _queries(lambda: trace_backward(business=short[-1], product="吡虫啉"))
    n_long, long_result = _queries(lambda: trace_backward(business=long[-1], product="吡虫啉"))
    assert [r.business for r in short_result.rows] == ["短农资店1", "短农资店0"]
    assert [r.business for r in long_result.rows] == ["长农资店5", "长农资店4", "长农资店3"]
    assert n_short == n_long == 2


@pytest.mark.django_db
def test_a_supplier_outside_the_roster_costs_one_read_whatever_the_chain():
    """A line naming a supplier with no saved link is matched by name now: the roster is read once."""
    short = _chain(1, "短", outside_too=True)
    long = _chain(5, "长", outside_too=True)
    n_short, short_result = _queries(lambda: trace_backward(business=short[-1], product="吡虫啉"))
    n_long, long_result = _queries(lambda: trace_backward(business=long[-1], product="吡虫啉"))
    assert "江苏红太阳农药厂" in {r.counterparty for r in short_result.rows}
    assert {r.business for r in long_result.rows} == {"长农资店5", "长农资店4", "长农资店3"}
    assert n_short == n_long == 3


@pytest.mark.django_db
def test_a6_trace_queries_the_same_with_or_without_shops_found():
    shops = _chain(2, "甲")
    n_found, found = _queries(lambda: trace_a6(product="吡虫啉", village=shops[0].village))
    n_none, none = _queries(lambda: trace_a6(product="敌敌畏"))
    assert found.rows and not none.rows
    assert n_found == n_none == 2


@pytest.mark.django_db
def test_trace_page_queries_do_not_grow_with_the_chain(office_client):
    _chain(1, "短")
    _chain(5, "长")
    url = reverse("ledgers:trace")
    counts = []
    for maker in ("短农药厂", "长农药厂"):
        n, response = _queries(
            lambda m=maker: office_client.get(url, {"mode": "forward", "product": "吡虫啉", "supplier": m})
        )
        assert response.status_code == 200 and f"{maker[0]}农资店1" in response.content.decode()
        counts.append(n)
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_roster_read_for_some_names_matches_them_as_the_whole_roster_does(django_assert_num_queries):
    """RosterIndex.for_names reads only the names that can have the keys (each holds the key's ideographs,
    or a compatibility form of them: '㈱' for '株'), and matches them exactly as the whole roster does."""
    agri = f.category("agri")
    for name in ("红太阳农药厂", "㈱东方农资", "同名农资店", "同名 农资店", "ABC Trading", "别家农资店"):
        f.BusinessFactory(name=name, category=agri)
    keys = {name_key(n) for n in ("红 太阳农药厂", "株 东方农资", "同名农资店", "不存在的厂")}
    whole = RosterIndex.load()
    with django_assert_num_queries(1):
        some = RosterIndex.for_names(keys)
    assert {key: some.match("", key) for key in keys} == {key: whole.match("", key) for key in keys}
    assert some.match("", name_key("株东方农资")) is not None  # the compatibility form matched
    assert some.match("", name_key("同名农资店")) is None  # two businesses with that key: no match
    assert some.covers(keys) and not some.covers({name_key("别家农资店")})
    # A key without an ideograph cannot be narrowed: the whole roster.
    assert RosterIndex.for_names({name_key("ABC Trading")}).covers({name_key("别家农资店")})


def test_every_compatibility_form_of_an_ideograph_lies_in_the_blocks_read():
    """text.FORM_BLOCKS holds every character whose decomposition holds a common ideograph (this Python's
    Unicode tables, read whole once here)."""
    from ledgers import text

    assert text._ideograph_forms() == text._ideograph_forms(((0, 0x10FFFF),))
    assert "㈱" in text._ideograph_forms()["株"]
