"""Which rows a user reaches: the one place that scopes querysets (selectors call it).

Every list, detail, form, export, import, search, drill-down and download filters through these
functions. An object outside the user's scope is a 404, never a hint that it exists. What a user may *do*
is decided in accounts/access.py.

accounts imports no other app of ours (docs/architecture.md): the one rule that needs the roster's
licences — the enforcement branch reaches the businesses missing a required licence — is registered by
campaigns at start-up (register_unlicensed_q).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet

from .choices import READ_ALL, RoleKind

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

    def has(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))


def reach(user) -> Reach:
    if not user.is_authenticated:
        return Reach()
    cached = getattr(user, "_wuxiao_reach", None)
    if cached is not None:
        return cached
    roles = list(user.roles.select_related("department"))
    kinds = frozenset(r.kind for r in roles)
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
        q |= Q(**{f"{prefix}category__lead_department_id__in": r.departments})
    if r.enforcement_departments:
        # The enforcement branch leads on every business whose required licences are missing (§1).
        if _unlicensed_q is None:
            raise RuntimeError("campaigns has not registered the unlicensed-business rule")
        q |= Q(_unlicensed_q(prefix))
    if for_ledger and r.businesses:
        q |= Q(**{f"{prefix}pk__in": r.businesses})
    return q


def business_q(
    user, prefix: str = "", *, write: bool = False, for_ledger: bool = False, for_sampling: bool = False
) -> Q:
    """A Q selecting the businesses (through `prefix`, e.g. 'business__') the user may read or change.

    Business accounts reach their own business only through ledger views (for_ledger=True); city bureaus
    write only samples (for_sampling=True) of the businesses they read.
    """
    r = reach(user)
    if r.write_all or (r.read_all and not write):
        return Q()
    return _field_scope(r, prefix, for_ledger=for_ledger, write=write, for_sampling=for_sampling)


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
    return Q(**{f"{prefix}pk__in": ids})


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
        q = Q(**{f"{prefix.removesuffix('__')}__in": inner})
    if also is not None and q:  # an empty Q is "everything": `Q() | also` would narrow it to `also`
        q |= also
    return queryset.filter(q)


def _model_at(model: type[Model], prefix: str) -> type[Model]:
    """The model reached from `model` through `prefix` ('visit__business__' from a photo: Business)."""
    for name in prefix.removesuffix("__").split("__"):
        model = model._meta.get_field(name).related_model
    return model
