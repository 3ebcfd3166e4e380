"""schemathesis against the live OpenAPI schema (issue 18): the schema is loaded from /api/v1/schema/ of
the WSGI app, every operation is fuzzed as the office and as a village inspector (and a business
account), with valid requests (positive) and invalid ones (negative), and each answer must be no server
error, of a documented status code, and match its schema.

Examples per operation are kept modest (FUZZ_EXAMPLES) so CI stays fast; derandomized, so a run is
repeatable and a failure names its case."""

from __future__ import annotations

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api import services as token_services
from ledgers.services import ledger_lines_create
from tests import factories as f
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("WUXIAO_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def world(village, other_village):
    """A little town: a shop in each village with licences, a visit with an order, ledger lines."""
    shops = []
    for v in (village, other_village):
        shop = f.BusinessFactory(village=v, category=f.category("grocery"))
        f.licensed(shop)
        shops.append(shop)
    inspector = f.user_with_role("inspector", "fuzz_inspector", village=village)
    inspect(shops[0], inspector, fails=("C2-1",))
    ledger_lines_create(
        business=shops[0],
        lines=[
            {
                "direction": "in",
                "occurred_on": datetime.date.today(),
                "product_name": "大米",
                "kind": "food",
                "quantity": 10,
                "unit": "千克",
                "supplier_name": "粮油批发部",
            }
        ],
    )
    return {"shops": shops, "inspector": inspector}


@pytest.fixture
def wsgi():
    """The real WSGI app, in this test's transaction: like Django's test client, keep the request signals from
    closing the test's database connection (PostgreSQL would lose the test's open transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz(app, user, mode: schemathesis.GenerationMode) -> list[str]:
    secret = token_services.token_create(user=user, name="fuzz", created_by=user).secret
    headers = {"Authorization": f"Token {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app, headers=headers)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=FUZZ_EXAMPLES
            if mode == schemathesis.GenerationMode.POSITIVE
            else FUZZ_EXAMPLES // 2,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # Negative mode: an operation without parameters or body has no invalid request to make.
            assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # a failed check: go on, list every operation's
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 15, "the schema lost its operations"
    return failures


@pytest.mark.parametrize(
    ("role", "mode"),
    [
        ("office", "positive"),
        ("inspector", "positive"),
        ("business", "positive"),
        # Invalid requests (wrong types, missing fields, out-of-range values): a 4xx, never a 500.
        ("office", "negative"),
        ("inspector", "negative"),
    ],
)
def test_schemathesis_finds_no_failure(role, mode, world, wsgi, office):
    user = {
        "office": office,
        "inspector": world["inspector"],
        "business": f.user_with_role("business", "fuzz_shop", business=world["shops"][0]),
    }[role]
    failures = _fuzz(wsgi, user, schemathesis.GenerationMode(mode))
    assert not failures, "\n\n".join(failures)
