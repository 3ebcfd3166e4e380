"""Issue 24, town first: one installation serves many towns, and a town's staff never reach another town.

Two towns, each with its office, leader and inspector. Town A's office gets the same 404 on town B's
business, visit, order, ledger and sample as on a page that does not exist; its lists, export, dashboard
figures and target figures count town A only; its roster import refuses a town-B village (row, column,
a Chinese message); its user management grants no role in town B. A role is held in a town
(RoleAssignment.town): required for the town-wide roles, derived for the others, none for the city's;
an install with one town migrates with that town on every role, and nothing changes for it.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts import access, scoping, services
from accounts.models import RoleAssignment
from campaigns.models import Business, Campaign
from campaigns.roster_io.importing import roster_import
from inspections.models import Sample, TipOff
from tests import factories as f
from tests import roster_books as rb
from tests.api_helpers import token_client
from tests.factories_inspections import inspect
from tests.factories_ledgers import TODAY as LEDGER_DAY
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def towns(village):
    """测试镇 (village 东村…) and 第二镇 (南村), a licensed grocery and a pesticide shop in each, a staff of
    three in each, and in town B a failed visit with its order, a sample and a ledger line."""
    a = village.town
    b = f.TownFactory(name="第二镇", code="dier")
    south = f.VillageFactory(town=b, name="南村", code="dier-nancun")
    agri = f.category("agri")
    pesticide = agri.subtypes.get(code="pesticide")
    shops = {}
    for key, where in (("a", village), ("b", south)):
        shops[f"shop_{key}"] = f.BusinessFactory(name=f"{where.town.name}士多", village=where)
        f.licensed(shops[f"shop_{key}"])
        shops[f"shop_{key}_agri"] = f.BusinessFactory(
            name=f"{where.town.name}农资店", village=where, category=agri, subtypes=[pesticide]
        )
        f.licensed(shops[f"shop_{key}_agri"])
    staff = {
        "office_a": f.user_with_role("office", "office_a", town=a),
        "leader_a": f.user_with_role("leader", "leader_a", town=a),
        "inspector_a": f.user_with_role("inspector", "inspector_a", village=village),
        "office_b": f.user_with_role("office", "office_b", town=b),
        "leader_b": f.user_with_role("leader", "leader_b", town=b),
        "inspector_b": f.user_with_role("inspector", "inspector_b", village=south),
    }
    visit = inspect(
        shops["shop_b"], staff["inspector_b"], day=TODAY - datetime.timedelta(days=20), fails=("C2-1",)
    )
    sample = Sample.objects.create(
        number="SY-B-1",
        business=shops["shop_b"],
        kind="food",
        product="散装白酒",
        quantity="1瓶",
        lab="市检验所",
        sampled_on=TODAY,
        result="pass",
        created_by=staff["office_b"],
    )
    record(
        shops["shop_b_agri"],
        line(kind="pesticide", product="吡虫啉"),
        user=staff["office_b"],
        today=LEDGER_DAY,
    )
    return {
        "a": a,
        "b": b,
        "village": village,
        "south": south,
        **shops,
        **staff,
        "visit": visit,
        "order": visit.orders_issued.get(),
        "sample": sample,
    }


def _pages(t: dict, key: str) -> dict[str, str]:
    shop = t[f"shop_{key}"]
    pages = {
        "business": reverse("campaigns:business_detail", args=[shop.pk]),
        "business edit": reverse("campaigns:business_edit", args=[shop.pk]),
        "ledger": reverse("ledgers:business_ledger", args=[t[f"shop_{key}_agri"].pk]),
    }
    if key == "b":
        pages |= {
            "visit": reverse("inspections:visit_detail", args=[t["visit"].pk]),
            "order": reverse("inspections:order_detail", args=[t["order"].pk]),
            "sample": reverse("inspections:sample_detail", args=[t["sample"].pk]),
        }
    return pages


def test_a_towns_office_gets_404_on_every_row_of_another_town(client, towns):
    client.force_login(towns["office_a"])
    for page, url in _pages(towns, "b").items():
        assert client.get(url).status_code == 404, page
    for page, url in _pages(towns, "a").items():
        assert client.get(url).status_code == 200, page
    client.force_login(towns["office_b"])  # the same pages are there for town B's own office
    for page, url in _pages(towns, "b").items():
        assert client.get(url).status_code == 200, page


def test_a_towns_leader_reads_its_own_town_only(client, towns):
    client.force_login(towns["leader_a"])
    assert client.get(_pages(towns, "a")["business"]).status_code == 200
    assert client.get(_pages(towns, "b")["business"]).status_code == 404
    assert client.get(_pages(towns, "a")["business edit"]).status_code == 404  # leaders read, never write


def test_lists_and_the_export_hold_the_own_town_only(client, towns):
    client.force_login(towns["office_a"])
    listed = client.get(reverse("campaigns:business_list")).context["page"].object_list
    assert {b.name for b in listed} == {"测试镇士多", "测试镇农资店"}
    village_choices = client.get(reverse("campaigns:business_list")).context["filter"].form.fields["village"]
    assert towns["south"] not in village_choices.queryset  # not even another town's village names
    visits = client.get(reverse("inspections:visit_list")).context["page"].object_list
    assert list(visits) == []
    assert list(client.get(reverse("inspections:order_list")).context["page"].object_list) == []
    assert list(client.get(reverse("inspections:sample_list")).context["page"].object_list) == []
    export = client.get(reverse("campaigns:roster_export"))
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = load_workbook(io.BytesIO(content), read_only=True)["经营单位"].iter_rows(values_only=True)
    names = {r[0] for r in rows if r}
    assert "测试镇士多" in names and "第二镇士多" not in names


def test_dashboard_and_targets_count_the_own_town_only(client, towns):
    client.force_login(towns["leader_a"])
    g1 = next(x for x in client.get(reverse("dashboard:index")).context["town"] if x.target.id == "G1")
    assert g1.denominator == 2  # town A's two active businesses, not four
    out = io.StringIO()
    call_command("target_report", "--json", "--town", towns["a"].code, stdout=out)
    expected = [{k: v for k, v in r.items() if k != "computed_at"} for r in json.loads(out.getvalue())]
    got = token_client(towns["office_a"]).get("/api/v1/targets/").json()
    assert [{k: v for k, v in r.items() if k != "computed_at"} for r in got] == expected
    assert {r["town"] for r in got} == {towns["a"].code} or {r["town"] for r in got} == {towns["a"].name}
    assert token_client(towns["office_a"]).get(f"/api/v1/targets/?town={towns['b'].code}").status_code == 404


def test_roster_import_refuses_a_village_of_another_town(tmp_path, towns):
    path = rb.write_book(
        tmp_path / "b.xlsx",
        [
            rb.business_row(name="越界士多", village="南村"),
            rb.business_row(name="本镇新店", village=towns["village"].name),
        ],
    )
    result = roster_import(path=path, user=towns["office_a"])
    assert not result.ok
    (error,) = result.errors
    assert (error["row"], error["column"]) == (2, "村（社区）")
    assert (
        error["message"] == "村（社区）“南村”属于第二镇，不在您的管理范围内：只能导入本镇（街道）的经营单位。"
    )
    assert not Business.objects.filter(name__in=["越界士多", "本镇新店"]).exists()  # nothing of a bad file


def test_user_management_grants_no_role_in_another_town(client, towns):
    office_a = towns["office_a"]
    client.force_login(office_a)
    listed = {u.username for u in client.get(reverse("accounts:user_list")).context["page"].object_list}
    assert "office_b" not in listed and "inspector_b" not in listed and "inspector_a" in listed
    assert client.get(reverse("accounts:user_edit", args=[towns["inspector_b"].pk])).status_code == 404
    form = client.get(reverse("accounts:user_create")).context["formset"].forms[0]
    assert list(form.fields["town"].queryset) == [towns["a"]]
    assert towns["south"] not in form.fields["village"].queryset
    data = {
        "username": "newcomer",
        "first_name": "新人",
        "password1": "A-long-enough-pass-2026",
        "password2": "A-long-enough-pass-2026",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-kind": "inspector",
        "roles-0-village": str(towns["south"].pk),
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert (
        response.status_code == 200 and not RoleAssignment.objects.filter(user__username="newcomer").exists()
    )
    # The service refuses it too, whatever a form offered: a town's office grants roles in its town only.
    user = f.UserFactory.build(username="newcomer2")
    for role in (
        RoleAssignment(kind="office", town=towns["b"]),
        RoleAssignment(kind="inspector", village=towns["south"]),
        RoleAssignment(kind="city_leader"),
    ):
        with pytest.raises(ValidationError, match="只能为本镇（街道）分配角色"):
            services.user_save(user=user, roles=[role], password="A-long-enough-pass-2026", actor=office_a)
    granted = services.user_save(
        user=f.UserFactory.build(username="newcomer3"),
        roles=[RoleAssignment(kind="leader", town=towns["a"])],
        password="A-long-enough-pass-2026",
        actor=office_a,
    )
    assert granted.roles.get().town == towns["a"]


def test_editing_a_person_of_two_towns_keeps_the_other_towns_roles(client, towns):
    both = towns["inspector_a"]
    own = both.roles.get()
    RoleAssignment.objects.create(user=both, kind="inspector", village=towns["south"], town=towns["b"])
    client.force_login(towns["office_a"])
    page = client.get(reverse("accounts:user_edit", args=[both.pk]))
    shown = [form.instance for form in page.context["formset"].forms if form.instance.pk]
    assert shown == [own]  # town B's role is not town A's to see or change
    data = {
        "username": both.username,
        "first_name": "两镇检查员",
        "is_active": "on",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "1",
        "roles-0-id": str(own.pk),
        "roles-0-kind": "inspector",
        "roles-0-village": str(towns["village"].pk),
        "roles-1-kind": "leader",
        "roles-1-town": str(towns["a"].pk),
    }
    response = client.post(reverse("accounts:user_edit", args=[both.pk]), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    assert {(r.kind, r.town_id) for r in both.roles.all()} == {
        ("inspector", towns["a"].pk),
        ("leader", towns["a"].pk),
        ("inspector", towns["b"].pk),  # kept as it was
    }


def test_a_roles_town_is_required_derived_or_refused(towns):
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(user=towns["office_a"], kind="office").full_clean()
    assert exc.value.message_dict["town"] == ["该角色须指定所在的镇（街道）。"]
    role = RoleAssignment(user=towns["office_a"], kind="inspector", village=towns["south"])
    role.full_clean()
    assert role.town == towns["b"]  # derived from the village
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(
            user=towns["office_a"], kind="inspector", village=towns["south"], town=towns["a"]
        ).full_clean()
    assert "所属的镇不一致" in exc.value.message_dict["town"][0]
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(user=towns["office_a"], kind="city_leader", town=towns["a"]).full_clean()
    assert "市级角色覆盖全市各镇" in exc.value.message_dict["town"][0]


def test_a_single_town_install_needs_no_town_and_reaches_as_before(village, other_village):
    """One town: a town-wide role made without a town is filled in by clean() and, unfilled (made before
    issue 24), still reaches the whole town — nothing changes for a single-town install."""
    role = RoleAssignment(user=f.UserFactory(), kind="office")
    role.full_clean()
    assert role.town == village.town
    legacy = f.UserFactory(username="legacy_office")
    RoleAssignment.objects.create(user=legacy, kind="office")  # no town, as before the migration
    assert scoping.business_q(legacy) == scoping.business_q(legacy, write=True) == scoping.Q()
    assert scoping.current_campaign(legacy) == Campaign.current()


def test_the_migration_gives_a_single_towns_roles_its_town(village):
    """accounts 0004 (issue 24): with exactly one town every town-wide role takes it; with two, only the
    roles whose scope says the town get one (a city's office is assigned its town by hand)."""
    fill_towns = importlib.import_module("accounts.migrations.0004_role_town").fill_towns
    office = RoleAssignment.objects.create(user=f.UserFactory(), kind="office")
    leader = RoleAssignment.objects.create(user=f.UserFactory(), kind="leader")
    city = RoleAssignment.objects.create(user=f.UserFactory(), kind="city_leader")
    fill_towns(django_apps, None)
    for role in (office, leader, city):
        role.refresh_from_db()
    assert office.town == leader.town == village.town and city.town is None
    second = f.TownFactory(name="第二镇", code="dier")
    south = f.VillageFactory(town=second, name="南村")
    inspector = RoleAssignment.objects.create(user=f.UserFactory(), kind="inspector", village=south)
    supervisor = RoleAssignment.objects.create(user=f.UserFactory(), kind="supervisor")
    fill_towns(django_apps, None)
    inspector.refresh_from_db()
    supervisor.refresh_from_db()
    assert inspector.town == second and supervisor.town is None


def test_the_current_campaign_is_the_users_towns(towns):
    Campaign.objects.update(is_current=False)
    own_a = Campaign.objects.create(
        name="测试镇专项", town=towns["a"], starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=90)
    )
    own_b = Campaign.objects.create(
        name="第二镇专项", town=towns["b"], starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=90)
    )
    assert scoping.current_campaign(towns["office_a"]) == own_a
    assert scoping.current_campaign(towns["leader_b"]) == own_b
    assert Campaign.current(towns["a"]) == own_a and Campaign.current() in (own_a, own_b)
    assert set(scoping.campaigns(towns["office_a"])) == {own_a} | set(Campaign.objects.filter(town=None))


