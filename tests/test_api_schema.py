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


def test_swagger_ui_is_for_signed_in_users_and_served_from_our_static_files(client, inspector):
    assert client.get("/api/v1/docs/").status_code == 302
    client.force_login(inspector)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "http://" not in html and "https://" not in html  # no CDN, no inline CSS
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/v1/schema/" in script.content.decode()
