"""Planners: each app says which reminders its objects need; notifications keeps the rows in step.

An app registers a planner in its `reminders.py`, which notifications imports at start-up like the admin
discovers admin.py (inspections/reminders.py: rectification orders, re-inspections, return checks;
notifications/planners.py: licences and phases):

    from notifications.registry import register_planner
    register_planner(name="rectification", model=RectificationOrder, plan=plan_order, candidates=open_orders)

`plan(obj, ctx)` returns the reminders the object needs as of `ctx.today` (a list of `Planned`);
`candidates(ctx)` yields the objects the nightly re-plan walks. `on_write=True` promises that every
service writing the model plans its reminders in its own transaction: inspections calls reminders_plan
itself (order_replan); campaigns, which may not import notifications, calls campaigns.hooks.after_write,
which notifications fills with plan_on_write (tests/test_reminder_on_write.py holds every such planner
to it). The same `plan` decides at send time
whether a reminder still stands (its key must still be planned), so a closed order or a renewed
licence is dropped with a log line instead of being sent.

One-off announcements need no planner: the service that makes the thing calls
notifications.services.reminders_announce (a work bulletin published) or reminders_add_many
(inspections.reminders.announce_visits_assigned: visits assigned to inspectors by someone else).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.choices import READ_ALL, RoleKind
from accounts.models import RoleAssignment
from campaigns.models import Category, Department, Town, Village


@dataclass(frozen=True)
class Planned:
    """One reminder a planner wants to exist. `dedupe_key` names the occasion and must be stable."""

    recipient_id: int
    kind: str
    due_at: datetime.datetime
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Planner:
    name: str
    model: type
    plan: Callable[[Any, PlanContext], list[Planned]]
    candidates: Callable[[PlanContext], Iterable[Any]]
    # True: the services writing the model plan its reminders in their own transaction (a licence saved
    # today to expire in 30 days gets its 30-day reminder today, not after the nightly re-plan).
    on_write: bool = False


_PLANNERS: dict[str, Planner] = {}


def register_planner(
    *, name: str, model: type, plan: Callable, candidates: Callable, on_write: bool = False
) -> None:
    _PLANNERS[name] = Planner(name=name, model=model, plan=plan, candidates=candidates, on_write=on_write)


def get_planner(name: str) -> Planner | None:
    return _PLANNERS.get(name)


def planners() -> list[Planner]:
    return list(_PLANNERS.values())


def reminder_hour() -> int:
    """Reminders planned for a day fall due at this local hour (08:00 by default)."""
    return getattr(settings, "WUXIAO_REMINDER_HOUR", 8)


@dataclass
class PlanContext:
    """What planners share during one planning run: the date, and cached recipient lookups."""

    now: datetime.datetime = field(default_factory=timezone.now)
    # Rows are planned this far ahead; the nightly re-plan brings later occasions in as their day nears.
    horizon: datetime.timedelta = datetime.timedelta(days=14)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def horizon_end(self) -> datetime.datetime:
        return self.now + self.horizon

    def at(self, day: datetime.date) -> datetime.datetime:
        """The moment a reminder for `day` falls due: the reminder hour, local time."""
        naive = datetime.datetime.combine(day, datetime.time(reminder_hour()))
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def occasions(
        self, deadline: datetime.date, days_before: Iterable[int]
    ) -> list[tuple[int, datetime.datetime]]:
        """(days, due_at) of the advance reminders for a deadline still worth sending.

        Every threshold whose day is today or later, at the reminder hour of that day; of the thresholds
        already passed (an object created or a deadline moved inside the window), only the closest one,
        due at once — someone told "expires within 30 days" need not also hear "within 60 days" — and
        not even that one when another threshold falls due today.
        None once the deadline itself has passed (the overdue/expired reminders take over).
        """
        if deadline < self.today:
            return []
        result, passed = [], []
        for days in sorted(set(days_before), reverse=True):
            day = deadline - datetime.timedelta(days=days)
            if day >= self.today:
                result.append((days, self.at(day)))
            else:
                passed.append(days)
        if passed and not any(timezone.localdate(due) == self.today for _, due in result):
            result.append((min(passed), self.now))
        return sorted(result, key=lambda item: item[1])

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # Issue 24, town first: in an installation of several towns a reminder about a town's row goes to that
    # town's staff (and the city's roles, which hold no town); with one town, `town_id` changes nothing.
    def town_of_village(self, village_id: int | None) -> int | None:
        """A village's town, from one query per planning run (no query per row)."""
        towns = self._cached("village_towns", lambda: dict(Village.objects.values_list("pk", "town_id")))
        return towns.get(village_id)

    def _in_town(self, town_id: int | None) -> Q:
        many = self._cached("many_towns", lambda: Town.objects.count() > 1)
        return Q(town_id=town_id) | Q(town__isnull=True) if many and town_id is not None else Q()

    def office_user_ids(self, town_id: int | None = None) -> list[int]:
        return self._cached(
            ("office", town_id), lambda: _role_user_ids(self._in_town(town_id), kind=RoleKind.OFFICE)
        )

    def read_all_user_ids(self, town_id: int | None = None) -> list[int]:
        """The office, the leadership and the supervision teams: those who read the whole town."""
        return self._cached(
            ("read_all", town_id), lambda: _role_user_ids(self._in_town(town_id), kind__in=READ_ALL)
        )

    def department_user_ids(self, department_id: int | None, town_id: int | None = None) -> list[int]:
        if department_id is None:
            return []
        return self._cached(
            ("dept", department_id, town_id),
            # a town department's staff, or a city bureau's (O5: a bureau role names its department)
            lambda: _role_user_ids(
                self._in_town(town_id),
                kind__in=[RoleKind.DEPARTMENT, RoleKind.CITY_BUREAU],
                department_id=department_id,
            ),
        )

    def lead_department_user_ids(self, town_id: int | None = None) -> list[int]:
        """Users of every department that leads a category (O3), and of the enforcement branch."""

        def compute():
            lead = set(Category.objects.values_list("lead_department_id", flat=True))
            lead |= set(Department.objects.filter(leads_unlicensed=True).values_list("pk", flat=True))
            return _role_user_ids(self._in_town(town_id), kind=RoleKind.DEPARTMENT, department_id__in=lead)

        return self._cached(("lead", town_id), compute)

    def inspector_user_ids(self, village_id: int | None) -> list[int]:
        if village_id is None:
            return []
        return self._cached(
            ("village", village_id), lambda: _role_user_ids(kind=RoleKind.INSPECTOR, village_id=village_id)
        )


def _role_user_ids(*where: Q, **filters) -> list[int]:
    ids = RoleAssignment.objects.filter(*where, user__is_active=True, **filters).values_list(
        "user_id", flat=True
    )
    return sorted(set(ids))