def test_tipoffs_of_another_town_stay_there(client, towns):
    there = TipOff.objects.create(content="南村某店卖过期食品", village=towns["south"], status="received")
    nowhere = TipOff.objects.create(content="不知道在哪个村", status="received", town=towns["a"])
    client.force_login(towns["office_a"])
    assert client.get(reverse("inspections:tipoff_detail", args=[there.pk])).status_code == 404
    assert client.get(reverse("inspections:tipoff_detail", args=[nowhere.pk])).status_code == 200
    client.force_login(towns["office_b"])
    assert client.get(reverse("inspections:tipoff_detail", args=[there.pk])).status_code == 200
    # Issue 24: one naming no village and no unit is the town's it came in for — not every town's.
    assert client.get(reverse("inspections:tipoff_detail", args=[nowhere.pk])).status_code == 404


def test_a_spot_check_draws_in_the_own_town_only(towns):
    from inspections.forms import DrawForm

    form = DrawForm(user=towns["office_a"])
    assert towns["south"] not in form.fields["villages"].queryset
    assert set(form.fields["pool"].queryset) == {towns["inspector_a"]}
    reach = scoping.reach(towns["office_a"])
    here, there = towns["village"], towns["south"]
    assert access.may_write_row(reach, village_id=here.pk, lead_department_id=None, town_id=here.town_id)
    assert not access.may_write_row(
        reach, village_id=there.pk, lead_department_id=None, town_id=there.town_id
    )


