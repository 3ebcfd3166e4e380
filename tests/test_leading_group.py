"""O1, issue 24: the town's leading group (领导小组) and its office belong to the town's campaign.

A new campaign of a town keeps the town's group — the members of the town's previous campaign are copied
onto it when its office sets it up (本镇专项, services.town_campaign_save) — and the office adds, changes
and removes its own town's members on 领导小组 (audited). Another town's office, the departments, the
inspectors and the city's roles get 404 (town first, through the access layer).
"""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from campaigns import selectors
from campaigns.models import Campaign, LeadingGroupMember
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LIST = reverse("campaigns:leading_groups")


@pytest.fixture
def two_towns(village):
    """测试镇 (A) with last year's campaign and its group of three, 第二镇 (B) with its own group; both
    towns run the city's campaign this year; an office in each."""
    a = village.town
    b = f.TownFactory(name="第二镇", code="dier")
    f.VillageFactory(town=b, name="南村", code="dier-nancun")
    Campaign.objects.update(is_current=False)
    city = Campaign.objects.create(
        name="全市专项", starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=200)
    )
    last = Campaign.objects.create(
        name="测试镇上一期专项",
        town=a,
        starts_on=TODAY - datetime.timedelta(days=365),
        ends_on=TODAY - datetime.timedelta(days=185),
        is_current=False,
    )
    economy = f.department("economy")
    for order, (name, position, role, dept) in enumerate(
        [
            ("梁永强", "镇长", "director", None),
            ("叶创新", "镇经贸办主任", "office_director", economy),
            ("莫锦柱", "镇农业办主任", "office_deputy", None),
        ]
    ):
        LeadingGroupMember.objects.create(
            campaign=last, name=name, position=position, role=role, department=dept, order=order
        )
    b_last = Campaign.objects.create(
        name="第二镇上一期专项",
        town=b,
        starts_on=TODAY - datetime.timedelta(days=300),
        ends_on=TODAY - datetime.timedelta(days=100),
        is_current=False,
    )
    LeadingGroupMember.objects.create(campaign=b_last, name="第二镇镇长", position="镇长", role="director")
    return {
        "a": a,
        "b": b,
        "city": city,
        "last": last,
        "office_a": f.user_with_role("office", "lg_office_a", town=a),
        "office_b": f.user_with_role("office", "lg_office_b", town=b),
    }


def setup_own(client, town):
    start = TODAY + datetime.timedelta(days=3)
    data = {
        "name": f"{town.name}本期专项",
        "starts_on": start.isoformat(),
        "p1_ends_on": (start + datetime.timedelta(days=90)).isoformat(),
        "ends_on": (start + datetime.timedelta(days=150)).isoformat(),
    }
    return client.post(reverse("campaigns:town_campaign_edit", args=[town.pk]), data, follow=True)


def group(campaign) -> list[tuple]:
    return list(
        campaign.leading_group.order_by("order").values_list("name", "position", "role", "department")
    )


def test_o1_a_new_town_campaign_keeps_the_towns_leading_group(client, two_towns):
    """Issue 24, O1: the office of 测试镇 sets up this year's campaign; it starts with last year's group
    (names, posts, roles, departments, order) — its own town's, not 第二镇's — and the page says so."""
    client.force_login(two_towns["office_a"])
    response = setup_own(client, two_towns["a"])
    assert "新专项沿用了本镇上一期专项的领导小组（3 人）" in response.content.decode()
    own = Campaign.current(two_towns["a"])
    assert own.town == two_towns["a"] and own != two_towns["city"]
    assert group(own) == group(two_towns["last"]) and len(group(own)) == 3
    assert "第二镇镇长" not in {m[0] for m in group(own)}
    assert two_towns["last"].leading_group.count() == 3  # copied, not moved
    # Changing the campaign's dates later copies nothing again.
    setup_own(client, two_towns["a"])
    assert own.leading_group.count() == 3
    # The copies are audited like members the office adds.
    assert (
        LogEntry.objects.get_for_model(LeadingGroupMember).filter(action=LogEntry.Action.CREATE).count() >= 3
    )


def test_o1_a_towns_first_own_campaign_starts_empty_when_it_never_had_a_group(client, two_towns):
    """A town that never ran a campaign of its own has no group to keep (the city's is not the town's)."""
    LeadingGroupMember.objects.create(
        campaign=two_towns["city"], name="市领导", position="副市长", role="director"
    )
    third = f.TownFactory(name="第三镇", code="disan")
    office = f.user_with_role("office", "lg_office_c", town=third)
    client.force_login(office)
    setup_own(client, third)
    assert not Campaign.current(third).leading_group.exists()


def test_o1_a_single_town_installs_group_follows_it_to_its_own_campaign(client, village, office):
    """In a single-town install a campaign of no town is the town's: its group is kept by the town's own."""
    Campaign.objects.update(is_current=False)
    old = Campaign.objects.create(name="专项", starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=200))
    LeadingGroupMember.objects.create(
        campaign=old, name="叶创新", position="镇经贸办主任", role="office_director"
    )
    client.force_login(office)
    setup_own(client, village.town)
    own = Campaign.current(village.town)
    assert own.town == village.town and [m[0] for m in group(own)] == ["叶创新"]


