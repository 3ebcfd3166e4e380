"""The permanent fuzz test (issue 22): junk in every query parameter a view reads and in every form field,
for every URL pattern and every role — never a 500, and nothing written when the input is refused.

How it works, on the URL walk's world (tests/test_url_walk.py: one object of every model, pk WALK_PK):
1. Each role GETs every URL once, normally, with `request.GET` wrapped in a QueryDict that records which
   keys the view (its forms, FilterSets, paginator) reads. That is the list of parameters to fuzz.
2. Each parameter read gets each JUNK value once; the values are dealt round-robin to the roles whose
   normal GET was a page (200), so every role meets junk without the full role × value product.
3. Every POST form those pages show (parsed from the HTML, deduplicated by where it posts and what fields
   it has) is posted as a browser would, with one field at a time replaced by junk (each field gets two
   of the other JUNK values, in turn), plus once with every field NUL and once with every field over-long
   (those two are refused before any view, by RefuseJunkInputMiddleware).
   A refusal (anything but a redirect) must leave every table as it was: the rows of every model of the
   project and the audit log are counted before and after, in one query.

Django's admin is left out: its pages are Django's own (and staff-only). Logout is not posted (it would
end the session the rest of the walk needs).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.functional import cached_property

from tests import factories as f
from tests.test_url_walk import LOCAL_APPS, ROUTES, WALK_PK, url_for, walk_world  # noqa: F401

pytestmark = pytest.mark.django_db

JUNK = [
    "\x00",
    "9" * 100_000,
    "１２３４５",  # full-width digits
    "🍜😀",
    "0001-01-01",
    "9999-12-31",
    "-1",
    "1" * 30,
    "\"'><script>alert(1)</script>",
]
OTHER_JUNK = JUNK[2:]  # what the NUL and length check (a 400 before any view) leaves to the views
# A parameter a view reads only once another has a sensible value (the drill-down needs its target).
BASE_QUERY: dict[str, dict[str, str]] = {
    "dashboard:drill": {"target": "G1"},
}
SKIP_POST_PATHS = {reverse("logout")}
# POSTs that answer 200 on success (no redirect) and may write: path -> why.
WRITES_WITHOUT_REDIRECT: dict[str, str] = {
    "/api/tokens/": "a new API token is shown once, on the page that created it (any name is a valid name)",
}


# --- which GET parameters a view reads ----------------------------------------------------------------

_READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """request.GET that remembers every key a view asks for (get, [], getlist, in)."""

    def __getitem__(self, key):
        _READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _READ.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording_get(monkeypatch):
    def GET(self):
        raw = self.environ.get("QUERY_STRING", "")
        return RecordingQueryDict(raw.encode("latin-1").decode("utf-8", "replace"), encoding=self._encoding)

    prop = cached_property(GET)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)


# --- the forms of a page -------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values a browser would send
    names: list[str] = field(default_factory=list)  # every field's name, sent or not (unchecked boxes)

    def key(self) -> tuple:
        return (self.action, tuple(sorted(self.names)))


class FormParser(HTMLParser):
    """The POST forms of a page and what a browser would submit from each, as it stands."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, bool] | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.form = Form(action=urlsplit(a.get("action") or self.page_url).path or self.page_url)
            return
        if self.form is None or not a.get("name"):
            if tag == "option" and self.select is not None and self.form is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit" and name:
                    self.form.fields.setdefault(name, [a.get("value", "")])
                return
            self._name(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.form.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._name(name)
            self.select = (name, "multiple" in a)
            self.select_first, self.select_chosen = None, False
        elif tag == "textarea":
            self._name(name)
            self.textarea = name
            self.form.fields[name] = [""]
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.fields.setdefault(name, [a.get("value", "")])

    def _name(self, name):
        if name not in self.form.names:
            self.form.names.append(name)

    def _option(self, a):
        name, multiple = self.select
        value = a.get("value", "")
        if self.select_first is None:
            self.select_first = value
        if "selected" in a:
            if multiple:
                self.form.fields.setdefault(name, []).append(value)
            else:
                self.form.fields[name] = [value]
            self.select_chosen = True

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select" and self.select is not None:
            name, multiple = self.select
            if not self.select_chosen and not multiple and self.select_first is not None:
                self.form.fields[name] = [self.select_first]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_forms(url: str, html: str) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    return parser.forms


# --- counting rows -----------------------------------------------------------------------------------


def _count_sql() -> str:
    models = [m for app in LOCAL_APPS for m in apps.get_app_config(app).get_models()]
    models += [LogEntry, apps.get_model("auth", "User")]
    tables = sorted({connection.ops.quote_name(m._meta.db_table) for m in models})
    return "SELECT " + " + ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)


def row_count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


# --- the roles ------------------------------------------------------------------------------------------


def role_clients(world) -> dict[str, Client]:
    """One client per role, each reaching the walk world's objects (and one anonymous)."""
    users = {
        "office": f.user_with_role("office", "fuzz_office"),
        "leader": f.user_with_role("leader", "fuzz_leader"),
        "supervisor": f.user_with_role("supervisor", "fuzz_supervisor"),
        "department": f.user_with_role("department", "fuzz_dept", department=world["campaigns.Department"]),
        "enforcement": f.user_with_role("department", "fuzz_enforce", department=f.department("enforcement")),
        "inspector": f.user_with_role("inspector", "fuzz_inspector", village=world["campaigns.Village"]),
        "business": f.user_with_role("business", "fuzz_shop", business=world["campaigns.Business"]),
        # O5 / issue 24: the city's roles
        "city_leader": f.user_with_role("city_leader", "fuzz_city"),
        "city_bureau": f.user_with_role(
            "city_bureau", "fuzz_city_drug", department=f.department("city_drug")
        ),
    }
    # A view's exception becomes the 500 response it would be in production, collected with the others.
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return clients


def _routes():
    return [r for r in ROUTES if not r.is_admin and r.name != "logout"]


def _describe(role, method, url, data, response) -> str:
    shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in (data or {}).items()}
    return f"{role}: {method} {url} {shown} -> {response.status_code}"


