"""Spam and flood protection for the public tip-off form, with no outside service (township networks are
offline): a honeypot field, a signed timestamp proving a minimum fill time, and a per-address rate limit
in the cache (Redis when REDIS_URL is set, local memory otherwise).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from accounts.net import client_ip

from .choices import SpamReason

TOKEN_SALT = "wuxiao.tipoff.form"
# A person needs more than a few seconds to describe a problem; scripts post at once.
MIN_FILL_SECONDS = 4
# A form older than this must be reloaded (the token is refused as expired, not as spam).
MAX_FORM_AGE_SECONDS = 24 * 3600
RATE_LIMIT_PER_HOUR = 5
RATE_WINDOW_SECONDS = 3600


def form_token(now: float | None = None) -> str:
    """The signed issue time put in a hidden field when the form is shown."""
    # A random nonce: two forms shown in the same second get different tokens (each is single-use).
    return signing.dumps(
        {"t": int(now if now is not None else time.time()), "n": secrets.token_hex(8)}, salt=TOKEN_SALT
    )


class TokenExpired(Exception):
    pass


def token_spam_reason(token: str, now: float | None = None) -> str:
    """'' if the token is genuine and old enough; a SpamReason otherwise. Raises TokenExpired if stale."""
    now = now if now is not None else time.time()
    try:
        issued = int(signing.loads(token or "", salt=TOKEN_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return SpamReason.BAD_TOKEN
    if now - issued > MAX_FORM_AGE_SECONDS:
        raise TokenExpired
    if now - issued < MIN_FILL_SECONDS:
        return SpamReason.TOO_FAST
    return ""


def claim_token(token: str) -> bool:
    """True the first time a genuine token is used, False ever after: one form shown, one tip-off.

    A reused token is a script replaying one form (or a double click): the caller stores the repeat
    flagged as spam (BAD_TOKEN). The mark lives in the cache as long as a token is accepted at all.
    """
    digest = hashlib.sha256(f"{TOKEN_SALT}:{token}".encode()).hexdigest()
    return cache.add(f"wuxiao:tipoff-token:{digest}", 1, MAX_FORM_AGE_SECONDS + 60)


def client_hash(request) -> str:
    """An irreversible digest of the client's address: enough to count and group, not to identify."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"tipoff:{client_ip(request) or ''}".encode(), hashlib.sha256).hexdigest()


def _rate_key(digest: str) -> str:
    return f"wuxiao:tipoff-rate:{digest}"


def _refused_key() -> str:
    return f"wuxiao:tipoff-refused:{timezone.localdate():%Y%m%d}"


def rate_limited(digest: str) -> bool:
    """True when this address has already sent RATE_LIMIT_PER_HOUR tip-offs in the current window."""
    return (cache.get(_rate_key(digest)) or 0) >= RATE_LIMIT_PER_HOUR


def count_submission(digest: str) -> None:
    key = _rate_key(digest)
    cache.add(key, 0, RATE_WINDOW_SECONDS)  # the window starts with the first submission
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)


def count_refused() -> None:
    """Submissions over the limit are not stored (that is what the limit is for) but are counted per day,
    so the office sees that a flood happened."""
    key = _refused_key()
    cache.add(key, 0, 2 * 24 * 3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 2 * 24 * 3600)


def refused_today() -> int:
    return cache.get(_refused_key()) or 0
