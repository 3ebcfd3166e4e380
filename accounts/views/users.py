"""The office's user management (issue 3): list, create, edit (roles, password), deactivate.

Only the office reaches these pages; to everyone else they do not exist (404).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib.forms import apply_service_errors
from lib.lists import list_page

from .. import access, services
from ..audit import history_rows, user_entries
from ..choices import RoleKind
from ..filters import UserFilter
from ..forms import RoleFormSet, UserForm
from ..models import LoginEvent, RoleAssignment

User = get_user_model()


def _office_only(request) -> None:
    if not access.can_manage_reference(request.user):
        raise Http404


def _manageable(request):
    """The users the office may manage. Superuser accounts only by a superuser: an office user resetting
    one's password would otherwise gain the whole admin. Town first (issue 24): in an install with several
    towns a town's office manages the people holding a role in its towns (and new users without one)."""
    if request.user.is_superuser:
        return User.objects.all()
    users = User.objects.filter(is_superuser=False)
    r = access.reach(request.user)
    if r.multi_town and not r.every_town:
        users = users.filter(
            Q(pk__in=RoleAssignment.objects.filter(town__in=r.office_towns).values("user_id"))
            | ~Q(pk__in=RoleAssignment.objects.values("user_id"))
        )
    return users


def _account(request, pk: int):
    return get_object_or_404(_manageable(request), pk=pk)


def _users(users):
    roles = RoleAssignment.objects.select_related("town", "village", "department", "business").order_by(
        "kind", "pk"
    )
    return users.prefetch_related(Prefetch("roles", queryset=roles)).order_by("-is_active", "username")


@login_required
def user_list(request):
    _office_only(request)
    users = _users(_manageable(request))
    listing = list_page(request, UserFilter, users)
    return render(
        request,
        "accounts/user_list.html",
        {
            **listing.context(),
            "q": request.GET.get("q", "").strip(),
            "kind": request.GET.get("kind", ""),
            "kinds": RoleKind.choices,
        },
    )


def _wanted_roles(formset, kept: list[RoleAssignment]) -> list[RoleAssignment]:
    """The roles the form asks for, plus `kept`: the ones the actor may not manage (another town's),
    which stay as they are."""
    deleted = set(map(id, formset.deleted_forms))
    roles = []
    for form in formset.forms:
        if id(form) in deleted or not form.cleaned_data or not form.cleaned_data.get("kind"):
            continue
        data = form.cleaned_data
        roles.append(
            RoleAssignment(
                kind=data["kind"],
                town=data.get("town"),
                village=data.get("village"),
                department=data.get("department"),
                business=data.get("business"),
            )
        )
    return roles + kept


def _user_form_page(request, user):
    form = UserForm(request.POST or None, instance=user)
    roles = user.roles.select_related("business__village") if user.pk else RoleAssignment.objects.none()
    # Issue 24: another town's roles of the same person are neither shown nor changed here.
    held = list(roles)
    kept = [r for r in held if not access.may_grant_role(request.user, r)]
    roles = roles.exclude(pk__in=[r.pk for r in kept])
    formset = RoleFormSet(
        request.POST or None, queryset=roles, prefix="roles", form_kwargs={"actor": request.user}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = services.user_save(
                user=form.save(commit=False),
                roles=_wanted_roles(formset, kept),
                password=form.cleaned_data.get("password1") or None,
                actor=request.user,
                untouched=kept,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, rename=lambda key: "password1" if key == "password" else key)
        else:
            messages.success(request, _("已保存用户“%(name)s”。") % {"name": saved.username})
            return redirect("accounts:user_edit", pk=saved.pk)
    context = {"form": form, "formset": formset, "account": user if user.pk else None}
    if user.pk:
        context["history"] = history_rows(user_entries(user)[:30])
        context["logins"] = LoginEvent.objects.filter(user=user)[:10]
    return render(request, "accounts/user_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _office_only(request)
    return _user_form_page(request, User())


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _office_only(request)
    return _user_form_page(request, _account(request, pk))


@login_required
@require_POST
def user_deactivate(request, pk: int):
    _office_only(request)
    user = _account(request, pk)
    try:
        services.user_set_active(user=user, active=False, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.warning(request, _("已停用用户“%(name)s”。") % {"name": user.username})
    return redirect("accounts:user_list")
