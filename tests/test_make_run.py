"""`make run` stops cleanly (issue 21): on SIGTERM to make and on Ctrl-C, web, worker and beat all end —
no "Segmentation fault" from a trap, no worker or beat left behind.

`make run` starts in its own process group (as a terminal job), on a SQLite file and a broker folder of its
own. Every process it starts inherits a marker variable; after the signal, no process may still carry it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
START_TIMEOUT = 600  # migrate + a one-business demo town + three processes, on a busy 2-core machine
STOP_TIMEOUT = 30  # honcho: SIGTERM to each process group, SIGKILL after five seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _marked(marker: str) -> dict[int, str]:
    """Live processes carrying the marker in their environment: pid → command line."""
    found = {}
    needle = f"WUXIAO_RUN_MARKER={marker}".encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            environ = Path(entry.path, "environ").read_bytes()
            if needle not in environ.split(b"\0"):
                continue
            if Path(entry.path, "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue  # a zombie has ended; only its parent has not read its status yet
            found[int(entry.name)] = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _wait_ready(port: int, proc: subprocess.Popen, marker: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                web_ok = response.status == 200
        except OSError:
            web_ok = False
        commands = " ".join(_marked(marker).values())
        if web_ok and "worker" in commands and " beat" in commands:
            return
        time.sleep(1)
    pytest.fail("make run did not come up:\n" + log.read_text(errors="replace")[-3000:])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """One SQLite file for both runs: the second one's migrate has nothing left to do."""
    return tmp_path_factory.mktemp("make-run")


@pytest.mark.parametrize("how", ["SIGTERM to make", "Ctrl-C (SIGINT to the job's process group)"])
def test_make_run_stops_every_process(how, run_dir, tmp_path):
    marker = uuid.uuid4().hex
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        WUXIAO_RUN_MARKER=marker,
        DATABASE_URL=f"sqlite:///{run_dir / 'run.sqlite3'}",
        WUXIAO_BROKER_DIR=str(tmp_path / "broker"),
        WUXIAO_MEDIA_ROOT=str(run_dir / "media"),
    )
    log = tmp_path / "make-run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}", "DEMO_ARGS=--businesses 1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )
    try:
        _wait_ready(port, proc, marker, log)
        if how.startswith("SIGTERM"):
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=STOP_TIMEOUT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while _marked(marker) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = _marked(marker)
        output = log.read_text(errors="replace")
        assert not left, f"still running after {how}: {left}\n{output[-3000:]}"
        assert "Segmentation fault" not in output
        assert "Traceback" not in output
        assert "SIGTERM received" in output or "SIGINT received" in output  # honcho stopped them
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)
