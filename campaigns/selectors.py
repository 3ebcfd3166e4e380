"""Reads for the roster, scoped through accounts.scoping; every list is a constant number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.scoping import bureau_licence_types, certifying_q, reach, scope, town_wide_q, villages

from .choices import LicenceState
from .models import (
    Business,
    Campaign,
    Department,
    GreenChannel,
    ImportRecord,
    LeadingGroupMember,
    Licence,
    LicenceReissue,
    LicenceRequirement,
    LicenceType,
    SubType,
    Town,
    Village,
    VillageGroupMember,
)
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


def with_status_in_order(
    queryset: QuerySet[Business] | list[int], as_of: datetime.date | None = None
) -> list[Business]:
    """The rows of one page (a sliced queryset, or the page's ids in order), annotated with G1 status, in
    the page's order.

    Two steps so that the correlated licence sub-queries run for the page's rows only, never for the
    rows an OFFSET skips (a late page of a 100,000-row roster would otherwise evaluate them all).
    """
    pks = queryset if isinstance(queryset, list) else list(queryset.values_list("pk", flat=True))
    rows = (
        Business.objects.filter(pk__in=pks)
        .select_related("category", "village", "market")
        .prefetch_related("subtypes")
        .with_licence_status(as_of)
    )
    by_pk = {b.pk: b for b in rows}
    return [by_pk[pk] for pk in pks]


def business_queryset(
    *, user, write: bool = False, for_ledger: bool = False, for_sampling: bool = False
) -> QuerySet[Business]:
    """Businesses the user may open (write=True: change; for_sampling: take a sample at, which a city
    bureau may in its categories, O5); views fetch one with get_object_or_404."""
    qs = Business.objects.select_related("category__lead_department", "village")
    return scope(user, qs, write=write, for_ledger=for_ledger, for_sampling=for_sampling)


def licence_queryset(*, user, write: bool = False) -> QuerySet[Licence]:
    qs = Licence.objects.select_related("business__category", "business__village", "licence_type")
    return scope(user, qs, "business__", write=write)


def import_records(*, user) -> QuerySet[ImportRecord]:
    """An import belongs to the user who uploaded it."""
    return ImportRecord.objects.filter(user=user) if user.is_authenticated else ImportRecord.objects.none()


def business_detail_queryset(*, user) -> QuerySet[Business]:
    licences = Licence.objects.select_related("licence_type", "certified_by", "revoked_by").order_by(
        "licence_type__pk", "-issued_on", "-pk"
    )
    qs = (
        Business.objects.select_related("category__lead_department", "village", "market")
        .prefetch_related("subtypes", Prefetch("licences", queryset=licences))
        .with_licence_status()
    )
    return scope(user, qs)


# --- B3 the green channel ---------------------------------------------------------------------------------
def green_channels(*, user) -> QuerySet[GreenChannel]:
    """B3: every workshop on the green channel the user reaches, with its stage and dates."""
    qs = GreenChannel.objects.select_related("business__village", "business__category").prefetch_related(
        "business__subtypes"
    )
    return scope(user, qs, "business__").order_by("stage", "applied_on", "pk")


def green_channel_counts(queryset: QuerySet[GreenChannel]) -> dict[str, int]:
    """How many workshops stand at each stage (ONE query)."""
    rows = queryset.order_by().values("stage").annotate(n=Count("pk"))
    return {r["stage"]: r["n"] for r in rows}


# --- E6 temporary licences and their deadlines ------------------------------------------------------
def temporary_licences(*, user) -> QuerySet[Licence]:
    """E6: every temporary licence — still temporary, or decided (licensed / revoked), or expired while
    temporary — with `deadline`: its rectification deadline, else its expiry."""
    qs = Licence.objects.filter(
        Q(state=LicenceState.TEMPORARY) | Q(rectify_by__isnull=False) | ~Q(temporary_outcome="")
    ).select_related("business__category", "business__village", "licence_type")
    return scope(user, qs, "business__").annotate(deadline=Coalesce("rectify_by", "expires_on"))


def temporary_licence_counts(queryset: QuerySet[Licence], today: datetime.date | None = None) -> dict:
    """Open, overdue, licensed, revoked (ONE query)."""
    today = today or timezone.localdate()
    open_ = Q(temporary_outcome="")
    return queryset.aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(deadline__lt=today)),
        licensed=Count("pk", filter=Q(temporary_outcome="licensed")),
        revoked=Count("pk", filter=Q(temporary_outcome="revoked")),
    )


# --- O2 the village groups ----------------------------------------------------------------------------
def _group_villages_q(user, prefix: str = "") -> Q:
    """O2, issue 24: the villages whose groups a user sees — read-all roles and departments every
    village of the towns those roles are held in (of the install with one town), a village inspector
    their own villages; Q() for every village."""
    r = reach(user)
    if (r.read_all and r.all_towns_read) or (not r.multi_town and (r.read_all or r.departments)):
        return Q()
    q = Q(**{f"{prefix}pk__in": r.villages})
    if r.read_all:
        q |= Q(**{f"{prefix}town_id__in": r.towns})
    if r.departments:
        q |= Q(**{f"{prefix}town_id__in": {t for _d, t in r.department_towns if t is not None}})
    return q


def leading_group_campaigns(towns: list[Town]) -> dict[int, Campaign | None]:
    """O1: for each town, the campaign whose leading group is the town's today — the town's own current
    campaign (Campaign.current's choice); in a single-town install also a current campaign of no town (it
    is that town's). None while the town runs the city's campaign: the city's group is not the town's (the
    office sets up 本镇专项 first). Three queries whatever the number of towns."""
    current = Campaign.objects.filter(is_current=True).order_by("-starts_on")
    found: dict[int, Campaign | None] = {}
    for campaign in current.filter(town__in=towns):
        found.setdefault(campaign.town_id, campaign)
    shared = None
    if len(found) < len(towns) and Town.objects.count() == 1:
        shared = current.filter(town__isnull=True).first()
    return {town.pk: found.get(town.pk, shared) for town in towns}


def leading_group_members(*, user) -> QuerySet[LeadingGroupMember]:
    """O1: the members of the leading groups the user keeps — those of the campaigns of the towns it is
    the office of (issue 24; a campaign of no town: an office of every town, e.g. a single-town install's)."""
    return LeadingGroupMember.objects.select_related("campaign", "department").filter(
        town_wide_q(user, "campaign__town", write=True)
    )


def village_group_members(*, user, write: bool = False) -> QuerySet[VillageGroupMember]:
    """O2: the members of the village campaign groups the user may see — every village (of their towns)
    for read-all roles and the departments; a village inspector's own villages. write=True: those the
    office keeps, of the towns it is the office of (issue 24)."""
    members = VillageGroupMember.objects.select_related("village")
    if write:
        return members.filter(town_wide_q(user, "village__town", write=True))
    return members.filter(_group_villages_q(user, "village__"))


def villages_for_groups(*, user) -> QuerySet[Village]:
    return villages(user).filter(_group_villages_q(user)).order_by("order", "name")


# --- B2 recall and re-issue of the workshops' papers -------------------------------------------------
def licence_reissues(*, user) -> QuerySet[LicenceReissue]:
    qs = LicenceReissue.objects.select_related("business__village", "licence_type").prefetch_related(
        "business__subtypes"
    )
    return scope(user, qs, "business__")


def reissue_progress(*, user) -> list[dict]:
    """B2: per workshop industry, how many active workshops it has and how many of them had a paper
    recalled and re-issued. Three grouped queries whatever the town's size."""
    industries = list(SubType.objects.filter(category__code="workshop").order_by("pk"))
    units = scope(user, Business.objects.active().filter(category__code="workshop"))
    total = dict(
        units.order_by()
        .values_list("subtypes")
        .annotate(n=Count("pk", distinct=True))
        .values_list("subtypes", "n")
    )
    records = licence_reissues(user=user).filter(business__in=units.values("pk"))
    recalled = dict(
        records.order_by()
        .values_list("business__subtypes")
        .annotate(n=Count("business", distinct=True))
        .values_list("business__subtypes", "n")
    )
    reissued = dict(
        records.filter(reissued_on__isnull=False)
        .order_by()
        .values_list("business__subtypes")
        .annotate(n=Count("business", distinct=True))
        .values_list("business__subtypes", "n")
    )
    rows = []
    for industry in [*industries, None]:
        key = industry.pk if industry else None
        row = {
            "industry": industry,
            "units": total.get(key, 0),
            "recalled": recalled.get(key, 0),
            "reissued": reissued.get(key, 0),
        }
        if industry is None and not (row["units"] or row["recalled"]):
            continue  # no workshop without an industry: no row for them
        row["pending"] = row["recalled"] - row["reissued"]
        row["percent"] = round(100 * row["reissued"] / row["units"], 1) if row["units"] else None
        rows.append(row)
    return rows


# --- O5 a city bureau's certifications -----------------------------------------------------------------
def certifiable_businesses(*, user) -> QuerySet[Business]:
    """O5: the businesses a city bureau records its certifications for (its categories, every town)."""
    qs = Business.objects.select_related("category", "village__town")
    return qs.filter(certifying_q(user))


def certifiable_types(*, user) -> QuerySet[LicenceType]:
    """O5: the licence types the user's bureau issues."""
    return LicenceType.objects.filter(pk__in=bureau_licence_types(user)).order_by("pk")


def certifiable_licences(*, user) -> QuerySet[Licence]:
    """O5: the licences a city bureau may revoke: of a type it issues, at a business of its categories."""
    qs = Licence.objects.select_related("business__category", "business__village__town", "licence_type")
    return qs.filter(certifying_q(user, "business__"), licence_type__in=bureau_licence_types(user))


def bureau_certifications(*, user) -> QuerySet[Licence]:
    """O5: what the user's bureaus recorded — licences they certified or revoked — newest first."""
    bureaus = reach(user).bureaus if user.is_authenticated else frozenset()
    qs = Licence.objects.filter(Q(certified_by__in=bureaus) | Q(revoked_by__in=bureaus))
    return qs.select_related(
        "business__category", "business__village__town", "licence_type", "certified_by", "revoked_by"
    ).order_by("-updated_at", "-pk")


def certifying_bureau(*, user, licence_type: LicenceType) -> Department | None:
    """O5: the user's bureau that issues this type (the first, should a user work for two)."""
    bureaus = reach(user).bureaus if user.is_authenticated else frozenset()
    return Department.objects.filter(pk__in=bureaus, issued_licence_types=licence_type).order_by("pk").first()


def user_bureaus(*, user) -> QuerySet[Department]:
    """O5: the city bureaus the user works for."""
    bureaus = reach(user).bureaus if user.is_authenticated else frozenset()
    return Department.objects.filter(pk__in=bureaus).order_by("pk")


def settings_towns(user) -> QuerySet[Town]:
    """Issue 24: the towns whose settings the user may edit — the office's own towns (town first: a
    superuser's and a single-town install's office, every town), none for anyone else. With each town's
    own settings row, if any (`settings`)."""
    towns = Town.objects.select_related("settings").order_by("name")
    r = reach(user)
    if not r.write_all:
        return towns.none()
    return towns if r.all_towns_write else towns.filter(pk__in=r.office_towns)
