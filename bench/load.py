"""Load test: gunicorn (workers = 2 × cores) on 127.0.0.1 against the bench database, wrk driving visit
submission as an inspector, then a read mix (roster page, dashboard). Called by bench/run.py.

    python -m bench.load [--seconds 30] [--read-seconds 15] [--json-out FILE]

The inspector (user bench-load, inspector of the first town's villages) is logged in by a session made
in the database (Client.force_login); the CSRF cookie and the form field carry the same secret. Each wrk
connection walks the inspector's real path, one business after another (its own businesses: no two
connections share one):

  POST /inspections/visits/start/<business>/   → 302 to the new draft's form
  GET  the form                                 → 200; the answer and licence fields are read off the page
  POST the form with action=submit, every item 符合, every licence held and displayed, outcome 合格 → 302

so every third request submits a real visit. wrk counts the requests, their latency and every status that
is not 2xx/3xx; the Lua script counts the steps that did not get the expected status; the database is
asked afterwards how many visits were submitted (it must equal the completed walks). Afterwards the city
is put back as it was, so that a rerun measures the same data: the visits the test created are deleted,
the licence and business rows of its businesses (a submitted visit records each licence's display) are
restored from a copy taken before the clock started, and the audit entries written meanwhile are removed;
the JSON says how many rows still differ from that copy (0).

The read mix (--read-seconds) then GETs a village inspector's roster page, visit list and dashboard in turn
(as the inspector of the first bench village: the load user covers a whole town only so that every wrk
connection has businesses of its own; today's figures come from the per-business status).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, setup_django

SUBMIT_LUA = r"""
local csrf = "__CSRF__"
local cookie = "sessionid=__SESSION__; csrftoken=" .. csrf
local businesses = {__BUSINESSES__}
local start_prefix = "__START__"
local nthreads = __THREADS__
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  step = 0
  idx = tid
  flows = 0
  errors = 0
  edit_path = nil
  body_next = nil
end

local function advance()
  idx = idx + nthreads
  step = 0
end

local function headers(form)
  local h = {}
  h["Cookie"] = cookie
  if form then h["Content-Type"] = "application/x-www-form-urlencoded" end
  return h
end