_CLOCK = [0.0]


def _phase(name: str, n: int) -> None:
    """How long each phase took (printed with -s; the volume is tuned on it)."""
    now = time.process_time()
    print(f"fuzz: {name}: {n} requests, {now - _CLOCK[0]:.1f} s CPU")
    _CLOCK[0] = now


# --- the test ---------------------------------------------------------------------------------------------


def test_junk_in_every_parameter_and_form_field_is_never_a_500(walk_world, recording_get):  # noqa: F811
    _CLOCK[0] = time.process_time()
    clients = role_clients(walk_world)
    failures: list[str] = []
    reads: dict[str, set[str]] = {}  # url -> parameters some role's view read
    readers: dict[str, list[str]] = {}  # url -> roles whose normal GET was a page
    pages: list[tuple[str, str, str]] = []  # (role, url, html) of the pages with a POST form

    # 1. Normal GETs, recording what each view reads.
    for route in _routes():
        url = url_for(route, walk_world)
        base = BASE_QUERY.get(route.name or "", {})
        for role, client in clients.items():
            _READ.clear()
            response = client.get(url, base)
            if response.status_code >= 500:
                failures.append(_describe(role, "GET", url, base, response))
                continue
            if response.status_code != 200:
                continue
            readers.setdefault(url, []).append(role)
            reads.setdefault(url, set()).update(_READ - set(base))
            content_type = response.get("Content-Type", "")
            if "text/html" in content_type and b'method="post"' in response.content:
                pages.append((role, url, response.content.decode()))
    assert sum(len(keys) for keys in reads.values()) > 30, "the recording sees too few parameters"

    _phase("normal GETs", sum(len(r) for r in readers.values()))
    # 2. Each junk value in each parameter read, dealt round-robin to the roles that read it.
    get_requests = 0
    for url, keys in sorted(reads.items()):
        base = next(
            (
                q
                for r in _routes()
                if url_for(r, walk_world) == url
                for q in [BASE_QUERY.get(r.name or "", {})]
            ),
            {},
        )
        roles = itertools.cycle(readers[url])
        for key in sorted(keys):
            for value in JUNK:
                role = next(roles)
                data = {**base, key: value}
                response = clients[role].get(url, data)
                get_requests += 1
                if response.status_code >= 500:
                    failures.append(_describe(role, "GET", url, data, response))

    _phase("junk GETs", get_requests)
    # 3. Every POST form, one field at a time.
    count_sql = _count_sql()
    seen: set[tuple] = set()
    post_requests = 0
    for role, url, html in pages:
        for form in page_forms(url, html):
            if form.action in SKIP_POST_PATHS or form.key() in seen:
                continue
            seen.add(form.key())
            names = [n for n in form.names if n != "csrfmiddlewaretoken"]
            trials = [{n: JUNK[0] for n in names}, {n: JUNK[1][:30_000] for n in names}]
            for i, name in enumerate(names):  # the seven other values, two per field, in turn
                for k in (2 * i, 2 * i + 1):
                    trials.append({name: OTHER_JUNK[k % len(OTHER_JUNK)]})
            for junk in trials:
                data = {**form.fields, **junk}
                before = row_count(count_sql)
                response = clients[role].post(form.action, data)
                post_requests += 1
                if response.status_code >= 500:
                    failures.append(_describe(role, "POST", form.action, junk, response))
                elif response.status_code != 302 and form.action not in WRITES_WITHOUT_REDIRECT:
                    if row_count(count_sql) != before:
                        failures.append(
                            _describe(role, "POST (refused but wrote)", form.action, junk, response)
                        )
    _phase("POSTs", post_requests)
    assert len(seen) > 10, "the walk finds too few forms"
    assert not failures, (
        f"{len(failures)} of {get_requests} junk GETs and {post_requests} POSTs failed:\n"
        + "\n".join(failures[:80])
    )
