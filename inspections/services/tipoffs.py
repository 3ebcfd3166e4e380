"""Writes for tip-offs (W5): the public submission and the office's triage."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Business, Category, Department, Town, Village
from campaigns.services import business_save

from ..choices import TIPOFF_CLOSED, TipOffStatus, VisitKind, VisitStatus
from ..models import TipOff, TipOffPhoto, Visit
from ..reminders import announce_visit_assigned, announce_visits_withdrawn
from ..selectors import visit_inspector_choices
from ..uploads import CleanImage
from .visits import visit_start


def match_business(*, name: str, village: Village | None) -> Business | None:
    """The one roster business the tipster's free text names, if exactly one matches; else None.

    Only a suggestion for the office: the public form never shows the roster.
    """
    name = (name or "").strip()
    if len(name) < 2:
        return None
    qs = Business.objects.active()
    if village is not None:
        qs = qs.filter(village=village)
    exact = list(qs.filter(name=name)[:2])
    if len(exact) == 1:
        return exact[0]
    partial = list(qs.filter(name__icontains=name)[:2])
    return partial[0] if len(partial) == 1 else None


@transaction.atomic
def tipoff_submit(
    *,
    content: str,
    village: Village | None = None,
    place: str = "",
    business_name: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    wants_reward: bool = False,
    photos: list[CleanImage] | tuple = (),
    client_hash: str = "",
    spam_reason: str = "",
    town: Town | None = None,
) -> TipOff:
    """Store a tip-off from the public form, photos included, in one transaction.

    A submission that failed the spam checks is still stored (status 无效举报, with the reason) so nothing
    a citizen sends is lost silently; its photos are not kept (a bot's uploads only cost disk).
    Issue 24: the tip-off belongs to its village's town, or to the `town` the tipster chose.
    """
    tipoff = TipOff(
        content=content,
        village=village,
        town=village.town if village is not None else town,
        place=place,
        business_name=business_name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        wants_reward=wants_reward,
        client_hash=client_hash,
    )
    if spam_reason:
        tipoff.status = TipOffStatus.SPAM
        tipoff.spam_reason = spam_reason
    else:
        tipoff.suggested_business = match_business(name=business_name, village=village)
    tipoff.full_clean()
    tipoff.save()
    if not spam_reason:
        for photo in photos:
            TipOffPhoto.objects.create(
                tipoff=tipoff, image=photo.content, width=photo.width, height=photo.height
            )
    return tipoff


@transaction.atomic
def tipoff_triage(
    *,
    tipoff: TipOff,
    user,
    status: str,
    lead_department: Department | None,
    business: Business | None = None,
    new_business_name: str = "",
    new_business_category: Category | None = None,
    triage_note: str = "",
) -> TipOff:
    """The office's triage: status, lead department, and the business linked (an existing one, or a new
    roster entry when the tipster found a unit nobody knew about — A1's census gains it too)."""
    if new_business_name:
        if business is not None:
            raise ValidationError({"business": _("请在“关联经营单位”和“新建经营单位”中二选一。")})
        if new_business_category is None:
            raise ValidationError({"new_business_category": _("新建经营单位须选择类别。")})
        if tipoff.village_id is None:
            raise ValidationError(
                {"new_business_name": _("举报未注明村（社区），无法新建经营单位，请先在名册中登记。")}
            )
        business = business_save(
            business=Business(
                name=new_business_name.strip(),
                category=new_business_category,
                village=tipoff.village,
                address=tipoff.place,
            )
        )
    if lead_department is None and business is not None:
        lead_department = business.category.lead_department
    before = TipOff.objects.select_for_update().values("status", "business_id").get(pk=tipoff.pk)
    business_changed = before["business_id"] != (business.pk if business is not None else None)
    if business_changed or (status != before["status"] and status in (TipOffStatus.RECEIVED, *TIPOFF_CLOSED)):
        # The check scheduled for this tip-off no longer has a purpose (closed, back to 待受理) or is of
        # the wrong business: withdraw it, unless it is already being filled in.
        _withdraw_untouched_checks(
            tipoff,
            refusal=_("已安排的核查已开始填写，不能关闭、退回或改关联经营单位；请待核查提交后再处理。"),
            why=_("举报已办结或已改关联经营单位，核查取消"),
        )
    tipoff.status = status
    tipoff.lead_department = lead_department
    tipoff.business = business
    if business is not None:  # issue 24: a unit's tip-off is its town's
        tipoff.town_id = business.village.town_id
    tipoff.triage_note = triage_note
    if status != TipOffStatus.SPAM:
        tipoff.spam_reason = ""
    elif not tipoff.spam_reason:
        tipoff.spam_reason = "office"
    if tipoff.triaged_at is None and status != TipOffStatus.RECEIVED:
        tipoff.triaged_at = timezone.now()
        tipoff.triaged_by = user
    tipoff.full_clean()
    tipoff.save()
    return tipoff


def _withdraw_untouched_checks(tipoff: TipOff, *, refusal: str, why: str) -> None:
    """Withdraw the tip-off's check drafts nobody has started filling in (as a spot-check redraw does):
    an inspector already told of one hears, once, that it is off (issue 8). A draft with answers, photos
    or samples refuses the whole action with `refusal`: the inspector's work is not thrown away."""
    drafts = Visit.objects.filter(tipoff=tipoff, status=VisitStatus.DRAFT)
    if drafts.filter(Q(answers__answer__gt="") | Q(photos__isnull=False) | Q(samples__isnull=False)).exists():
        raise ValidationError(refusal)
    announce_visits_withdrawn(list(drafts), why=why)
    drafts.delete()


NO_BUSINESS_FOR_CHECK = gettext_lazy(
    "该举报尚未关联经营单位，请先在“受理与交办”中关联或新建经营单位，再安排核查。"
)
# The hour a scheduled check is entered for: the visit's start time is the planned day at this hour.
CHECK_HOUR = 9


@transaction.atomic
def tipoff_schedule_check(*, tipoff: TipOff, user, inspector, planned_on: datetime.date) -> Visit:
    """Schedule the 举报核查 visit of a tip-off (W5): a draft visit of the linked business assigned to the
    inspector for the planned day, linked back to the tip-off, which moves to 核查中.

    Needs a linked business (triage links or creates it first). An earlier check still untouched (a draft
    with nothing filled in) is withdrawn and replaced, so the inspector is not sent twice; one already
    being filled in is left alone and the new one refused. A check that was submitted stays on record: a
    second check is a new visit.
    """
    tipoff = (
        TipOff.objects.select_for_update(of=("self",)).select_related("business__category").get(pk=tipoff.pk)
    )
    business = tipoff.business
    if business is None:
        raise ValidationError(NO_BUSINESS_FOR_CHECK)
    if tipoff.status in TIPOFF_CLOSED:
        raise ValidationError(
            _("该举报已办结（%(status)s），不能再安排核查。") % {"status": tipoff.get_status_display()}
        )
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("核查日期不能早于今天。")})
    if not visit_inspector_choices(business).filter(pk=inspector.pk).exists():
        raise ValidationError(
            {
                "inspector": _("“%(who)s”不负责“%(name)s”所在村（社区）或类别，不能安排其核查。")
                % {"who": inspector.get_full_name() or inspector.username, "name": business.name}
            }
        )
    _withdraw_untouched_checks(
        tipoff,
        refusal=_("已安排的核查已开始填写，不能改派；请待其提交后再安排。"),
        why=_("举报核查已改派"),
    )
    start = timezone.make_aware(datetime.datetime.combine(planned_on, datetime.time(CHECK_HOUR)))
    # Always a new visit: the office's own drafts of the business, or a check of another tip-off about
    # it, are not this check.
    visit = visit_start(
        business=business,
        user=user,
        kind=VisitKind.TIPOFF,
        inspectors=[inspector],
        started_at=start,
        reuse=False,
    )
    visit.tipoff = tipoff
    visit.save(update_fields=["tipoff", "updated_at"])
    tipoff.status = TipOffStatus.VERIFYING
    if tipoff.lead_department_id is None:
        tipoff.lead_department = business.category.lead_department
    if tipoff.triaged_at is None:
        tipoff.triaged_at = timezone.now()
        tipoff.triaged_by = user
    tipoff.full_clean()
    tipoff.save()
    # Issue 8: the inspector is told, once, in the same transaction (the sweep is enqueued on commit).
    announce_visit_assigned(visit, by=user)
    return visit


@transaction.atomic
def tipoff_record_reward(*, tipoff: TipOff, amount: Decimal, paid_on: datetime.date | None = None) -> TipOff:
    """Record the reward of a tip-off that proved true (有奖举报); the paid date may follow later."""
    if tipoff.status != TipOffStatus.PROVEN:
        raise ValidationError({"reward_amount": _("只有查证属实的举报才能登记奖励。")})
    tipoff.reward_amount = amount
    tipoff.reward_paid_on = paid_on
    tipoff.full_clean()
    tipoff.save(update_fields=["reward_amount", "reward_paid_on", "updated_at"])
    return tipoff
