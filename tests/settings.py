"""Test settings: the production settings with what a test run needs changed, nothing else.

The database and broker come from the environment as in production (DATABASE_URL, REDIS_URL), so the
same suite runs on SQLite and on the real PostgreSQL and Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "wuxiao-tests-only-not-secret-0123456789abcdefghijklmnop")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault(
    "WUXIAO_BROKER_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "wuxiao-test-broker")
)

from wuxiao.settings import *  # noqa: F403

# No collectstatic in a test run: plain storage resolves {% static %} from the source folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Hashing with the production hasher costs ~0.3 s a user; the tests create hundreds.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = os.path.join(os.environ.get("TMPDIR", "/tmp"), "wuxiao-test-media")
# Target figures always live in tests (a kept figure would outlive the test that made it); the kept path
# is tested by setting this to 0 (issue 9).
WUXIAO_FIGURES_LIVE_MS = 10**9
# API throttling (issue 18) counts in the cache: local memory on SQLite runs, Redis (REDIS_URL) on the
# PostgreSQL runs. Counts outlive a test and ids come back after a rollback, so a test could inherit
# another's count; the suite runs with rates no test reaches, and the throttling test sets its own low rate
# and clears the cache (tests/test_api_tokens.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "session": "100000/min"},
}
