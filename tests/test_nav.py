"""The menu is derived from the access rules (issue 20): every entry a role is shown opens (200), every entry
it is not shown is closed to it (404, or a redirect to the page that role works from), so a link and its
permission cannot disagree. The browser page walk visits the shown entries at phone and desktop width."""

import pytest
from django.urls import reverse

from accounts import nav
from tests import factories as f
from tests.factories_enforcement import enforcement_user


@pytest.fixture
def every_role(village):
    shop = f.BusinessFactory(village=village)
    return {
        "office": f.user_with_role("office", "nav_office"),
        "leader": f.user_with_role("leader", "nav_leader"),
        "supervisor": f.user_with_role("supervisor", "nav_supervisor"),
        "department": f.user_with_role("department", "nav_agri", department=f.department("agri_office")),
        "enforcement": enforcement_user("nav_enforce"),
        "inspector": f.user_with_role("inspector", "nav_inspector", village=village),
        "business": f.user_with_role("business", "nav_shop", business=shop),
        "city_leader": f.user_with_role("city_leader", "nav_city"),  # O5 / issue 24
        "city_bureau": f.user_with_role("city_bureau", "nav_city_drug", department=f.department("city_drug")),
        "no_role": f.UserFactory(username="nav_nobody"),
    }


@pytest.mark.django_db
def test_each_role_opens_exactly_the_entries_it_is_shown(client, every_role):
    for role, user in every_role.items():
        client.force_login(user)
        shown = {e.url_name for e in nav.entries_for(user)}
        for entry in nav.entries():
            response = client.get(entry.url, follow=True)
            final = response.redirect_chain[-1][0] if response.redirect_chain else entry.url
            if entry.url_name in shown:
                assert response.status_code == 200, (role, entry.url_name)
            else:
                # Closed: a 404, or sent on to the role's own page (a shop's 台账追溯 is its own ledger).
                assert response.status_code == 404 or final != entry.url, (role, entry.url_name)


@pytest.mark.django_db
def test_menu_drawn_is_the_menu_declared(client, every_role):
    """The page's nav holds a link for each shown entry and none for the others."""
    for role, user in every_role.items():
        client.force_login(user)
        html = client.get(reverse("notifications:inbox")).content.decode()
        shown = {e.url_name for e in nav.entries_for(user)}
        for entry in nav.entries():
            assert (f'href="{entry.url}"' in html) == (entry.url_name in shown), (role, entry.url_name)


@pytest.mark.django_db
def test_spot_check_draws_are_not_offered_to_departments_or_inspectors(every_role):
    """The issue's finding: 随机抽查 was in every menu and answered 404 to most."""
    for role in ("department", "enforcement", "inspector", "business"):
        assert "inspections:draw_list" not in {e.url_name for e in nav.entries_for(every_role[role])}, role
    assert "inspections:draw_list" in {e.url_name for e in nav.entries_for(every_role["leader"])}


@pytest.mark.django_db
def test_current_page_is_marked_by_the_longest_entry(every_role):
    office = every_role["office"]
    menu = nav.menu_for(office, "/dashboard/ranking/")
    active = [c.label for item in menu for c in ([item, *item.children]) if c.active and c.url]
    assert [str(a) for a in active] == ["验收与排名"]
    menu = nav.menu_for(office, "/inspections/visits/12/")
    active = [c.label for item in menu for c in ([item, *item.children]) if c.active and c.url]
    assert [str(a) for a in active] == ["检查记录"]