def test_o1_the_office_adds_changes_and_removes_its_towns_members(client, two_towns):
    client.force_login(two_towns["office_a"])
    setup_own(client, two_towns["a"])
    own = Campaign.current(two_towns["a"])
    page = client.get(LIST)
    rows = page.context["rows"]
    assert [(town, campaign) for town, campaign, _m in rows] == [(two_towns["a"], own)]
    assert [m.name for m in rows[0][2]] == ["梁永强", "叶创新", "莫锦柱"]
    add = reverse("campaigns:leading_group_add", args=[two_towns["a"].pk])
    refused = client.post(add, {"name": "", "position": "镇卫生院院长", "role": "member", "order": 5})
    assert refused.status_code == 200 and refused.context["form"].errors["name"]
    assert (
        client.post(
            add, {"name": "何丽芳", "position": "镇卫生院院长", "role": "member", "order": 5}
        ).status_code
        == 302
    )
    added = own.leading_group.get(name="何丽芳")
    edit = reverse("campaigns:leading_group_member_edit", args=[added.pk])
    data = {"name": "何丽芳", "position": "镇经贸办副主任", "role": "office_deputy", "order": 5}
    assert client.post(edit, data).status_code == 302
    added.refresh_from_db()
    assert (added.position, added.role) == ("镇经贸办副主任", "office_deputy")
    leaving = own.leading_group.get(name="莫锦柱")
    assert client.post(reverse("campaigns:leading_group_member_remove", args=[leaving.pk])).status_code == 302
    assert [m[0] for m in group(own)] == ["梁永强", "叶创新", "何丽芳"]
    assert two_towns["last"].leading_group.filter(name="莫锦柱").exists()  # last year's group unchanged
    actions = set(LogEntry.objects.get_for_object(added).values_list("action", "actor"))
    assert {
        (LogEntry.Action.CREATE, two_towns["office_a"].pk),
        (LogEntry.Action.UPDATE, two_towns["office_a"].pk),
    } <= actions
    deleted = LogEntry.objects.get_for_model(LeadingGroupMember).filter(object_pk=str(leaving.pk))
    assert deleted.filter(action=LogEntry.Action.DELETE, actor=two_towns["office_a"]).exists()


def test_o1_another_towns_office_and_other_roles_get_404(client, two_towns):
    """Issue 24, town first: 第二镇's office neither sees nor touches 测试镇's group; other roles get 404."""
    client.force_login(two_towns["office_a"])
    setup_own(client, two_towns["a"])
    member = Campaign.current(two_towns["a"]).leading_group.get(name="叶创新")
    edit = reverse("campaigns:leading_group_member_edit", args=[member.pk])
    remove = reverse("campaigns:leading_group_member_remove", args=[member.pk])
    add_a = reverse("campaigns:leading_group_add", args=[two_towns["a"].pk])
    client.force_login(two_towns["office_b"])
    assert [town for town, _c, _m in client.get(LIST).context["rows"]] == [two_towns["b"]]
    assert client.get(edit).status_code == 404
    assert (
        client.post(edit, {"name": "改", "position": "改", "role": "member", "order": 0}).status_code == 404
    )
    assert client.post(remove).status_code == 404
    assert client.get(add_a).status_code == 404
    others = [
        f.user_with_role("leader", "lg_leader", town=two_towns["a"]),
        f.user_with_role("inspector", "lg_inspector", village=two_towns["a"].villages.first()),
        f.user_with_role("department", "lg_dept", department=f.department("aic")),
        f.user_with_role("city_leader", "lg_city"),
    ]
    for user in others:
        client.force_login(user)
        assert client.get(LIST).status_code == 404
        assert client.get(edit).status_code == 404
        assert client.post(remove).status_code == 404
    member.refresh_from_db()
    assert member.name == "叶创新"


def test_o1_a_town_on_the_citys_campaign_is_asked_to_set_up_its_own_first(client, two_towns):
    """第二镇 still runs the city's campaign: its group has nowhere to live yet — a message, not a 500."""
    client.force_login(two_towns["office_b"])
    rows = client.get(LIST).context["rows"]
    assert rows == [(two_towns["b"], None, [])]
    response = client.get(reverse("campaigns:leading_group_add", args=[two_towns["b"].pk]), follow=True)
    assert "请先在“本镇专项”设立本镇专项" in response.content.decode()
    assert selectors.leading_group_campaigns([two_towns["b"]]) == {two_towns["b"].pk: None}


def test_o1_a_town_campaign_added_in_the_admin_keeps_the_towns_group(client, two_towns):
    """The admin (a superuser's, in a city install) adding a town's campaign with no member of its own."""
    client.force_login(f.UserFactory(username="lg_root", is_staff=True, is_superuser=True))
    data = {
        "name": "测试镇新一期专项",
        "town": two_towns["a"].pk,
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=100)).isoformat(),
        "is_current": "on",
        "e_ledger_goal": 50,
    }
    for prefix in ("phases", "leading_group"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:campaigns_campaign_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Campaign.objects.get(name="测试镇新一期专项")
    assert group(added) == group(two_towns["last"])


def test_o1_the_page_reads_a_constant_number_of_queries_whatever_the_towns(client, two_towns):
    """Issue 24: an office of every town (a superuser) lists every town's group in the same queries as one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(f.UserFactory(username="lg_super", is_staff=True, is_superuser=True))
    for town in (two_towns["a"], two_towns["b"]):
        setup_own(client, town)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    two = count()
    for n in range(3):
        town = f.TownFactory(name=f"添镇{n}", code=f"tian{n}")
        setup_own(client, town)
        Campaign.current(town).leading_group.create(name=f"镇长{n}", position="镇长", role="director")
    rows = client.get(LIST).context["rows"]
    assert len(rows) == 5 and all(campaign is not None and members for _t, campaign, members in rows)
    assert count() == two
