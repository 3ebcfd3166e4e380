"""No personal data in logs: a logging filter that masks phone and ID-card numbers.

Installed on the console handler in settings.LOGGING, so it covers Django's request warnings, axes'
lockout messages (usernames may be phone numbers) and anything an app logs.
"""

import logging
import re

# Mainland mobile numbers (11 digits from 1[3-9]), landlines with area code, 18-character ID numbers.
_PATTERNS = [
    re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])"),  # resident ID number
    re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)"),  # mobile
    re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)"),  # landline
]


def redact(text: str) -> str:
    """Keep the first and last digits so an operator can still tell entries apart, mask the middle."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return text


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
