"""Rate limits per token (machine clients) and per user (browser sessions), counted in the cache."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):
    """`token` rate for a request made with a token (each token its own budget, so a leaked or runaway
    client is held without holding its user's other tokens), `session` rate per signed-in user."""

    scope = "session"

    def __init__(self):  # the rate depends on the request: chosen in allow_request
        pass

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = "token" if isinstance(request.auth, ApiToken) else "session"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"throttle_token_{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"throttle_user_{request.user.pk}"
        return None