def test_reminders_about_a_towns_rows_go_to_that_towns_staff(towns):
    """A town-B order or tip-off reminds town B's office (and the city's roles), never town A's."""
    from notifications.registry import PlanContext

    ctx = PlanContext()
    town_b = ctx.town_of_village(towns["order"].business.village_id)
    assert town_b == towns["b"].pk
    assert ctx.office_user_ids(town_b) == [towns["office_b"].pk]
    assert towns["leader_a"].pk not in ctx.read_all_user_ids(town_b)
    city = f.user_with_role("city_leader", "city_leader_user")
    assert city.pk in PlanContext().read_all_user_ids(town_b)  # the city reads every town
    assert set(ctx.office_user_ids()) == {towns["office_a"].pk, towns["office_b"].pk}  # a row of no town


def test_seed_demo_gives_each_further_town_its_own_office(client):
    """`seed_demo --towns 2`: the neighbour town has its own office user and campaign, and that office sees
    its town only; the demo's own users hold their roles in the demo town, as the README says."""
    from django.contrib.auth import get_user_model

    from campaigns.models import Town

    call_command("seed_demo", businesses=12, towns=2, verbosity=0)
    User = get_user_model()
    neighbour = Town.objects.get(code="city-xijiang")
    office = User.objects.get(username="office-city-xijiang")
    assert office.roles.get().town == neighbour
    assert scoping.current_campaign(office).town == neighbour
    client.force_login(office)
    listed = client.get(reverse("campaigns:business_list")).context["page"].object_list
    assert listed and {b.village.town_id for b in listed} == {neighbour.pk}
    # O1: this year's campaign kept the town's leading group of last year's, and its office keeps it.
    own, last = scoping.current_campaign(office), Campaign.objects.get(town=neighbour, is_current=False)
    names = list(own.leading_group.values_list("name", "role"))
    assert names and names == list(last.leading_group.values_list("name", "role"))
    rows = client.get(reverse("campaigns:leading_groups")).context["rows"]
    assert [(town, [m.name for m in members]) for town, _c, members in rows] == [
        (neighbour, [n for n, _r in names])
    ]
    leader = User.objects.get(username="leader")
    assert leader.roles.get().town.code == "dongfeng"
    client.force_login(leader)
    listed = client.get(reverse("campaigns:business_list")).context["page"].object_list
    assert listed and {b.village.town.code for b in listed} == {"dongfeng"}


