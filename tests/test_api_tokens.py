"""API tokens (issue 18): made on the token page (shown once, stored hashed), used, audited, throttled per
token, revoked; the office issues tokens to service accounts."""

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken, ApiTokenUse
from tests import factories as f
from tests.api_helpers import token_client

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_token_is_shown_once_stored_hashed_used_audited_and_revoked(client, inspector):
    client.force_login(inspector)
    page = client.post("/api/tokens/", {"action": "own", "name": "离线检查 App"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=inspector)
    secret = page.context["created"].secret
    assert secret.startswith("wx_") and secret.encode() in page.content
    # Stored as its digest only; the list shows the prefix, never the secret again.
    assert token.digest == tokens.digest(secret) and secret not in {token.digest, token.prefix}
    again = client.get("/api/tokens/")
    assert secret.encode() not in again.content and token.prefix.encode() in again.content
    assert LogEntry.objects.get_for_object(token).filter(actor=inspector).exists()

    api = _bearer(secret)
    me = api.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == inspector.username
    assert me.json()["token"] == token.prefix
    use = ApiTokenUse.objects.get(token=token)
    assert (use.method, use.path, use.status) == ("GET", "/api/v1/me/", 200)
    token.refresh_from_db()
    assert token.last_used_at is not None

    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated" and "令牌" in refused.json()["message"]
    assert refused["WWW-Authenticate"] == "Token"


def test_bearer_scheme_and_bad_tokens(inspector):
    secret = token_client(inspector).secret
    ok = APIClient()
    ok.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert ok.get("/api/v1/me/").status_code == 200
    for bad in ("Token wx_nope", "Token nothing", f"Token {secret}x"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=bad)
        response = client.get("/api/v1/me/")
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated", bad
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_a_deactivated_users_token_stops_working(inspector):
    api = token_client(inspector)
    inspector.is_active = False
    inspector.save()
    assert api.get("/api/v1/me/").status_code == 401


def test_office_issues_tokens_to_service_accounts_and_revokes_any(client, office, inspector):
    service = f.user_with_role("leader", "city_reports")
    client.force_login(office)
    page = client.post("/api/tokens/", {"action": "service", "name": "市局报表", "user": service.pk})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=service)
    assert token.created_by == office
    assert _bearer(page.context["created"].secret).get("/api/v1/me/").json()["username"] == "city_reports"
    # Someone else cannot see or revoke it: the same 404 as a missing token.
    client.force_login(inspector)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    assert b"city_reports" not in client.get("/api/tokens/").content
    # Nor issue service tokens: the field is the office's.
    client.post("/api/tokens/", {"action": "service", "name": "x", "user": service.pk})
    assert ApiToken.objects.filter(user=service).count() == 1


def test_throttling_counts_per_token_in_the_cache(inspector):
    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/min"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        first, second = token_client(inspector), token_client(inspector)
        assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
        held = first.get("/api/v1/me/")
        assert held.status_code == 429 and held.json()["code"] == "throttled"
        assert int(held["Retry-After"]) > 0 and "秒" in held.json()["message"]
        # Each token has its own budget: the user's other token still works.
        assert second.get("/api/v1/me/").status_code == 200
    cache.clear()


def _rest():
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_seed_demo_gives_working_demo_tokens():
    import io
    import re

    from django.core.management import call_command

    out = io.StringIO()
    call_command("seed_demo", businesses=1, seed=7, stdout=out)
    secrets = re.findall(r"API 令牌（(\w+)，[^）]*）：(wx_[\w-]+)", out.getvalue())
    assert {owner for owner, _ in secrets} == {"inspector", "leader"}
    assert ApiTokenUse.objects.count() == 6  # the demo's token pages show uses
    for owner, secret in secrets:
        assert _bearer(secret).get("/api/v1/me/").json()["username"] == owner
    again = io.StringIO()
    call_command("seed_demo", businesses=1, seed=7, stdout=again)
    assert re.findall(r"wx_[\w-]+", again.getvalue()) == [s for _, s in secrets]
