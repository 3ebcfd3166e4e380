"""Which rows a user reaches: the one place that scopes querysets (selectors call it).

Every list, detail, form, export, import, search, drill-down and download filters through these
functions. An object outside the user's scope is a 404, never a hint that it exists. What a user may *do*
is decided in accounts/access.py.

accounts imports no other app of ours (docs/architecture.md): the one rule that needs the roster's
licences — the enforcement branch reaches the businesses missing a required licence — is registered by
campaigns at start-up (register_unlicensed_q).

Town first (issue 24): a role is held in one town (RoleAssignment.town). In an install with several towns
a town's office, leadership, supervision and departments reach that town's businesses only, and the rows a
town owns without a business (villages, markets, its departments, campaigns) through town_q / villages /
markets / departments / campaigns / current_campaign below. The city's roles and superusers read every
town; an install with one town is scoped exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

import lib.lookups  # noqa: F401  (registers `__in_array`)

from .choices import CITY_ROLES, READ_ALL, TOWN_WIDE, RoleKind

# The roles whose holders may be assigned a visit and reach it through the assignment (assigned_q).
ASSIGNABLE = (RoleKind.INSPECTOR, RoleKind.DEPARTMENT, RoleKind.OFFICE)


@dataclass(frozen=True)
class Reach:
    """What a user's roles add up to; computed once per request and cached on the user."""

    read_all: bool = False
    write_all: bool = False
    villages: frozenset[int] = field(default_factory=frozenset)
    departments: frozenset[int] = field(default_factory=frozenset)
    enforcement_departments: frozenset[int] = field(default_factory=frozenset)
    businesses: frozenset[int] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    # O5 / issue 24: the city bureaus (departments of level city) the user works for, and the categories
    # they help or lead — read in every town, written only for sampling (never the roster).
    bureaus: frozenset[int] = field(default_factory=frozenset)
    bureau_categories: frozenset[int] = field(default_factory=frozenset)
    # Issue 24, town first: the towns where the user holds a town-wide role (read; write: as the office),
    # every town the user works in at all, each department role's town (department id, town id), and
    # whether the install has several towns (with one, nothing is filtered by town, as before).
    towns: frozenset[int] = field(default_factory=frozenset)
    office_towns: frozenset[int] = field(default_factory=frozenset)
    work_towns: frozenset[int] = field(default_factory=frozenset)
    department_towns: frozenset[tuple[int, int | None]] = field(default_factory=frozenset)
    multi_town: bool = False
    every_town: bool = False
    towns_in_install: int = 0
    # Whether the town-wide roles (read; write: the office's) cover every town of the install: a superuser,
    # the city's roles, one town, or a role in each town — then nothing is filtered by town.
    all_towns_read: bool = False
    all_towns_write: bool = False

    def has(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))

    def town_ids(self) -> frozenset[int] | None:
        """The towns whose own rows the user reaches; None for every town (a superuser, the city's roles,
        an install with one town)."""
        if self.every_town or not self.multi_town or len(self.work_towns) >= self.towns_in_install:
            return None
        return self.work_towns


def reach(user) -> Reach:
    if not user.is_authenticated:
        return Reach()
    cached = getattr(user, "_wuxiao_reach", None)
    if cached is not None:
        return cached
    # The number of towns rides on the roles' query (no query more per request): with one town, nothing
    # is scoped by town.
    table = user.roles.model._meta.get_field("town").related_model._meta.db_table
    roles = list(
        user.roles.select_related("department", "village").annotate(
            towns_in_install=RawSQL(f"SELECT COUNT(*) FROM {table}", [])
        )
    )
    kinds = frozenset(r.kind for r in roles)
    in_install = roles[0].towns_in_install if roles else 0
    multi_town = in_install > 1
    every_town = user.is_superuser or bool(kinds.intersection(CITY_ROLES))
    office_towns = frozenset(r.town_id for r in roles if r.kind == RoleKind.OFFICE and r.town_id)
    towns = frozenset(r.town_id for r in roles if r.kind in TOWN_WIDE and r.town_id is not None)
    work_towns = frozenset(r.town_id for r in roles if r.town_id is not None) | frozenset(
        r.village.town_id for r in roles if r.village_id is not None
    )
    result = Reach(
        read_all=user.is_superuser or bool(kinds.intersection(READ_ALL)),
        write_all=user.is_superuser or RoleKind.OFFICE in kinds,
        villages=frozenset(r.village_id for r in roles if r.kind == RoleKind.INSPECTOR),
        departments=frozenset(r.department_id for r in roles if r.kind == RoleKind.DEPARTMENT),
        enforcement_departments=frozenset(
            r.department_id for r in roles if r.kind == RoleKind.DEPARTMENT and r.department.leads_unlicensed
        ),
        businesses=frozenset(r.business_id for r in roles if r.kind == RoleKind.BUSINESS),
        kinds=kinds | ({RoleKind.OFFICE} if user.is_superuser else set()),
        bureaus=(bureaus := frozenset(r.department_id for r in roles if r.kind == RoleKind.CITY_BUREAU)),
        bureau_categories=_bureau_categories(user, bureaus),
        towns=towns,
        office_towns=office_towns,
        work_towns=work_towns,
        department_towns=frozenset(
            (r.department_id, r.town_id or r.department.town_id)
            for r in roles
            if r.kind == RoleKind.DEPARTMENT
        ),
        multi_town=multi_town,
        every_town=every_town,
        towns_in_install=in_install,
        all_towns_read=every_town or not multi_town or len(towns) >= in_install,
        all_towns_write=every_town or not multi_town or len(office_towns) >= in_install,
    )
    user._wuxiao_reach = result
    return result


