"""Writes for the findings of the special actions: drug sales against the law (D5)."""

from __future__ import annotations

from django.db import transaction

from ..models import DrugSaleFinding


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
