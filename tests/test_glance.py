"""Pages that read at a glance, for every role (issue 20): whose dashboard it is and how far from its goals,
people by name, forms that say what is wrong at the top, 子类 by 类别, a dated due list with a village filter,
overdue marks. (The layout at phone and desktop width is the browser page walk's.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.choices import CASE_ANSWER_DAYS, TipOffStatus
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town
from tests.factories_enforcement import TipOffFactory, UnlicensedCaseFactory
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


# --- the dashboard ---------------------------------------------------------------------------------------
def test_dashboard_says_whose_figures_it_shows(client, leader, inspector, aic_user, town):
    for user, whose in ((leader, "全镇"), (inspector, "本村（东村）"), (aic_user, "本部门（工商分局）")):
        client.force_login(user)
        html = client.get(reverse("dashboard:index"), {"as_of": AFTER.isoformat()}).content.decode()
        assert f'<span id="whose">{whose}</span>' in html, user
        assert f"各项目标完成情况（{whose}" in html
        assert "（全镇）" not in html or whose == "全镇"


def test_dashboard_leads_with_targets_met_and_the_worst_with_their_gaps(client, leader, town):
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"), {"as_of": AFTER.isoformat()})
    town_figs = response.context["town"]
    applicable = [x for x in town_figs if x.rate is not None]
    met = [x for x in applicable if x.status == "green"]
    summary = response.context["summary"]
    assert (summary.applicable, summary.met) == (len(applicable), len(met))
    html = response.content.decode()
    assert f"{len(applicable)} 项中已达标 {len(met)} 项" in html
    worst = summary.worst[0]
    assert worst.status != "green"
    assert f"还差 {worst.gap} 家" in html
    assert f"?{worst.drill_query()}" in html
    # The town view: furthest below the goal first, 不适用 (0/0) last.
    shortfalls = [x.target.goal - x.rate for x in applicable]
    assert [x.target.goal - x.rate for x in town_figs[: len(applicable)]] == shortfalls
    assert shortfalls[: len(applicable) - len(met)] == sorted(
        shortfalls[: len(applicable) - len(met)], reverse=True
    )
    assert all(x.rate is None for x in town_figs[len(applicable) :])


def test_zero_percent_is_written_and_not_applicable_looks_one_way(client, leader, town):
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"), {"as_of": AFTER.isoformat()})
    html = response.content.decode()
    town_figs = response.context["town"]
    if any(x.percent == 0 for x in town_figs):
        assert '<span class="fig-pct text-danger">0%</span>' in html
    assert any(x.rate is None for x in town_figs)
    assert html.count('class="badge fig-na"') >= sum(1 for x in town_figs if x.rate is None)
    assert ">—</div>" not in html  # the old empty bar with a dash


# --- people by name ---------------------------------------------------------------------------------------
def test_history_names_the_inspectors_not_their_logins(client, office, village):
    inspector = f.user_with_role("inspector", "li_login", village=village)
    inspector.first_name = "李建国"
    inspector.save()
    shop = f.BusinessFactory(village=village)
    f.licensed(shop)
    from auditlog.context import set_actor

    with set_actor(office):
        inspect(shop, inspector)
    client.force_login(office)
    html = client.get(reverse("campaigns:business_history", args=[shop.pk])).content.decode()
    assert "李建国" in html
    assert "li_login" not in html


# --- forms ---------------------------------------------------------------------------------------------
def test_business_form_offers_please_choose_and_says_what_is_wrong_at_the_top(client, office):
    client.force_login(office)
    url = reverse("campaigns:business_create")
    html = client.get(url).content.decode()
    assert "---------" not in html and ">请选择</option>" in html
    grocery, agri = f.category("grocery"), f.category("agri")
    pesticide = agri.subtypes.get(code="pesticide")
    response = client.post(url, {"name": "", "category": grocery.pk, "subtypes": [pesticide.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    summary = html[
        html.index("form-error-summary") : html.index("</div>", html.index("form-error-summary") + 200)
    ]
    assert '<a class="alert-link" href="#id_name">单位名称</a>' in summary
    assert "子类" in summary and "不属于类别" in summary  # no JavaScript needed: refused on submit
    assert 'class="form-control is-invalid"' in html  # the field is outlined
    assert f'data-category="{agri.pk}"' in html  # what site.js filters the checkboxes by
    assert 'data-subtypes="subtypes"' in html


# --- the due list --------------------------------------------------------------------------------------
def test_due_list_dates_every_badge_groups_by_village_and_filters_one(client, office, village, other_village):
    today = timezone.localdate()
    here = f.BusinessFactory(name="东村待检店", village=village, phone="13800138000", address="东村大道1号")
    there = f.BusinessFactory(name="西村待检店", village=other_village)
    client.force_login(office)
    response = client.get(reverse("inspections:due"))
    html = response.content.decode()
    assert f"尚未检查，{today:%m-%d} 应检" in html
    assert (
        html.index(">东村</h2>")
        < html.index("东村待检店")
        < html.index(">西村</h2>")
        < html.index("西村待检店")
    )
    assert 'href="tel:13800138000"' in html
    assert "https://uri.amap.com/search?keyword=" in html
    response = client.get(reverse("inspections:due"), {"village": other_village.pk})
    names = [b.name for b in response.context["page"]]
    assert names == [there.name] and here.name not in names


def test_inspector_of_one_village_gets_no_village_filter(client, inspector):
    client.force_login(inspector)
    assert client.get(reverse("inspections:due")).context["villages"] == []


# --- overdue marks ----------------------------------------------------------------------------------------
def test_tipoffs_and_cases_past_their_answer_time_are_marked(client, office, village, settings):
    settings.WUXIAO_TIPOFF_ANSWER_DAYS = 7
    old = TipOffFactory(status=TipOffStatus.ASSIGNED, lead_department=f.department("aic"), village=village)
    old.submitted_at = timezone.now() - datetime.timedelta(days=44)
    old.save()
    fresh = TipOffFactory(status=TipOffStatus.ASSIGNED, lead_department=f.department("aic"), village=village)
    done = TipOffFactory(status=TipOffStatus.PROVEN, lead_department=f.department("aic"), village=village)
    done.submitted_at = old.submitted_at
    done.save()
    assert (old.overdue_days, fresh.overdue_days, done.overdue_days) == (37, 0, 0)
    client.force_login(office)
    html = client.get(reverse("inspections:tipoff_list")).content.decode()
    assert html.count("逾期 37 天") == 1

    late = UnlicensedCaseFactory(
        opened_on=timezone.localdate() - datetime.timedelta(days=CASE_ANSWER_DAYS + 5)
    )
    UnlicensedCaseFactory(opened_on=timezone.localdate())
    html = client.get(reverse("inspections:case_list")).content.decode()
    assert late.overdue_days == 5 and html.count("逾期 5 天") == 1
