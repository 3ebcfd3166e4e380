"""The evidence conditions (dashboard/evidence.py) at their edges (issue 22, mutation testing).

A visit counts from the moment it started to the end of the date, submitted only, and since the campaign's
first moment (A1, E1a); the latest visit decides and must answer the requirement (D1, E1b); a ledger line
counts from the window's first day to the date itself (A3, G2); F1's latest monthly return decides, 100%
included.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.models import Business
from dashboard import evidence
from dashboard.targets import Ctx
from inspections.models import SlaughterReturn, Visit
from inspections.services import visits as visit_services
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta
START = datetime.date(2026, 5, 1)  # the campaign's
DAY = datetime.date(2026, 7, 1)


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meets(condition, business, day) -> bool:
    return Business.objects.filter(condition(Ctx.at(day)), pk=business.pk).exists()


@pytest.fixture
def restaurant(village):
    campaign(starts_on=START)
    shop = f.BusinessFactory(village=village, category=f.category("restaurant"))
    f.licensed(shop)
    return shop


def test_a_visit_counts_from_the_moment_it_started_to_the_end_of_the_date(restaurant, office):
    visit = inspect(restaurant, office, day=DAY)
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(DAY))
    visited = evidence.latest_visit_fails_none("G3")
    assert not meets(visited, restaurant, DAY - DAYS(1))
    assert meets(visited, restaurant, DAY)
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(DAY + DAYS(1)) - DAYS(seconds=1))
    assert meets(visited, restaurant, DAY)
    assert not meets(visited, restaurant, DAY - DAYS(1))


def test_a_visit_started_but_not_submitted_does_not_count(restaurant, office):
    visit_services.visit_start(business=restaurant, user=office, started_at=midnight(DAY))
    assert not meets(evidence.latest_visit_fails_none("G3"), restaurant, DAY)
    assert not meets(evidence.visited_since_start, restaurant, DAY)


def test_visited_since_the_campaigns_first_moment(restaurant, office):
    """A1, E1a: a visit at midnight of the start day counts, one a second before does not."""
    visit = inspect(restaurant, office, day=START)
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(START))
    assert meets(evidence.visited_since_start, restaurant, DAY)
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(START) - DAYS(seconds=1))
    assert not meets(evidence.visited_since_start, restaurant, DAY)


def test_a_violation_counts_since_the_start_and_to_the_date(restaurant, office):
    """E1d: a failed item found since the campaign's start, acted on by the visit's outcome."""
    visit = inspect(restaurant, office, day=DAY, fails=("E1-2",))
    found, acted = evidence.violation_found(), evidence.violation_acted_on()
    assert meets(found, restaurant, DAY) and meets(acted, restaurant, DAY)
    assert not meets(found, restaurant, DAY - DAYS(1))
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(START) - DAYS(seconds=1))
    assert not meets(found, restaurant, DAY) and not meets(acted, restaurant, DAY)
    Visit.objects.filter(pk=visit.pk).update(started_at=midnight(START))
    assert meets(found, restaurant, DAY) and meets(acted, restaurant, DAY)


def test_a_violation_of_other_requirements_is_not_f2s(restaurant, office):
    inspect(restaurant, office, day=DAY, fails=("E1-2",))
    assert meets(evidence.violation_found(), restaurant, DAY)
    assert not meets(evidence.violation_found("F1", "F2", "F3"), restaurant, DAY)
    assert not meets(evidence.violation_acted_on("F1", "F2", "F3"), restaurant, DAY)


def test_the_latest_visit_must_answer_the_item(restaurant, office):
    """E1b: a visit that passed everything but asked nothing of E1-1 does not meet it; a later failing
    visit undoes an earlier passing one."""
    inspect(restaurant, office, day=DAY - DAYS(10))
    e1b = evidence.latest_visit_passes(codes=("E1-1",))
    assert meets(e1b, restaurant, DAY)
    assert not meets(evidence.latest_visit_passes(codes=("NOT-AN-ITEM",)), restaurant, DAY)
    assert not meets(evidence.latest_visit_passes("NOT-A-REQUIREMENT"), restaurant, DAY)
    inspect(restaurant, office, day=DAY, fails=("E1-1",))
    assert not meets(e1b, restaurant, DAY)
    assert meets(e1b, restaurant, DAY - DAYS(1))


# --- ledgers: the window ----------------------------------------------------------------------------------


def test_a_ledger_line_counts_from_the_windows_first_day_to_the_date(village, office):
    """A3 (and G2): the default window of WUXIAO_LEDGER_WINDOW_DAYS days before the date, both ends in."""
    campaign(starts_on=START)
    shop = f.BusinessFactory(village=village, category=f.category("agri"))
    window = settings.WUXIAO_LEDGER_WINDOW_DAYS
    record(shop, line(occurred_on=DAY), user=office, today=DAY)
    a3 = evidence.keeps_traceable_ledger
    assert not meets(a3, shop, DAY - DAYS(1))
    assert meets(a3, shop, DAY)
    assert meets(a3, shop, DAY + DAYS(window))
    assert not meets(a3, shop, DAY + DAYS(window + 1))


# --- F1: the latest monthly return ---------------------------------------------------------------------


def test_f1_the_latest_return_on_or_before_the_date_decides_100_percent_included(village):
    campaign(starts_on=START)
    plant = f.BusinessFactory(village=village, category=f.category("slaughter"))
    f.licensed(plant)
    june, july = datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)
    SlaughterReturn.objects.create(business=plant, month=june, head_slaughtered=1000, head_consumed=1000)
    SlaughterReturn.objects.create(business=plant, month=july, head_slaughtered=999, head_consumed=1000)
    met = evidence.designated_rate_met
    assert meets(met, plant, june + DAYS(29))  # June's return, exactly 100%
    assert not meets(met, plant, july)  # July's, from its first day: 99.9%
    assert not meets(met, plant, june - DAYS(1))  # no return yet
    other = f.BusinessFactory(village=village, category=f.category("slaughter"))
    SlaughterReturn.objects.create(business=other, month=july, head_slaughtered=2000, head_consumed=1000)
    assert not meets(met, plant, july)  # another plant's return is not this one's
    assert meets(met, other, july)
