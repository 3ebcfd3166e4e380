"""seed_demo's API part: a personal token of the demo inspector (as the offline app would hold) and a
service token the office issued to the leadership account for the city's reports, with a few uses each.
The secrets are made from the demo's seed (the same arguments give the same tokens) and printed once."""

from __future__ import annotations

import string

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import tokens
from .models import ApiToken, ApiTokenUse

DEMO_TOKENS = [
    # (owner, created by, purpose)
    ("inspector", "inspector", "演示：离线检查 App"),
    ("leader", "office", "演示：市局报表服务令牌"),
]
ALPHABET = string.ascii_letters + string.digits + "-_"


def clear(ctx) -> None:
    users = get_user_model().objects.filter(username__in={u for u, _c, _n in DEMO_TOKENS} | {"office"})
    ApiToken.objects.filter(user__in=users).delete()
    ApiToken.objects.filter(created_by__in=users).delete()


def seed(ctx) -> None:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["inspector", "leader", "office"])
    }
    now = timezone.now()
    for owner, creator, name in DEMO_TOKENS:
        if owner not in users or creator not in users:
            continue
        secret = tokens.PREFIX + "".join(ctx.rng.choice(ALPHABET) for _ in range(43))
        token = ApiToken.objects.create(
            user=users[owner],
            name=name,
            prefix=secret[: tokens.SHOWN],
            digest=tokens.digest(secret),
            created_by=users[creator],
            last_used_at=now,
        )
        ApiTokenUse.objects.bulk_create(
            ApiTokenUse(token=token, method="GET", path=path, status=200, ip="127.0.0.1")
            for path in ("/api/v1/me/", "/api/v1/businesses/", "/api/v1/visits/")
        )
        ctx.report.append(f"API 令牌（{owner}，{name}）：{secret}（请求头 Authorization: Token 令牌）")
