"""Every menu page of every role, on a phone (390×844) and a desktop (1366×900) (issue 20).

The pages are discovered from the menu's declaration (accounts/nav.py), so a page added to the menu is walked
without touching this test. One demo town (seed_demo) serves all roles; each role has one phone and one
desktop browser context, signed in once. A page fails the walk on:

- an answer other than 200 (a menu link that is a 404/403 is a link and a permission that disagree);
- horizontal overflow: the document wider than the screen;
- text in a table cell squeezed below two characters a line;
- a console error or an uncaught script error;
- an English word from our templates in what the page shows (the UI is Chinese).

Every problem of every page is collected and reported together; the screenshots are in
artifacts/screenshots/pages/<role>/<page>-<phone|desktop>.png.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from accounts import nav

from .conftest import ARTIFACTS, CHROMIUM_ENV, DESKTOP, PHONE, TIMEOUT_MS  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# One demo user per kind of role (accounts/demo.py); the department is one that leads categories.
ROLES = ("office", "leader", "supervisor", "agri", "enforce", "inspector", "shop", "city", "citydrug")

# Latin-script words a Chinese page may show: acronyms and file formats the users know, and units.
ALLOWED_WORDS = {
    "excel", "xlsx", "xls", "docx", "pdf", "csv", "ods", "gsp", "gmp", "sms", "qs", "id", "api", "app",
}  # fmt: skip

# Measures the page in the browser; returns what is wrong with it (empty when nothing is).
CHECK_JS = (Path(__file__).parent / "page_checks.js").read_text("utf-8")

# What the seeded data itself writes in Latin letters (usernames, licence numbers, units, codes): not ours
# to translate. Codes like G2, C2-1, 92440606MA…, 2026-… contain digits and are not words anyway.
WORD = re.compile(r"(?<![\w@./-])[A-Za-z]{3,}(?![\w@./-])")


def english_words(text: str, data_words: set[str]) -> list[str]:
    found = []
    for word in WORD.findall(text):
        w = word.lower()
        if w in ALLOWED_WORDS or w in data_words:
            continue
        found.append(word)
    return sorted(set(found))


def _data_words() -> set[str]:
    """Latin words that come from the data (usernames, names of products and brands in the demo town)."""
    from campaigns.models import Business
    from ledgers.models import LedgerEntry

    words = set(get_user_model().objects.values_list("username", flat=True))
    for value in (
        *Business.objects.values_list("name", flat=True),
        *LedgerEntry.objects.values_list("product_name", flat=True).distinct(),
        *LedgerEntry.objects.values_list("unit", flat=True).distinct(),
        *LedgerEntry.objects.values_list("supplier_name", flat=True).distinct(),
    ):
        words.update(w.lower() for w in WORD.findall(value or ""))
    return {w.lower() for w in words}


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def _slug(url_name: str) -> str:
    return url_name.replace(":", "-").replace("_", "-")


def test_every_menu_page_of_every_role_reads_on_a_phone_and_a_desktop(live_server, browser):
    call_command("seed_demo", businesses=24, verbosity=0)
    data_words = _data_words()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    failures: list[str] = []
    walked = 0
    for role in ROLES:
        user = users[role]
        folder = ARTIFACTS / "screenshots" / "pages" / role
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pages = nav.entries_for(user)
        assert pages, f"{role} has no menu"
        cookie = _session_cookie(live_server, user)
        for device, options in (
            ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True}),
            ("desktop", {"viewport": DESKTOP}),
        ):
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
            # ~150 pages on a shared machine: a slow page is not a broken one (the checks are what fail).
            context.set_default_timeout(6 * TIMEOUT_MS)
            context.add_cookies([cookie])
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, c=console: c.append(f"uncaught: {e}"))
            for entry in pages:
                where = f"{role} {device} {entry.url} ({entry.label})"
                console.clear()
                response = page.goto(live_server.url + entry.url, wait_until="load")
                walked += 1
                if response is None or response.status != 200:
                    failures.append(f"{where}: answered {response.status if response else 'nothing'}")
                    continue
                shot = folder / f"{_slug(entry.url_name)}-{device}.png"
                page.screenshot(path=str(shot), full_page=True)
                result = page.evaluate(CHECK_JS)
                failures.extend(f"{where}: {p}" for p in result["problems"])
                if words := english_words(result["text"], data_words):
                    failures.append(f"{where}: English on the page: {', '.join(words)}")
                failures.extend(f"{where}: console error: {m}" for m in console)
            context.close()
    assert walked >= 2 * len(ROLES)
    assert not failures, f"{len(failures)} problems on {walked} pages:\n" + "\n".join(failures)
