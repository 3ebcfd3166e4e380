"""Hardening, round two (issue 22): each finding of the probe, as a test that failed before its fix.

Junk input is a 400 or a form error, never a 500; no edit escapes its editor's scope; a tip-off form is
good for one tip-off; signed-in pages are not cached; the bulletin list survives a bulletin nobody made.
"""

import datetime
import pathlib
import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.middleware import MAX_FORM_VALUE, MAX_QUERY_VALUE
from campaigns.models import Business
from dashboard.models import Bulletin
from inspections import antispam
from inspections.models import TipOff
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.test_url_walk import LOCAL_APPS

pytestmark = pytest.mark.django_db
TIPOFF_FORM = reverse("inspections:tipoff_public_create")


# --- the bulletin list (U2) -------------------------------------------------------------------------


def test_bulletin_list_shows_a_bulletin_nobody_made(client, leader):
    """The demo town's bulletins are made by the seed (no creator): the list was a 500."""
    c = campaign()
    Bulletin.objects.create(
        campaign=c,
        number=1,
        period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 7),
        file=ContentFile(b"docx", name="b.docx"),
        created_by=None,
    )
    client.force_login(leader)
    response = client.get(reverse("dashboard:bulletin_list"))
    assert response.status_code == 200
    assert "第1期" in response.content.decode()


