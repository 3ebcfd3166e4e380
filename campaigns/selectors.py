"""Reads for the roster, scoped through accounts.scoping; every list is a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.scoping import scope

from .models import Business, ImportRecord, Licence, LicenceRequirement
from .models.business import has_subtype, held_licences, satisfies_q


def missing_licence_exists(prefix: str = "", as_of: datetime.date | None = None) -> Exists:
    """EXISTS(a licence the business's category requires that it does not hold on `as_of`).

    A licence of an equivalent type (old or new name, LicenceType.equivalents) counts as held.
    `prefix` reaches the business from the filtered model ('' for Business, 'business__' for a visit).
    """
    as_of = as_of or timezone.localdate()
    held = held_licences(as_of).filter(
        satisfies_q("licence_type"), business=OuterRef(OuterRef(f"{prefix}pk"))
    )
    requirements = LicenceRequirement.objects.filter(category=OuterRef(f"{prefix}category")).filter(
        Q(subtype__isnull=True) | Exists(has_subtype(OuterRef(OuterRef(f"{prefix}pk"))))
    )
    return Exists(requirements.exclude(Exists(held)))


def business_list(*, user) -> QuerySet[Business]:
    """The roster as the user may see it. Licence status is added per page (with_status_in_order)."""
    return scope(user, Business.objects.select_related("category", "village", "market"))


def with_status_in_order(queryset: QuerySet[Business], as_of: datetime.date | None = None) -> list[Business]:
    """The rows of one page (a sliced queryset), annotated with G1 status, in the page's order.

    Two steps so that the correlated licence sub-queries run for the page's rows only, never for the
    rows an OFFSET skips (a late page of a 100,000-row roster would otherwise evaluate them all).
    """
    pks = list(queryset.values_list("pk", flat=True))
    rows = (
        Business.objects.filter(pk__in=pks)
        .select_related("category", "village", "market")
        .prefetch_related("subtypes")
        .with_licence_status(as_of)
    )
    by_pk = {b.pk: b for b in rows}
    return [by_pk[pk] for pk in pks]


def business_queryset(*, user, write: bool = False, for_ledger: bool = False) -> QuerySet[Business]:
    """Businesses the user may open (write=True: change); views fetch one with get_object_or_404."""
    qs = Business.objects.select_related("category__lead_department", "village")
    return scope(user, qs, write=write, for_ledger=for_ledger)


def licence_queryset(*, user, write: bool = False) -> QuerySet[Licence]:
    qs = Licence.objects.select_related("business__category", "business__village", "licence_type")
    return scope(user, qs, "business__", write=write)


def import_records(*, user) -> QuerySet[ImportRecord]:
    """An import belongs to the user who uploaded it."""
    return ImportRecord.objects.filter(user=user) if user.is_authenticated else ImportRecord.objects.none()


def business_detail_queryset(*, user) -> QuerySet[Business]:
    licences = Licence.objects.select_related("licence_type").order_by(
        "licence_type__pk", "-issued_on", "-pk"
    )
    qs = (
        Business.objects.select_related("category__lead_department", "village", "market")
        .prefetch_related("subtypes", Prefetch("licences", queryset=licences))
        .with_licence_status()
    )
    return scope(user, qs)
