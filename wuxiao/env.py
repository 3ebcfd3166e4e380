"""Typed readers for environment variables: a bad value stops start-up with one clear line, no traceback.

A configuration error is raised as `ConfigError`, a SystemExit carrying its message: whatever starts the
app (manage.py, gunicorn, celery) prints that one line on stderr and exits 1 instead of a long traceback.
"""

from __future__ import annotations

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# The value .env.example ships with: a copied example file must not run in production.
PLACEHOLDER_SECRET_KEY = "change-me-to-50-random-characters-from-a-password-generator"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


class ConfigError(SystemExit):
    """A configuration error: its message is printed on stderr (one line) and the process exits 1."""

    def __init__(self, message: str):
        super().__init__(f"配置错误：{message}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ConfigError(f"必须设置环境变量 {name}（见 .env.example）。")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r} 不是布尔值（应为 true/false、1/0 或 yes/no）。")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} 不是整数。") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key_problem(key: str) -> str | None:
    """Why `key` must not sign a production site, or None when it may."""
    if key.strip() == PLACEHOLDER_SECRET_KEY:
        return f"DJANGO_SECRET_KEY 仍是 .env.example 里的示例值，请换成随机密钥（例如 {SECRET_KEY_HINT}）。"
    if len(set(key)) < 5:
        return f"DJANGO_SECRET_KEY 只用了 {len(set(key))} 种字符，不是随机密钥（例如 {SECRET_KEY_HINT}）。"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return (
            f"DJANGO_SECRET_KEY 只有 {len(key)} 个字符，至少需要 {SECRET_KEY_MIN_LENGTH} 个随机字符"
            f"（例如 {SECRET_KEY_HINT}）。"
        )
    if key.startswith("django-insecure-"):
        return f"DJANGO_SECRET_KEY 是开发用的密钥，请换成随机密钥（例如 {SECRET_KEY_HINT}）。"
    return None


def production_secret_key() -> str:
    """DJANGO_SECRET_KEY for a DEBUG-off start: refused (one line) when missing, short or the example."""
    key = env_str("DJANGO_SECRET_KEY")
    problem = secret_key_problem(key)
    if problem:
        raise ConfigError(problem)
    return key
