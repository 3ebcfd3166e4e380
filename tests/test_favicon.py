"""The site icon: linked from every page, and /favicon.ico (which browsers ask for anyway) is not a 404."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_is_served_at_the_root_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_pages_link_the_svg_icon(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    svg = finders.find("favicon.svg")
    assert svg and open(svg, encoding="utf-8").read().startswith("<svg")
