"""Token authentication as a middleware, ahead of the audit trail's: a request made with a token is that
token's user for everything that follows (django-auditlog's actor, the access layer, the views), and
leaves one ApiTokenUse row when it is answered."""

from __future__ import annotations

from django.utils import timezone

from accounts.net import client_ip

from . import services, tokens


class TokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_token = None
        request.api_token_error = False
        header = request.META.get("HTTP_AUTHORIZATION", "")
        secret = tokens.from_header(header) if header and request.path.startswith("/api/") else None
        if secret is not None:
            token = services.token_for_secret(secret) if secret else None
            if token is None:
                request.api_token_error = True
            else:
                request.api_token = token
                request.user = token.user
                # A token is not a cookie: a cross-site page cannot send it, so CSRF does not apply.
                request._dont_enforce_csrf_checks = True
        response = self.get_response(request)
        if request.api_token is not None:
            services.token_use_record(
                token=request.api_token,
                method=request.method,
                path=request.path,
                status=response.status_code,
                ip=client_ip(request),
                now=timezone.now(),
            )
        return response
