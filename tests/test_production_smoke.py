"""Production smoke test without Docker (issue 21): the compose file's own `migrate`, `web`, `worker` and
`beat` commands, started natively with .env.example's values, behind the same nginx configuration
(deploy/nginx, rendered by the same script as the `proxy` service), against this machine's PostgreSQL
(a database of its own, <test db>_smoke) and Redis (db 11).

What differs from the compose stack, and why: the addresses (127.0.0.1 and free ports instead of the
service names and 8000/80/443; the commands are taken from docker-compose.yml and only their port is
changed), a test signing key (the example's is refused, as it must be), scratch folders for media, static
files and backups, and the console email backend (no mail server here). The commands themselves, worker
counts included, run exactly as composed.

Checked: the compose healthcheck commands of web, worker and beat pass; HTTP is redirected to HTTPS; a
static file is served by nginx; a login over HTTPS through the proxy is recorded with the client's address
(X-Forwarded-For, WUXIAO_PROXY_COUNT=1); the office draws a spot check, the worker delivers the drawn
inspector's reminder, and the inspector submits the visit over HTTPS.
"""

from __future__ import annotations

import datetime
import json
import re
import urllib.request

import pytest

from tests import production as prod

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(not prod.is_postgres(), reason=prod.POSTGRES_ONLY_REASON),
]

HOST = "wuxiao.example.gov.cn"
REDIS_DB = 11
PASSWORD = "wuxiao-demo-2026"


