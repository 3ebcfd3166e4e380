"""Demo data of the enforcement tools: tip-offs in every state, unlicensed-unit cases open and closed.

Called from inspections/demo.py (seed after the visits demo, clear before it) with the same ctx.
Deterministic: everything random comes from ctx.rng.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Business, Department

from ..models import TipOff, TipOffPhoto, UnlicensedCase
from ..models.tipoffs import REFERENCE_ALPHABET
from . import services
from .choices import CaseSource, CaseStatus, SpamReason, TipOffStatus
from .uploads import clean_image

NO_VILLAGE_MARK = "【演示】"

# content, where, business name as the tipster wrote it, category of the business it turns out to be
TIPOFFS = [
    ("路边有家小作坊做河粉，没有招牌也没看到任何证照，用的水是井水。", "桥头旧厂房后面", "", "workshop"),
    ("这家士多店卖的饮料已经过期两个月了，我买到了一瓶。", "", "{name}", "grocery"),
    ("药店里卖的感冒药说是专家推荐，广告贴满门口，怀疑夸大宣传。", "", "{name}", "pharmacy"),
    ("农资店在卖甲胺磷，说是存货，农民都知道。", "", "{name}", "agri"),
    ("饭店后厨很脏，老鼠乱跑，员工没有健康证。", "", "{name}", "restaurant"),
    ("有人在出租屋里私宰生猪，半夜运出去卖。", "新村巷子里", "", None),
    ("豆腐坊用工业石膏点豆腐，味道很怪。", "", "{name}", "workshop"),
    ("市场里有摊位卖无标签的散装食用油。", "集贸市场二楼", "", "grocery"),
]
SPAM = ["优惠代开发票，联系QQ", "http://cheap-pills.example 特价"]
PEOPLE = [("陈先生", "13802261234"), ("何女士", "13922713456"), ("", ""), ("梁伯", "0757-22381234")]


def _reference(rng) -> str:
    return "JB" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(10))


def _photo_upload(rng) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (rng.randint(90, 160), rng.randint(90, 160), rng.randint(90, 160)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 140, 520, 360), outline=(240, 240, 240), width=6)
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buf.getvalue(), content_type="image/jpeg")


def clear(ctx) -> None:
    town = ctx.town
    from campaigns.models import Town

    town = town or Town.objects.filter(code="dongfeng").first()
    if town is None:
        return
    UnlicensedCase.objects.filter(business__village__town=town).delete()
    tipoffs = TipOff.objects.filter(village__town=town) | TipOff.objects.filter(
        village__isnull=True, triage_note__startswith=NO_VILLAGE_MARK
    )
    for photo in TipOffPhoto.objects.filter(tipoff__in=tipoffs):
        photo.image.delete(save=False)
    TipOff.objects.filter(pk__in=tipoffs.values("pk")).delete()


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    businesses: list[Business] = [b for b in ctx.extra.get("businesses", []) if b.is_active]
    villages = ctx.extra.get("villages", [])
    if not businesses or not villages:
        return
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    enforce = User.objects.filter(username="enforce").first()
    by_category: dict[str, list[Business]] = {}
    for b in businesses:
        by_category.setdefault(b.category.code, []).append(b)
    departments = {d.code: d for d in Department.objects.all()}

    # Tip-offs: received, assigned, verifying, proven (rewarded, one not yet paid), unfounded, spam.
    states = [
        TipOffStatus.RECEIVED,
        TipOffStatus.ASSIGNED,
        TipOffStatus.VERIFYING,
        TipOffStatus.PROVEN,
        TipOffStatus.PROVEN,
        TipOffStatus.UNFOUNDED,
        TipOffStatus.RECEIVED,
        TipOffStatus.ASSIGNED,
    ]
    count = 0
    for i, (content, place, name, code) in enumerate(TIPOFFS):
        target = rng.choice(by_category[code]) if code and by_category.get(code) else None
        village = target.village if target else (None if i == 5 else rng.choice(villages))
        contact = PEOPLE[i % len(PEOPLE)]
        status = states[i]
        submitted = timezone.now() - datetime.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 12))
        tipoff = TipOff.objects.create(
            reference=_reference(rng),
            content=content,
            village=village,
            place=place or (target.address if target else ""),
            business_name=name.format(name=target.name) if target and name else "",
            contact_name=contact[0],
            contact_phone=contact[1],
            wants_reward=bool(contact[1]) and i % 2 == 0,
            status=status,
            business=target if status != TipOffStatus.RECEIVED else None,
            suggested_business=target if status == TipOffStatus.RECEIVED and name else None,
            lead_department=(target.category.lead_department if target else departments.get("economy"))
            if status != TipOffStatus.RECEIVED
            else None,
            triage_note=(NO_VILLAGE_MARK if village is None else "")
            + {
                TipOffStatus.ASSIGNED: "已交承办部门核查。",
                TipOffStatus.VERIFYING: "已安排举报核查，待现场检查结果。",
                TipOffStatus.PROVEN: "经现场核查，举报情况属实，已依法处理。",
                TipOffStatus.UNFOUNDED: "现场核查未发现举报所述问题。",
            }.get(status, ""),
            submitted_at=submitted,
            triaged_at=submitted + datetime.timedelta(days=1) if status != TipOffStatus.RECEIVED else None,
            triaged_by=office if status != TipOffStatus.RECEIVED else None,
        )
        if status == TipOffStatus.PROVEN:
            tipoff.reward_amount = Decimal(rng.choice([200, 300, 500]))
            tipoff.reward_paid_on = (
                today - datetime.timedelta(days=rng.randint(1, 10)) if count == 0 else None
            )
            tipoff.save(update_fields=["reward_amount", "reward_paid_on"])
            count += 1
        if i in (0, 1):
            photo = clean_image(_photo_upload(rng), label="照片1")
            TipOffPhoto.objects.create(
                tipoff=tipoff, image=photo.content, width=photo.width, height=photo.height
            )
    for text in SPAM:
        TipOff.objects.create(
            reference=_reference(rng),
            content=text,
            village=rng.choice(villages),
            status=TipOffStatus.SPAM,
            spam_reason=SpamReason.HONEYPOT,
        )

    # Unlicensed-unit cases: every unlicensed business gets one (U1), opened over the last months;
    # a few are already dealt with.
    cases = services.case_open_all_unlicensed(user=enforce, as_of=today)
    for case in cases:
        UnlicensedCase.objects.filter(pk=case.pk).update(
            opened_on=today - datetime.timedelta(days=rng.choice([5, 12, 20, 40, 75, 110, 150]))
        )
    closed = 0
    for case in UnlicensedCase.objects.filter(pk__in=[c.pk for c in cases]).select_related(
        "business__category"
    ):
        if closed >= max(2, len(cases) // 4):
            break
        if case.business.category.code == "workshop":
            outcome, note = CaseStatus.MOVED, "已迁入小作坊集中加工场（B5）。"
        elif closed % 2 == 0:
            outcome, note = CaseStatus.BANNED, "多次责令办证未果，依法予以取缔。"
        else:
            outcome, note = CaseStatus.CLOSED, "经营者自行停业，现场已清空。"
        services.case_resolve(case=case, status=outcome, user=enforce, note=note, resolved_on=today)
        closed += 1
    proven = TipOff.objects.filter(village__town=ctx.town, status=TipOffStatus.PROVEN, business__isnull=False)
    for tipoff in proven:
        UnlicensedCase.objects.filter(business=tipoff.business, status=CaseStatus.OPEN).update(
            source=CaseSource.TIPOFF, tipoff=tipoff
        )
    ctx.report.append(
        f"举报：{TipOff.objects.filter(village__town=ctx.town).count()} 条（含无效 {len(SPAM)} 条）；"
        f"无证照案件：{len(cases)} 件，已结案 {closed} 件。公开举报页面 /inspections/report/"
    )
