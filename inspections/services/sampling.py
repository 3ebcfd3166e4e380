"""Writes for product sampling (抽检/抽验, A5, D6): register a sample, record its result and act on it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Department

from ..choices import SampleAction, SampleKind, SampleResult
from ..models import Sample
from .orders import order_issue


def outstanding_failure(business) -> Sample | None:
    """The business's latest failed sample not yet followed up (D6), if any."""
    return (
        Sample.objects.filter(business=business, result=SampleResult.FAIL, follow_ups__isnull=True)
        .order_by("-result_on", "-pk")
        .first()
    )


@transaction.atomic
def sample_register(*, sample: Sample, user) -> Sample:
    """Register a sample as taken. A sample from a business with an unanswered failure is recorded as
    the follow-up sampling of that failure (D6)."""
    sample.created_by = user
    sample.result = SampleResult.PENDING
    if sample.bureau_id is not None and not _of_the_towns(sample.bureau, sample):
        raise ValidationError({"bureau": OTHER_TOWN_DEPARTMENT})
    if sample.follow_up_of_id is None and sample.business_id:
        sample.follow_up_of = outstanding_failure(sample.business)
    sample.full_clean()
    sample.save()
    return sample


OTHER_TOWN_DEPARTMENT = gettext_lazy("只能选择该单位所在镇的部门、各镇共用的部门或市级部门。")


def _of_the_towns(department: Department, sample: Sample) -> bool:
    """Issue 24: a sample's bureau and referral department are of its unit's town, shared, or the
    city's — never another town's department."""
    return department.town_id is None or department.town_id == sample.business.village.town_id


# The fields a result changes: checked in memory (no query) by sample_result_apply.
RESULT_FIELDS = (
    "result",
    "result_on",
    "failing_items",
    "action",
    "pesticide",
    "residue_value",
    "residue_limit",
)


def unknown_sample_message(number: str) -> str:
    return _("未找到抽样单编号为“%(n)s”的样品，请核对检验报告上的编号。") % {"n": number}


def sample_result_apply(
    sample: Sample,
    *,
    result: str,
    result_on: datetime.date,
    failing_items: str = "",
    action: str = "",
    deadline: datetime.date | None = None,
    referral_department: Department | None = None,
    pesticide: str = "",
    residue_value: Decimal | None = None,
    residue_limit: Decimal | None = None,
) -> None:
    """Check a lab result against the sample and set it on the instance, without saving or querying
    (the sample's visit must be loaded): the rules shared by the single form and the Excel import.
    A residue sample's result (A6) also carries the pesticide found, its value and limit (ignored for
    other kinds); a failed one's 不合格项目 may be left to them.

    Raises ValidationError keyed by the result form's field names (number, result, result_on,
    failing_items, action, deadline, referral_department, pesticide, residue_value, residue_limit)."""
    if sample.result != SampleResult.PENDING:
        raise ValidationError(
            {
                "number": _("样品“%(n)s”已登记结果（%(r)s），不能重复登记。")
                % {"n": sample.number, "r": sample.get_result_display()}
            }
        )
    if result not in (SampleResult.PASS, SampleResult.FAIL):
        raise ValidationError({"result": _("请选择合格或不合格。")})
    sample.result = result
    sample.result_on = result_on
    sample.failing_items = (failing_items or "").strip() if result == SampleResult.FAIL else ""
    if sample.kind == SampleKind.RESIDUE:
        sample.pesticide = (pesticide or "").strip() or sample.pesticide
        if residue_value is not None:
            sample.residue_value = residue_value
        if residue_limit is not None:
            sample.residue_limit = residue_limit
        if result == SampleResult.FAIL and not sample.failing_items:
            sample.failing_items = sample.residue_failing_text()
    sample.clean_fields(exclude=[f.name for f in Sample._meta.fields if f.name not in RESULT_FIELDS])
    sample.clean()
    if result != SampleResult.FAIL:
        return
    if action == SampleAction.RECTIFY:
        if sample.visit is None:
            raise ValidationError({"action": _("该样品未关联检查记录，无法下达整改通知书；请选择移送处理。")})
        if deadline is None or deadline <= timezone.localdate():
            raise ValidationError({"deadline": _("责令整改须填写今天以后的整改期限。")})
    elif action == SampleAction.REFER:
        if referral_department is None:
            raise ValidationError({"referral_department": _("移送处理须选择接收部门。")})
        if not _of_the_towns(referral_department, sample):
            raise ValidationError({"referral_department": OTHER_TOWN_DEPARTMENT})
        sample.referral_department = referral_department
    else:
        raise ValidationError({"action": _("不合格样品须选择处理方式：责令整改或移送处理。")})
    sample.action = action


