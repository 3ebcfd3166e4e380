"""Writes to users and their roles (the office's user management, issue 3)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib import kept

from . import access
from .audit import record_password_change
from .models import RoleAssignment

User = get_user_model()


def _role_key(role: RoleAssignment) -> tuple:
    return (role.kind, role.town_id, role.village_id, role.department_id, role.business_id)


@transaction.atomic
def user_save(
    *,
    user,
    roles: Iterable[RoleAssignment],
    password: str | None = None,
    actor=None,
    untouched: Iterable[RoleAssignment] = (),
):
    """Create or update a user with exactly `roles` (unsaved RoleAssignment instances: kind + scope).

    Town first (issue 24): the actor (when given) may grant roles in its own towns only
    (access.may_grant_role); `untouched` are roles among `roles` the actor may not manage (another town's,
    held already), which pass unchanged.

    Roles already held are kept as they are, missing ones removed, new ones added, so the audit trail
    shows only what changed. A password, when given, must pass AUTH_PASSWORD_VALIDATORS
    (at least 10 characters, not common, not all digits). Every active user needs a role.
    """
    roles = list(roles)
    if not user.is_active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if user.is_active and not roles and not user.is_superuser:
        raise ValidationError(_("请至少为用户分配一个角色。"))
    keys = [_role_key(r) for r in roles]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("同一角色（含范围）重复分配。"))
    if user.pk is None and not password:
        raise ValidationError({"password": _("新用户必须设置密码。")})
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    untouched_ids = {r.pk for r in untouched if r.pk is not None}
    for role in roles:
        if role.pk is not None and role.pk in untouched_ids:
            continue
        role.full_clean(exclude=["user"])
        if actor is not None and not access.may_grant_role(actor, role):
            raise ValidationError(
                _("不能分配“%(role)s”：只能为本镇（街道）分配角色，市级角色由系统管理员分配。")
                % {"role": role.get_kind_display()}
            )
    keys = [_role_key(r) for r in roles]  # with the towns clean() derived
    if len(set(keys)) != len(keys):
        raise ValidationError(_("同一角色（含范围）重复分配。"))
    user.full_clean(exclude=["password"])
    is_new = user.pk is None
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.save()
    if password and not is_new:
        record_password_change(actor, user)
    held = {_role_key(r): r for r in user.roles.all()}
    wanted = set(keys)
    for key, role in held.items():
        if key not in wanted:
            role.delete()
    for key, role in zip(keys, roles, strict=True):
        if key not in held:
            role.user = user
            role.pk = None
            role.save()
    # C3 counts lines a unit's own account entered: its figure moves with the account's unit roles.
    # (the business is the key's last part: the town came before it with issue 24)
    kept.businesses_changed({k[-1] for k in held} ^ {k[-1] for k in wanted})
    # reach() caches on the instance; a changed user must be re-read.
    user.__dict__.pop("_wuxiao_reach", None)
    return user


@transaction.atomic
def user_set_active(*, user, active: bool, actor=None):
    """Deactivate (or reactivate) an account. An inactive user cannot log in and loses any open session
    on its next request; nothing is deleted, so the history stays whole. The office cannot lock itself out.
    """
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user
