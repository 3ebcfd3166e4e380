"""The production stack as files (issue 21): docker-compose.yml's commands, healthchecks and start order,
the Dockerfile's stages, .dockerignore and `make upgrade`. `docker compose config` runs where Docker's
compose plugin is installed; the YAML-level checks run everywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests import production as prod

APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def services():
    return prod.compose()["services"]


def _depends(service: dict) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in (service.get("depends_on") or {}).items()}


def test_services_and_their_commands(services):
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "proxy"}
    assert services["db"]["image"] == "postgres:15"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    web = services["web"]["command"]
    assert web[:2] == ["gunicorn", "wuxiao.wsgi:application"] and "0.0.0.0:8000" in web
    assert services["worker"]["command"][:4] == ["celery", "-A", "wuxiao", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "wuxiao", "beat"]
    assert services["proxy"]["build"]["target"] == "proxy"
    for name in APP_SERVICES:
        assert services[name]["build"]["target"] == "app"
        env = services[name]["environment"]
        assert env["WUXIAO_PROXY_COUNT"] == "1"  # one proxy in front: the client is the last XFF entry
        assert env["WUXIAO_MEDIA_ROOT"] == "/app/media" and env["WUXIAO_BACKUP_DIR"] == "/app/backups"
        assert "media:/app/media" in services[name]["volumes"]
    # Only the proxy is reachable from outside; gunicorn only on the compose network.
    assert [s for s, spec in services.items() if spec.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"] == ["80:80", "443:443"]


def test_every_long_running_service_has_a_healthcheck(services):
    for name, spec in services.items():
        if name == "migrate":
            assert "healthcheck" not in spec and spec["restart"] == "no"
            continue
        assert spec["healthcheck"]["test"], name
    web = prod.compose_argv(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in " ".join(web)  # plain HTTP, the port gunicorn binds
    worker = " ".join(prod.compose_argv(services["worker"]["healthcheck"]["test"]))
    assert worker.startswith("sh -c celery -A wuxiao inspect ping --destination celery@$HOSTNAME")
    beat = prod.compose_argv(services["beat"]["healthcheck"]["test"])
    assert beat[:3] == ["python", "manage.py", "beat_alive"]
    max_age = int(beat[beat.index("--max-age") + 1])
    from ops.schedule import SCHEDULE

    (heartbeat,) = [p for p in SCHEDULE if p.task == "ops.tasks.heartbeat"]
    assert max_age >= 2 * heartbeat.every_seconds  # one missed beat is not yet unhealthy


def _start_order(services) -> list[str]:
    order, placed = [], set()
    while len(order) < len(services):
        ready = sorted(n for n in services if n not in placed and set(_depends(services[n])) <= placed)
        assert ready, f"dependency cycle among {set(services) - placed}"
        order.extend(ready)
        placed.update(ready)
    return order


def test_dependency_order(services):
    assert _depends(services["migrate"]) == {"db": "service_healthy", "redis": "service_healthy"}
    for name in ("web", "worker"):
        assert _depends(services[name]) == {
            "db": "service_healthy",
            "redis": "service_healthy",
            "migrate": "service_completed_successfully",
        }
    assert _depends(services["beat"]) == {
        "migrate": "service_completed_successfully",
        "worker": "service_healthy",  # its heartbeat is run by a worker
    }
    assert _depends(services["proxy"]) == {"web": "service_healthy"}
    for name, spec in services.items():
        for dependency, condition in _depends(spec).items():
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits on {dependency}'s health"
    order = _start_order(services)
    assert order.index("migrate") < min(order.index(n) for n in ("web", "worker", "beat"))
    assert order.index("worker") < order.index("beat") and order.index("web") < order.index("proxy")


def test_dockerfile_stages_and_dockerignore():
    dockerfile = (prod.ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", dockerfile, flags=re.MULTILINE)
    assert stages == [
        ("python:3.11-slim-bookworm", "build"),
        ("debian:bookworm-slim", "proxy"),
        ("build", "app"),
    ]
    # pg_dump/pg_restore of the server's major version (db: postgres:15).
    server = prod.compose()["services"]["db"]["image"].split(":")[1]
    assert f"postgresql-client-{server}" in dockerfile
    # The install step copies pyproject.toml and every package it installs.
    import tomllib

    packages = tomllib.loads((prod.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"][
        "find"
    ]
    install_step = dockerfile[: dockerfile.index("RUN pip install")]
    for pattern in packages["include"]:
        name = pattern.rstrip("*")
        if (prod.ROOT / name).is_dir():
            assert f"COPY {name} {name}" in install_step, name
    assert "COPY deploy/nginx /etc/wuxiao/nginx" in dockerfile
    assert "COPY --from=build /app/staticfiles /srv/wuxiao/static" in dockerfile
    ignored = (prod.ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", "db.sqlite3", ".broker", ".env", "media", "backups", ".git", "tls"):
        assert entry in ignored, entry


def test_make_upgrade_stops_backs_up_migrates_and_starts_in_order():
    makefile = (prod.ROOT / "Makefile").read_text()
    recipe = makefile.split("\nupgrade:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    steps = [line.strip().replace("$(COMPOSE)", "docker compose") for line in recipe]
    assert steps == [
        "docker compose build",
        "docker compose stop beat worker web",
        "docker compose run --rm --no-deps worker python manage.py backup",
        "docker compose run --rm migrate",
        "docker compose up -d --wait",
    ]


def _compose_plugin() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "the docker command is not installed"
    done = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if done.returncode != 0:
        first_line = (done.stderr or done.stdout).strip().splitlines()[:1]
        return f"docker compose is not available here ({' '.join(first_line)[:120]})"
    return None


def test_docker_compose_config_accepts_the_file(tmp_path):
    missing = _compose_plugin()
    if missing:
        pytest.skip(f"docker compose config not run: {missing}")
    shutil.copy(prod.ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(prod.ROOT / ".env.example", tmp_path / ".env")
    done = subprocess.run(
        ["docker", "compose", "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