def sample_result_issue_order(sample: Sample, *, user, deadline: datetime.date) -> None:
    """责令整改: the rectification order for a failing sample, through the visits' order service (on the
    visit the sample was taken in). Call after sample_result_apply, inside the caller's transaction."""
    sample.order = order_issue(
        visit=sample.visit,
        items=[],
        deadline=deadline,
        issued_on=sample.result_on,
        user=user,
        requirements_text=_(
            "抽检不合格：%(product)s（批号 %(batch)s，抽样单 %(number)s），不合格项目：%(items)s。"
        )
        % {
            "product": sample.product,
            "batch": sample.batch or "—",
            "number": sample.number,
            "items": sample.failing_items,
        },
    )


@transaction.atomic
def sample_record_result(
    *,
    number: str,
    user,
    result: str,
    result_on: datetime.date,
    failing_items: str = "",
    action: str = "",
    deadline: datetime.date | None = None,
    referral_department: Department | None = None,
    pesticide: str = "",
    residue_value: Decimal | None = None,
    residue_limit: Decimal | None = None,
) -> Sample:
    """Record the lab's result for the sample with this number (as printed on the lab report).

    A failing result must be acted on: 责令整改 issues a rectification order through the visits' order
    service (on the visit the sample was taken in), 移送 records the receiving department; either way the
    business is due follow-up sampling (D6) until a later sample of it comes back.
    Many results at once: sample_io.sample_results_import (same rules, sample_result_apply).
    """
    number = (number or "").strip()
    sample = (
        Sample.objects.select_for_update(of=("self",))
        .select_related("business__village", "visit")
        .filter(number=number)
        .first()
    )
    if sample is None:
        raise ValidationError({"number": unknown_sample_message(number)})
    sample_result_apply(
        sample,
        result=result,
        result_on=result_on,
        failing_items=failing_items,
        action=action,
        deadline=deadline,
        referral_department=referral_department,
        pesticide=pesticide,
        residue_value=residue_value,
        residue_limit=residue_limit,
    )
    sample.full_clean()
    if sample.action == SampleAction.RECTIFY:
        sample_result_issue_order(sample, user=user, deadline=deadline)
    sample.save()
    return sample


# --- A6 vegetable pesticide-residue results --------------------------------------------------------------
RESIDUE_PREFIX = "NC"


def _next_residue_number(day: datetime.date) -> str:
    """NC20260405-003: the next free number of that day (a quick test has no lab slip number)."""
    prefix = f"{RESIDUE_PREFIX}{day:%Y%m%d}-"
    taken = set(Sample.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def residue_result_record(*, sample: Sample, user) -> Sample:
    """A6: record a vegetable pesticide-residue result — a market quick test or a lab result — at once,
    sample and result together (a quick test has no waiting for a lab). A failed result names the
    pesticide; its 不合格项目 is written from the pesticide, value and limit when left blank, the stall is
    due follow-up sampling (D6) like any failed sample, and the result's page traces the pesticide back to
    the agri shops that sold it (ledgers.trace.trace_a6)."""
    sample.residue_prepare()
    sample.created_by = user
    if not (sample.number or "").strip():
        sample.number = _next_residue_number(sample.sampled_on or timezone.localdate())
    if sample.follow_up_of_id is None and sample.business_id:
        sample.follow_up_of = outstanding_failure(sample.business)
    sample.full_clean()
    sample.save()
    return sample