def test_no_template_names_a_person_through_a_missing_user():
    """`x.get_full_name|default:x.username` raises when x is None (a filter argument that does not
    resolve): every page names a person through the `person` filter instead."""
    root = pathlib.Path(settings.BASE_DIR)
    folders = [root / "templates", *(root / app / "templates" for app in LOCAL_APPS)]
    offenders = [
        str(p.relative_to(root))
        for folder in folders
        for p in folder.glob("**/*.html")
        if re.search(r"get_full_name\|default:[a-z_]", p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"use {{{{ user|person }}}} in {offenders}"


# --- junk parameters: NUL bytes, over-long values, dates at the calendar's ends ---------------------


def test_nul_byte_in_a_public_query_is_a_chinese_400(client):
    response = client.get(reverse("inspections:tipoff_public_status"), {"ref": "AB\x00CD"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "空字符" in body and "ref" in body


def test_nul_byte_in_a_form_field_is_a_400_and_nothing_is_written(client):
    response = client.post(
        TIPOFF_FORM,
        {"content": "路口小店卖过期\x00饮料", "token": antispam.form_token(now=time.time() - 60)},
    )
    assert response.status_code == 400 and "content" in response.content.decode()
    assert not TipOff.objects.exists()


def test_over_long_values_are_refused_with_their_name_and_length(office_client):
    response = office_client.get(reverse("campaigns:business_list"), {"q": "店" * (MAX_QUERY_VALUE + 1)})
    assert response.status_code == 400
    assert f"{MAX_QUERY_VALUE + 1} 个字符" in response.content.decode()
    response = office_client.post(reverse("campaigns:business_create"), {"name": "x" * (MAX_FORM_VALUE + 1)})
    assert response.status_code == 400
    assert not Business.objects.exists()


def test_a_long_but_real_value_still_passes(office_client):
    assert office_client.get(reverse("campaigns:business_list"), {"q": "店" * 200}).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dashboard_dates_at_the_calendars_ends_are_no_500(client, leader, day):
    campaign()
    client.force_login(leader)
    for name in ("dashboard:index", "dashboard:export"):
        response = client.get(reverse(name), {"as_of": day})
        assert response.status_code == 200, (name, response.status_code)
    response = client.get(reverse("dashboard:drill"), {"target": "G1", "as_of": day})
    assert response.status_code == 200


def test_a_date_out_of_range_is_a_form_error_in_chinese(office_client, village):
    shop = f.BusinessFactory(village=village)
    response = office_client.post(
        reverse("campaigns:licence_add", args=[shop.pk]),
        {
            "licence_type": f.licence_type("business").pk,
            "number": "X-1",
            "issued_on": "0001-01-01",
            "state": "valid",
        },
    )
    assert response.status_code == 200
    assert "日期不能早于 1900-01-01" in response.content.decode()
    assert not shop.licences.exists()


# --- caching of signed-in pages ----------------------------------------------------------------------


def test_signed_in_pages_are_no_store_private(client, office_client):
    cache_control = office_client.get(reverse("campaigns:business_list"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert "public" not in cache_control


# --- the tip-off form's token -----------------------------------------------------------------------


@pytest.fixture
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("_fresh_cache")
def test_a_tipoff_token_is_good_for_one_tipoff(client):
    data = {"content": "新华村路口有家无牌士多店卖过期饮料", "token": antispam.form_token(time.time() - 60)}
    assert client.post(TIPOFF_FORM, data).status_code == 302
    assert client.post(TIPOFF_FORM, data).status_code == 302  # the sender sees the same thanks …
    first, second = TipOff.objects.order_by("pk")
    assert first.spam_reason == "" and second.spam_reason == "bad_token"  # … but the repeat is spam


@pytest.mark.usefixtures("_fresh_cache")
def test_a_form_refused_for_a_mistake_keeps_its_token(client):
    token = antispam.form_token(time.time() - 60)
    assert client.post(TIPOFF_FORM, {"content": "短", "token": token}).status_code == 200
    assert client.post(TIPOFF_FORM, {"content": "路口小店卖过期饮料", "token": token}).status_code == 302
    assert TipOff.objects.get().spam_reason == ""


def test_two_forms_shown_in_the_same_second_have_different_tokens():
    now = time.time()
    assert antispam.form_token(now) != antispam.form_token(now)


# --- no edit escapes its editor's scope -------------------------------------------------------------


def _edit(client, business, **changes):
    data = {
        "name": business.name,
        "category": business.category_id,
        "village": business.village_id,
        "status": business.status,
        **changes,
    }
    return client.post(reverse("campaigns:business_edit", args=[business.pk]), data)


def test_an_inspector_cannot_move_a_business_into_another_village(client, inspector, village, other_village):
    shop = f.BusinessFactory(village=village)
    client.force_login(inspector)
    response = _edit(client, shop, village=other_village.pk)
    assert response.status_code == 200 and "village" in response.context["form"].errors
    shop.refresh_from_db()
    assert shop.village == village
    options = response.context["form"].fields["village"].queryset
    assert list(options) == [village]
    assert _edit(client, shop, name="改名后的小店").status_code == 302  # an edit within scope is fine


def test_a_department_cannot_move_a_business_into_another_departments_category(client, aic_user, village):
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))  # 工商 leads groceries
    client.force_login(aic_user)
    response = _edit(client, shop, category=f.category("pharmacy").pk)
    assert response.status_code == 200 and "category" in response.context["form"].errors
    shop.refresh_from_db()
    assert shop.category.code == "grocery"
    offered = {c.code for c in response.context["form"].fields["category"].queryset}
    assert "pharmacy" not in offered and "grocery" in offered


def test_the_enforcement_branch_keeps_the_category_of_an_unlicensed_unit(client, village):
    from tests.factories_enforcement import enforcement_user

    shop = f.BusinessFactory(village=village, category=f.category("grocery"))  # no licence: its unit
    client.force_login(enforcement_user())
    assert _edit(client, shop, address="新华路1号").status_code == 302
    response = _edit(client, shop, category=f.category("pharmacy").pk)
    assert "category" in response.context["form"].errors


def test_create_and_edit_offer_the_same_villages(client, inspector, village, other_village):
    client.force_login(inspector)
    created = client.get(reverse("campaigns:business_create")).context["form"].fields["village"].queryset
    shop = f.BusinessFactory(village=village)
    edited = client.get(reverse("campaigns:business_edit", args=[shop.pk])).context["form"]
    assert list(created) == list(edited.fields["village"].queryset) == [village]


# --- what the fuzz test (tests/test_fuzz.py) found: each a 500 before -------------------------------

HUGE_ID = "1" * 30  # beyond a 64-bit integer: SQLite's `IN` overflowed, PostgreSQL's integer too


def test_an_id_parameter_that_is_no_id_is_ignored_or_a_404(office_client, village):
    shop = f.BusinessFactory(village=village)
    assert office_client.get(reverse("inspections:visit_list"), {"business": HUGE_ID}).status_code == 200
    for junk in ("🍜", HUGE_ID, "１２"):
        url = reverse("inspections:sample_create", args=[shop.pk])
        assert office_client.get(url, {"visit": junk}).status_code == 404, junk


def test_a_multiple_choice_beyond_the_databases_integers_is_a_form_error(office_client, village):
    response = office_client.post(
        reverse("campaigns:business_create"),
        {"name": "新店", "category": f.category("grocery").pk, "village": village.pk, "subtypes": HUGE_ID},
    )
    assert response.status_code == 200 and "subtypes" in response.context["form"].errors
    assert not Business.objects.exists()


def test_a_negative_form_count_is_a_form_error(office_client):
    from inspections.models import FrequencyRule

    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "-1",
        "form-0-id": FrequencyRule.objects.first().pk,
    }
    response = office_client.post(reverse("inspections:frequency_edit"), data)
    assert response.status_code == 200


def test_an_alerts_next_that_is_no_path_falls_back_to_the_alert_list(client, village):
    from ledgers.models import LedgerAlert
    from tests.factories_ledgers import line, record

    shop = f.BusinessFactory(village=village, category=f.category("agri"))
    record(shop, line("in", product="甲胺磷", kind="pesticide", unit="瓶"))
    alert = LedgerAlert.objects.get()
    client.force_login(f.user_with_role("department", "agri_user", department=f.department("agri_office")))
    for junk in ("9999-12-31", "１２３４５"):
        response = client.post(
            reverse("ledgers:alert_handle", args=[alert.pk]), {"note": "已处理", "next": junk}
        )
        assert response.status_code == 302 and response["Location"] == reverse("ledgers:alerts"), junk
