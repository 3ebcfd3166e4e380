"""Issue 24, town first — the gaps left after tenancy landed: two towns, and town A's staff never see,
choose, count or touch town B's rows (a 404, not among the choices, not counted).

1. Tip-offs and work records naming no village and no unit belong to a town (TipOff.town, Activity.town)
   and are read by that town's staff only.
2. The nightly trend (dashboard.tasks.refresh_snapshots) is kept per town: each town's current campaign
   counting that town, the city's counting the city; a town's dashboard draws its own town's series.
3. A sample's bureau and a failed sample's referral department are of the unit's town, shared or the
   city's: another town's department is not among the choices, and the services refuse it.
4. A unit's public page (behind its QR placard) names its own town and links to its own town's results,
   which count that town only; a city's /p/ lists its towns.
6. A department reaches the processing sites (B5) and the village groups (O2) of the town its role is
   held in, not of another town where its holder works otherwise; the office sets up sites and group
   members in its own towns' villages only.
5. The Django admin, which knows nothing of towns, is for superusers only in a city install.
7. A town's office sets up its own town's campaign and phases' dates (本镇专项), audited; not another's.
8. (tests/test_city_papers.py) two first drafts of a city paper at once: a message, not a 500.
9. C3's goal (the e-ledger rate the office sets on its campaign) is each town's own: a town's office sets
   its own, and its figures, target_report --town and the city's drill into a town use that town's.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Campaign, Department
from inspections import antispam
from inspections.choices import ActivityKind
from inspections.models import Activity, Sample, TipOff
from inspections.services.sampling import sample_record_result
from tests import factories as f
from tests.test_town_tenancy import towns  # noqa: F401  (the two towns)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


# --- 1. tip-offs and work records naming no place (W5, O2) -----------------------------------------------
def test_w5_a_public_tipoff_naming_no_village_goes_to_the_town_chosen_and_no_other(client, towns):  # noqa: F811
    cache.clear()
    form = reverse("inspections:tipoff_public_create")
    data = {"content": "有家无牌士多店卖过期饮料", "token": antispam.form_token(now=time.time() - 60)}
    refused = client.post(form, data)  # several towns: the town is asked when the village is 不清楚
    assert refused.status_code == 200 and "请选择所在镇（街道）" in refused.content.decode()
    assert client.post(form, {**data, "town": towns["b"].pk}).status_code == 302
    tipoff = TipOff.objects.get()
    assert tipoff.town == towns["b"] and tipoff.village is None and tipoff.business is None
    url = reverse("inspections:tipoff_detail", args=[tipoff.pk])
    client.force_login(towns["office_a"])
    assert client.get(url).status_code == 404
    assert tipoff not in client.get(reverse("inspections:tipoff_list")).context["page"].object_list
    client.force_login(towns["office_b"])
    assert client.get(url).status_code == 200
    cache.clear()


def test_w5_a_tipoff_naming_no_village_reminds_its_own_towns_office_only(towns):  # noqa: F811
    from inspections.reminders import plan_tipoff, tipoff_answer_days
    from notifications.registry import PlanContext

    ctx = PlanContext()
    late = ctx.at(ctx.today - datetime.timedelta(days=tipoff_answer_days()))  # its first reminder is today
    tipoff = TipOff.objects.create(
        content="不知道在哪个村", status="received", town=towns["b"], submitted_at=late
    )
    told = {planned.recipient_id for planned in plan_tipoff(tipoff, ctx)}
    assert towns["office_b"].pk in told and towns["office_a"].pk not in told


def test_w5_the_public_form_asks_no_town_of_a_single_town_install(client, village):
    assert "town" not in client.get(reverse("inspections:tipoff_public_create")).context["form"].fields


def test_o2_a_work_record_naming_no_place_is_its_recorders_towns(client, towns):  # noqa: F811
    client.force_login(towns["office_b"])
    response = client.post(
        reverse("inspections:activity_create"),
        {"kind": ActivityKind.TRAINING, "held_on": "2026-06-01", "title": "第二镇培训会", "participants": 30},
    )
    record = Activity.objects.get()
    assert response.status_code == 302 and record.town == towns["b"] and record.village is None
    client.force_login(towns["office_a"])
    assert client.get(record.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("inspections:activity_list")).context["page"].object_list) == []
    # Its recorder now also works in town A: it is still town B's record, not town A's.
    towns["office_b"].roles.create(kind="leader", town=towns["a"])
    assert client.get(record.get_absolute_url()).status_code == 404
    client.force_login(towns["leader_b"])
    assert client.get(record.get_absolute_url()).status_code == 200


def test_o2_the_offices_record_form_offers_its_own_towns_villages_only(client, towns):  # noqa: F811
    client.force_login(towns["office_a"])
    form = client.get(reverse("inspections:activity_create")).context["form"]
    assert towns["village"] in form.fields["village"].queryset
    assert towns["south"] not in form.fields["village"].queryset


# --- 3. samples: the bureau and the referral department (D6, O5) --------------------------------------------
def _own_departments(t: dict):
    return (
        Department.objects.create(name="测试镇食安办（镇属）", code="ceshi_food", town=t["a"]),
        Department.objects.create(name="第二镇食安办（镇属）", code="dier_food", town=t["b"]),
    )


def test_d6_a_samples_bureau_and_referral_are_never_another_towns_department(client, towns):  # noqa: F811
    own_a, own_b = _own_departments(towns)
    client.force_login(towns["office_a"])
    shop = towns["shop_a"]
    offered = set(
        client.get(reverse("inspections:sample_create", args=[shop.pk]))
        .context["form"]
        .fields["bureau"]
        .queryset
    )
    assert own_a in offered and own_b not in offered and f.department("city_drug") in offered
    referrals = client.get(reverse("inspections:sample_result")).context["form"].fields["referral_department"]
    assert own_a in referrals.queryset and own_b not in referrals.queryset
    posted = client.post(
        reverse("inspections:sample_create", args=[shop.pk]),
        {"number": "SY-A-1", "kind": "food", "product": "散装米酒", "quantity": "1瓶", "lab": "市检验所",
         "bureau": own_b.pk, "sampled_on": datetime.date.today().isoformat()},
    )  # fmt: skip
    assert posted.status_code == 200 and not Sample.objects.filter(number="SY-A-1").exists()


def test_d6_the_result_service_refuses_a_referral_to_another_towns_department(towns):  # noqa: F811
    _own_a, own_b = _own_departments(towns)
    sample = Sample.objects.create(
        number="SY-A-2", business=towns["shop_a"], kind="food", product="散装米酒", quantity="1瓶",
        lab="市检验所", sampled_on=datetime.date.today(), created_by=towns["office_a"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        sample_record_result(
            number=sample.number, user=towns["office_a"], result="fail", result_on=datetime.date.today(),
            failing_items="甲醇", action="refer", referral_department=own_b,
        )  # fmt: skip
    assert "referral_department" in refused.value.message_dict
    sample.refresh_from_db()
    assert sample.result == "pending" and sample.referral_department is None


# --- 4. the public pages (issue 25, 一公开) -------------------------------------------------------------
def test_a_units_public_page_names_its_own_town_and_links_to_its_results(client, towns):  # noqa: F811
    from inspections.services import public_codes_ensure

    cache.clear()
    b = towns["shop_b"]
    code = public_codes_ensure(business_ids=[b.pk])[b.pk]
    body = client.get(reverse("public:unit", args=[code])).content.decode()
    assert "第二镇 · " in body and "由第二镇专项整治办公室公示" in body and "测试镇" not in body
    own = f"{reverse('public:town')}?town={towns['b'].code}"
    assert f'href="{own}"' in body
    town_b = client.get(own).content.decode()
    assert "第二镇 · " in town_b and "测试镇" not in town_b
    town_a = client.get(f"{reverse('public:town')}?town={towns['a'].code}").content.decode()
    assert "测试镇 · " in town_a and "第二镇 · " not in town_a
    # Town B's open order is counted on town B's page, not on town A's.
    assert "暂无整改记录" in town_a and "暂无整改记录" not in town_b
    city = client.get(reverse("public:town")).content.decode()  # several towns: each listed, none named
    assert f"?town={towns['a'].code}" in city and f"?town={towns['b'].code}" in city
    assert client.get(f"{reverse('public:town')}?town=nowhere").status_code == 404
    cache.clear()


# --- 6. a department's reach: processing sites (B5) and village groups (O2) -------------------------------
def test_b5_o2_a_department_of_town_a_reaches_no_site_or_group_member_of_town_b(client, towns):  # noqa: F811
    from accounts.models import RoleAssignment
    from campaigns.models import ProcessingSite, VillageGroupMember

    workshop = f.category("workshop")
    industry = workshop.subtypes.first()
    sites = {}
    for key, where in (("a", towns["village"]), ("b", towns["south"])):
        sites[key] = ProcessingSite.objects.create(name=f"{where.town.name}集中加工场", village=where)
        sites[key].industries.add(industry)
        VillageGroupMember.objects.create(village=where, name=f"{where.town.name}组员", role="member")
    # The workshops' lead department in town A, who is also an inspector of a village of town B.
    user = f.user_with_role("department", "tech_a", department=workshop.lead_department, town=towns["a"])
    other = f.VillageFactory(town=towns["b"], name="北村", code="dier-beicun")
    RoleAssignment.objects.create(user=user, kind="inspector", village=other, town=towns["b"])
    client.force_login(user)
    assert client.get(sites["a"].get_absolute_url()).status_code == 200
    assert client.get(sites["b"].get_absolute_url()).status_code == 404
    listed = {s.name for s in client.get(reverse("campaigns:site_list")).context["sites"]}
    assert listed == {"测试镇集中加工场"}
    members = client.get(reverse("campaigns:village_groups")).context["page"].object_list
    assert {m.name for m in members} == {"测试镇组员"}


def test_b5_o2_the_office_sets_up_sites_and_members_in_its_own_towns_only(client, towns):  # noqa: F811
    from campaigns.models import VillageGroupMember

    client.force_login(towns["office_a"])
    site_form = client.get(reverse("campaigns:site_create")).context["form"]
    assert towns["south"] not in site_form.fields["village"].queryset
    group_form = client.get(reverse("campaigns:village_groups")).context["form"]
    assert towns["south"] not in group_form.fields["village"].queryset
    there = VillageGroupMember.objects.create(village=towns["south"], name="第二镇组员", role="member")
    towns["office_a"].roles.create(kind="leader", town=towns["b"])  # reads town B, keeps none of it
    remove = reverse("campaigns:village_group_member_remove", args=[there.pk])
    assert client.post(remove).status_code == 404 and VillageGroupMember.objects.filter(pk=there.pk).exists()


# --- 2. the nightly trend, per town (U2) -------------------------------------------------------------------
def test_u2_the_nightly_trend_is_each_towns_own_campaign_counting_its_own_town(client, towns):  # noqa: F811
    from dashboard import tasks
    from dashboard.models import TargetSnapshot

    Campaign.objects.update(is_current=False)
    start, end = TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=90)
    own = {
        key: Campaign.objects.create(
            name=f"{towns[key].name}专项", town=towns[key], starts_on=start, ends_on=end
        )
        for key in ("a", "b")
    }
    city = Campaign.objects.create(name="全市专项", starts_on=start, ends_on=end)
    assert tasks.refresh_snapshots(full=True) > 0
    for key in ("a", "b"):
        g1 = TargetSnapshot.objects.filter(campaign=own[key], town=towns[key], target="G1", as_of=TODAY).get()
        assert g1.denominator == 2  # its own town's two businesses, not the four of both towns
        assert not TargetSnapshot.objects.filter(campaign=own[key]).exclude(town=towns[key]).exists()
    whole = TargetSnapshot.objects.get(campaign=city, town=None, target="G1", as_of=TODAY)
    assert whole.denominator == 4  # the city's campaign counts the city
    TargetSnapshot.objects.filter(campaign=own["a"], town=towns["a"], target="G1").update(numerator=1)
    TargetSnapshot.objects.filter(campaign=own["b"], town=towns["b"], target="G1").update(numerator=0)
    client.force_login(towns["office_a"])
    trend = client.get(reverse("dashboard:index")).context["trend"]
    g1 = next(s["data"] for s in trend["series"] if s["id"] == "G1")
    assert g1 and set(g1) == {50.0}  # town A's own series: 1 of 2


# --- 5. the Django admin: superusers only once there are several towns --------------------------------------
def _staff(user, *models):
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__model__in=models))
    return user


def test_a_towns_staff_user_gets_no_admin_in_a_city_install(client, towns):  # noqa: F811
    office = _staff(towns["office_a"], "business", "village")
    client.force_login(office)
    for url in (
        "/admin/",
        "/admin/campaigns/business/",
        f"/admin/campaigns/business/{towns['shop_b'].pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/campaigns/business/").status_code == 200


def test_a_single_town_installs_staff_users_keep_their_admin(client, village, office):
    client.force_login(_staff(office, "business"))
    assert client.get("/admin/campaigns/business/").status_code == 200


# --- 7. a town's own campaign, set up by its office (§5 P1/P2) ---------------------------------------------
def test_p1_p2_a_towns_office_sets_up_its_own_campaign_and_phases_only(client, towns):  # noqa: F811
    from auditlog.models import LogEntry

    Campaign.objects.update(is_current=False)
    city = Campaign.objects.create(
        name="全市专项", starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=200)
    )
    client.force_login(towns["office_a"])
    listed = client.get(reverse("campaigns:town_campaigns"))
    assert [town for town, _c, _p in listed.context["rows"]] == [towns["a"]]
    assert client.get(reverse("campaigns:town_campaign_edit", args=[towns["b"].pk])).status_code == 404
    start = TODAY + datetime.timedelta(days=7)
    data = {
        "name": "测试镇五小专项整治",
        "starts_on": start.isoformat(),
        "p1_ends_on": (start + datetime.timedelta(days=90)).isoformat(),
        "ends_on": (start + datetime.timedelta(days=120)).isoformat(),
    }
    url = reverse("campaigns:town_campaign_edit", args=[towns["a"].pk])
    refused = client.post(url, {**data, "p1_ends_on": (start + datetime.timedelta(days=150)).isoformat()})
    assert refused.status_code == 200 and "整改实施阶段须在" in refused.content.decode()
    assert client.post(url, data).status_code == 302
    own = Campaign.current(towns["a"])
    assert own != city and own.town == towns["a"] and own.starts_on == start
    p1, p2 = own.phases.order_by("starts_on")
    assert (p1.code, p1.ends_on, p2.code) == ("P1", start + datetime.timedelta(days=90), "P2")
    assert p2.starts_on == p1.ends_on + datetime.timedelta(days=1) and p2.ends_on == own.ends_on
    assert Campaign.current(towns["b"]) == city  # town B still runs the city's
    assert LogEntry.objects.get_for_object(own).exists()  # audited
    # Town B's office cannot set town A's either.
    client.force_login(towns["office_b"])
    assert client.post(url, {**data, "name": "改名"}).status_code == 404
    assert Campaign.current(towns["a"]).name == "测试镇五小专项整治"


# --- 9. C3's goal is each town's own (issue 24: per-town settings) ----------------------------------------
def _c3_goal(*args: str) -> float:
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("target_report", "--json", *args, stdout=out)
    return next(row["goal"] for row in json.loads(out.getvalue()) if row["target"] == "C3")


def test_c3_each_towns_office_sets_its_own_e_ledger_goal_and_its_figures_use_it(client, towns):  # noqa: F811
    Campaign.objects.update(is_current=False)
    common = {"ends_on": TODAY + datetime.timedelta(days=200), "is_current": True}
    Campaign.objects.create(
        name="测试镇专项", town=towns["a"], starts_on=TODAY - datetime.timedelta(days=60), **common
    )
    # Town B's started later: "the latest current campaign" would be B's for everyone.
    later = TODAY - datetime.timedelta(days=30)
    Campaign.objects.create(name="第二镇专项", town=towns["b"], starts_on=later, e_ledger_goal=80, **common)
    client.force_login(towns["office_a"])
    assert client.post(reverse("campaigns:e_ledger_goal"), {"percent": "30"}).status_code == 302
    assert Campaign.objects.get(town=towns["b"]).e_ledger_goal == 80  # B's untouched
    assert _c3_goal("--town", towns["a"].code) == 0.3
    assert _c3_goal("--town", towns["b"].code) == 0.8
    for office, percent in (("office_a", 30.0), ("office_b", 80.0)):
        client.force_login(towns[office])
        chart = client.get(reverse("dashboard:index")).context["town_chart"]
        assert chart["goals"][chart["ids"].index("C3")] == percent, office
    # The city's leader, a town's villages: each village's figure is its own town's goal.
    leader = f.user_with_role("city_leader", "city_leader_c3")
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"), {"town": towns["b"].code})
    chart = response.context["town_chart"]
    assert chart["goals"][chart["ids"].index("C3")] == 80.0
