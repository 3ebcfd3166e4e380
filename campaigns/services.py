"""Writes to the roster: each validates, runs in one transaction and returns the object."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib import kept, stamps

from . import town_settings
from .choices import LicenceState, PhaseCode, TemporaryOutcome
from .hooks import after_write
from .models import (
    Business,
    Campaign,
    Department,
    GreenChannel,
    HelpRecord,
    LeadingGroupMember,
    Licence,
    LicenceReissue,
    LicenceType,
    Phase,
    ProcessingSite,
    Town,
    TownSettings,
    VillageGroupMember,
)


@transaction.atomic
def business_save(*, business: Business, subtypes=None) -> Business:
    """Create or update a business (full_clean first: check character, duplicate code, phone)."""
    business.full_clean()
    business.save()
    if subtypes is not None:
        business.subtypes.set(subtypes)
    stamps.touch(stamps.PUBLIC_PAGE, [business.pk])  # its public page (一公开) shows name, address, status
    kept.businesses_changed([business.pk])  # today's target figures (dashboard.status, issue 26)
    return business


@transaction.atomic
def licence_save(*, licence: Licence) -> Licence:
    licence.full_clean()
    if licence.displayed and not licence.displayed_seen_on:
        licence.displayed_seen_on = timezone.localdate()
    licence.save()
    stamps.touch(stamps.PUBLIC_PAGE, [licence.business_id])
    after_write(licence)  # its expiry reminders planned now, in this transaction (notifications)
    kept.businesses_changed([licence.business_id])  # today's target figures (issue 26)
    return licence


def _check_issuer(licence: Licence, bureau: Department) -> None:
    """O5: a bureau records only the licence types it issues (LicenceType.issuing_departments)."""
    if not licence.licence_type.issuing_departments.filter(pk=bureau.pk).exists():
        raise ValidationError(
            {
                "licence_type": ValidationError(
                    "%(bureau)s不核发“%(type)s”，不能登记或吊销此类证照。",
                    code="not_issuer",
                    params={"bureau": bureau.name, "type": licence.licence_type.name},
                )
            }
        )


@transaction.atomic
def licence_certify(*, licence: Licence, bureau: Department, user=None) -> Licence:
    """O5: a city bureau records a licence it issued (a certification) for a business of its categories.
    The office's licence_save does the rest in this transaction: reminders planned, kept status updated;
    the licence names the bureau (certified_by) and the user who recorded it."""
    _check_issuer(licence, bureau)
    licence.certified_by = bureau
    licence.recorded_by = user
    licence.issuer = licence.issuer or bureau.name
    return licence_save(licence=licence)


@transaction.atomic
def licence_renew(
    *,
    licence: Licence,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date | None,
    issuer: str = "",
    displayed: bool = False,
) -> Licence:
    """Replace a licence by its renewal; the old one stays on record, marked expired."""
    new = Licence(
        business=licence.business,
        licence_type=licence.licence_type,
        number=number,
        issuer=issuer or licence.issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        state=LicenceState.VALID,
        displayed=displayed,
        displayed_seen_on=timezone.localdate() if displayed else None,
    )
    new.full_clean()
    new.save()
    if _awaits_outcome(licence):  # E6: the temporary licence's unit met the standard
        _settle(licence, TemporaryOutcome.LICENSED)
    if licence.state != LicenceState.REVOKED:
        licence.state = LicenceState.EXPIRED
        licence.note = (
            licence.note + "\n" if licence.note else ""
        ) + f"{timezone.localdate():%Y-%m-%d} 换发为 {number}"
        licence.save(update_fields=["state", "note", "updated_at", "temporary_outcome", "outcome_on"])
    stamps.touch(stamps.PUBLIC_PAGE, [licence.business_id])
    after_write(new, licence)  # the renewal's reminders planned, the old licence's cancelled
    kept.businesses_changed([licence.business_id])  # today's target figures (issue 26)
    return new


def _awaits_outcome(licence: Licence) -> bool:
    """E6: a temporary licence (or one that expired while temporary) whose outcome is not decided yet."""
    return not licence.temporary_outcome and (
        licence.state == LicenceState.TEMPORARY or licence.rectify_by is not None
    )


def _settle(licence: Licence, outcome: str) -> None:
    licence.temporary_outcome = outcome
    licence.outcome_on = timezone.localdate()


@transaction.atomic
def licence_revoke(*, licence: Licence, reason: str, bureau: Department | None = None) -> Licence:
    """Revoke a licence (E6 吊销); the business then lacks it for G1 from today. A temporary licence's
    rectification ends with the outcome "revoked". With `bureau` (O5), a city bureau revokes a licence of
    a type it issues: the licence names it (revoked_by) and the note says who."""
    if bureau is not None:
        _check_issuer(licence, bureau)
        licence.revoked_by = bureau
    if _awaits_outcome(licence):
        _settle(licence, TemporaryOutcome.REVOKED)
    licence.state = LicenceState.REVOKED
    licence.displayed = False
    who = f"（{bureau.name}）" if bureau is not None else ""
    licence.note = (
        licence.note + "\n" if licence.note else ""
    ) + f"{timezone.localdate():%Y-%m-%d} 吊销{who}：{reason}"
    licence.save(
        update_fields=[
            *("state", "displayed", "note", "updated_at", "temporary_outcome", "outcome_on", "revoked_by"),
        ]
    )
    stamps.touch(stamps.PUBLIC_PAGE, [licence.business_id])
    after_write(licence)  # a revoked licence's reminders are cancelled
    kept.businesses_changed([licence.business_id])  # today's target figures (issue 26)
    return licence


def licence_types_missing(business: Business, as_of: datetime.date | None = None) -> list[LicenceType]:
    """The required licence types the business holds none of on a date (for its page and for forms)."""
    as_of = as_of or timezone.localdate()
    held = {lic.licence_type_id for lic in business.licences.all() if lic.is_held_on(as_of)}
    meets = LicenceType.equivalence_map()  # old and new names meet the same requirement (DOMAIN §8)
    return [lt for lt in business.required_licence_types() if not meets.get(lt.pk, {lt.pk}) & held]


@dataclass
class LicenceRefresh:
    licences_expired: int = 0
    businesses_rectifying: int = 0


def licences_refresh_expired(*, today: datetime.date | None = None) -> LicenceRefresh:
    """Nightly: licences still marked valid or temporary after their expiry date become expired (G1).

    A trading business that thereby lacks a licence its category requires turns 整改中 (rectifying):
    it must get the licence renewed. Each row is saved on its own so the audit trail records it.
    """
    from .choices import HELD_STATES, BusinessStatus

    today = today or timezone.localdate()
    result = LicenceRefresh()
    touched: set[int] = set()
    with transaction.atomic():
        for licence in Licence.objects.select_for_update().filter(
            state__in=HELD_STATES, expires_on__lt=today
        ):
            if licence.state == LicenceState.TEMPORARY and licence.rectify_by is None:
                # E6: it stays on the deadline report, overdue, until licensed or revoked.
                licence.rectify_by = licence.expires_on
            licence.state = LicenceState.EXPIRED
            licence.note = (
                licence.note + "\n" if licence.note else ""
            ) + f"{today:%Y-%m-%d} 到期，系统标记为已过期"
            licence.save(update_fields=["state", "note", "updated_at", "rectify_by"])
            touched.add(licence.business_id)
            result.licences_expired += 1
        lacking = Business.objects.filter(pk__in=touched, status=BusinessStatus.OPERATING).licences_complete(
            False, as_of=today
        )
        for business in lacking:
            business.status = BusinessStatus.RECTIFYING
            business.save(update_fields=["status", "updated_at"])
            result.businesses_rectifying += 1
        stamps.touch(stamps.PUBLIC_PAGE, touched)
        kept.businesses_changed(touched)  # a business turned 整改中 (issue 26)
    return result


@transaction.atomic
def help_record_add(*, record: HelpRecord, user=None) -> HelpRecord:
    """W4: record help given to a unit. Moving it to the concentration site (B5) also marks the business
    "moved", so it leaves the targets' populations as the roster's other moved units do."""
    from .choices import BusinessStatus, HelpKind

    record.recorded_by = user
    record.full_clean()
    record.save()
    if record.kind == HelpKind.CONCENTRATION and record.business.status != BusinessStatus.MOVED:
        record.business.status = BusinessStatus.MOVED
        record.business.save(update_fields=["status", "updated_at"])
        kept.businesses_changed([record.business_id])  # moved: out of every population (issue 26)
    return record


@transaction.atomic
def processing_site_save(*, site: ProcessingSite, industries=None) -> ProcessingSite:
    """B5: create or update the centralised processing site and the industries it takes."""
    site.full_clean()
    site.save()
    if industries is not None:
        site.industries.set(industries)
    return site


@transaction.atomic
def green_channel_save(*, channel: GreenChannel) -> GreenChannel:
    """B3: put a workshop on the green channel or move it along (applied → guided → licensed)."""
    from .choices import GreenChannelStage

    if channel.guided_on and channel.stage == GreenChannelStage.APPLIED:
        channel.stage = GreenChannelStage.GUIDED
    if channel.licensed_on and channel.stage != GreenChannelStage.WITHDRAWN:
        channel.stage = GreenChannelStage.LICENSED
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def campaign_set_e_ledger_goal(*, campaign: Campaign, percent: int) -> Campaign:
    """C3: the office sets how far the e-ledger should have spread this campaign (not 100%)."""
    campaign.e_ledger_goal = percent
    campaign.full_clean()
    campaign.save(update_fields=["e_ledger_goal"])
    return campaign


# --- issue 24: a town's own settings -------------------------------------------------------------------
@transaction.atomic
def town_settings_save(*, row: TownSettings) -> TownSettings:
    """Save a town's settings (its office's form, or the admin). When its effective G2 window changes, every
    business of the town may change standing today: their kept target status is recomputed in this
    transaction (dashboard.status through lib.kept), so the kept and the live figures keep agreeing."""
    before = town_settings.of_town(row.town_id).ledger_window_days
    row.full_clean()
    row.save()
    if town_settings.effective(row).ledger_window_days != before:
        ids = Business.objects.filter(village__town_id=row.town_id).values_list("pk", flat=True)
        kept.businesses_changed(list(ids))
    return row


@transaction.atomic
def town_campaign_save(
    *,
    town: Town,
    name: str,
    starts_on: datetime.date,
    p1_ends_on: datetime.date,
    ends_on: datetime.date,
) -> Campaign:
    """Issue 24: set up (or change) a town's own current campaign and its two phases' dates (P1 整改实施
    from the start to `p1_ends_on`, P2 总结验收 from the next day to the end). A town running the city's
    campaign gets its own, taking the city's C3 goal; Campaign.current(town) is then this one. The
    targets counted since the campaign started follow the town's start: its units' kept status is
    recomputed in this transaction when the start moves.

    O1: a new campaign of the town keeps the town's leading group — the members of the town's previous
    campaign are copied onto it (leading_group_source); the office then adjusts them on 领导小组."""
    if not starts_on <= p1_ends_on < ends_on:
        raise ValidationError(
            {"p1_ends_on": _("整改实施阶段须在开始日期之后、结束日期之前截止（次日起为总结验收阶段）。")}
        )
    campaign = (
        Campaign.objects.select_for_update().filter(town=town, is_current=True).order_by("-starts_on").first()
    )
    moved = campaign is None or campaign.starts_on != starts_on
    created = campaign is None
    if campaign is None:
        city = Campaign.current(town)
        campaign = Campaign(town=town, is_current=True)
        if city is not None:
            campaign.e_ledger_goal = city.e_ledger_goal
    campaign.name, campaign.starts_on, campaign.ends_on = name.strip(), starts_on, ends_on
    campaign.full_clean()
    campaign.save()
    if created:
        leading_group_copy(campaign=campaign, source=leading_group_source(town, exclude=campaign))
    for code, start, end in (
        (PhaseCode.P1, starts_on, p1_ends_on),
        (PhaseCode.P2, p1_ends_on + datetime.timedelta(days=1), ends_on),
    ):
        phase = Phase.objects.filter(campaign=campaign, code=code).first() or Phase(
            campaign=campaign, code=code, name=code.label
        )
        phase.starts_on, phase.ends_on = start, end
        phase.full_clean()
        phase.save()
    if moved:
        kept.businesses_changed(
            list(Business.objects.filter(village__town=town).values_list("pk", flat=True))
        )
    return campaign


# --- O1 the town's leading group ------------------------------------------------------------------------
def leading_group_source(town: Town, *, exclude: Campaign | None = None) -> Campaign | None:
    """O1: the campaign whose members a new campaign of the town takes — the town's latest other campaign
    with a group; in a single-town install a campaign of no town counts as the town's."""
    own = Campaign.objects.filter(leading_group__isnull=False).distinct()
    if Town.objects.count() == 1:
        own = own.filter(Q(town=town) | Q(town__isnull=True))
    else:
        own = own.filter(town=town)
    if exclude is not None:
        own = own.exclude(pk=exclude.pk)
    return own.order_by("-starts_on", "-pk").first()


