"""P2 × U1: a visit's assigned inspectors reach it wherever the business is, but only while they still hold
an inspector, department or office role (review of issues 7/8)."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from inspections import services
from inspections.choices import VisitKind
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(office, village, other_inspector):
    """A spot-check style visit in `village` assigned to the inspector of another village."""
    shop = f.BusinessFactory(name="东村小餐馆", village=village)
    return services.visit_start(
        business=shop, user=office, kind=VisitKind.RANDOM, inspectors=[other_inspector]
    )


def pages(visit):
    return reverse("inspections:visit_detail", args=[visit.pk]), reverse(
        "inspections:visit_edit", args=[visit.pk]
    )


def test_drawn_inspector_opens_the_visit_from_another_village(client, other_inspector, drawn):
    client.force_login(other_inspector)
    for url in pages(drawn):
        assert client.get(url).status_code == 200


def test_removed_roles_remove_the_assigned_visit(client, other_inspector, drawn):
    RoleAssignment.objects.filter(user=other_inspector).delete()
    client.force_login(other_inspector)
    for url in pages(drawn):
        assert client.get(url).status_code == 404
    assert client.post(pages(drawn)[1], {"action": "submit"}).status_code == 404


def test_a_business_account_named_on_a_visit_does_not_reach_it(client, other_inspector, drawn):
    RoleAssignment.objects.filter(user=other_inspector).delete()
    own = f.BusinessFactory(name="西村副食店")
    RoleAssignment.objects.create(user=other_inspector, kind="business", business=own)
    client.force_login(other_inspector)
    for url in pages(drawn):
        assert client.get(url).status_code == 404
    assert drawn.get_absolute_url() not in client.get(reverse("inspections:visit_list")).content.decode()
