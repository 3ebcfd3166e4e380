"""Time the reminder sweep and the nightly re-plan (issue 8). Not a test: numbers go in the report.

    DJANGO_DEBUG=true .venv/bin/python bench/reminder_sweep.py [--reminders 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuxiao_bench .venv/bin/python bench/reminder_sweep.py

Uses the configured database as it is (run `manage.py migrate` and `seed_demo` first): adds --reminders
due reminders for the demo user `aic`, times one sweep (queries and seconds per reminder), a second
sweep (nothing left), and reminders_replan_all over the demo town; then removes what it added. A
baseline of 200 one-row INSERT transactions shows what a commit costs on this machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuxiao.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.models import Message, Reminder  # noqa: E402
from notifications.services import reminders_replan_all, reminders_sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=1000)
    args = parser.parse_args()
    user = get_user_model().objects.get(username="aic")
    Reminder.objects.filter(dedupe_key__startswith="bench:").delete()

    start = time.perf_counter()
    for _ in range(200):
        with transaction.atomic():
            Message.objects.create(user=user, title="bench-baseline")
    baseline = (time.perf_counter() - start) / 200
    Message.objects.filter(title="bench-baseline").delete()

    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(recipient=user, kind="other", title=f"bench {i}", due_at=now, dedupe_key=f"bench:{i}")
        for i in range(args.reminders)
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = reminders_sweep()
        elapsed = time.perf_counter() - start
    start = time.perf_counter()
    again = reminders_sweep()
    empty = time.perf_counter() - start
    with CaptureQueriesContext(connection) as replan_queries:
        start = time.perf_counter()
        planned = reminders_replan_all()
        replan = time.perf_counter() - start

    n = max(result.sent, 1)
    print(f"database: {connection.vendor}")
    print(f"one-row INSERT transaction (baseline): {baseline * 1000:.1f} ms")
    print(
        f"sweep of {args.reminders} due reminders: {elapsed:.2f} s, {elapsed / n * 1000:.1f} ms and "
        f"{len(queries) / n:.1f} queries per reminder ({result})"
    )
    print(f"second sweep (nothing due): {empty * 1000:.1f} ms ({again})")
    print(f"re-plan of every planner: {replan:.2f} s, {len(replan_queries)} queries, {planned}")
    Message.objects.filter(reminder__dedupe_key__startswith="bench:").delete()
    Reminder.objects.filter(dedupe_key__startswith="bench:").delete()


if __name__ == "__main__":
    main()
