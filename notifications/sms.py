"""SMS through a small pluggable backend (no vendor built in).

settings.WUXIAO_SMS_BACKEND names a class with `send(phone, text) -> None` (raise on failure).
The default writes a log line with the number masked: no personal data in logs.
A vendor backend subclasses BaseSmsBackend in the installation's own package.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "notifications.sms.LogSmsBackend"


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678; short numbers keep only their last two digits."""
    digits = phone.strip()
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes what would be sent to the log (the number masked, the text's length only)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s (%d characters) via the log backend", mask_phone(phone), len(text))


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps sent messages in `outbox` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((phone, text))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(getattr(settings, "WUXIAO_SMS_BACKEND", DEFAULT_BACKEND))()
