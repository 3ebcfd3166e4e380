"""The committed schema (docs/api/openapi-v1.yaml) is the one the code serves: a change to the API that is
not written down fails here. Regenerate with
`python manage.py spectacular --file docs/api/openapi-v1.yaml --validate` and review the diff: a removed
or changed field of v1 is a breaking change and belongs in v2 (docs/api.md, "Versions")."""

from pathlib import Path

import yaml
from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi-v1.yaml"


def test_committed_schema_matches_the_code(tmp_path):
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    live = yaml.safe_load(out.read_text(encoding="utf-8"))
    committed = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    assert live == committed, (
        "the API's schema changed: regenerate docs/api/openapi-v1.yaml "
        "(python manage.py spectacular --file docs/api/openapi-v1.yaml --validate) and review the diff"
    )


def test_schema_is_served_to_signed_in_users_only(client, office):
    assert client.get("/api/v1/schema/").status_code == 401
    client.force_login(office)
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/visits/submit/" in response.content
