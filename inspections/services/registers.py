"""Writes for the incident register (C7) and the work register (Activity: E3, W5, D3, O4 …)."""

from __future__ import annotations

from django.db import transaction

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
    activity.full_clean()
    activity.save()
    if businesses is not None:
        activity.businesses.set(businesses)
    return activity


@transaction.atomic
def slaughter_return_save(*, entry: SlaughterReturn, user=None) -> SlaughterReturn:
    """F1: the slaughterhouse's month — head slaughtered against the town's consumption."""
    if entry.pk is None:
        entry.recorded_by = user
    entry.full_clean()
    entry.save()
    kept.businesses_changed([entry.business_id])  # F1 today (dashboard.status, issue 26)
    return entry
