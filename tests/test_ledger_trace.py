"""Traceability: forward, backward and A6 traces, with name variants; the trace command's JSON."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from ledgers.trace import trace_a6, trace_backward, trace_forward
from tests import factories as f
from tests.factories_ledgers import TODAY, line, record


@pytest.fixture
def chain(db):
    """Maker → wholesaler (in the roster) → two shops (spelling the name their own way) → farmers."""
    agri = f.category("agri")
    west = f.VillageFactory(name="西江村", code="xijiang")
    wholesaler = f.BusinessFactory(name="东风农资批发部", category=agri, credit_code=f.make_credit_code())
    shop_a = f.BusinessFactory(name="兴隆农资店", category=agri)
    shop_b = f.BusinessFactory(name="丰收农资店", category=agri, village=west)
    other = f.BusinessFactory(name="别家农资店", category=agri)
    pest = {"kind": "pesticide", "unit": "袋"}
    record(
        wholesaler,
        line(
            days_ago=40,
            product="吡虫啉",
            batch="P0315",
            quantity="100",
            supplier_name="江苏红太阳农药厂",
            **pest,
        ),
        line(
            "out",
            days_ago=35,
            product="吡虫啉",
            batch="P0315",
            quantity="30",
            buyer_name="兴隆农资店",
            **pest,
        ),
        line(
            "out",
            days_ago=34,
            product="吡虫啉",
            batch="P0315",
            quantity="20",
            buyer_name="丰收 农资店",
            **pest,
        ),
    )
    record(
        shop_a,
        line(
            days_ago=35,
            product="吡 虫 啉",
            batch="p 0315",
            quantity="30",
            supplier_name="东风农资批发部",
            **pest,
        ),
        line("out", days_ago=20, product="吡虫啉", batch="P0315", quantity="3", buyer_name="陈志明", **pest),
    )
    record(
        shop_b,
        line(
            days_ago=34,
            product="吡虫啉（１０％）",
            batch="P0315",
            quantity="20",
            supplier_name="批发部",
            supplier_code=wholesaler.credit_code,
            **pest,
        ),
        line(
            "out",
            days_ago=10,
            product="吡虫啉(10%)",
            batch="P0315",
            quantity="2",
            buyer_name="李国强",
            **pest,
        ),
    )
    record(
        other,
        line(days_ago=30, product="吡虫啉", batch="OTHER", quantity="5", supplier_name="别的厂", **pest),
        line("out", days_ago=8, product="吡虫啉", batch="OTHER", quantity="1", buyer_name="黄秀英", **pest),
    )
    return {"wholesaler": wholesaler, "a": shop_a, "b": shop_b, "other": other, "west": west}


def _levels(result):
    return {(r.level, r.business, r.direction, r.counterparty) for r in result.rows}


def test_forward_from_a_batch_reaches_shops_and_their_buyers(chain):
    result = trace_forward(product="吡虫啉", batch="P0315")
    names = {r.business for r in result.rows}
    assert names == {"东风农资批发部", "兴隆农资店", "丰收农资店"}  # not 别家农资店: another batch
    assert (3, "兴隆农资店", "out", "陈志明") in _levels(result)
    assert (1, "东风农资批发部", "in", "江苏红太阳农药厂") in _levels(result)


def test_forward_matches_full_width_and_spaced_names(chain):
    result = trace_forward(product="吡　虫　啉", batch="ｐ０３１５")
    assert "陈志明" in {r.counterparty for r in result.rows}


def test_forward_from_a_supplier_by_name_or_credit_code(chain):
    by_name = trace_forward(product="吡虫啉", supplier="东风农资 批发部")
    assert {r.business for r in by_name.rows if r.level == 1} == {"兴隆农资店"}
    by_code = trace_forward(product="吡虫啉", supplier=chain["wholesaler"].credit_code)
    assert {(r.business, r.counterparty) for r in by_code.rows} == {
        ("丰收农资店", "批发部"),
        ("丰收农资店", "李国强"),
    }


def test_forward_since_date_and_queries_bounded(chain, django_assert_max_num_queries):
    result = trace_forward(product="吡虫啉", since=TODAY - datetime.timedelta(days=36))
    assert {r.business for r in result.rows if r.level == 1} == {"兴隆农资店", "丰收农资店", "别家农资店"}
    assert min(r.occurred_on for r in result.rows) >= TODAY - datetime.timedelta(days=36)
    with django_assert_max_num_queries(12):
        trace_forward(product="吡虫啉")


def test_backward_from_a_shop_to_the_wholesaler_and_its_maker(chain):
    result = trace_backward(business=chain["a"], product="吡虫啉")
    assert (1, "兴隆农资店", "in", "东风农资批发部") in _levels(result)
    assert (2, "东风农资批发部", "in", "江苏红太阳农药厂") in _levels(result)
    assert all(r.direction == "in" for r in result.rows)


def test_backward_matches_supplier_by_credit_code(chain):
    result = trace_backward(business=chain["b"], product="吡虫啉")
    assert [r.business for r in result.rows if r.level == 1] == ["丰收农资店"]
    assert [r.counterparty for r in result.rows if r.level == 2] == ["江苏红太阳农药厂"]


def test_a6_shops_in_a_village_that_sold_the_pesticide_and_buyers(chain):
    result = trace_a6(
        product="吡虫啉", village=chain["west"], since=TODAY - datetime.timedelta(days=15), until=TODAY
    )
    sold = {(r.business, r.counterparty) for r in result.rows if r.level == 1}
    assert sold == {("丰收农资店", "李国强")}
    everywhere = trace_a6(product="吡虫啉", since=TODAY - datetime.timedelta(days=25), until=TODAY)
    assert {r.business for r in everywhere.rows if r.level == 1} == {"兴隆农资店", "丰收农资店", "别家农资店"}


def test_a6_with_an_alias_of_a_banned_pesticide(db):
    shop = f.BusinessFactory(category=f.category("agri"))
    record(
        shop,
        line(days_ago=9, product="多灭磷", kind="pesticide", unit="瓶"),
        line("out", days_ago=3, product="甲胺磷", kind="pesticide", unit="瓶", buyer_name="陈志明"),
    )
    result = trace_a6(product="脱麦隆")
    assert result.key == "甲胺磷"
    assert {(r.level, r.counterparty) for r in result.rows} == {(0, "金丰农资批发部"), (1, "陈志明")}


def test_trace_scoped_to_the_users_village(chain, inspector):
    # The inspector's village (东村, from conftest) holds none of these shops.
    assert trace_forward(product="吡虫啉", user=inspector).rows == []


def test_trace_command_json(chain):
    out = StringIO()
    call_command("trace", "--product", "吡 虫 啉", "--batch", "P0315", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["product_key"] == "吡虫啉" and data["batch"] == "P0315"
    assert {"陈志明", "江苏红太阳农药厂"} <= {row["counterparty"] for row in data["rows"]}
    assert {b["name"] for b in data["businesses"]} == {"东风农资批发部", "兴隆农资店", "丰收农资店"}
    first = data["rows"][0]
    assert {"level", "business", "occurred_on", "quantity", "unit", "direction_label"} <= set(first)


def test_trace_command_since_and_text(chain):
    out = StringIO()
    since = (TODAY - datetime.timedelta(days=36)).isoformat()
    call_command("trace", "--product", "吡虫啉", "--since", since, stdout=out)
    assert "李国强" in out.getvalue() and "陈志明" in out.getvalue()
    assert "江苏红太阳农药厂" not in out.getvalue()
