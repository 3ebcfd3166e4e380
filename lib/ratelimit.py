"""A fixed-window rate limit in the cache (Redis in production): one INCR per request, no query.

if ratelimit.exceeded("public-page", client_digest, limit=60, window=60): answer 429
"""

from __future__ import annotations

import time

from django.core.cache import cache


def exceeded(scope: str, client: str, *, limit: int, window: int = 60) -> bool:
    """Count one request of `client` in the current window; True once it is past `limit` in that window."""
    slot = int(time.time()) // window
    key = f"wuxiao:rate:{scope}:{client}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def retry_after(window: int = 60) -> int:
    """Seconds until the current window ends (the Retry-After header)."""
    return window - int(time.time()) % window
