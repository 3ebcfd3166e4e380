"""Demo of 一公开 (issue 25): a public code for every trading demo unit, one code rotated (its old placard
answers 此码已失效), and the addresses to open in the report.

Called from inspections/demo (seeded after the visits, cleared before them). The demo's codes come from a
generator of their own seeded by --seed, so a rerun gives the same codes and ctx.rng is left as it was;
real codes come from `secrets` (PublicCode.code's default).
"""

from __future__ import annotations

import base64
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns.choices import BusinessStatus, CategoryCode
from campaigns.demo import TOWN as DEMO_TOWN
from campaigns.models import Business

from ..models import InspectionProfile, PublicCode


def clear(ctx) -> None:
    PublicCode.objects.filter(business__village__town__code=DEMO_TOWN[1]).delete()


def _code(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode().rstrip("=")


def seed(ctx) -> None:
    businesses = list(
        Business.objects.filter(
            village__town__code=DEMO_TOWN[1], status__in=(BusinessStatus.OPERATING, BusinessStatus.RECTIFYING)
        )
        .select_related("category")
        .order_by("village__order", "category__order", "name", "pk")
    )
    if not businesses:
        return
    rng = random.Random(f"{ctx.seed}:public-codes")
    codes = PublicCode.objects.bulk_create([PublicCode(business=b, code=_code(rng)) for b in businesses])
    by_business = {c.business_id: c for c in codes}
    # One placard was lost: the office rotated its code; the old one now says 此码已失效.
    rotated = businesses[-1]
    old = by_business[rotated.pk]
    old.retired_at = timezone.now()
    old.retired_by = get_user_model().objects.filter(username="office").first()
    old.reason = "演示：公示牌遗失，已更换"
    old.save(update_fields=["retired_at", "retired_by", "reason"])
    by_business[rotated.pk] = PublicCode.objects.create(business=rotated, code=_code(rng))
    graded = set(
        InspectionProfile.objects.filter(business__in=businesses)
        .exclude(hygiene_grade="")
        .values_list("business_id", flat=True)
    )
    face = next(
        (b for b in businesses if b.pk in graded and b.category.code == CategoryCode.RESTAURANT),
        next((b for b in businesses if b.pk in graded), businesses[0]),
    )
    ctx.report.append(
        f"一公开：{len(businesses)} 家在营单位有公示码（名册“打印公示牌”）；公示页示例 "
        f"/p/{by_business[face.pk].code}/（{face.name}），已失效的旧码 /p/{old.code}/，全镇结果 /p/。"
    )
