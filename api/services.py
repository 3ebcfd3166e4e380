"""Writes for API tokens: create (the secret is returned once), revoke, and the record of each use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tokens
from .models import ApiToken, ApiTokenUse

# last_used_at is written at most this often per token: a busy client does not update the row each request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_LIVE_TOKENS = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once; never stored


@transaction.atomic
def token_create(*, user, name: str, created_by) -> NewToken:
    """A new token for `user` (a person for themself, or the office for a service account)."""
    name = (name or "").strip()
    if not user.is_active:
        raise ValidationError({"user": _("该用户已停用，不能创建令牌。")})
    if ApiToken.objects.live().filter(user=user).count() >= MAX_LIVE_TOKENS:
        raise ValidationError(
            {"name": _("每个用户最多 %(n)d 个有效令牌，请先吊销不用的令牌。") % {"n": MAX_LIVE_TOKENS}}
        )
    secret = tokens.new_secret()
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[: tokens.SHOWN],
        digest=tokens.digest(secret),
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke a token at once (the next request made with it is refused). Revoking twice is no error."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret whose user is still active, or None (one indexed query)."""
    return (
        ApiToken.objects.live()
        .select_related("user")
        .filter(digest=tokens.digest(secret), user__is_active=True)
        .first()
    )


def token_use_record(
    *, token: ApiToken, method: str, path: str, status: int, ip: str | None, now: datetime.datetime
) -> None:
    """The audit of token use: one row per request, and the token's last-used time (coarsely)."""
    ApiTokenUse.objects.create(token=token, method=method[:8], path=path[:200], status=status, ip=ip)
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