function request()
  if step == 0 then
    local b = businesses[((idx - 1) % #businesses) + 1]
    return wrk.format("POST", start_prefix .. b .. "/", headers(true),
      "csrfmiddlewaretoken=" .. csrf .. "&kind=routine")
  elseif step == 1 then
    return wrk.format("GET", edit_path, headers(false))
  else
    return wrk.format("POST", edit_path, headers(true), body_next)
  end
end

function response(status, hdrs, body)
  if step == 0 then
    if status == 302 and hdrs["Location"] then
      edit_path = hdrs["Location"]
      step = 1
    else
      errors = errors + 1
      advance()
    end
  elseif step == 1 then
    if status ~= 200 then
      errors = errors + 1
      advance()
      return
    end
    local parts = {"csrfmiddlewaretoken=" .. csrf, "action=submit", "outcome=passed"}
    local seen = {}
    for id in body:gmatch('name="answer_(%d+)"') do
      if not seen["a" .. id] then
        seen["a" .. id] = true
        table.insert(parts, "answer_" .. id .. "=pass")
      end
    end
    for id in body:gmatch('name="held_(%d+)"') do
      if not seen["h" .. id] then
        seen["h" .. id] = true
        table.insert(parts, "held_" .. id .. "=1&displayed_" .. id .. "=1")
      end
    end
    body_next = table.concat(parts, "&")
    step = 2
  else
    if status == 302 and hdrs["Location"] and hdrs["Location"]:find("saved=1") then
      flows = flows + 1
    else
      errors = errors + 1
    end
    advance()
  end
end

function done(summary, latency, requests)
  local f, e = 0, 0
  for _, t in ipairs(threads) do
    f = f + t:get("flows")
    e = e + t:get("errors")
  end
  io.write(string.format(
    'JSON:{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.0f,"flows":%d,"script_errors":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, f, e))
end
"""

READ_LUA = r"""
local cookie = "sessionid=__SESSION__"
local paths = {__PATHS__}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  i = 0
  bad = 0
end

function request()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) % #paths) + 1], {["Cookie"] = cookie})
end

function response(status, hdrs, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("bad") end
  io.write(string.format(
    'JSON:{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.0f,"script_errors":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e))
end
"""


API_SUBMIT_LUA = r"""
local auth = "Token __TOKEN__"
local bodies = {__BODIES__}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919 + os.time())
  n = tid
  bad = 0
end

local function uuid4()
  local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (t:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  n = n + #threads
  local body = bodies[((n - 1) % #bodies) + 1]:gsub("__UUID__", uuid4())
  local h = {["Authorization"] = auth, ["Content-Type"] = "application/json"}
  return wrk.format("POST", "__PATH__", h, body)
end

function response(status, hdrs, body)
  if status ~= 201 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("bad") end
  io.write(string.format(
    'JSON:{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.0f,"script_errors":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e))
end
"""

API_READ_LUA = READ_LUA.replace(
    'local cookie = "sessionid=__SESSION__"', 'local auth = "Token __TOKEN__"'
).replace('{["Cookie"] = cookie}', '{["Authorization"] = auth}')


def _api_bodies(user, businesses: list[int], limit: int = 200) -> list[str]:
    """visit submit bodies (docs/api.md) for the load user's first businesses: every item 符合, every
    required licence held and displayed; the client UUID is filled in per request by the Lua script."""
    from campaigns.models import Business
    from inspections.services import checklist_current

    bodies, templates = [], {}
    for business in Business.objects.filter(pk__in=businesses[:limit]).select_related("category"):
        template = templates.get(business.category_id)
        if template is None:
            template = templates[business.category_id] = checklist_current(business.category)
        body = {
            "client_uuid": "__UUID__",
            "business": business.pk,
            "checklist": template.pk,
            "answers": {i.code: {"answer": "pass"} for i in template.items.all()},
            "licences": {
                str(t): {"held": True, "displayed": True}
                for t in business.required_licence_types().values_list("pk", flat=True)
            },
            "outcome": "passed",
        }
        bodies.append(json.dumps(body, ensure_ascii=True).replace('"', '\\"'))
    return bodies


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare():
    """The load user, its session, its businesses; the visits it submitted so far."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from accounts.models import RoleAssignment
    from campaigns.models import Business, Village
    from inspections.models import Visit

    user, _ = get_user_model().objects.get_or_create(username="bench-load", defaults={"last_name": "压测"})
    town = Village.objects.filter(code__startswith="bench-").order_by("pk").first().town
    villages = list(Village.objects.filter(town=town).order_by("pk"))
    for v in villages:
        RoleAssignment.objects.get_or_create(user=user, kind="inspector", village=v)
    Visit.objects.filter(created_by=user, status="draft").delete()
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    ids = list(
        Business.objects.active().filter(village__in=villages).order_by("pk").values_list("pk", flat=True)
    )
    start = reverse("inspections:visit_start", args=[0]).rsplit("0/", 1)[0]
    return user, session, ids, start


def _village_reader() -> tuple[str, str]:
    """The inspector of the first bench village (made by bench/generate.py) and a session for it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from campaigns.models import Village

    village = Village.objects.filter(code__startswith="bench-").order_by("pk").first()
    user = get_user_model().objects.get(username=f"bench-insp-{village.code}")
    client = Client()
    client.force_login(user)
    return user.username, client.cookies["sessionid"].value


def _counts(user) -> dict:
    from inspections.models import Visit

    qs = Visit.objects.filter(created_by=user)
    return {"submitted": qs.filter(status="submitted").count(), "draft": qs.filter(status="draft").count()}


# What the scenario writes besides its visits: (table, snapshot table). Restored column by column.
# The per-business status (issue 26) is rewritten by every submitted visit, in the same transaction.
SNAPSHOTS = (
    ("campaigns_licence", "bench_load_licence"),
    ("campaigns_business", "bench_load_business"),
    ("dashboard_businesstargetstatus", "bench_load_target_status"),
    # ... and its totals per village × category (issue 24), by delta: the whole (small) table is copied.
    ("dashboard_targetstatustotal", "bench_load_target_totals"),
    # ... and per village × category (issue 26): the whole (small) table too.
    ("dashboard_targetstatusvillagetotal", "bench_load_target_village_totals"),
)


def _keyed(table: str) -> str:
    return "id" if table == "campaigns_business" else "business_id"


def _where(table: str, businesses: list[int]) -> str:
    """The rows of the table the scenario can change: its businesses' (every total: they are summed)."""
    if table in ("dashboard_targetstatustotal", "dashboard_targetstatusvillagetotal"):
        return "TRUE"
    return f"{_keyed(table)} IN {_in(businesses)}"


def _in(ids: list[int]) -> str:
    return "(" + ", ".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def _snapshot(businesses: list[int]) -> dict:
    """Copy the rows the scenario can change (its businesses and their licences) before it starts; the
    audit log's last id, to remove what it writes."""
    from django.db import connection

    with connection.cursor() as cur:
        for table, copy in SNAPSHOTS:
            cur.execute(f"DROP TABLE IF EXISTS {copy}")
            cur.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table} WHERE {_where(table, businesses)}")
            cur.execute(f"CREATE UNIQUE INDEX {copy}_id ON {copy} (id)")  # the restore joins on it
        cur.execute("SELECT coalesce(max(id), 0) FROM auditlog_logentry")
        return {"businesses": businesses, "audit_max_id": cur.fetchone()[0]}


def _differing(cur, table: str, copy: str, businesses: list[int], both: bool = True) -> int:
    """Rows of the table (its businesses') unlike the copy's; `both`: also the copy's rows now gone."""
    rows = f"SELECT * FROM {table} WHERE {_where(table, businesses)}"
    n = 0
    queries = [f"{rows} EXCEPT SELECT * FROM {copy}"] + (
        [f"SELECT * FROM {copy} EXCEPT {rows}"] if both else []
    )
    for sql in queries:
        cur.execute(f"SELECT count(*) FROM ({sql}) d")
        n += cur.fetchone()[0]
    return n


def _restore(snapshot: dict) -> dict:
    """Put the snapshotted rows back, delete what was added, and count the rows that still differ."""
    from django.db import connection, transaction

    businesses = snapshot["businesses"]
    out = {}
    with transaction.atomic(), connection.cursor() as cur:
        for table, copy in SNAPSHOTS:
            changed = _differing(cur, table, copy, businesses, both=False)  # changed or added
            cols = [
                c.name for c in connection.introspection.get_table_description(cur, table) if c.name != "id"
            ]
            # One join on the copy's key (a correlated subquery per column scanned the copy once per row
            # and column: hours for a town's 10,000 businesses).
            sets = ", ".join(f'"{c}" = s."{c}"' for c in cols)
            cur.execute(f"UPDATE {table} AS t SET {sets} FROM {copy} AS s WHERE s.id = t.id")
            cur.execute(
                f"DELETE FROM {table} WHERE {_where(table, businesses)} AND id NOT IN (SELECT id FROM {copy})"
            )
            # rows the test deleted (a status row is rewritten as a new one): back from the copy
            cur.execute(f"INSERT INTO {table} SELECT * FROM {copy} WHERE id NOT IN (SELECT id FROM {table})")
            out[table] = {
                "changed_by_the_test": changed,
                "still_different": _differing(cur, table, copy, businesses),
            }
            cur.execute(f"DROP TABLE {copy}")
        cur.execute("DELETE FROM auditlog_logentry WHERE id > %s", [snapshot["audit_max_id"]])
        out["audit_entries_deleted"] = cur.rowcount
    return out


def _cleanup(user) -> str:
    from django.db import transaction
    from django.db.models.deletion import ProtectedError

    from inspections.models import Visit

    try:
        with transaction.atomic():
            n, _ = Visit.objects.filter(created_by=user).delete()
        return f"deleted {n} rows"
    except ProtectedError as exc:  # pragma: no cover - reported, not fatal
        return f"not deleted: {exc}"


def _wrk(script: str, url: str, threads: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
        path = fh.name
    try:
        proc = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{threads}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "30s",
                "-s",
                path,
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(path)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("JSON:")), None)
    if line is None:
        raise SystemExit(f"wrk 没有输出结果：{proc.stdout}\n{proc.stderr}")
    result = json.loads(line[5:])
    secs = result["duration_us"] / 1e6
    result["requests_per_s"] = round(result["requests"] / secs, 1) if secs else 0
    for k in ("p50", "p95", "p99", "max", "mean"):
        result[f"{k}_ms"] = round(result.pop(f"{k}_us") / 1000, 1)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    result["non_2xx_3xx"] = result["status"]
    result["wrk_text"] = proc.stdout
    return result


def _api_phases(user, businesses, base: str, threads: int, seconds: int) -> dict:
    """The API under the same server: POST /api/v1/visits/submit/ (a new UUID per request), then the list
    endpoints in turn, both with the load user's personal token."""
    from django.db import connections
    from django.urls import reverse

    from api.services import token_create, token_revoke
    from inspections.models import Visit

    made = token_create(user=user, name="bench", created_by=user)
    secret = made.secret
    bodies = _api_bodies(user, businesses)
    before = Visit.objects.filter(created_by=user, status="submitted").count()
    connections.close_all()
    script = (
        API_SUBMIT_LUA.replace("__TOKEN__", secret)
        .replace("__PATH__", reverse("api:visit_submit"))
        .replace("__BODIES__", ", ".join(f'"{b}"' for b in bodies))
    )
    out: dict = {"submit": _wrk(script, base, threads, seconds)}
    out["submit"].pop("wrk_text")
    out["visits_submitted"] = Visit.objects.filter(created_by=user, status="submitted").count() - before
    paths = [reverse("api:businesses"), reverse("api:visits"), reverse("api:orders")]
    script = API_READ_LUA.replace("__TOKEN__", secret).replace(
        "__PATHS__", ", ".join(f'"{p}"' for p in paths)
    )
    connections.close_all()
    out["lists"] = _wrk(script, base, threads, seconds)
    out["lists"].pop("wrk_text")
    out["lists"]["paths"] = paths
    token_revoke(token=made.token, user=user)  # a rerun makes its own
    for name in ("submit", "lists"):
        r = out[name]
        print(
            f"API {name}: {r['requests']} requests ({r['requests_per_s']}/s), p50 {r['p50_ms']} ms "
            f"p95 {r['p95_ms']} ms, non-2xx/3xx {r['non_2xx_3xx']}, unexpected status {r['script_errors']}",
            flush=True,
        )
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--read-seconds", type=int, default=15, help="0 to skip the read mix")
    parser.add_argument(
        "--api-seconds", type=int, default=15, help="the API's submit and list mix; 0 to skip"
    )
    parser.add_argument("--only-api", action="store_true", help="skip the pages' submit and read mix")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("需要 wrk：sudo apt-get install wrk（Debian/Ubuntu 软件包 wrk）")
    setup_django()
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    call_command("collectstatic", interactive=False, verbosity=0)
    user, session, businesses, start = _prepare()
    # Today's figures are kept per business (dashboard.status): built before the clock starts if they are
    # not built for today (as the daily sweep does), then every page reads them.
    from dashboard import status

    status.sweep()
    before = _counts(user)
    snapshot = _snapshot(businesses)
    connections.close_all()
    cores = os.cpu_count() or 1
    workers = 2 * cores
    threads = 2 * workers
    port = _free_port()
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "wuxiao.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    result: dict = {"workers": workers, "connections": threads, "seconds": args.seconds}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        csrf = secrets.token_hex(16)  # 32 characters: an unmasked secret is accepted as the token
        script = (
            SUBMIT_LUA.replace("__CSRF__", csrf)
            .replace("__SESSION__", session)
            .replace("__BUSINESSES__", ", ".join(map(str, businesses)))
            .replace("__START__", start)
            .replace("__THREADS__", str(threads))
        )
        load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()[:3]
        result["load_before"] = load
        if args.only_api:
            args.seconds = args.read_seconds = 0
        result["submit"] = _wrk(script, base, threads, args.seconds) if args.seconds else None
        after = _counts(user)
        result["visits_submitted"] = after["submitted"] - before["submitted"]
        result["drafts_left"] = after["draft"]
        result["businesses"] = len(businesses)
        if result["submit"] is None:
            result.pop("submit")
        else:
            print(result["submit"].pop("wrk_text"))
            s = result["submit"]
            s["visits_per_s"] = round(result["visits_submitted"] / (s["duration_us"] / 1e6), 1)
            print(
                f"visit submission: {s['requests']} requests ({s['requests_per_s']}/s), "
                f"{result['visits_submitted']} visits submitted ({s['visits_per_s']}/s), "
                f"p50 {s['p50_ms']} ms p95 {s['p95_ms']} ms p99 {s['p99_ms']} ms, "
                f"non-2xx/3xx {s['non_2xx_3xx']}, "
                f"socket errors {s['socket_errors']}, script errors {s['script_errors']}",
                flush=True,
            )
        if args.read_seconds:
            # The read mix is a village inspector's (DOMAIN: each village has its inspectors; the load user
            # covers a whole town only so that every wrk connection has businesses of its own to submit).
            reader, reader_session = _village_reader()
            paths = [
                reverse("campaigns:business_list"),
                reverse("inspections:visit_list"),
                reverse("dashboard:index"),
            ]
            script = READ_LUA.replace("__SESSION__", reader_session).replace(
                "__PATHS__", ", ".join(f'"{p}"' for p in paths)
            )
            result["read"] = _wrk(script, base, threads, args.read_seconds)
            result["read"]["paths"] = paths
            result["read"]["user"] = reader
            print(result["read"].pop("wrk_text"))
        if args.api_seconds:
            result["api"] = _api_phases(user, businesses, base, threads, args.api_seconds)
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
        result["server_errors"] = [
            line for line in (err or "").splitlines() if "Traceback" in line or "ERROR" in line
        ][:20]
    result["cleanup"] = _cleanup(user)
    result["restored"] = _restore(snapshot)
    print("city restored:", json.dumps(result["restored"]), flush=True)
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
