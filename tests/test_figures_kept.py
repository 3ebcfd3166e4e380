"""Issue 9, Speed: target figures are live at town scale and kept (StoredMatrix) when computing them is
slower than WUXIAO_FIGURES_LIVE_MS — then served with their time, refreshed in the background once older
than WUXIAO_FIGURES_MAX_AGE_MINUTES, and recomputed on demand (office button, target_report --live)."""

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from dashboard import figures, services, tasks
from dashboard.models import StoredMatrix
from dashboard.targets import Ctx, available
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign, small_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(village, other_village):
    return {"campaign": campaign(), **small_town(village, other_village)}


@pytest.fixture
def ctx(town):
    context = Ctx.at(AFTER)
    cache.delete(figures.refresh_lock(context.as_of, context.campaign_start))
    yield context
    cache.delete(figures.refresh_lock(context.as_of, context.campaign_start))


def g1(rows_json: str) -> tuple[int, int]:
    row = next(r for r in json.loads(rows_json) if r["target"] == "G1")
    return row["numerator"], row["denominator"]


def report(*args) -> str:
    out = io.StringIO()
    call_command("target_report", "--as-of", AFTER.isoformat(), "--json", *args, stdout=out)
    return out.getvalue()


def test_town_scale_figures_are_live_and_nothing_is_kept(town, ctx):
    before = g1(report())
    f.licensed(town["g3"])
    assert g1(report()) == (before[0] + 1, before[1])
    assert not StoredMatrix.objects.exists()


def test_slow_figures_are_kept_and_target_report_reads_them_until_live_is_asked(town, ctx, settings):
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    first = report()
    kept = StoredMatrix.objects.get()
    assert (kept.as_of, kept.campaign_start) == (ctx.as_of, ctx.campaign_start)
    assert kept.targets == "-".join(t.id for t in available())
    assert json.loads(first)[0]["computed_at"] == timezone.localtime(kept.computed_at).isoformat()
    f.licensed(town["g3"])
    assert g1(report()) == g1(first)  # the kept figure, with its time
    assert g1(report("--live")) == (g1(first)[0] + 1, g1(first)[1])
    assert g1(report()) == (g1(first)[0] + 1, g1(first)[1])  # --live kept the new figures


def test_kept_village_and_category_figures_match_live_ones(town, ctx, settings, other_village):
    args = ("--village", other_village.code, "--category", "grocery")
    live = report(*args)
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    report()  # keeps the town's matrix
    assert StoredMatrix.objects.count() == 1
    f.licensed(town["g3"])  # a grocery of other_village: its G1 changes
    kept = [(r["target"], r["numerator"], r["denominator"]) for r in json.loads(report(*args))]
    assert kept == [(r["target"], r["numerator"], r["denominator"]) for r in json.loads(live)]
    # --live for one scope: computed now over its own businesses, the town's kept figures untouched
    assert g1(report(*args, "--live")) == (g1(live)[0] + 1, g1(live)[1])
    assert StoredMatrix.objects.count() == 1 and g1(report(*args)) == g1(live)


def test_old_kept_figures_queue_one_refresh_which_recomputes_them(
    town, ctx, settings, django_capture_on_commit_callbacks
):
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    figures.town_matrix(available(), ctx)
    StoredMatrix.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=11))
    f.licensed(town["g3"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        old, _at = figures.town_matrix(available(), ctx)  # served at once, refresh queued
        figures.town_matrix(available(), ctx)  # a second page meanwhile queues nothing more
    assert len(queued) == 1
    assert tasks.refresh_figures(ctx.as_of.isoformat(), ctx.campaign_start.isoformat()) == 1
    new, computed_at = figures.town_matrix(available(), ctx)
    assert timezone.now() - computed_at < datetime.timedelta(minutes=1)
    index = [t.id for t in available()].index("G1")
    assert sum(r[f"n{index}"] for r in new) == sum(r[f"n{index}"] for r in old) + 1
    # the task released its lock: the next time they are old, a page queues a refresh again
    StoredMatrix.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        figures.town_matrix(available(), ctx)
    assert len(queued) == 1


def test_fresh_kept_figures_queue_nothing(town, ctx, settings, django_capture_on_commit_callbacks):
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    figures.town_matrix(available(), ctx)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        figures.town_matrix(available(), ctx)
    assert queued == []


def test_figures_that_became_cheap_go_back_to_live(town, ctx, settings):
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    figures.town_matrix(available(), ctx)
    settings.WUXIAO_FIGURES_LIVE_MS = 10**9
    figures.town_matrix(available(), ctx, refresh=True)
    assert not StoredMatrix.objects.exists()


def test_periodic_refresh_does_nothing_at_town_scale_and_keeps_today_fresh_at_city_scale(town, settings):
    assert services.figures_refresh() == 0
    assert not StoredMatrix.objects.exists()
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    today = timezone.localdate()
    figures.town_matrix(available(), Ctx.at(today - datetime.timedelta(days=1)))  # yesterday's, kept
    figures.town_matrix(available(), Ctx.at(today - datetime.timedelta(days=40)))  # long ago
    assert services.figures_refresh() == 1  # today's computed (and kept) before the first page asks
    assert sorted(StoredMatrix.objects.values_list("as_of", flat=True)) == [
        today - datetime.timedelta(days=1),
        today,
    ]
    assert services.figures_refresh() == 1  # then refreshed in place
    assert StoredMatrix.objects.filter(as_of=today).count() == 1


def test_refresh_is_on_the_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="dashboard.tasks.refresh_figures")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        "*/5",
        "*",
        "Asia/Shanghai",
    )


def test_a_failed_refresh_releases_its_lock(
    town, ctx, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WUXIAO_FIGURES_LIVE_MS = 0
    figures.town_matrix(available(), ctx)
    assert figures.refresh_later(ctx)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(figures, "refresh_stored", broken)
    with pytest.raises(RuntimeError):
        services.figures_refresh(as_of=ctx.as_of, campaign_start=ctx.campaign_start)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert figures.refresh_later(ctx)  # the next old page can queue again
    assert len(queued) == 1
