"""The orchestrator's probe and beat's heartbeat (issue 21)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from lib.commands import CommandError
from ops.models import Heartbeat
from ops.tasks import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["wuxiao.example.gov.cn"]
    return settings


def test_healthz_answers_plain_http_for_any_host_without_redirect(client, production_like):
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"db": "ok", "broker": "ok"}


def test_only_the_probe_path_skips_the_host_check_and_the_redirect(client, production_like):
    # Another path from the same unknown host is refused (400), a known host over http is redirected.
    assert client.get("/healthz/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    redirect = client.get("/healthz-not", HTTP_HOST="wuxiao.example.gov.cn")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    assert client.post("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_heartbeat_task_moves_the_row_beat_alive_reads(capsys):
    with pytest.raises(CommandError, match="尚无心跳"):
        call_command("beat_alive")
    heartbeat.run()
    call_command("beat_alive", "--max-age", "60")
    assert capsys.readouterr().out.startswith("ok")
    Heartbeat.objects.filter(name="beat").update(at=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(CommandError, match="秒未更新"):
        call_command("beat_alive", "--max-age", "180")
    heartbeat.run()
    call_command("beat_alive", "--max-age", "180")


def test_heartbeat_and_backup_are_on_beats_schedule():
    from django_celery_beat.models import PeriodicTask

    call_command("sync_schedule")
    tasks = dict(PeriodicTask.objects.values_list("task", "enabled"))
    assert tasks["ops.tasks.heartbeat"] and tasks["ops.tasks.nightly_backup"]
    beat = PeriodicTask.objects.get(task="ops.tasks.heartbeat")
    assert beat.interval.every == 60 and beat.interval.period == "seconds"