@transaction.atomic
def leading_group_copy(*, campaign: Campaign, source: Campaign | None) -> int:
    """O1: copy the members of `source`'s leading group onto `campaign` (a new campaign of the same town),
    in their order; none when `campaign` already has a group. Returns how many were copied."""
    if source is None or source.pk == campaign.pk or campaign.leading_group.exists():
        return 0
    members = [
        LeadingGroupMember(
            campaign=campaign,
            name=m.name,
            position=m.position,
            role=m.role,
            department_id=m.department_id,
            order=m.order,
        )
        for m in source.leading_group.order_by("order", "pk")
    ]
    for member in members:  # one by one: each is audited like a member the office adds
        member.full_clean()
        member.save()
    return len(members)


@transaction.atomic
def leading_group_member_save(*, member: LeadingGroupMember) -> LeadingGroupMember:
    """O1: add (or change) a member of a town's leading group."""
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def leading_group_member_remove(*, member: LeadingGroupMember) -> None:
    member.delete()


# --- O2 village groups, B2 recall and re-issue ---------------------------------------------------------
@transaction.atomic
def village_group_member_save(*, member: VillageGroupMember) -> VillageGroupMember:
    """O2: add (or change) a member of a village's campaign group."""
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def village_group_member_remove(*, member: VillageGroupMember) -> None:
    member.delete()


@transaction.atomic
def licence_reissue_save(*, record: LicenceReissue, user=None) -> LicenceReissue:
    """B2: record a workshop's paper recalled — or, on the same row, re-issued (one row per unit and
    paper: LicenceReissueForm turns a second entry into an update of the first)."""
    if record.pk is None:
        record.recorded_by = user
    record.full_clean()
    record.save()
    return record
