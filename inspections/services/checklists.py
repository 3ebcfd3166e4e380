"""Checklist templates: a revision is a new version; visits keep the snapshot they started with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Category

from ..models import ChecklistItem, ChecklistTemplate, FrequencyRule

REQUIREMENT_ID = re.compile(r"^[A-Z][0-9]{1,2}$")


@dataclass
class ItemInput:
    code: str
    requirement: str
    text: str
    basis: str = ""
    requires_photo_on_failure: bool = False
    weight: int = 10


def checklist_current(category: Category) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(category=category, is_current=True).first()


@transaction.atomic
def checklist_revise(
    *, template: ChecklistTemplate, items: list[ItemInput], user, title: str = "", note: str = ""
) -> ChecklistTemplate:
    """Make a new current version of `template`'s category checklist with `items`.

    The old version stays (visits point at it and keep their own answer snapshots)."""
    errors: dict[str, list] = {}
    if not items:
        errors.setdefault("items", []).append(_("检查表至少要有一个条目。"))
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        item.code = item.code.strip().upper()
        item.requirement = item.requirement.strip().upper()
        item.text = item.text.strip()
        if not item.code or not item.text:
            errors.setdefault("items", []).append(_("第%(n)d条：条目代码和检查内容不能为空。") % {"n": n})
        if not REQUIREMENT_ID.match(item.requirement):
            errors.setdefault("items", []).append(
                _("第%(n)d条：依据要求“%(req)s”应为整治方案中的编号，如 G1、D1。")
                % {"n": n, "req": item.requirement}
            )
        if item.code in seen:
            errors.setdefault("items", []).append(
                _("第%(n)d条：条目代码“%(code)s”重复。") % {"n": n, "code": item.code}
            )
        seen.add(item.code)
    if errors:
        raise ValidationError(errors)
    category = template.category
    current = ChecklistTemplate.objects.select_for_update().filter(category=category, is_current=True)
    last_version = (
        ChecklistTemplate.objects.filter(category=category)
        .order_by("-version")
        .values_list("version", flat=True)
    ).first() or 0
    current.update(is_current=False)
    new = ChecklistTemplate(
        category=category,
        version=last_version + 1,
        title=title.strip() or template.title,
        is_current=True,
        note=note.strip(),
        created_by=user,
    )
    new.full_clean()
    new.save()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            template=new,
            order=order,
            code=item.code,
            requirement=item.requirement,
            text=item.text,
            basis=item.basis.strip(),
            requires_photo_on_failure=item.requires_photo_on_failure,
            weight=item.weight,
        )
        for order, item in enumerate(items, start=1)
    )
    return new


@transaction.atomic
def frequency_rule_save(*, rule: FrequencyRule) -> FrequencyRule:
    rule.full_clean()
    rule.save()
    return rule
