"""The offline visit app (issue 19): an installable shell for inspectors' phones.

The page, its service worker and its manifest live under /inspections/offline/, so the worker's scope is
that path: it serves the shell and the static files it needs from its cache when there is no signal, and
leaves every other page of the site alone. The app keeps "today's work" (GET /api/v1/today/) and the
visits filled in offline in IndexedDB, and sends each visit once to POST /api/v1/visits/submit/ with the
UUID it made (the API answers a repeat with the visit already recorded).

The worker's cache is named by VERSION, a digest of the app's own files: a deployment that changes any of
them serves a new worker, which takes over at once and deletes the old caches (no stale shell).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts import access
from accounts.access import rule_required

APP_DIR = Path(__file__).resolve().parent.parent
# The files that make the app: any change to one of them is a new version of the app.
APP_FILES = [
    settings.BASE_DIR / "static" / "js" / "offline" / "db.js",
    settings.BASE_DIR / "static" / "js" / "offline" / "app.js",
    settings.BASE_DIR / "static" / "css" / "offline.css",
    APP_DIR / "templates" / "inspections" / "offline_app.html",
    APP_DIR / "templates" / "inspections" / "offline_sw.js",
]
STATIC_ASSETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "css/offline.css",
    "js/offline/db.js",
    "js/offline/app.js",
    "img/app/icon-192.png",
    "img/app/icon-512.png",
]
# How long a downloaded copy of today's work may be used offline (days).
KEEP_DAYS = getattr(settings, "WUXIAO_OFFLINE_KEEP_DAYS", 3)


def app_version() -> str:
    digest = hashlib.sha256()
    for path in APP_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@never_cache
@rule_required(access.can_start_visits)
def offline_app(request):
    return render(
        request,
        "inspections/offline_app.html",
        {"version": app_version(), "keep_days": KEEP_DAYS},
    )


@never_cache
def service_worker(request):
    """The worker script. Not behind login: the browser fetches it to check for updates, and it holds no
    data (it lists the shell and the static files to keep)."""
    precache = [reverse("inspections:offline_app"), *[static(name) for name in STATIC_ASSETS]]
    body = render(
        request,
        "inspections/offline_sw.js",
        {
            "version": app_version(),
            "precache": json.dumps(precache),
            "shell": reverse("inspections:offline_app"),
        },
    ).content
    return HttpResponse(body, content_type="application/javascript; charset=utf-8")


def manifest(request):
    shell = reverse("inspections:offline_app")
    return JsonResponse(
        {
            "name": "五小专项整治·现场检查",
            "short_name": "现场检查",
            "lang": "zh-CN",
            "start_url": shell,
            "scope": shell,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#b71c1c",
            "icons": [
                {"src": static("img/app/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/app/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
