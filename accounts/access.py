"""Who may do what: every rule of the app, in one module (docs/architecture.md, "Access").

A rule takes the user (and, for a rule about one object, that object) and answers yes or no without a
query where it can: the roles are read once per request (scoping.reach). Which *rows* a user reaches is
scoping's business (scope, business_q), used inside selectors; a view that fetches an object goes through
a selector, so an object outside the scope is the same 404 as a missing one.

Views use the decorators at the bottom (`@rule_required(access.can_x)`, `@office_required`,
`@read_all_required`); the menu (accounts/nav.py) names the same rules for its entries, so a link and its
permission cannot disagree. Every rule is written with RoleKind, never a raw role string.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .choices import CITY_ROLES, RoleKind
from .scoping import Reach, bureau_licence_types, reach, scope

# The roles whose holders work on the roster: add businesses, start visits, import workbooks.
FIELD_ROLES = (RoleKind.DEPARTMENT, RoleKind.INSPECTOR)


# --- who someone is -------------------------------------------------------------------------------------
def is_office(user) -> bool:
    """The township office (and superusers): writes everything, manages users and reference data."""
    return reach(user).write_all


def reads_all(user) -> bool:
    """Office, leadership and supervision teams read the whole town."""
    return reach(user).read_all


def is_business_account(user) -> bool:
    """A shop's own account and nothing else: it reaches its own ledger only."""
    return reach(user).kinds == frozenset({RoleKind.BUSINESS})


def is_staff_of_campaign(user) -> bool:
    """Anyone working on the campaign (any role but a business account alone)."""
    r = reach(user)
    return bool(r.kinds) and not is_business_account(user)


def works_in_field(user) -> bool:
    """Reads part of the town as a village inspector or a lead department (or the whole of it)."""
    r = reach(user)
    return r.read_all or bool(r.villages or r.departments or r.bureaus)


def is_city(user) -> bool:
    """City leadership and city bureaus (issue 24, O5): the city's dashboard, every town side by side."""
    return reach(user).has(*CITY_ROLES)


def keeps_ledger(user) -> bool:
    """Holds at least one business account (its 我的台账)."""
    return bool(reach(user).businesses)


# --- roster -----------------------------------------------------------------------------------------------
def can_create_business(user) -> bool:
    """The office, lead departments (their categories) and village inspectors (their village)."""
    r = reach(user)
    return r.write_all or r.has(*FIELD_ROLES)


def may_import(user) -> bool:
    """Who may upload a roster workbook: those who may add businesses."""
    return can_create_business(user)


def can_change_business(user, business) -> bool:
    """Whether the user may change this business (its row, licences, visits): one query."""
    return scope(user, type(business).objects.filter(pk=business.pk), write=True).exists()


def may_write_row(
    r: Reach, *, village_id: int | None, lead_department_id: int | None, town_id: int | None = None
) -> bool:
    """Whether a user (by their Reach) may create or change a business with this village (of `town_id`)
    and category.

    The in-memory twin of business_q(write=True) for rows that are not in the database yet (the Excel
    import checks 100,000 rows without a query each) and for the village and category a form offers. The
    enforcement branch's reach depends on licences a new row does not have yet, so it adds nothing here.
    Town first (issue 24): in an install with several towns the office writes its own towns' rows only,
    a department its categories in the towns its roles are held in.
    """
    if r.write_all and r.all_towns_write:
        return True
    if village_id is not None and village_id in r.villages:
        return True
    if r.multi_town and town_id is None:
        return False  # which town the row is in decides: unknown, refused
    if town_id in r.office_towns:
        return True
    if lead_department_id is None or lead_department_id not in r.departments:
        return False
    return not r.multi_town or (lead_department_id, town_id) in r.department_towns


def in_own_towns(user, town_id: int | None) -> bool:
    """Whether a town's own rows (its villages, markets, departments, campaigns) are the user's: every
    town for a superuser, the city's roles and a single-town install; otherwise the towns the user works
    in (issue 24). No query."""
    towns = reach(user).town_ids()
    return towns is None or town_id in towns


