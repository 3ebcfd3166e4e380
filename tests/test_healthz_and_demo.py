"""GET /healthz and seed_demo (foundation issue)."""

import pytest
from django.core.management import call_command

from campaigns.models import Business, Licence

pytestmark = pytest.mark.django_db


def test_healthz_reports_db_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["db"] == "ok"
    assert body["broker"] in ("ok", "down")


def test_healthz_broker_ok_with_real_broker(client, settings):
    # Both the filesystem transport (SQLite run) and the real Redis (PostgreSQL run) are reachable in CI.
    assert client.get("/healthz").json()["broker"] == "ok"


def test_seed_demo_makes_exactly_n_and_is_repeatable():
    call_command("seed_demo", businesses=40, seed=7)
    first = sorted(Business.objects.values_list("name", "credit_code", "category__code"))
    licences = Licence.objects.count()
    assert len(first) == 40
    call_command("seed_demo", businesses=40, seed=7)
    assert sorted(Business.objects.values_list("name", "credit_code", "category__code")) == first
    assert Licence.objects.count() == licences
    call_command("seed_demo", businesses=15, seed=7)
    assert Business.objects.count() == 15