def _bureau_categories(user, bureaus: frozenset[int]) -> frozenset[int]:
    """The categories city bureaus help (Category.helper_departments: 市质监局 the workshops, 市药监局 the
    pharmacies) or lead: one query, and only for a user holding a bureau role."""
    if not bureaus:
        return frozenset()
    department = user.roles.model._meta.get_field("department").related_model  # campaigns.Department
    category = department._meta.get_field("led_categories").related_model  # campaigns.Category
    ids = category.objects.filter(Q(helper_departments__in=bureaus) | Q(lead_department_id__in=bureaus))
    return frozenset(ids.values_list("pk", flat=True))


# prefix -> Q of the businesses (through prefix) missing a required licence; set by campaigns' ready().
_unlicensed_q: Callable[[str], Q] | None = None


def register_unlicensed_q(build: Callable[[str], Q]) -> None:
    """campaigns registers how to select the businesses missing a required licence (DOMAIN §1)."""
    global _unlicensed_q
    _unlicensed_q = build


def _field_scope(
    r: Reach, prefix: str, *, for_ledger: bool, write: bool = False, for_sampling: bool = False
) -> Q:
    """The businesses a non-office user works on, as a Q on `prefix` + business fields."""
    q = Q(pk__in=[])
    if r.bureau_categories and (not write or for_sampling):
        # O5: a city bureau reads its categories in every town and samples there; the roster is the towns'.
        q |= Q(**{f"{prefix}category_id__in": r.bureau_categories})
    if r.villages:
        q |= Q(**{f"{prefix}village_id__in": r.villages})
    if r.departments:
        q |= _in_towns(r, prefix, Q(**{f"{prefix}category__lead_department_id__in": r.departments}))
    if r.enforcement_departments:
        # The enforcement branch leads on every business whose required licences are missing (§1).
        if _unlicensed_q is None:
            raise RuntimeError("campaigns has not registered the unlicensed-business rule")
        q |= _in_towns(r, prefix, Q(_unlicensed_q(prefix)), only=r.enforcement_departments)
    if for_ledger and r.businesses:
        q |= Q(**{f"{prefix}pk__in": r.businesses})
    return q


def _in_towns(r: Reach, prefix: str, q: Q, *, only: frozenset[int] | None = None) -> Q:
    """A department's reach (q) within the towns its roles are held in (issue 24); as it is with one town."""
    if not r.multi_town:
        return q
    towns = frozenset(t for d, t in r.department_towns if t is not None and (only is None or d in only))
    if not towns:
        return Q(pk__in=[])
    return q & Q(**{f"{prefix}village__town_id__in": towns})


def business_q(
    user, prefix: str = "", *, write: bool = False, for_ledger: bool = False, for_sampling: bool = False
) -> Q:
    """A Q selecting the businesses (through `prefix`, e.g. 'business__') the user may read or change.

    Business accounts reach their own business only through ledger views (for_ledger=True); city bureaus
    write only samples (for_sampling=True) of the businesses they read.
    """
    r = reach(user)
    if (r.write_all and r.all_towns_write) or (r.read_all and not write and r.all_towns_read):
        return Q()  # a superuser, city leadership reading, the one town of a single-town install
    q = _field_scope(r, prefix, for_ledger=for_ledger, write=write, for_sampling=for_sampling)
    towns = r.office_towns if write else r.towns
    if towns:  # issue 24, town first: the town-wide roles reach their own towns only
        q |= Q(**{f"{prefix}village__town_id__in": towns})
    return q


