"""Helpers of the production tests (issue 21): the compose file's own commands run natively, their
environment from .env.example, scratch PostgreSQL databases, and a small HTTPS client.

The production smoke test and the restore drill start real processes (gunicorn, celery, nginx, manage.py)
against the machine's PostgreSQL and Redis; nothing here mocks a service.
"""

from __future__ import annotations

import html.parser
import http.client
import os
import pwd
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The one variable no example may hold: a signing key for the test run (60 characters, not the example's).
TEST_SECRET_KEY = "smoke-test-only-9f3c1e7a5b2d4f6081a3c5e7b9d1f2a4c6e8b0d2f4a6c8e0"


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


POSTGRES_ONLY_REASON = (
    "runs in CI's PostgreSQL + Redis pass only (DATABASE_URL is not PostgreSQL here): the production stack "
    "is PostgreSQL, and this once-per-CI test would otherwise run twice"
)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def compose_argv(command) -> list[str]:
    """A compose `command`/`test` as argv: exec form as it is, CMD-SHELL through sh, `$$` unescaped."""
    if isinstance(command, str):
        return ["sh", "-c", command.replace("$$", "$")]
    if command[0] == "CMD":
        return [c.replace("$$", "$") for c in command[1:]]
    if command[0] == "CMD-SHELL":
        return ["sh", "-c", command[1].replace("$$", "$")]
    return [c.replace("$$", "$") for c in command]


def base_env(*layers: dict[str, str]) -> dict[str, str]:
    """The process environment of this machine (its PATH with the venv first), without the test run's
    Django settings, then .env.example's values, then each layer in turn."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WUXIAO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}"
    env.update(env_example())
    for layer in layers:
        env.update(layer)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user_name() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


# --- scratch PostgreSQL databases ---------------------------------------------------------------------


def pg_url(database: str) -> str:
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def scratch_name(suffix: str) -> str:
    """wuxiao_ci → wuxiao_ci_smoke: next to the test run's database, never one someone else uses."""
    base = urllib.parse.urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") or "wuxiao"
    return f"{base}_{suffix}"


def _admin():
    import psycopg

    return psycopg.connect(pg_url("postgres"), autocommit=True)


def pg_recreate(database: str) -> str:
    from psycopg import sql

    with _admin() as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return pg_url(database)


def pg_drop(database: str) -> None:
    from psycopg import sql

    with _admin() as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def pg_query(url: str, query: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(query, params).fetchall()


# --- processes ----------------------------------------------------------------------------------------


def run(argv, env, *, timeout=300, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{shlex.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


class Service:
    """A long-running process in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict, logdir: Path):
        self.name, self.argv = name, argv
        self.log = logdir / f"{name}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        try:  # pool children left in the group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_until(check, *, timeout: float, interval: float = 0.5, what: str = "", services=()):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        for service in services:
            if not service.alive():
                raise AssertionError(f"{service.name} exited:\n{service.output()[-4000:]}")
        try:
            result = check()
        except Exception as exc:  # the service is not there yet
            last = exc
            result = None
        if result:
            return result
        time.sleep(interval)
    logs = "\n".join(f"--- {s.name}\n{s.output()[-3000:]}" for s in services)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})\n{logs}")


# --- a small browser: HTTPS to 127.0.0.1 under the site's host name, cookies, forms -------------------


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class Browser:
    """Speaks to 127.0.0.1:`port` with `Host: host:port` (so no name lookup), optionally from another
    loopback address, keeping cookies; trusts only the given certificate file (no hostname check)."""

    def __init__(self, host: str, port: int, *, cafile: Path | None, source: str = "127.0.0.1"):
        self.host, self.port, self.source = host, port, source
        self.cookies: dict[str, str] = {}
        self.context = None
        if cafile is not None:
            self.context = ssl.create_default_context(cafile=str(cafile))
            self.context.check_hostname = False

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def request(self, method: str, path: str, *, data=None, headers=None) -> Response:
        if self.context is not None:
            con = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=self.context, source_address=(self.source, 0), timeout=60
            )
        else:
            con = http.client.HTTPConnection(
                "127.0.0.1", self.port, source_address=(self.source, 0), timeout=60
            )
        head = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head.setdefault("Origin", self.origin)
            head.setdefault("Referer", self.origin + path)
        try:
            con.request(method, path, body=body, headers=head)
            raw = con.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            con.close()
        for value in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def login(self, username: str, password: str) -> Response:
        page = self.get("/login/")
        assert page.status == 200, page.status
        form = parse_form(page.text, lambda attrs: "csrfmiddlewaretoken" in attrs.get("__fields", ""))
        data = {**form, "username": username, "password": password}
        return self.post("/login/", data)


class _FormParser(html.parser.HTMLParser):
    """Collects each <form>'s fields as a browser would submit them untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": [], "radios": {}, "selects": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
                if kind == "radio":
                    self._form["radios"].setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "options": [], "selected": None}
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s = self._select
            self._form["selects"][s["name"]] = s["options"]
            chosen = s["selected"] if s["selected"] is not None else (s["options"] or [""])[0]
            self._form["fields"].append((s["name"], chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


def parse_forms(page: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(page)
    for form in parser.forms:
        form["attrs"]["__fields"] = " ".join(name for name, _ in form["fields"])
    return parser.forms


def parse_form(page: str, pick) -> dict[str, str]:
    """The fields of the first form `pick(attrs)` accepts, as a dict (last value wins)."""
    for form in parse_forms(page):
        if pick(form["attrs"]):
            return dict(form["fields"])
    raise AssertionError("no such form on the page")
