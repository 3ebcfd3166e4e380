"""Security headers on every response (Content-Security-Policy, Permissions-Policy; Cache-Control for a
signed-in user) and the refusal of junk input (NUL bytes, over-long values) before any view.

The policies are settings (WUXIAO_CSP, WUXIAO_PERMISSIONS_POLICY: directive -> sources) so an app that
needs one more source adds it there, narrowly, instead of switching the header off.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


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


# Longest value accepted in a query string (a search, a date, a page number: a few dozen characters are
# plenty) and in a submitted form field (a circular's paragraph is a few thousand characters).
MAX_QUERY_VALUE = 1000
MAX_FORM_VALUE = 20000


def _junk(params, limit: int, where: str) -> str:
    """A Chinese sentence naming the first parameter that cannot be a real value, or ''."""
    for key, values in params.lists():
        if "\x00" in key:
            return _("%(where)s中的参数名含有空字符（NUL），已拒绝。") % {"where": where}
        for value in values:
            if "\x00" in value:
                return _("%(where)s中的参数“%(key)s”含有空字符（NUL），已拒绝。") % {
                    "where": where,
                    "key": key[:40],
                }
            if len(value) > limit:
                return _("%(where)s中的参数“%(key)s”过长（%(n)d 个字符，最多 %(max)d 个），已拒绝。") % {
                    "where": where,
                    "key": key[:40],
                    "n": len(value),
                    "max": limit,
                }
    return ""


class RefuseJunkInputMiddleware:
    """A 400 with a clear Chinese page, before any view runs, for input no person types (issue 22).

    A NUL byte in a path, query or form value is refused (PostgreSQL cannot store it in text and raised a
    database error: a 500), and so is an over-long value (a 100,000-character "page" or "q").
    Uploaded files are not form values and are checked by their own validators.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = ""
        if "\x00" in request.path:
            reason = _("网址中含有空字符（NUL），已拒绝。")
        if not reason:
            reason = _junk(request.GET, MAX_QUERY_VALUE, _("网址"))
        if not reason and request.method == "POST":
            reason = _junk(request.POST, MAX_FORM_VALUE, _("提交的表单"))
        if reason:
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user: pages carry personal
    data (names, phones, tip-offs) that neither a shared proxy nor the browser's disk cache should keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            if "public" in response.get("Cache-Control", ""):
                response["Cache-Control"] = ", ".join(
                    p for p in response["Cache-Control"].split(", ") if not p.startswith("public")
                )
        return response


class IdleSessionMiddleware:
    """The idle timeout (WUXIAO_SESSION_IDLE_MINUTES) without a session write on every request.

    A session's expiry moves on when the session is saved. Saving it on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) made every page view, reads included, an UPDATE of the session row; here a
    request renews the session only when the last renewal is older than WUXIAO_SESSION_RENEW_SECONDS, so
    the timeout is exact to within that and a reader's pages write nothing (issue 26: the read path).
    """

    KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = settings.WUXIAO_SESSION_RENEW_SECONDS

    @classmethod
    def stamp(cls, session) -> None:
        """Mark the session renewed now (a login saves the session anyway, so its first page need not)."""
        session[cls.KEY] = int(timezone.now().timestamp())

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(timezone.now().timestamp())
            if now - session.get(self.KEY, 0) >= self.every:
                self.stamp(session)  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)
