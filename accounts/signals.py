"""Logins, failed logins and logouts go on record (LoginEvent) through Django's auth signals.

These signals are the library's own hook for exactly this; nothing here is a business rule.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import IdleSessionMiddleware
from .models import LoginEvent
from .net import client_ip


def _record(kind: str, request, *, user=None, username: str = "") -> None:
    LoginEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or getattr(user, "username", "") or "")[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else "",
    )


@receiver(user_logged_in, dispatch_uid="accounts_login_event")
def on_login(sender, request, user, **kwargs):
    _record(LoginEvent.Kind.LOGIN, request, user=user)
    if request is not None and hasattr(request, "session"):
        IdleSessionMiddleware.stamp(request.session)  # login saves the session: the first page writes nothing


@receiver(user_login_failed, dispatch_uid="accounts_login_failed_event")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # credentials has the password already masked by Django; keep only the username.
    _record(LoginEvent.Kind.FAILED, request, username=credentials.get("username", ""))


@receiver(user_logged_out, dispatch_uid="accounts_logout_event")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(LoginEvent.Kind.LOGOUT, request, user=user)