def can_manage_reference(user) -> bool:
    """Users, roles, checklists, inspection frequencies and reference data belong to the office."""
    return reach(user).write_all


def may_grant_role(user, role) -> bool:
    """Issue 24: the office manages its own town's people. A town's office grants roles held in its towns
    only (the role's town, derived by RoleAssignment.clean); the city's roles, which read every town, are
    granted by a superuser — or by anyone managing users in a single-town install, as before."""
    r = reach(user)
    if not r.write_all:
        return False
    if r.every_town or not r.multi_town:
        return True
    if role.kind in CITY_ROLES:
        return False
    return role.town_id is not None and role.town_id in r.office_towns


def can_edit_town_settings(user) -> bool:
    """Issue 24: a town's office sets its own ledger window, return-check days, masthead and numbering
    prefix (which towns: campaigns.selectors.settings_towns)."""
    return reach(user).write_all


def can_edit_town_campaign(user) -> bool:
    """Issue 24: a town's office sets up its own town's campaign and its phases' dates (which towns:
    campaigns.selectors.settings_towns)."""
    return reach(user).write_all


def can_manage_leading_group(user) -> bool:
    """O1: a town's office keeps its own town's leading group (领导小组) — who leads, who sits in its
    office (which towns: campaigns.selectors.settings_towns; which members: leading_group_members)."""
    return reach(user).write_all


# --- visits and orders --------------------------------------------------------------------------------
def can_start_visits(user) -> bool:
    """Inspectors, lead departments and the office start visits (in their scope)."""
    r = reach(user)
    return r.write_all or r.has(RoleKind.INSPECTOR, RoleKind.DEPARTMENT)


def can_see_due_list(user) -> bool:
    r = reach(user)
    return r.write_all or bool(r.villages or r.departments)


def may_reschedule(user, order) -> bool:
    """An open order's deadline is moved by the office or the department leading it (no query: the order
    comes with its business's category)."""
    if not order.is_open:
        return False
    r = reach(user)
    lead = order.department_id or order.business.category.lead_department_id
    return r.write_all or lead in r.departments


# --- tip-offs, unlicensed units, spot checks, sampling ----------------------------------------------------
def can_see_tipoffs(user) -> bool:
    r = reach(user)
    return r.read_all or bool(r.departments or r.villages)


def can_triage_tipoffs(user) -> bool:
    """Triage and the tipster's contact belong to the office alone."""
    return reach(user).write_all


def can_work_cases(user) -> bool:
    """Opening and closing unlicensed-unit cases: the office and the enforcement branch (U1)."""
    r = reach(user)
    return r.write_all or bool(r.enforcement_departments)


def can_see_cases(user) -> bool:
    r = reach(user)
    return r.read_all or bool(r.departments or r.villages)


def can_draw(user) -> bool:
    """Random spot-check draws (P2) are made by the office."""
    return reach(user).write_all


def can_see_draws(user) -> bool:
    """Draws are the town's record: read-all roles (the published results are public anyway)."""
    return reach(user).read_all


def can_sample(user) -> bool:
    """Recording samples and their lab results: the office, lead departments, village inspectors and the
    city bureaus (O5: 市药监局/市质监局 sample their categories in every town)."""
    r = reach(user)
    return r.write_all or bool(r.departments or r.villages or r.bureaus)


def can_see_samples(user) -> bool:
    return reach(user).read_all or can_sample(user)


def can_certify(user) -> bool:
    """O5: a city bureau records the licences it issues — and their revocation — for the businesses of its
    categories in every town (scoping.certifying_q), of the types it issues only
    (scoping.bureau_licence_types); its other writes on the roster stay with the towns' staff."""
    return bool(bureau_licence_types(user))


def certify_type_ids(user) -> frozenset[int]:
    """O5: the licence types the user's bureau issues (empty for everyone else): the business page offers
    吊销 on those licences only."""
    return bureau_licence_types(user)