def referred_q(user, prefix: str = "") -> Q:
    """O5: objects (samples, visits) whose referral_department is one of the user's city bureaus — a
    bureau sees the referrals sent to it, whatever their category or town. Nothing for anyone else."""
    bureaus = reach(user).bureaus if user.is_authenticated else frozenset()
    if not bureaus:
        return Q(pk__in=[])
    return Q(**{f"{prefix}referral_department_id__in": bureaus})


def bureau_licence_types(user) -> frozenset[int]:
    """O5: the licence types the user's city bureaus issue (LicenceType.issuing_departments) — the only
    types a bureau records certifications and revocations of. One query, for a bureau's users only, kept
    on the user for the request like reach()."""
    bureaus = reach(user).bureaus if user.is_authenticated else frozenset()
    if not bureaus:
        return frozenset()
    cached = getattr(user, "_wuxiao_bureau_types", None)
    if cached is None:
        department = user.roles.model._meta.get_field("department").related_model  # campaigns.Department
        licence_type = department._meta.get_field("issued_licence_types").related_model
        cached = frozenset(
            licence_type.objects.filter(issuing_departments__in=bureaus).values_list("pk", flat=True)
        )
        user._wuxiao_bureau_types = cached
    return cached


def certifying_q(user, prefix: str = "") -> Q:
    """O5: the businesses (through `prefix`) a city bureau records its certifications for — its categories
    in every town, like its reading and sampling (business_q(for_sampling=True)). Nothing for anyone else:
    the towns' staff record licences on the roster's own pages (business_q(write=True)), and this opens no
    other write on the roster."""
    if not bureau_licence_types(user):
        return Q(pk__in=[])
    return Q(**{f"{prefix}category_id__in": reach(user).bureau_categories})


def assigned_q(user, model: type[Model], field: str, prefix: str = "") -> Q:
    """Objects of `model` (reached through `prefix`) naming the user in their many-to-many `field`
    (a visit's inspectors; `prefix="visit__"` for its photos).

    Whoever is assigned a visit may open and fill it in wherever the business is: a random spot check
    sends inspectors outside their own village on purpose (P2). A subquery, so no row is repeated.

    Only while the user still works as an inspector, a department or the office: being named on a visit
    is not a role of its own, so someone whose roles were removed (or who now holds only a business
    account) loses the visits they were once assigned.
    """
    if not user.is_authenticated or not reach(user).has(*ASSIGNABLE):
        return Q(pk__in=[])
    m2m = model._meta.get_field(field)
    through = m2m.remote_field.through
    ids = through.objects.filter(**{m2m.m2m_reverse_field_name(): user.pk}).values(m2m.m2m_field_name())
    return Q(**{f"{prefix}pk__in_array": ids})  # lib.lookups: an index condition even when OR-ed


def scope(
    user,
    queryset: QuerySet,
    prefix: str = "",
    *,
    write: bool = False,
    for_ledger: bool = False,
    for_sampling: bool = False,
    also: Q | None = None,
    subquery: bool = False,
) -> QuerySet:
    """Filter any queryset reaching a business through `prefix` down to the user's scope.

    `also` lets in objects the user reaches otherwise than through the business (`assigned_q`).
    subquery=True tests `business_id IN (SELECT id FROM business WHERE …)` instead of conditions on the
    joined business: OR-ed with `also`, those span two tables and PostgreSQL must then join every row
    before it can filter (a village inspector's visit list read all 1,000,000 visits, issue 11); on the
    row's own column it can walk an index in the page's order and stop after a page."""
    q = business_q(user, prefix, write=write, for_ledger=for_ledger, for_sampling=for_sampling)
    if subquery and prefix and q:
        inner = (
            _model_at(queryset.model, prefix)
            ._default_manager.filter(
                business_q(user, write=write, for_ledger=for_ledger, for_sampling=for_sampling)
            )
            .values("pk")
        )
        q = Q(**{f"{prefix}pk__in_array": inner})  # lib.lookups: = ANY(ARRAY(…)) on the row's own column
    if also is not None and q:  # an empty Q is "everything": `Q() | also` would narrow it to `also`
        q |= also
    return queryset.filter(q)


def _model_at(model: type[Model], prefix: str) -> type[Model]:
    """The model reached from `model` through `prefix` ('visit__business__' from a photo: Business)."""
    for name in prefix.removesuffix("__").split("__"):
        model = model._meta.get_field(name).related_model
    return model


