"""Celery tasks of the dashboard: thin wrappers around services (STYLE, Background work)."""

import datetime

from celery import shared_task
from django.utils import timezone

from campaigns.models import Campaign
from notifications.choices import ReminderKind
from notifications.registry import PlanContext
from notifications.services import reminders_announce

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def weekly_bulletin() -> int | None:
    """U2: the weekly work bulletin of the current campaign, up to today — and of each town's own current
    campaign (issue 24, town first: a town's bulletin counts its own town). Returns the first's number.

    Run twice on the same day it writes nothing new: a bulletin ending today already exists."""
    numbers = [n for c in _current_campaigns() if (n := _bulletin_of(c)) is not None]
    return numbers[0] if numbers else None


def _current_campaigns() -> list[Campaign]:
    """The current campaign, then each town's own current one (none more in a single-town install)."""
    found = [c for c in [Campaign.current()] if c is not None]
    towns = Campaign.objects.filter(is_current=True, town__isnull=False).values_list("town_id", flat=True)
    for town_id in sorted(set(towns)):
        own = Campaign.current(town_id)
        if own is not None and own not in found:
            found.append(own)
    return found


def _bulletin_of(campaign: Campaign) -> int | None:
    today = timezone.localdate()
    if not (campaign.starts_on <= today <= campaign.ends_on):
        return None
    if campaign.bulletins.filter(period_end__gte=today).exists():
        return None  # the days up to today are covered: a second issue would overlap (issue 17)
    bulletin = services.bulletin_create(campaign=campaign, period_end=today, scheduled=True)
    _announce(bulletin)
    return bulletin.number


def _day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def _announce(bulletin) -> None:
    """Issue 8: the new bulletin reaches the inbox (and email/SMS, as each chose) of everyone who may
    open it — the read-all roles — once, however often the task runs."""
    from django.urls import reverse

    reminders_announce(
        recipient_ids=PlanContext().read_all_user_ids(
            bulletin.campaign.town_id if bulletin.campaign else None
        ),
        kind=ReminderKind.BULLETIN,
        title=f"{bulletin}已生成（{_day(bulletin.period_start)}至{_day(bulletin.period_end)}）",
        body="本期工作专报已按计划生成，可在“工作专报”页下载。",
        url=reverse("dashboard:bulletin_list"),
        key=f"bulletin:{bulletin.pk}",
    )


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def refresh_snapshots(full: bool | None = None) -> int:
    """Nightly: recompute the weekly trend of the current campaign's targets — the recent points, and every
    point on Sunday nights (or when `full`). Issue 24: each town's current campaign counting that town,
    and the city's counting the city (services.snapshot_series); a single-town install as before."""
    today = timezone.localdate()
    if full is None:
        full = today.weekday() == 6
    stored = 0
    for campaign, town in services.snapshot_series():
        if campaign.starts_on <= today:
            stored += services.snapshots_refresh(campaign=campaign, full=full, town=town)
    return stored


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def refresh_figures(as_of: str | None = None, campaign_start: str | None = None) -> int:
    """Recompute the stored target figures (issue 9): one date's, queued by a page that found them older
    than WUXIAO_FIGURES_MAX_AGE_MINUTES, or — from beat, every few minutes — today's. Returns how many
    matrices were recomputed (0 at town scale, where nothing is stored and every figure is live)."""
    return services.figures_refresh(
        as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        campaign_start=datetime.date.fromisoformat(campaign_start) if campaign_start else None,
    )


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def sweep_target_status() -> int:
    """Daily just after midnight (and hourly, cheap when nothing is due): the per-business target status
    rows whose date has come are rewritten (issue 26). Returns how many businesses were recomputed."""
    return services.target_status_sweep().businesses


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def check_target_status() -> int:
    """Nightly: compare the per-business target status with the live computation, log and repair any
    difference (issue 26). Returns how many rows differed."""
    return len(services.target_status_check(repair=True))
