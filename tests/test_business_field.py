"""A business typed by name or credit code instead of a <select> of the whole roster (issue 11).

BusinessField resolves within the queryset it is given (the user's scope); the trace page, the tip-off
triage form and the role form use it; a small scoped JSON endpoint fills the input's <datalist>.
"""

import factory
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scoping import scope
from campaigns.models import Business
from lib.forms import BusinessField
from tests import factories as f
from tests.factories_ledgers import line, record

CODE_A = "913301007458392019"
CODE_B = "91330100745839202X"


@pytest.fixture
def shops(village, other_village):
    return {
        "here": f.BusinessFactory(name="兴隆农资店", village=village, credit_code=CODE_A),
        "twin_here": f.BusinessFactory(name="丰收便利店", village=village),
        "twin_there": f.BusinessFactory(name="丰收便利店", village=other_village),
        "there": f.BusinessFactory(name="西村粮油店", village=other_village, credit_code=CODE_B),
    }


def field_for(user) -> BusinessField:
    return BusinessField(queryset=scope(user, Business.objects.all()), required=False)


def test_exact_credit_code_resolves_whatever_the_spacing_or_width(office, shops):
    field = field_for(office)
    assert field.clean(CODE_A) == shops["here"]
    assert field.clean(" ９１３３０１００７４５８３９２０１９ ") == shops["here"]
    assert field.clean(CODE_B.lower()) == shops["there"]


def test_label_with_credit_code_resolves_by_the_code(office, shops):
    field = field_for(office)
    assert field.clean(field.prepare_value(shops["here"])) == shops["here"]
    assert field.prepare_value(shops["here"]) == f"兴隆农资店（东村） {CODE_A}"


def test_unique_name_resolves_exactly_or_by_a_part(office, shops):
    field = field_for(office)
    assert field.clean("兴隆农资店") == shops["here"]
    assert field.clean("粮油") == shops["there"]


def test_same_name_in_two_villages_is_an_error_listing_both(office, shops):
    with pytest.raises(ValidationError) as error:
        field_for(office).clean("丰收便利店")
    message = " ".join(error.value.messages)
    assert (
        "对应多家经营单位" in message and "丰收便利店（东村）" in message and "丰收便利店（西村）" in message
    )


def test_name_with_village_picks_one_of_the_twins(office, shops):
    field = field_for(office)
    assert field.clean("丰收便利店（西村）") == shops["twin_there"]
    assert field.clean("丰收便利店(东村)") == shops["twin_here"]


def test_unknown_name_or_code_is_a_clear_error(office, shops):
    field = field_for(office)
    with pytest.raises(ValidationError, match="没有找到名称含“海鲜”的经营单位"):
        field.clean("海鲜")
    with pytest.raises(ValidationError, match="没有统一社会信用代码为 91330100745839999X"):
        field.clean("91330100745839999X")


def test_out_of_scope_business_never_resolves_nor_is_listed(inspector, shops):
    field = field_for(inspector)  # inspector of 东村
    with pytest.raises(ValidationError, match="没有统一社会信用代码"):
        field.clean(CODE_B)
    with pytest.raises(ValidationError, match="没有找到"):
        field.clean("西村粮油店")
    # the twin in 西村 is outside the scope: the name is not ambiguous for this inspector
    assert field.clean("丰收便利店") == shops["twin_here"]


def test_blank_is_none_and_required_says_so(office, shops):
    assert field_for(office).clean("  ") is None
    with pytest.raises(ValidationError):
        BusinessField(queryset=Business.objects.all()).clean("")


def test_resolution_queries_do_not_grow_with_the_roster(office, village, shops):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            with pytest.raises(ValidationError):
                field_for(office).clean("便利店")
        return len(ctx)

    count()  # the user's roles, cached on the user afterwards
    few = count()
    f.BusinessFactory.create_batch(20, village=village, name=factory.Sequence(lambda n: f"城东便利店{n}"))
    assert count() == few


def test_search_endpoint_lists_a_few_in_scope(client, inspector, shops, village):
    client.force_login(inspector)
    url = reverse("campaigns:business_search")
    values = [r["value"] for r in client.get(url, {"q": "店"}).json()["results"]]
    assert values == []  # one character: nothing
    values = [r["value"] for r in client.get(url, {"q": "丰收"}).json()["results"]]
    assert values == ["丰收便利店（东村）"]  # not the one in 西村
    assert client.get(url, {"q": "9133010074583920"}).json()["results"] == [
        {"value": f"兴隆农资店（东村） {CODE_A}"}
    ]
    f.BusinessFactory.create_batch(15, village=village, name=factory.Sequence(lambda n: f"城东便利店{n}"))
    assert len(client.get(url, {"q": "便利店"}).json()["results"]) == 10


def test_search_endpoint_needs_a_login(client):
    response = client.get(reverse("campaigns:business_search"), {"q": "丰收"})
    assert response.status_code == 302


def test_trace_page_renders_no_roster_and_constant_queries(office_client, village, shops):
    url = reverse("ledgers:trace")

    def page():
        with CaptureQueriesContext(connection) as ctx:
            response = office_client.get(
                url, {"mode": "backward", "product": "吡虫啉", "business": "兴隆农资店"}
            )
        assert response.status_code == 200 and response.context["form"].is_valid()
        return response, len(ctx)

    response, few = page()
    html = response.content.decode()
    assert 'data-business-search="' in html and "<option" not in html.split('name="business"')[1][:200]
    assert "西村粮油店" not in html  # nothing of the roster is sent to the browser
    f.BusinessFactory.create_batch(30, village=village)
    assert page()[1] == few


def test_backward_trace_by_typed_name(office_client, shops):
    record(shops["here"], line(product="吡虫啉", kind="pesticide", batch="P1", days_ago=2))
    response = office_client.get(
        reverse("ledgers:trace"), {"mode": "backward", "product": "吡虫啉", "business": CODE_A}
    )
    assert response.context["result"] is not None and "金丰农资批发部" in response.content.decode()


def test_trace_rejects_a_business_outside_the_inspectors_village(client, inspector, shops):
    client.force_login(inspector)
    response = client.get(
        reverse("ledgers:trace"), {"mode": "backward", "product": "吡虫啉", "business": "西村粮油店"}
    )
    assert response.context["result"] is None
    assert "没有找到名称含“西村粮油店”的经营单位" in response.content.decode()


def test_role_form_keeps_a_business_role_by_its_label(office_client, shops):
    user = f.user_with_role("business", "shop_keeper", business=shops["here"])
    url = reverse("accounts:user_edit", args=[user.pk])
    html = office_client.get(url).content.decode()
    assert f'value="兴隆农资店（东村） {CODE_A}"' in html
