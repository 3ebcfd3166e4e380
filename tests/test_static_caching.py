"""In production the dashboard's ECharts comes under a hashed name that browsers keep for a year (issue 20):
a repeat visit does not download its 1 MB again. collectstatic with the manifest storage, then whitenoise
answering the URL the dashboard names."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories_dashboard import campaign

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    root = tmp_path / "static"
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.mark.django_db
def test_dashboard_names_hashed_echarts_and_whitenoise_keeps_it_a_year(collected, client, leader):
    campaign()
    client.force_login(leader)
    html = client.get(reverse("dashboard:index")).content.decode()
    start = html.index('data-echarts="') + len('data-echarts="')
    url = html[start : html.index('"', start)]
    assert url.startswith("/static/vendor/echarts/echarts.min.")
    assert url != "/static/vendor/echarts/echarts.min.js"  # the hashed name
    assert "echarts.min" not in html.replace(url, "")  # not loaded by a <script> of its own: only when drawn

    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
