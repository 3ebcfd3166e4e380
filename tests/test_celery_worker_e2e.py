"""End to end on the real services (issue 8): a real Celery worker process, the real Redis, the real
PostgreSQL test database. A due reminder travels from the sweep to the inbox, once.

Runs only where REDIS_URL and a PostgreSQL DATABASE_URL are set (CI's second run): the worker is a
separate process and must reach the same database and broker as the test, which SQLite's in-memory
test database and the filesystem broker of the first run cannot offer.
"""

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notifications.choices import ReminderKind
from notifications.models import Message, Reminder
from notifications.services import publish_sweep, reminder_add
from tests import factories as f
from wuxiao.celery import app as celery_app

REAL_SERVICES = bool(os.environ.get("REDIS_URL")) and os.environ.get("DATABASE_URL", "").startswith(
    "postgres"
)

pytestmark = pytest.mark.skipif(
    not REAL_SERVICES,
    reason="the real-worker test needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis run)",
)

WORKER_TIMEOUT = 60  # seconds; a cold worker starts in 2–5 s


class Worker:
    """A `celery -A wuxiao worker` subprocess whose log we read line by line."""

    def __init__(self, env):
        celery = Path(sys.executable).with_name("celery")
        self.proc = subprocess.Popen(
            [
                str(celery),
                "-A",
                "wuxiao",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.log: list[str] = []
        self._partial = b""

    def wait_for(self, needle: str, count: int = 1) -> None:
        """Block until `needle` has appeared `count` times in the worker's log (or fail with the log)."""
        deadline = time.monotonic() + WORKER_TIMEOUT
        while sum(needle in line for line in self.log) < count:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                pytest.fail(f"worker log never showed {needle!r}:\n" + "".join(self.log[-40:]))
            if self.selector.select(timeout=left):
                # os.read, not readline: a buffered readline takes one line and leaves the next (the
                # task's "succeeded", written a moment after the sweep's line) in its buffer, where select
                # never sees it — the test then waited out its timeout with the line already read.
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                *lines, self._partial = (self._partial + chunk).split(b"\n")
                self.log.extend(line.decode("utf-8", "replace") + "\n" for line in lines)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _worker_env() -> dict:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="tests.settings", REDIS_URL=os.environ["REDIS_URL"])
    return env


@pytest.mark.django_db(transaction=True)
def test_real_worker_takes_a_due_reminder_from_the_sweep_to_the_inbox_once():
    user = f.UserFactory(email="")
    reminder = reminder_add(
        recipient=user,
        kind=ReminderKind.RECTIFICATION_DUE,
        title="整改期限将到（真实工作进程）",
        dedupe_key="e2e:1",
    )  # committed: transactional test, so the worker's connection sees it
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # stale sweeps from earlier tests would muddle the count
    worker = Worker(_worker_env())
    try:
        worker.wait_for("ready.")
        assert publish_sweep() is True
        worker.wait_for("succeeded")
        assert Message.objects.filter(user=user).count() == 1
        assert publish_sweep() is True  # a second sweep (a retry, a beat tick) finds nothing to send
        worker.wait_for("succeeded", count=2)
    finally:
        worker.stop()
    message = Message.objects.get(user=user)
    assert message.title == "整改期限将到（真实工作进程）"
    reminder.refresh_from_db()
    assert reminder.sent_at and reminder.message == message
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
    assert "'sent': 1" in "".join(worker.log) and "'sent': 0" in "".join(worker.log)
