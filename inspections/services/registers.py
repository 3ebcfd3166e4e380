"""Writes for the incident register (C7) and the work register (Activity: E3, W5, D3, O4 …)."""

from __future__ import annotations

from django.db import transaction

from accounts.scoping import home_town
from campaigns.models import Village
from lib import kept

from ..models import Activity, Incident, SlaughterReturn


@transaction.atomic
def incident_save(*, incident: Incident, businesses=None, user=None) -> Incident:
    """C7: record (or update) a food-safety incident and the units involved. A major one (重大 and above)
    makes its units fail C7 on the dashboard from its date on."""
    if incident.pk is None:
        incident.recorded_by = user
    incident.full_clean()
    involved = set(incident.businesses.values_list("pk", flat=True)) if incident.pk else set()
    incident.save()
    if businesses is not None:
        incident.businesses.set(businesses)
        involved |= {b.pk for b in businesses}
    kept.businesses_changed(involved)  # C7 today (dashboard.status, issue 26)
    return incident


@transaction.atomic
def activity_save(*, activity: Activity, businesses=None, user=None) -> Activity:
    """Record (or update) a piece of campaign work; the kind's rules are in Activity.clean()."""
    if activity.pk is None:
        activity.recorded_by = user
    activity.town_id = _activity_town(activity, businesses, user)
    activity.full_clean()
    activity.save()
    if businesses is not None:
        activity.businesses.set(businesses)
    return activity


def _activity_town(activity: Activity, businesses, user) -> int | None:
    """Issue 24, town first: the town a work record belongs to — its village's, else its units' (when
    they are of one town), else its department's, else the one town its recorder works in; kept as it
    was when none of these says (a superuser's record naming nothing: the city's)."""
    if activity.village_id is not None:
        return Village.objects.values_list("town_id", flat=True).get(pk=activity.village_id)
    if businesses:
        towns = {b.village.town_id for b in businesses}
        if len(towns) == 1:
            return towns.pop()
    if activity.department_id is not None and activity.department.town_id is not None:
        return activity.department.town_id
    recorder = activity.recorded_by if activity.recorded_by_id is not None else user
    if recorder is not None and activity.town_id is None:
        return home_town(recorder)
    return activity.town_id


@transaction.atomic
def slaughter_return_save(*, entry: SlaughterReturn, user=None) -> SlaughterReturn:
    """F1: the slaughterhouse's month — head slaughtered against the town's consumption."""
    if entry.pk is None:
        entry.recorded_by = user
    entry.full_clean()
    entry.save()
    kept.businesses_changed([entry.business_id])  # F1 today (dashboard.status, issue 26)
    return entry
