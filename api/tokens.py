"""Making and reading token secrets (model-free): `wx_` + 43 url-safe characters (256 random bits)."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "wx_"
SHOWN = 10  # characters kept in clear (ApiToken.prefix) so a user can tell their tokens apart


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def from_header(value: str) -> str | None:
    """The secret in an `Authorization: Token <secret>` or `Bearer <secret>` header; None if no token
    scheme is used (another scheme is not ours to judge); "" when the scheme is ours but the value is bad."""
    scheme, _sep, rest = value.strip().partition(" ")
    if scheme.lower() not in ("token", "bearer"):
        return None
    rest = rest.strip()
    if not rest.startswith(PREFIX) or len(rest) > 100 or " " in rest:
        return ""
    return rest
