"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

The policies are settings (WUXIAO_CSP, WUXIAO_PERMISSIONS_POLICY: directive -> sources) so an app that
needs one more source adds it there, narrowly, instead of switching the header off.
"""

from django.conf import settings


def _header(directives: dict[str, str], *, sep: str) -> str:
    return "; ".join(f"{name}{sep}{value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = _header(settings.WUXIAO_CSP, sep=" ")
        self.permissions = ", ".join(f"{k}={v}" for k, v in settings.WUXIAO_PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