# --- 一公开: public pages and QR placards (issue 25) -------------------------------------------------------
def can_print_placards(user) -> bool:
    """QR placards are printed by the office (any unit) and lead departments (their categories)."""
    r = reach(user)
    return r.write_all or bool(r.departments)


def can_rotate_public_code(user) -> bool:
    """Retiring a unit's public code (old placards stop working) is the office's decision."""
    return reach(user).write_all


# --- ledgers ------------------------------------------------------------------------------------------------
def can_read_ledgers(user) -> bool:
    """Traces, alerts and the ledger overview are for the campaign's staff, not for business accounts."""
    return is_staff_of_campaign(user)


def can_write_ledger(user, business) -> bool:
    """A business's own account, and staff who may change the business, write its ledger: one query."""
    return scope(user, type(business).objects.filter(pk=business.pk), write=True, for_ledger=True).exists()


def can_handle_alert(user, alert) -> bool:
    """A banned-product alert is closed by the department it went to (or the office); others read it."""
    r = reach(user)
    return r.write_all or alert.department_id in r.departments


# --- dashboard and the town's papers --------------------------------------------------------------------
def can_view_dashboard(user) -> bool:
    """Everyone but business accounts; what they see is scoped (a department its targets, an inspector
    their village)."""
    return works_in_field(user)


def can_manage_papers(user) -> bool:
    """Bulletins, acceptance records and circulars are the office's work."""
    return reach(user).write_all


def can_read_town_documents(user) -> bool:
    """Bulletins, acceptance records, ranking and circulars cover the whole town: read-all roles only."""
    return reach(user).read_all


def can_manage_city_papers(user) -> bool:
    """Issue 24: the city's own bulletin and circular on its towns are drafted (and read) by city
    leadership — never by a town's office, nor by a city bureau (which reads its categories only)."""
    return reach(user).has(RoleKind.CITY_LEADER)


# --- registers: incidents (C7), the work register, monthly returns (F1), help (W4), sites (B5) ----------
def can_see_registers(user) -> bool:
    """Incidents, work records and help are read by whoever works in the field (scoped by selectors)."""
    return works_in_field(user)


def can_record_incident(user) -> bool:
    """C7: the office and the lead departments record incidents (village inspectors report them)."""
    r = reach(user)
    return r.write_all or bool(r.departments)


def can_record_activity(user) -> bool:
    """The office, the departments and the village inspectors (O2's village groups) record their work."""
    return works_in_field(user) and (
        reach(user).write_all or bool(reach(user).departments or reach(user).villages)
    )


def can_publish_cases(user) -> bool:
    """W5: what the town publishes is the office's to decide."""
    return reach(user).write_all


def can_set_goals(user) -> bool:
    """C3: the office sets the goals the campaign's targets are measured against."""
    return reach(user).write_all


def can_manage_sites(user) -> bool:
    """B5: the centralised processing site is the office's to set up."""
    return reach(user).write_all


def can_manage_village_groups(user) -> bool:
    """O2: the office keeps the village campaign groups' membership."""
    return reach(user).write_all


def can_record_reissue(user) -> bool:
    """B2: the office and the departments (the workshops' lead, 镇技术监督站, within its scope) record the
    recall and re-issue of the workshops' papers."""
    r = reach(user)
    return works_in_field(user) and (r.write_all or bool(r.departments))


def can_record_findings(user) -> bool:
    """D5, C4: the office, the departments and the village inspectors record what they found on the units of
    their scope (the forms resolve only those): drug sales against the law, holiday-goods checks."""
    r = reach(user)
    return r.write_all or bool(r.departments or r.villages)


def can_manage_holiday_rounds(user) -> bool:
    """C4: the office opens a round of holiday-goods checks (the holiday and its dates)."""
    return reach(user).write_all


# --- decorators -------------------------------------------------------------------------------------------
def rule_required(rule: Callable[..., bool]):
    """Log in first, then the rule; a user it refuses gets the same 404 as a page that does not exist."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not rule(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


office_required = rule_required(is_office)
read_all_required = rule_required(reads_all)