# --- issue 24, town first: the rows a town owns without a business ---------------------------------------
def town_q(user, field: str = "town", *, shared: bool = False) -> Q:
    """A Q on a town-owned row's town (`field`: 'town' for a village, 'village__town' for a market) keeping
    the user's own towns; everything where town_ids() is None. shared=True also keeps rows of no town
    (a shared department, the city's campaign)."""
    towns = reach(user).town_ids()
    if towns is None:
        return Q()
    q = Q(**{f"{field}__in": towns})
    return q | Q(**{f"{field}__isnull": True}) if shared else q


def _campaigns_model(name: str) -> type[Model]:
    # accounts imports no other app of ours: campaigns' models by the app registry.
    return apps.get_model("campaigns", name)


def villages(user) -> QuerySet:
    """The villages the user may choose, filter on or import into: their towns' (issue 24)."""
    return _campaigns_model("Village").objects.filter(town_q(user))


def markets(user) -> QuerySet:
    return _campaigns_model("Market").objects.filter(town_q(user, "village__town"))


def departments(user) -> QuerySet:
    """Departments of the user's towns, the shared ones and the city's bureaus (a referral goes there)."""
    return _campaigns_model("Department").objects.filter(town_q(user, shared=True))


def campaigns(user) -> QuerySet:
    """The user's towns' campaigns and the ones of no town."""
    return _campaigns_model("Campaign").objects.filter(town_q(user, shared=True))


def home_town(user) -> int | None:
    """The one town the user works in, or None (every town, several, or none)."""
    towns = reach(user).town_ids()
    return next(iter(towns)) if towns is not None and len(towns) == 1 else None


def current_campaign(user=None):
    """The current campaign as the user's town runs it (issue 24): a town's staff see their own town's;
    the city, a superuser and a single-town install the latest current one (Campaign.current())."""
    campaign = _campaigns_model("Campaign")
    town = home_town(user) if user is not None and user.is_authenticated else None
    return campaign.current(town) if town is not None else campaign.current()


# A FilterSet's ModelChoiceFilter(queryset=…) calls these with the request (None outside a view: all).
def village_choices(request) -> QuerySet:
    """The villages a list filters on: the user's towns', and only the chosen town's when the list is cut
    to one (?town=CODE, the city's drill-down: 120 villages to choose from, not a city's 3,600)."""
    user = getattr(request, "user", None)
    found = villages(user) if user is not None else _campaigns_model("Village").objects.all()
    town = getattr(request, "GET", {}).get("town", "")
    return found.filter(town__code=town.strip()) if isinstance(town, str) and town.strip() else found


def market_choices(request) -> QuerySet:
    user = getattr(request, "user", None)
    return markets(user) if user is not None else _campaigns_model("Market").objects.all()


def department_choices(request) -> QuerySet:
    user = getattr(request, "user", None)
    return departments(user) if user is not None else _campaigns_model("Department").objects.all()


# --- issue 24, town first: for selectors with a rule of their own (tip-offs, cases, registers) -----------
def reads_every_town(user) -> bool:
    """A town-wide reader whose reach is every town: a superuser, city leadership, any town-wide role of
    a single-town install. Their selectors filter nothing, as before."""
    r = reach(user)
    return r.read_all and r.all_towns_read


def town_wide_q(user, *fields: str, write: bool = False) -> Q:
    """The rows of the towns where the user holds a town-wide role (write: as the office), their town
    reached through any of `fields` ('village__town', 'business__village__town'); Q() for every town."""
    r = reach(user)
    if r.all_towns_write if write else r.all_towns_read:
        return Q()
    towns = r.office_towns if write else r.towns
    q = Q(pk__in=[])
    for f in fields:
        q |= Q(**{f"{f}__in": towns})
    return q


def departments_q(user, field: str, *town_fields: str) -> Q:
    """Rows assigned to one of the user's departments (`field`: 'lead_department'), in the town each of
    those roles is held in (its town through any of `town_fields`); as before with one town."""
    r = reach(user)
    if not r.departments:
        return Q(pk__in=[])
    if not r.multi_town:
        return Q(**{f"{field}_id__in": r.departments})
    q = Q(pk__in=[])
    for department, town in r.department_towns:
        if town is None:
            continue
        where = Q(pk__in=[])
        for f in town_fields:
            where |= Q(**{f"{f}_id": town})
        q |= Q(**{f"{field}_id": department}) & where
    return q