def _with_port(argv: list[str], old: str, new: str) -> list[str]:
    replaced = [a.replace(old, new) for a in argv]
    assert replaced != argv, f"{old} not found in {argv}: has the compose file changed?"
    return replaced


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    compose = prod.compose()
    services = compose["services"]
    tmp = tmp_path_factory.mktemp("smoke")
    database = prod.scratch_name("smoke")
    web_port, http_port, https_port = prod.free_port(), prod.free_port(), prod.free_port()
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    app_env = {k: str(v) for k, v in services["web"]["environment"].items()}
    # .env.example, then the compose file's environment of the app services, then what must differ here:
    # the addresses of the db and redis services, a test key, scratch folders, no mail server.
    env = prod.base_env(
        app_env,
        {
            "DATABASE_URL": prod.pg_recreate(database),
            "REDIS_URL": redis_url,
            "DJANGO_SECRET_KEY": prod.TEST_SECRET_KEY,
            "WUXIAO_MEDIA_ROOT": str(tmp / "media"),
            "WUXIAO_BACKUP_DIR": str(tmp / "backups"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "WUXIAO_SITE_URL": f"https://{HOST}:{https_port}",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{https_port}",
        },
    )
    assert env["WUXIAO_PROXY_COUNT"] == "1" and env["DJANGO_DEBUG"] == "false"
    import redis

    redis.Redis.from_url(redis_url).flushdb()

    # The compose `migrate` service, then what the image build does (collectstatic) and a small demo town.
    prod.run(prod.compose_argv(services["migrate"]["command"]), env)
    prod.run(["python", "manage.py", "collectstatic", "--noinput", "-v0"], env)
    prod.run(["python", "manage.py", "seed_demo", "--businesses", "8"], env)

    running: list[prod.Service] = []
    try:
        web = _with_port(
            prod.compose_argv(services["web"]["command"]), "0.0.0.0:8000", f"127.0.0.1:{web_port}"
        )
        running.append(prod.Service("web", web, env, tmp))
        running.append(prod.Service("worker", prod.compose_argv(services["worker"]["command"]), env, tmp))
        running.append(prod.Service("beat", prod.compose_argv(services["beat"]["command"]), env, tmp))
        nginx_env = {
            **env,
            "WUXIAO_UPSTREAM": f"127.0.0.1:{web_port}",
            "WUXIAO_STATIC_ROOT": str(tmp / "static"),
            "WUXIAO_TLS_DIR": str(tmp / "tls"),
            "WUXIAO_ACME_ROOT": str(tmp / "acme"),
            "WUXIAO_NGINX_PREFIX": str(tmp / "nginx"),
            "WUXIAO_HTTP_PORT": str(http_port),
            "WUXIAO_HTTPS_PORT": str(https_port),
            "WUXIAO_LISTEN_ADDRESS": "127.0.0.1",
            "WUXIAO_NGINX_USER": prod.user_name(),
            "WUXIAO_SERVER_NAME": HOST,
        }
        conf = prod.run(["sh", "deploy/nginx/render.sh"], nginx_env).stdout.strip()
        prod.run(["nginx", "-t", "-q", "-c", conf], nginx_env)
        running.append(prod.Service("nginx", ["nginx", "-c", conf, "-g", "daemon off;"], nginx_env, tmp))
        stack = {
            "env": env,
            "compose": compose,
            "web_port": web_port,
            "http_port": http_port,
            "https_port": https_port,
            "cert": tmp / "tls" / "fullchain.pem",
            "static": tmp / "static",
            "db": env["DATABASE_URL"],
            "services": {s.name: s for s in running},
        }
        prod.wait_until(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{web_port}/healthz", timeout=5).status == 200,
            timeout=120,
            what="gunicorn",
            services=running,
        )
        yield stack
    finally:
        for service in reversed(running):
            service.stop()
        prod.pg_drop(database)


def _healthcheck(stack, service: str, port_swap=None) -> list[str]:
    argv = prod.compose_argv(stack["compose"]["services"][service]["healthcheck"]["test"])
    if port_swap:
        argv = _with_port(argv, *port_swap)
    return argv


def test_compose_healthchecks_pass(stack):
    env = stack["env"]
    web = _healthcheck(stack, "web", ("127.0.0.1:8000", f"127.0.0.1:{stack['web_port']}"))
    assert prod.run(web, env).returncode == 0
    # The worker answers a ping addressed to its node name (celery@<hostname>, as in the container).
    import socket

    worker_env = {**env, "HOSTNAME": socket.gethostname()}
    prod.wait_until(
        lambda: prod.run(_healthcheck(stack, "worker"), worker_env, check=False).returncode == 0,
        timeout=90,
        what="celery inspect ping",
        services=stack["services"].values(),
    )
    # Beat sends the heartbeat at start and every minute; a worker moves the row.
    beat = _healthcheck(stack, "beat")
    prod.wait_until(
        lambda: prod.run(beat, env, check=False).returncode == 0,
        timeout=90,
        what="beat's heartbeat",
        services=stack["services"].values(),
    )
    assert prod.run(beat, env).stdout.startswith("ok")


def test_http_is_redirected_to_https(stack):
    plain = prod.Browser(HOST, stack["http_port"], cafile=None)
    response = plain.get("/login/?next=/dashboard/")
    assert response.status == 301
    assert response.header("Location") == f"https://{HOST}:{stack['https_port']}/login/?next=/dashboard/"


def test_static_files_are_served_by_nginx(stack):
    manifest = json.loads((stack["static"] / "staticfiles.json").read_text())["paths"]
    name = next(hashed for source, hashed in manifest.items() if source.endswith(".css"))
    browser = prod.Browser(HOST, stack["https_port"], cafile=stack["cert"])
    response = browser.get(f"/static/{name}")
    assert response.status == 200
    assert response.body == (stack["static"] / name).read_bytes()
    assert response.header("Content-Type").startswith("text/css")
    assert "max-age=" in response.header("Cache-Control")
    assert f"/static/{name}" not in stack["services"]["web"].output()  # never reached gunicorn


def test_login_over_https_records_the_forwarded_client_address(stack):
    # From 127.0.0.2: nginx connects to gunicorn from 127.0.0.1, so only X-Forwarded-For carries .2 —
    # and a forged header from the client is not believed (the proxy's own entry is the last one).
    browser = prod.Browser(HOST, stack["https_port"], cafile=stack["cert"], source="127.0.0.2")
    response = browser.request("GET", "/login/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status == 200
    assert "Strict-Transport-Security" in response.headers
    response = browser.login("leader", PASSWORD)
    assert response.status == 302, response.text[:2000]
    assert "sessionid" in browser.cookies
    rows = prod.pg_query(
        stack["db"],
        "SELECT ip_address::text FROM accounts_loginevent WHERE username = %s AND kind = 'login'",
        ("leader",),
    )
    assert [r[0].split("/")[0] for r in rows] == ["127.0.0.2"]


def test_spot_check_reminder_is_delivered_by_the_worker_and_the_visit_submitted(stack):
    db = stack["db"]
    (inspector_pk,) = prod.pg_query(db, "SELECT id FROM auth_user WHERE username = 'inspector'")[0]
    office = prod.Browser(HOST, stack["https_port"], cafile=stack["cert"])
    assert office.login("office", PASSWORD).status == 302
    page = office.get("/inspections/draws/new/")
    assert page.status == 200, page.text[:2000]
    form = prod.parse_form(
        page.text, lambda attrs: "pool" in attrs["__fields"] or "title" in attrs["__fields"]
    )
    today = datetime.date.today().isoformat()
    data = {**form, "title": "冒烟测试随机抽查", "count": "1", "percentage": "", "team_size": "1"}
    data.update(pool=[str(inspector_pk)], planned_on=today, seed="2026")
    response = office.post("/inspections/draws/new/", data)
    assert response.status == 302, re.sub(r"\s+", " ", response.text)[:3000]

    # The draw's reminder is due at once; the web process only nudges the broker, the worker sends it.
    delivered = prod.wait_until(
        lambda: prod.pg_query(
            db,
            "SELECT title FROM notifications_message WHERE user_id = %s AND kind = 'spot_check_assigned'",
            (inspector_pk,),
        ),
        timeout=90,
        what="the worker to deliver the reminder",
        services=stack["services"].values(),
    )
    assert delivered
    worker_log = stack["services"]["worker"].output()
    assert "notifications.tasks.sweep_due_reminders" in worker_log and "succeeded" in worker_log

    inspector = prod.Browser(HOST, stack["https_port"], cafile=stack["cert"])
    assert inspector.login("inspector", PASSWORD).status == 302
    inbox = inspector.get("/notifications/")
    assert inbox.status == 200 and delivered[0][0] in inbox.text

    (visit_pk,) = prod.pg_query(
        db,
        "SELECT p.visit_id FROM inspections_spotcheckpair p "
        "JOIN inspections_spotcheckdraw d ON p.draw_id = d.id WHERE d.title = %s",
        ("冒烟测试随机抽查",),
    )[0]
    page = inspector.get(f"/inspections/visits/{visit_pk}/edit/")
    assert page.status == 200, page.text[:2000]
    form_info = next(f for f in prod.parse_forms(page.text) if "outcome" in f["attrs"]["__fields"])
    data = dict(form_info["fields"])
    for name in form_info["radios"]:
        if name.startswith("answer_"):
            data[name] = "pass"
    for name in [*data, *form_info["radios"]]:  # licence checks: a select or tap buttons (radios)
        if name.startswith(("held_", "displayed_")):
            data[name] = "1"
    data.update(outcome="passed", action="submit", notes="冒烟测试：经营正常。")
    response = inspector.post(f"/inspections/visits/{visit_pk}/edit/", data)
    assert response.status == 302, re.sub(r"\s+", " ", response.text)[:3000]
    assert response.header("Location").startswith(f"/inspections/visits/{visit_pk}/")
    (status, outcome) = prod.pg_query(
        db, "SELECT status, outcome FROM inspections_visit WHERE id = %s", (visit_pk,)
    )[0]
    assert (status, outcome) == ("submitted", "passed")