def test_a_towns_office_sets_its_own_towns_settings_only(client, towns):
    from campaigns import selectors

    assert list(selectors.settings_towns(towns["office_a"])) == [towns["a"]]
    client.force_login(towns["office_a"])
    assert client.get(reverse("campaigns:town_settings_edit", args=[towns["b"].pk])).status_code == 404


def test_each_towns_campaign_gets_its_own_weekly_bulletin(towns):
    """The weekly bulletin (U2) is written for each town's own current campaign, counts that town's
    businesses only, reaches that town's readers, and a town's office lists its own town's bulletins."""
    from dashboard import selectors as dashboard_selectors
    from dashboard import tasks
    from notifications.models import Reminder

    Campaign.objects.update(is_current=False)
    start, end = TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=90)
    own = {
        key: Campaign.objects.create(
            name=f"{towns[key].name}专项", town=towns[key], starts_on=start, ends_on=end
        )
        for key in ("a", "b")
    }
    tasks.weekly_bulletin()
    for key in ("a", "b"):
        (bulletin,) = own[key].bulletins.all()
        g1 = next(t for t in bulletin.figures if t["target"] == "G1")
        assert g1["denominator"] == 2  # its own town's two businesses, not the four of both towns
        told = Reminder.objects.filter(dedupe_key__startswith=f"bulletin:{bulletin.pk}:")
        told = set(told.values_list("recipient_id", flat=True))
        other = "b" if key == "a" else "a"
        assert towns[f"leader_{key}"].pk in told and towns[f"leader_{other}"].pk not in told
    listed = dashboard_selectors.bulletin_queryset(user=towns["office_a"])
    assert {b.campaign for b in listed} == {own["a"]}


def test_a_visit_refers_to_its_towns_departments_the_shared_ones_and_the_citys(towns):
    from campaigns.models import Department
    from inspections.forms import VisitForm

    own_a = Department.objects.create(name="测试镇农业办（镇属）", code="ceshi_agri", town=towns["a"])
    own_b = Department.objects.create(name="第二镇农业办（镇属）", code="dier_agri", town=towns["b"])
    offered = set(VisitForm(visit=towns["visit"]).fields["referral_department"].queryset)  # town B's visit
    assert own_b in offered and own_a not in offered
    assert {f.department("aic"), f.department("city_drug")} <= offered
