"""Writes for product sampling (抽检/抽验, A5, D6): register a sample, record its result and act on it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Department

from ...models import Sample
from ...services import order_issue
from ..choices import SampleAction, SampleResult


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
    if sample.follow_up_of_id is None and sample.business_id:
        sample.follow_up_of = outstanding_failure(sample.business)
    sample.full_clean()
    sample.save()
    return sample


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
) -> Sample:
    """Record the lab's result for the sample with this number (as printed on the lab report).

    A failing result must be acted on: 责令整改 issues a rectification order through the visits' order
    service (on the visit the sample was taken in), 移送 records the receiving department; either way the
    business is due follow-up sampling (D6) until a later sample of it comes back.
    """
    number = (number or "").strip()
    sample = (
        Sample.objects.select_for_update(of=("self",))
        .select_related("business", "visit")
        .filter(number=number)
        .first()
    )
    if sample is None:
        raise ValidationError(
            {"number": _("未找到抽样单编号为“%(n)s”的样品，请核对检验报告上的编号。") % {"n": number}}
        )
    if sample.result != SampleResult.PENDING:
        raise ValidationError(
            {
                "number": _("样品“%(n)s”已登记结果（%(r)s），不能重复登记。")
                % {"n": number, "r": sample.get_result_display()}
            }
        )
    if result not in (SampleResult.PASS, SampleResult.FAIL):
        raise ValidationError({"result": _("请选择合格或不合格。")})
    sample.result = result
    sample.result_on = result_on
    sample.failing_items = failing_items.strip() if result == SampleResult.FAIL else ""
    sample.full_clean()
    if result == SampleResult.FAIL:
        if action == SampleAction.RECTIFY:
            if sample.visit is None:
                raise ValidationError(
                    {"action": _("该样品未关联检查记录，无法下达整改通知书；请选择移送处理。")}
                )
            if deadline is None or deadline <= timezone.localdate():
                raise ValidationError({"deadline": _("责令整改须填写今天以后的整改期限。")})
            sample.order = order_issue(
                visit=sample.visit,
                items=[],
                deadline=deadline,
                issued_on=result_on,
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
        elif action == SampleAction.REFER:
            if referral_department is None:
                raise ValidationError({"referral_department": _("移送处理须选择接收部门。")})
            sample.referral_department = referral_department
        else:
            raise ValidationError({"action": _("不合格样品须选择处理方式：责令整改或移送处理。")})
        sample.action = action
    sample.save()
    return sample
