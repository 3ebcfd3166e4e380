"""Reads for 一公开 (issue 25): a unit's public page, its QR placards and the town's public results.

What the public sees is built here as plain values, field by field, from an explicit list: the operator,
the phone, the credit code and anything about tip-offs are never read, so no template can leak them.
Licence numbers are shown partly masked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.scoping import scope
from campaigns.choices import HELD_STATES, BusinessStatus, LicenceState
from campaigns.models import Business, Licence, Town

from ..choices import GRADED_AT_THE_DOOR, HYGIENE_FACE, HygieneGrade, OrderStatus, VisitStatus
from ..models import InspectionProfile, PublicCode, RectificationOrder, Visit

# Licence states worth showing the public: held, and the ones that explain why a unit lacks a licence.
SHOWN_STATES = (LicenceState.VALID, LicenceState.TEMPORARY, LicenceState.EXPIRED, LicenceState.REVOKED)


def mask_number(number: str) -> str:
    """A licence number with its middle hidden: enough to match the paper on the wall, not to copy it."""
    number = (number or "").strip()
    if len(number) <= 4:
        return "*" * len(number)
    keep_head = min(4, len(number) // 3)
    keep_tail = min(3, len(number) // 4) or 1
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


@dataclass(frozen=True)
class PublicLicence:
    name: str
    number: str  # masked
    state: str  # effective state as of the page's date
    state_label: str
    expires_on: datetime.date | None
    held: bool


@dataclass
class PublicUnit:
    """Everything a unit's public page shows, and nothing else."""

    business_id: int
    town: str
    name: str
    category: str
    village: str
    address: str
    status: str
    status_label: str
    is_model: bool
    town_code: str = ""  # issue 24: the page's links go to the unit's own town's results
    licences: list[PublicLicence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required licence types held by no licence
    last_visit_on: datetime.date | None = None
    last_outcome: str = ""
    hygiene_grade: str = ""
    hygiene_label: str = ""
    face: str = ""
    face_label: str = ""
    graded: bool = False  # its category hangs the 量化分级 face at the door
    open_order_deadline: datetime.date | None = None
    open_order_overdue: bool = False
    as_of: datetime.date | None = None

    @property
    def banned(self) -> bool:
        return self.status == BusinessStatus.BANNED

    @property
    def trading(self) -> bool:
        return self.status in (BusinessStatus.OPERATING, BusinessStatus.RECTIFYING)


def code_lookup(code: str) -> PublicCode | None:
    """The PublicCode row for a code (current or retired), or None: one query."""
    if not code or len(code) > 32:
        return None
    return PublicCode.objects.filter(code=code).only("business_id", "retired_at", "code").first()


def public_unit(business_id: int, *, as_of: datetime.date | None = None) -> PublicUnit | None:
    """The public page's values for one unit (six small queries; the page is cached, see views.publicity)."""
    today = as_of or timezone.localdate()
    business = (
        Business.objects.select_related("village__town", "category")
        .only(
            "name",
            "address",
            "status",
            "is_model",
            "category__code",
            "category__name",
            "village__name",
            "village__town__name",
            "village__town__code",
        )
        .filter(pk=business_id)
        .first()
    )
    if business is None:
        return None
    unit = PublicUnit(
        business_id=business.pk,
        town=business.village.town.name,
        town_code=business.village.town.code,
        name=business.name,
        category=business.category.name,
        village=business.village.name,
        address=business.address,
        status=business.status,
        status_label=business.get_status_display(),
        is_model=business.is_model,
        graded=business.category.code in GRADED_AT_THE_DOOR,
        as_of=today,
    )
    # Licences: the newest of each type (a renewal replaces the one before), then the required types
    # that none of them holds today.
    latest: dict[int, Licence] = {}
    for lic in (
        Licence.objects.filter(business_id=business_id, state__in=SHOWN_STATES)
        .select_related("licence_type")
        .only("number", "state", "issued_on", "expires_on", "licence_type__name", "licence_type__id")
        .order_by("licence_type__id", "-issued_on", "-pk")
    ):
        latest.setdefault(lic.licence_type_id, lic)
    held_types = set()
    for lic in latest.values():
        held = lic.is_held_on(today)
        if held:
            held_types.add(lic.licence_type_id)
        # A licence still marked valid after its expiry date (the nightly run has not passed) reads expired.
        state = lic.state if held or lic.state not in HELD_STATES else LicenceState.EXPIRED
        unit.licences.append(
            PublicLicence(
                name=lic.licence_type.name,
                number=mask_number(lic.number),
                state=state,
                state_label=LicenceState(state).label,
                expires_on=lic.expires_on,
                held=held,
            )
        )
    unit.missing = [lt.name for lt in business.required_licence_types() if lt.pk not in held_types]
    visit = (
        Visit.objects.filter(business_id=business_id, status=VisitStatus.SUBMITTED)
        .only("started_at", "outcome")
        .order_by("-started_at", "-pk")
        .first()
    )
    if visit is not None:
        unit.last_visit_on = timezone.localdate(visit.started_at)
        unit.last_outcome = visit.get_outcome_display() if visit.outcome else ""
    if unit.graded:
        profile = InspectionProfile.objects.filter(business_id=business_id).only("hygiene_grade").first()
        if profile and profile.hygiene_grade:
            unit.hygiene_grade = profile.hygiene_grade
            unit.hygiene_label = profile.get_hygiene_grade_display()
            face = HYGIENE_FACE[profile.hygiene_grade]
            unit.face, unit.face_label = face.value, face.label
    order = (
        RectificationOrder.objects.filter(business_id=business_id, status=OrderStatus.OPEN)
        .only("deadline")
        .order_by("deadline")
        .first()
    )
    if order is not None:
        unit.open_order_deadline = order.deadline
        unit.open_order_overdue = order.deadline < today
    return unit


# --- placards -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Placard:
    business_id: int
    town: str
    name: str
    category: str
    village: str
    code: str
    face: str
    face_label: str
    hygiene_label: str


def placard_businesses(*, user) -> QuerySet[Business]:
    """The units whose placards the user may print: their scope (office: all; a department: its
    categories), trading or under rectification (a closed or banned unit gets no new placard)."""
    if not access.can_print_placards(user):
        return Business.objects.none()
    return scope(user, Business.objects.select_related("category", "village__town")).filter(
        status__in=(BusinessStatus.OPERATING, BusinessStatus.RECTIFYING)
    )


def placards(businesses: list[Business], codes: dict[int, str]) -> list[Placard]:
    """One placard per unit, with its current code and face (one query for the grades)."""
    grades = dict(
        InspectionProfile.objects.filter(business__in=[b.pk for b in businesses])
        .exclude(hygiene_grade="")
        .values_list("business_id", "hygiene_grade")
    )
    out = []
    for b in businesses:
        grade = grades.get(b.pk, "") if b.category.code in GRADED_AT_THE_DOOR else ""
        face = HYGIENE_FACE.get(grade) if grade else None
        out.append(
            Placard(
                business_id=b.pk,
                town=b.village.town.name,
                name=b.name,
                category=b.category.name,
                village=b.village.name,
                code=codes[b.pk],
                face=face.value if face else "",
                face_label=face.label if face else "",
                hygiene_label=HygieneGrade(grade).label if grade else "",
            )
        )
    return out


def public_codes_of(business) -> QuerySet[PublicCode]:
    """A unit's codes, newest first, for its business page (the page already scoped the business)."""
    return PublicCode.objects.filter(business=business).select_related("retired_by").order_by("-created_at")


# --- the town's public results ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ClosedByCategory:
    category: str
    closed: int
    open: int


def rectifications_by_category(town: Town | None = None) -> list[ClosedByCategory]:
    """Rectification orders put right (closed) and still open, per category: one grouped query (of
    `town`'s units only, issue 24)."""
    rows = (
        RectificationOrder.objects.filter(**_of_town(town))
        .values("business__category__name", "business__category__order")
        .annotate(
            closed=Count("pk", filter=Q(status=OrderStatus.CLOSED)),
            open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
        )
        .order_by("business__category__order")
    )
    return [ClosedByCategory(r["business__category__name"], r["closed"], r["open"]) for r in rows]


def recently_closed(limit: int = 10, town: Town | None = None) -> QuerySet[RectificationOrder]:
    """The latest orders put right: unit, category, village, issued and closed dates (no findings)."""
    return (
        RectificationOrder.objects.filter(status=OrderStatus.CLOSED, **_of_town(town))
        .select_related("business__category", "business__village")
        .only(
            "issued_on",
            "closed_on",
            "business__name",
            "business__category__short_name",
            "business__village__name",
        )
        .order_by("-closed_on", "-pk")[:limit]
    )


def _of_town(town: Town | None) -> dict:
    return {"business__village__town": town} if town is not None else {}


def public_towns() -> list[Town]:
    """Issue 24: the towns with a results page of their own (one query)."""
    return list(Town.objects.only("name", "code").order_by("name"))


def public_town_of(code: str, towns: list[Town]) -> Town | None:
    """The town whose results a page shows: the one named by ?town=CODE, else the only one; None for a
    city's several towns side by side (the page then lists them, each linking to its own)."""
    code = (code or "").strip()
    if code:
        return next((t for t in towns if t.code == code), None)
    return towns[0] if len(towns) == 1 else None
