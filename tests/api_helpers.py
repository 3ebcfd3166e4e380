"""Helpers for the API tests: tokens, clients, and a visit payload as the offline app sends it."""

from __future__ import annotations

import datetime
import uuid

from rest_framework.test import APIClient

from api import services as token_services
from inspections.services import checklist_current


def token_client(user) -> APIClient:
    secret = token_services.token_create(user=user, name="测试", created_by=user).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    client.secret = secret
    return client


def visit_payload(business, *, client_uuid=None, fails=(), outcome="passed", deadline=None, **extra) -> dict:
    """Every item of the current checklist 符合 (or 不符合 for `fails`), every required licence held."""
    template = checklist_current(business.category)
    answers = {
        item.code: {"answer": "fail" if item.code in fails else "pass", "note": ""}
        for item in template.items.all()
    }
    licences = {str(lt.pk): {"held": True, "displayed": True} for lt in business.required_licence_types()}
    body = {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "business": business.pk,
        "checklist": template.pk,
        "answers": answers,
        "licences": licences,
        "outcome": outcome,
    }
    if deadline is not None:
        body["deadline"] = deadline.isoformat() if isinstance(deadline, datetime.date) else deadline
    body.update(extra)
    return body
