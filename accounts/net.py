"""The client's address, as the login lockout and the login record see it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind WUXIAO_PROXY_COUNT trusted proxies the address they forwarded.

    Only the proxies' own entries of X-Forwarded-For are trusted (counted from the right): a client
    cannot dodge the lockout by sending a forged header.
    """
    proxies = getattr(settings, "WUXIAO_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
