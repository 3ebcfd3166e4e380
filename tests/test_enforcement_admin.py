"""Django admin for the enforcement tools (issue 7): every page loads for a superuser; a draw (and its pairs)
cannot be changed or deleted there, tip-offs and cases cannot be deleted, and the tipster's contact shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.choices import SampleKind, TipOffStatus
from inspections.models import Sample, SpotCheckDraw, TipOffPhoto
from inspections.services import sampling
from inspections.services.spotchecks import spotcheck_draw
from tests import factories as f
from tests.factories_enforcement import TipOffFactory, UnlicensedCaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def world(village, inspector, office):
    shop = f.BusinessFactory(village=village)
    draw = spotcheck_draw(
        user=office, title="验收抽查", pool_users=[inspector, office], planned_on=TODAY, count=1, team_size=1
    )
    tip = TipOffFactory(
        village=village,
        business=shop,
        status=TipOffStatus.ASSIGNED,
        lead_department=f.department("aic"),
        contact_phone="13900002222",
    )
    photo = TipOffPhoto.objects.create(tipoff=tip, image="tipoffs/walk.jpg", width=10, height=10)
    sample = sampling.sample_register(
        sample=Sample(
            number="CY-ADMIN-1",
            business=shop,
            kind=SampleKind.FOOD,
            product="散装白酒",
            quantity="2瓶",
            lab="县检测中心",
            sampled_on=TODAY - datetime.timedelta(days=3),
        ),
        user=office,
    )
    return {
        "spotcheckdraw": draw,
        "spotcheckpair": draw.pairs.get(),
        "sample": sample,
        "tipoff": tip,
        "tipoffphoto": photo,
        "unlicensedcase": UnlicensedCaseFactory(business=shop),
    }


def admin_url(name: str, action: str, *args) -> str:
    return reverse(f"admin:inspections_{name}_{action}", args=args)


def delete(client, name, pk) -> int:
    return client.post(admin_url(name, "delete", pk), {"post": "yes"}).status_code


@pytest.mark.parametrize(
    "name", ["spotcheckdraw", "spotcheckpair", "sample", "tipoff", "tipoffphoto", "unlicensedcase"]
)
def test_changelist_and_change_page_load_for_a_superuser(admin_client, world, name):
    assert admin_client.get(admin_url(name, "changelist")).status_code == 200
    assert admin_client.get(admin_url(name, "change", world[name].pk)).status_code == 200


def test_a_draw_cannot_be_changed_added_or_deleted(admin_client, world):
    draw = world["spotcheckdraw"]
    before = (draw.seed, draw.title, draw.digest)
    response = admin_client.post(admin_url("spotcheckdraw", "change", draw.pk), {"title": "改", "seed": 7})
    assert response.status_code == 403
    assert admin_client.get(admin_url("spotcheckdraw", "delete", draw.pk)).status_code == 403
    assert delete(admin_client, "spotcheckdraw", draw.pk) == 403
    assert admin_client.get(admin_url("spotcheckdraw", "add")).status_code == 403
    # Nor through the changelist's bulk delete action.
    admin_client.post(
        admin_url("spotcheckdraw", "changelist"),
        {"action": "delete_selected", "_selected_action": [draw.pk], "post": "yes"},
    )
    draw.refresh_from_db()
    assert (draw.seed, draw.title, draw.digest) == before
    pair = world["spotcheckpair"]
    assert delete(admin_client, "spotcheckpair", pair.pk) == 403
    assert SpotCheckDraw.objects.filter(pk=draw.pk).exists() and draw.pairs.count() == 1


def test_tipoffs_and_cases_cannot_be_deleted_and_contact_is_visible(admin_client, world):
    tip = world["tipoff"]
    assert delete(admin_client, "tipoff", tip.pk) == 403
    case = world["unlicensedcase"]
    assert delete(admin_client, "unlicensedcase", case.pk) == 403
    assert "13900002222" in admin_client.get(admin_url("tipoff", "change", tip.pk)).content.decode()
    assert "13900002222" in admin_client.get(admin_url("tipoff", "changelist")).content.decode()


def test_non_staff_office_user_is_sent_to_the_admin_login(client, office, world):
    client.force_login(office)
    response = client.get(admin_url("tipoff", "changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def staff_viewer(*perms, role=None):
    """A staff user with view permission on some enforcement models and, optionally, a role."""
    from django.contrib.auth.models import Permission

    user = f.user_with_role(role, "staff_viewer") if role else f.UserFactory(username="staff_viewer")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="inspections", codename__in=perms)
    )
    return user


def test_tipster_contact_shows_in_admin_only_to_the_office(client, world):
    """W5: the tipster's name and phone are the office's; other staff with view permission see the
    tip-off without them, and cannot search by them."""
    tip = world["tipoff"]
    tip.contact_name = "热心群众甲"
    tip.save()
    viewer = staff_viewer("view_tipoff", role="leader")
    client.force_login(viewer)
    for url in (admin_url("tipoff", "changelist"), admin_url("tipoff", "change", tip.pk)):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "13900002222" not in body and "热心群众甲" not in body and tip.reference in body
    found = client.get(admin_url("tipoff", "changelist"), {"q": "13900002222"})
    assert tip.reference not in found.content.decode()
    office_staff = f.user_with_role("office", "office_staff")
    office_staff.is_staff = True
    office_staff.save()
    office_staff.user_permissions.set(viewer.user_permissions.all())
    client.force_login(office_staff)
    body = client.get(admin_url("tipoff", "change", tip.pk)).content.decode()
    assert "13900002222" in body and "热心群众甲" in body


def test_tipoff_admin_is_read_only(admin_client, world, village):
    """Status, business, lead department, reward and the tipster's words change only on the tip-off page."""
    tip = world["tipoff"]
    other = f.BusinessFactory(village=village, name="改关联")
    response = admin_client.post(
        admin_url("tipoff", "change", tip.pk),
        {"status": TipOffStatus.PROVEN, "business": other.pk, "content": "改写", "reward_amount": "500"},
    )
    assert response.status_code == 403
    before = (tip.status, tip.business_id, tip.content, tip.reward_amount, tip.lead_department_id)
    tip.refresh_from_db()
    assert (tip.status, tip.business_id, tip.content, tip.reward_amount, tip.lead_department_id) == before
    body = admin_client.get(admin_url("tipoff", "change", tip.pk)).content.decode()
    assert 'name="status"' not in body and 'name="content"' not in body


def test_samples_cannot_be_deleted_or_renumbered_in_admin(admin_client, world, village):
    sample = world["sample"]
    assert delete(admin_client, "sample", sample.pk) == 403
    admin_client.post(
        admin_url("sample", "changelist"),
        {"action": "delete_selected", "_selected_action": [sample.pk], "post": "yes"},
    )
    assert Sample.objects.filter(pk=sample.pk).exists()
    body = admin_client.get(admin_url("sample", "change", sample.pk)).content.decode()
    for name in ("number", "business", "visit", "result", "action"):
        assert f'name="{name}"' not in body, name
