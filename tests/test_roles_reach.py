"""Each role's reach on businesses and licences (issue 3): list, detail, edit, licence edit.

Out of reach is a 404, never a 403: nobody learns that the object exists.
"""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(village, other_village):
    """A grocery in `village` holding only its business licence (unlicensed: 食品流通许可证 missing) and
    a fully licensed restaurant in `other_village`."""
    grocery = f.BusinessFactory(name="东村士多", category=f.category("grocery"), village=village)
    grocery_licence = f.LicenceFactory(business=grocery, licence_type=f.licence_type("business"))
    restaurant = f.BusinessFactory(name="西村饭店", category=f.category("restaurant"), village=other_village)
    restaurant_licence = f.licensed(restaurant)[0]
    return {"grocery": (grocery, grocery_licence), "restaurant": (restaurant, restaurant_licence)}


def _user(kind, village, grocery):
    if kind == "aic":
        return f.user_with_role("department", "r_aic", department=f.department("aic"))
    if kind == "enforce":
        return f.user_with_role("department", "r_enforce", department=f.department("enforcement"))
    if kind == "inspector":
        return f.user_with_role("inspector", "r_inspector", village=village)
    if kind == "business":
        return f.user_with_role("business", "r_shop", business=grocery)
    return f.user_with_role(kind, f"r_{kind}")


# role -> (what it reads, what it changes) among the two shops.
REACH = {
    "office": ({"grocery", "restaurant"}, {"grocery", "restaurant"}),
    "leader": ({"grocery", "restaurant"}, set()),
    "supervisor": ({"grocery", "restaurant"}, set()),
    "aic": ({"grocery"}, {"grocery"}),  # 工商分局 leads groceries
    "enforce": ({"grocery"}, {"grocery"}),  # the enforcement branch: businesses missing licences
    "inspector": ({"grocery"}, {"grocery"}),  # own village, every category
    "business": (set(), set()),  # its own ledger only, not the roster
}


@pytest.mark.parametrize("role", sorted(REACH))
def test_role_reach_on_businesses_and_licences(client, role, shops, village):
    reads, writes = REACH[role]
    client.force_login(_user(role, village, shops["grocery"][0]))
    response = client.get(reverse("campaigns:business_list"))
    if role == "business":  # not in its menu, not open to it (issue 20)
        assert response.status_code == 404
    else:
        assert {b.name for b in response.context["page"].object_list} == {shops[k][0].name for k in reads}
    for key, (business, licence) in shops.items():
        read, write = key in reads, key in writes
        pages = {
            "detail": (reverse("campaigns:business_detail", args=[business.pk]), read),
            "history": (reverse("campaigns:business_history", args=[business.pk]), read),
            "edit": (reverse("campaigns:business_edit", args=[business.pk]), write),
            "licence add": (reverse("campaigns:licence_add", args=[business.pk]), write),
            "licence edit": (reverse("campaigns:licence_edit", args=[licence.pk]), write),
            "licence renew": (reverse("campaigns:licence_renew", args=[licence.pk]), write),
            "licence revoke": (reverse("campaigns:licence_revoke", args=[licence.pk]), write),
        }
        for page, (url, allowed) in pages.items():
            assert client.get(url).status_code == (200 if allowed else 404), f"{role} {page} {key}"
        # A refused write does not happen through POST either.
        if not write:
            assert client.post(pages["licence revoke"][0], {"reason": "x"}).status_code == 404
            licence.refresh_from_db()
            assert licence.state == "valid"


@pytest.mark.parametrize("role", ["leader", "supervisor", "aic", "inspector", "business"])
def test_only_the_office_reaches_user_management(client, role, shops, village, office):
    client.force_login(_user(role, village, shops["grocery"][0]))
    for url in (
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", args=[office.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("accounts:user_deactivate", args=[office.pk])).status_code == 404
    office.refresh_from_db()
    assert office.is_active
