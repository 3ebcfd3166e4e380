"""The office manages users in the app (issue 3): list, create, edit roles and password, deactivate."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.scoping import reach
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "Dongfeng-2026-xyz"


def form_data(roles=(), initial=0, **fields):
    data = {
        "username": "zhou",
        "first_name": "周建平",
        "email": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(initial),
    }
    for i, role in enumerate(roles):
        for key, value in role.items():
            data[f"roles-{i}-{key}"] = value
    data.update(fields)
    return data


def test_list_shows_users_with_roles_in_constant_queries(
    office_client, village, django_assert_max_num_queries
):
    f.user_with_role("inspector", "luo", village=village)
    with django_assert_max_num_queries(20) as small:
        response = office_client.get(reverse("accounts:user_list"))
    assert "luo" in response.content.decode() and "村（社区）检查员（东村）" in response.content.decode()
    for i in range(10):
        f.user_with_role("department", f"dept{i}", department=f.department("aic"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office_client.get(reverse("accounts:user_list"), {"kind": "department"})
    assert len(response.context["page"].object_list) == 10


def test_create_user_with_two_roles(office_client, village):
    response = office_client.post(
        reverse("accounts:user_create"),
        form_data(
            roles=[
                {"kind": "inspector", "village": village.pk},
                {"kind": "department", "department": f.department("health").pk},
            ]
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhou")
    assert user.check_password(GOOD_PASSWORD) and user.first_name == "周建平"
    r = reach(user)
    assert r.villages == {village.pk} and r.departments == {f.department("health").pk}


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "太短"), ("1234567890123", "只包含数字"), ("password1234", "太常见")],
)
def test_password_validators_apply(office_client, village, password, message):
    response = office_client.post(
        reverse("accounts:user_create"),
        form_data(roles=[{"kind": "leader"}], password1=password, password2=password),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.filter(username="zhou").exists()


def test_role_scope_errors_are_explained_in_chinese(office_client):
    response = office_client.post(reverse("accounts:user_create"), form_data(roles=[{"kind": "inspector"}]))
    assert response.status_code == 200
    assert "该角色必须指定村（社区）" in str(response.context["formset"].errors)
    response = office_client.post(reverse("accounts:user_create"), form_data(roles=[]))
    assert "请至少为用户分配一个角色" in str(response.context["form"].non_field_errors())
    assert not User.objects.filter(username="zhou").exists()


def test_edit_keeps_unchanged_roles_and_records_only_the_change(office_client, village, other_village):
    user = f.user_with_role("inspector", "feng", village=village)
    kept = user.roles.get()
    data = form_data(
        roles=[
            {"id": kept.pk, "kind": "inspector", "village": village.pk},
            {"kind": "inspector", "village": other_village.pk},
        ],
        initial=1,
        username="feng",
        is_active="on",
        password1="",
        password2="",
    )
    before = LogEntry.objects.count()
    response = office_client.post(reverse("accounts:user_edit", args=[user.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert RoleAssignment.objects.filter(pk=kept.pk).exists()
    assert set(user.roles.values_list("village__code", flat=True)) == {"dongcun", "xicun"}
    # first_name changed (周建平) and one role added: two entries, nothing about the kept role
    assert LogEntry.objects.count() - before == 2
    page = office_client.get(reverse("accounts:user_edit", args=[user.pk])).content.decode()
    assert "角色分配" in page and "西村" in page  # the user's history, removed and added roles included


def test_edit_removes_a_role_and_sets_a_new_password(office_client, village):
    user = f.user_with_role("inspector", "feng", village=village)
    RoleAssignment.objects.create(user=user, kind="leader")
    inspector_role, leader_role = user.roles.order_by("pk")
    data = form_data(
        roles=[
            {"id": inspector_role.pk, "kind": "inspector", "village": village.pk, "DELETE": "on"},
            {"id": leader_role.pk, "kind": "leader"},
        ],
        initial=2,
        username="feng",
        is_active="on",
    )
    assert office_client.post(reverse("accounts:user_edit", args=[user.pk]), data).status_code == 302
    user.refresh_from_db()
    assert list(user.roles.values_list("kind", flat=True)) == ["leader"]
    assert user.check_password(GOOD_PASSWORD)
    password_entry = LogEntry.objects.get_for_object(user).filter(changes__has_key="password").get()
    assert password_entry.changes == {"password": ["******", "******"]}


def test_deactivated_user_is_logged_out_and_cannot_log_in(client, office, village):
    user = f.user_with_role("inspector", "feng", village=village)
    user.set_password(GOOD_PASSWORD)
    user.save()
    client.force_login(user)
    assert client.get(reverse("campaigns:business_list")).status_code == 200
    office_client = client.__class__()
    office_client.force_login(office)
    assert office_client.post(reverse("accounts:user_deactivate", args=[user.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    response = client.get(reverse("campaigns:business_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client.post(reverse("login"), {"username": "feng", "password": GOOD_PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_office_cannot_deactivate_itself(office_client, office):
    response = office_client.post(reverse("accounts:user_deactivate", args=[office.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    office.refresh_from_db()
    assert office.is_active


def test_navigation_shows_user_management_to_the_office_only(office_client, client, leader):
    assert (
        reverse("accounts:user_list")
        in office_client.get(reverse("campaigns:business_list")).content.decode()
    )
    client.force_login(leader)
    assert (
        reverse("accounts:user_list") not in client.get(reverse("campaigns:business_list")).content.decode()
    )


def test_office_cannot_take_over_a_superuser(office_client):
    root = User.objects.create_superuser("root", password="Root-password-2026")
    assert office_client.get(reverse("accounts:user_edit", args=[root.pk])).status_code == 404
    data = form_data(roles=[{"kind": "office"}], username="root", password1="x" * 12, password2="x" * 12)
    assert office_client.post(reverse("accounts:user_edit", args=[root.pk]), data).status_code == 404
    assert office_client.post(reverse("accounts:user_deactivate", args=[root.pk])).status_code == 404
    assert "root" not in office_client.get(reverse("accounts:user_list")).content.decode()
    root.refresh_from_db()
    assert root.check_password("Root-password-2026") and root.is_active


def test_office_cannot_deactivate_itself_through_the_form(office_client, office):
    role = office.roles.get()
    data = form_data(
        roles=[{"id": role.pk, "kind": "office"}],
        initial=1,
        username=office.username,
        password1="",
        password2="",
    )  # is_active left unticked
    response = office_client.post(reverse("accounts:user_edit", args=[office.pk]), data)
    assert "不能停用自己的账号" in str(response.context["form"].non_field_errors())
    office.refresh_from_db()
    assert office.is_active
