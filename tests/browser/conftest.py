"""Browser journeys (issue 10): Playwright's sync API driving Debian's Chromium against pytest-django's
live server.

- One Chromium per test session (starting it costs ~0.5 s); a fresh context (cookies, storage) per page
  fixture, so each user in a journey has a browser of their own.
- Chromium is launched by its path: a test tool's own browser download does not work on these machines.
  `.ci/install-extras` installs it with a CJK font. A missing browser or font fails the run, never skips it.
- Evidence: `shot(page, "step")` saves artifacts/screenshots/<journey>/<step>.png; a failing journey leaves
  artifacts/failures/<test>/ with each open page's HTML, a screenshot and the browser console log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

# The live server runs Django in a thread while Playwright's sync API keeps an event loop running in the
# test's thread; Django would refuse ORM calls there (SynchronousOnlyOperation) without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("WUXIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The browser's own strings (file pickers, date inputs) in Chinese, as on the users' phones: headless
# Chromium takes its UI language from LANGUAGE (strings from Debian's chromium-l10n). LANG stays a locale
# that exists on a bare machine (C.UTF-8): with an ungenerated zh_CN locale, files with Chinese names
# silently fail to attach.
CHROMIUM_ENV = {"LANG": "C.UTF-8", "LANGUAGE": "zh_CN:zh"}
ARTIFACTS = Path(os.environ.get("WUXIAO_ARTIFACTS_DIR", Path(__file__).resolve().parents[2] / "artifacts"))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Long enough for a cold first page on a busy CI machine, short enough that a broken step fails fast.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def _has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


HERE = Path(__file__).resolve().parent
_emptied = pytest.StashKey[bool]()


def _is_journey(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(HERE)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The journeys run after every other test (after pytest-django's own ordering). Each one ends by
    flushing the database, reference data included, and from the first one on Playwright's event loop
    runs in this thread: other transactional tests that count on the migrated reference data must come
    first."""
    items.sort(key=_is_journey)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the first journey, empty the test database completely. A transactional test without
    serialized rollback ends with a flush that re-creates content types and permissions (post_migrate);
    restoring the migrated data (serialized_rollback) on top of those would collide."""
    if not _is_journey(item) or item.config.stash.get(_emptied, False):
        return
    item.config.stash[_emptied] = True
    from django.core.management import call_command
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        for conn in connections.all():
            # Only a test database made in this run has the snapshot; before that there is nothing to do.
            if hasattr(conn, "_test_serialized_contents"):
                call_command(
                    "flush",
                    database=conn.alias,
                    interactive=False,
                    verbosity=0,
                    inhibit_post_migrate=True,
                    # Keep the sequences past the restored rows (as the flushes between tests do).
                    reset_sequences=False,
                )


@pytest.fixture(scope="session")
def playwright_driver(django_db_setup, django_db_blocker) -> Iterator[Playwright]:
    """Playwright's driver, started after the test database exists.

    While its event loop runs in this thread, Django keeps database connections per async context instead
    of per thread, so the tests get fresh connection objects: hand them the snapshot of the migrated data
    (reference data of the data migrations) that serialized_rollback restores before each journey, and
    close them at the end so the test database can be dropped.
    """
    from django.db import connections

    snapshots = {c.alias: getattr(c, "_test_serialized_contents", None) for c in connections.all()}
    with sync_playwright() as p:
        for alias, contents in snapshots.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        yield p
        with django_db_blocker.unblock():
            connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser journeys need Debian's Chromium and a CJK font. "
            "Run `.ci/install-extras` (apt-get install chromium fonts-noto-cjk) or set WUXIAO_CHROMIUM.",
            pytrace=False,
        )
    if not _has_cjk_font():
        pytest.fail(
            "No CJK font installed (`fc-list :lang=zh` is empty): Chromium would draw the Chinese pages as "
            "empty boxes. Run `.ci/install-extras` (apt-get install fonts-noto-cjk).",
            pytrace=False,
        )
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env={**os.environ, **CHROMIUM_ENV}
    )
    yield browser
    browser.close()


def _open_page(browser: Browser, **context_options) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.wuxiao_console = []  # read by pytest_runtest_makereport when the journey fails
    page.on(
        "console", lambda m: page.wuxiao_console.append(f"[{m.type}] {m.text}  ({m.location.get('url')})")
    )
    page.on("pageerror", lambda e: page.wuxiao_console.append(f"[pageerror] {e}"))
    yield page
    context.close()
    # What breaks a page without failing a step: an uncaught script error, or a script the
    # Content-Security-Policy refused (inline scripts are not allowed: they must be static files).
    broken = [m for m in page.wuxiao_console if m.startswith("[pageerror]") or "inline script" in m]
    if broken:
        pytest.fail("the browser reported broken scripts:\n" + "\n".join(broken), pytrace=False)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    """A desktop browser window, 1366×900."""
    yield from _open_page(browser, viewport=DESKTOP)


@pytest.fixture
def desktop2(browser: Browser) -> Iterator[Page]:
    """A second desktop browser (another person at another computer)."""
    yield from _open_page(browser, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone, 390×844 with touch: how village inspectors work."""
    yield from _open_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def phone2(browser: Browser) -> Iterator[Page]:
    """A second phone (another inspector)."""
    yield from _open_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def login(live_server) -> Callable[..., Page]:
    """Log in through the real login form, as a person would; returns the page on the landing page."""

    def do_login(page: Page, username: str, password: str = PASSWORD, *, next_path: str = "") -> Page:
        url = f"{live_server.url}/login/" + (f"?next={next_path}" if next_path else "")
        page.goto(url)
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda u: "/login/" not in u)
        return page

    return do_login


@pytest.fixture
def celery_worker(live_server) -> Iterator[None]:
    """A real Celery worker in a thread, on the run's real broker (Redis, or the filesystem transport),
    for journeys whose pages hand work to the background (the roster import). Messages left in the queue
    by earlier tests are purged first: they name rows of other tests' data."""
    from celery.contrib.testing.worker import start_worker

    from wuxiao.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"):
        yield


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """Save a screenshot as artifacts/screenshots/<journey>/<step>.png (the folder is emptied when the
    journey starts, so it shows one run): the whole page, or with full_page=False what the screen shows
    (on a long phone form, the part being worked on)."""
    folder = ARTIFACTS / "screenshots" / re.sub(r"^test_", "", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    def save(page: Page, step: str, *, full_page: bool = True) -> Path:
        path = folder / f"{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """When a journey fails, keep what the browser showed: each open page's HTML, a screenshot and the
    console log, in artifacts/failures/<test>/ (the pages are still open at this point)."""
    report = yield
    if report.when == "call" and report.failed:
        folder = ARTIFACTS / "failures" / re.sub(r"[^\w.-]", "_", item.name)
        shutil.rmtree(folder, ignore_errors=True)
        for name, value in getattr(item, "funcargs", {}).items():
            if not isinstance(value, Page) or value.is_closed():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            try:
                (folder / f"{name}.html").write_text(f"<!-- {value.url} -->\n{value.content()}", "utf-8")
                value.screenshot(path=str(folder / f"{name}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                (folder / f"{name}.error.txt").write_text(repr(exc), "utf-8")
            (folder / f"{name}.console.log").write_text(
                "\n".join(value.wuxiao_console or ["(no console messages)"]) + "\n", "utf-8"
            )
        if folder.exists():
            report.sections.append(("browser evidence", f"saved in {folder}"))
    return report
