"""Writes for the findings of the special actions: drug sales against the law (D5), holiday-goods checks
(C4)."""

from __future__ import annotations

from django.db import transaction

from ..models import DrugSaleFinding, HolidayCheck, HolidayCheckRound


@transaction.atomic
def drug_sale_finding_save(*, finding: DrugSaleFinding, user=None) -> DrugSaleFinding:
    """D5: record a unit found selling drugs without a licence, affiliated, out of mode or out of scope,
    with what was sold and what was done (referral to the drug regulator, confiscation, an order)."""
    if finding.pk is None:
        finding.recorded_by = user
    finding.goods = finding.goods.strip()
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def holiday_round_save(*, round_: HolidayCheckRound, user=None) -> HolidayCheckRound:
    """C4: the office opens (or corrects) a round of holiday-goods checks: the holiday and its dates."""
    if round_.pk is None:
        round_.created_by = user
    round_.holiday = round_.holiday.strip()
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def holiday_check_save(*, check: HolidayCheck, user=None) -> HolidayCheck:
    """C4: a unit checked in a holiday round, with what was found (price, bundling and over-packaging,
    trademarks, false advertising, consumer fraud, expired goods) and what was done."""
    if check.pk is None:
        check.recorded_by = user
    check.full_clean()
    check.save()
    return check
