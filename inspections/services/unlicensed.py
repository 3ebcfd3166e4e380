"""Writes for unlicensed-unit cases (U1): open one, open all that are due, close with an outcome."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_bulk
from campaigns.models import Business, Department, LicenceRequirement
from campaigns.services import business_save, licence_types_missing

from ..choices import CASE_OUTCOME_BUSINESS_STATUS, CaseSource, CaseStatus
from ..models import TipOff, UnlicensedCase


def enforcement_department() -> Department:
    """The department leading on unlicensed units (城市综合执法分局, DOMAIN §1)."""
    department = Department.objects.filter(leads_unlicensed=True).order_by("pk").first()
    if department is None:
        raise ValidationError(_("未设置牵头无证照整治的部门（城市综合执法分局），请先在后台部门中勾选。"))
    return department


def _missing_names(business: Business, as_of: datetime.date) -> str:
    return "、".join(lt.name for lt in licence_types_missing(business, as_of))


@transaction.atomic
def case_open(
    *,
    business: Business,
    user=None,
    source: str = CaseSource.ROSTER,
    tipoff: TipOff | None = None,
    note: str = "",
    as_of: datetime.date | None = None,
) -> UnlicensedCase:
    """Open a case for one business that lacks a required licence today (U1)."""
    as_of = as_of or timezone.localdate()
    business = Business.objects.select_for_update().get(pk=business.pk)
    if not business.is_active:
        raise ValidationError(
            _("“%(name)s”状态为“%(status)s”，不再经营，无需立案。")
            % {"name": business.name, "status": business.get_status_display()}
        )
    missing = _missing_names(business, as_of)
    if not missing:
        raise ValidationError(_("“%(name)s”证照齐全，不属于无证照经营单位。") % {"name": business.name})
    if business.unlicensed_cases.filter(status=CaseStatus.OPEN).exists():
        raise ValidationError(_("“%(name)s”已有在办的无证照案件。") % {"name": business.name})
    case = UnlicensedCase(
        business=business,
        department=enforcement_department(),
        source=source,
        tipoff=tipoff,
        missing_licences=missing[:300],
        opened_on=as_of,
        opened_by=user if user and user.is_authenticated else None,
        note=note,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_open_all_unlicensed(*, user=None, as_of: datetime.date | None = None) -> list[UnlicensedCase]:
    """Open a case for every active business missing a licence today that has no open case. Idempotent:
    a second run opens nothing. A constant number of queries however many businesses (one bulk insert),
    so the audit entries are written here (bulk_create bypasses auditlog's signals). Two runs at once
    cannot both open a case for a business: the partial unique constraint refuses the second."""
    as_of = as_of or timezone.localdate()
    department = enforcement_department()
    due = list(
        Business.objects.active()
        .licences_complete(False, as_of)
        .exclude(unlicensed_cases__status=CaseStatus.OPEN)
        .prefetch_related("subtypes", "licences")
        .select_related("category")
        .order_by("pk")
    )
    if not due:
        return []
    missing = _missing_by_business(due, as_of)
    actor = user if user and user.is_authenticated else None
    cases = UnlicensedCase.objects.bulk_create(
        [
            UnlicensedCase(
                business=b,
                department=department,
                source=CaseSource.ROSTER,
                missing_licences=missing[b.pk][:300],
                opened_on=as_of,
                opened_by=actor,
            )
            for b in due
        ]
    )
    if cases and cases[0].pk is None:  # backends that do not return ids from a bulk insert
        by_business = {
            c.business_id: c
            for c in UnlicensedCase.objects.filter(business__in=due, status=CaseStatus.OPEN, opened_on=as_of)
        }
        cases = [by_business[b.pk] for b in due]
    record_bulk(
        actor,
        cases,
        "create",
        {"status": [None, CaseStatus.OPEN], "source": [None, CaseSource.ROSTER]},
        additional_data={"bulk": "case_open_all_unlicensed"},
    )
    return cases


def _missing_by_business(businesses: list[Business], as_of: datetime.date) -> dict[int, str]:
    """Missing licence names per business from prefetched subtypes and licences and one requirements query
    (which also brings each required type's equivalents: old and new names meet it, DOMAIN §8)."""
    reqs: dict[int, dict[tuple, set[int]]] = {}  # category -> (subtype, type id, name) -> types that meet it
    rows = LicenceRequirement.objects.order_by("licence_type__pk").values_list(
        "category_id", "subtype_id", "licence_type_id", "licence_type__name", "licence_type__equivalents"
    )
    for category_id, subtype_id, type_id, name, equivalent in rows:
        meets = reqs.setdefault(category_id, {}).setdefault((subtype_id, type_id, name), {type_id})
        if equivalent is not None:
            meets.add(equivalent)
    result = {}
    for b in businesses:
        subtypes = {st.pk for st in b.subtypes.all()}
        held = {lic.licence_type_id for lic in b.licences.all() if lic.is_held_on(as_of)}
        names = []
        for (subtype_id, _type_id, name), meets in reqs.get(b.category_id, {}).items():
            if subtype_id and subtype_id not in subtypes:
                continue
            if not meets & held and name not in names:
                names.append(name)
        result[b.pk] = "、".join(names)
    return result


@transaction.atomic
def case_resolve(
    *,
    case: UnlicensedCase,
    status: str,
    user=None,
    note: str = "",
    resolved_on: datetime.date | None = None,
) -> UnlicensedCase:
    """Close an open case with its outcome; banned / moved / closed set the business's status too.

    'licensed' is accepted only when the business now holds every required licence (G1).
    """
    case = (
        UnlicensedCase.objects.select_for_update(of=("self",))
        .select_related("business__category")
        .get(pk=case.pk)
    )
    if case.status != CaseStatus.OPEN:
        raise ValidationError(
            _("该案件已结案（%(status)s），不能重复结案。") % {"status": case.get_status_display()}
        )
    if status == CaseStatus.OPEN or status not in CaseStatus.values:
        raise ValidationError({"status": _("请选择结案结果。")})
    business = case.business
    resolved_on = resolved_on or timezone.localdate()
    if status == CaseStatus.LICENSED:
        still_missing = _missing_names(business, resolved_on)
        if still_missing:
            raise ValidationError(
                {
                    "status": _("“%(name)s”仍缺少：%(missing)s，不能以“已办证”结案。")
                    % {"name": business.name, "missing": still_missing}
                }
            )
    if status == CaseStatus.MOVED and business.category.code != "workshop":
        raise ValidationError({"status": _("只有小作坊可以迁入小作坊集中加工场（B5）。")})
    new_status = CASE_OUTCOME_BUSINESS_STATUS[CaseStatus(status)]
    if new_status and business.status != new_status:
        business.status = new_status
        business_save(business=business)
    case.status = status
    case.resolved_on = resolved_on
    case.resolved_by = user if user and user.is_authenticated else None
    if note:
        case.note = (case.note + "\n" if case.note else "") + note
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_add_note(*, case: UnlicensedCase, note: str) -> UnlicensedCase:
    """Append a progress note (U2: the information-report system needs the story, not only the outcome)."""
    stamp = f"{timezone.localdate():%Y-%m-%d} "
    case.note = (case.note + "\n" if case.note else "") + stamp + note.strip()
    case.full_clean()
    case.save(update_fields=["note", "updated_at"])
    return case
