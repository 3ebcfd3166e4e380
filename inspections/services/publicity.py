"""一公开 (issue 25): codes behind the QR placards, issued when first printed and rotated by the office."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib import stamps

from ..models import PublicCode


@transaction.atomic
def public_codes_ensure(*, business_ids: list[int]) -> dict[int, str]:
    """Each unit's current code, creating the missing ones (printing a placard is what first needs one).

    Two queries and one bulk insert whatever the number of units. Two printers racing for the same unit
    both end with the code that won (the one-current-code constraint refuses the second insert)."""
    ids = list(dict.fromkeys(business_ids))
    codes = dict(
        PublicCode.objects.filter(business_id__in=ids, retired_at__isnull=True).values_list(
            "business_id", "code"
        )
    )
    missing = [PublicCode(business_id=pk) for pk in ids if pk not in codes]
    if missing:
        try:
            with transaction.atomic():
                PublicCode.objects.bulk_create(missing)
        except IntegrityError:  # another request issued some of them at the same moment: read them all again
            pass
        codes = dict(
            PublicCode.objects.filter(business_id__in=ids, retired_at__isnull=True).values_list(
                "business_id", "code"
            )
        )
        for row in missing:
            if row.business_id not in codes:
                row.pk = None
                row.save()
                codes[row.business_id] = row.code
    return codes


@transaction.atomic
def public_code_rotate(*, business, user, reason: str) -> PublicCode:
    """Retire a unit's current code and issue a new one (a placard was lost, copied or misused).

    The old placards then answer "此码已失效"; the new placard must be printed and posted. The retired row
    keeps who rotated it, when and why (and the audit log has the change)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更换公示码的原因（如：公示牌遗失、被挪用）。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("更换原因最多 200 个字。")})
    current = (
        PublicCode.objects.select_for_update().filter(business=business, retired_at__isnull=True).first()
    )
    if current is not None:
        current.retired_at = timezone.now()
        current.retired_by = user
        current.reason = reason
        current.save(update_fields=["retired_at", "retired_by", "reason"])
        # The old code's cached page was built at the unit's old stamp: it is rebuilt, and says 已失效.
        stamps.touch(stamps.PUBLIC_PAGE, [business.pk])
    new = PublicCode(business=business)
    new.full_clean(exclude=["business"])
    new.save()
    return new
