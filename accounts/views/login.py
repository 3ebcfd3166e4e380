"""Login with the lockout rules spelled out, and the page a locked-out user sees (django-axes)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


def security_facts() -> dict:
    """What the login and lockout pages tell users: the lockout rule and the idle timeout."""
    return {
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle": settings.SESSION_COOKIE_AGE // 60,
    }


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **security_facts()}


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Chinese lockout page, 429 Too Many Requests."""
    return render(request, "accounts/lockout.html", security_facts(), status=429)
