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
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Business, Department, Town

from .. import services
from ..choices import (
    Answer,
    CaseSource,
    CaseStatus,
    SampleAction,
    SampleKind,
    SampleResult,
    SpamReason,
    TipOffStatus,
    VisitOutcome,
)
from ..models import (
    RectificationOrder,
    Sample,
    SpotCheckDraw,
    SpotCheckPair,
    TipOff,
    TipOffPhoto,
    UnlicensedCase,
    Visit,
)
from ..models.tipoffs import REFERENCE_ALPHABET
from ..selectors import visit_inspector_choices
from ..services import sampling, spotchecks
from ..uploads import clean_image

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


def _local_time(day: datetime.date, hour: int) -> datetime.datetime:
    """`hour` o'clock local time on `day`: demo times hang off the local date, not off now(), so two seeds
    run seconds apart (say either side of local midnight) make the same tip-off days and reminders."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _photo_upload(rng) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (rng.randint(90, 160), rng.randint(90, 160), rng.randint(90, 160)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 140, 520, 360), outline=(240, 240, 240), width=6)
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buf.getvalue(), content_type="image/jpeg")


def clear(ctx) -> None:
    town = ctx.town
    town = town or Town.objects.filter(code="dongfeng").first()
    if town is None:
        return
    # The visits and orders this demo made (random-check visits, orders from failed samples and checks).
    visit_ids = set(
        SpotCheckPair.objects.filter(business__village__town=town).values_list("visit", flat=True)
    )
    visit_ids |= set(
        Visit.objects.filter(business__village__town=town, notes__startswith=SAMPLING_VISIT_NOTE).values_list(
            "pk", flat=True
        )
    )
    visit_ids |= set(
        Visit.objects.filter(business__village__town=town, tipoff__isnull=False).values_list("pk", flat=True)
    )
    visit_ids.discard(None)
    order_ids = set(Sample.objects.filter(business__village__town=town).values_list("order", flat=True))
    order_ids |= set(RectificationOrder.objects.filter(visit__in=visit_ids).values_list("pk", flat=True))
    order_ids.discard(None)
    Sample.objects.filter(business__village__town=town).update(follow_up_of=None)
    Sample.objects.filter(business__village__town=town).delete()
    # Draws are permanent records in real use; the demo replaces its own.
    draws = list(
        SpotCheckDraw.objects.filter(pairs__business__village__town=town).values_list("pk", flat=True)
    )
    SpotCheckPair.objects.filter(draw__in=draws).delete()
    SpotCheckDraw.objects.filter(pk__in=draws).update(redraw_of=None)
    SpotCheckDraw.objects.filter(pk__in=draws).delete()
    orders = RectificationOrder.objects.filter(pk__in=order_ids)
    orders.update(closed_by=None, successor=None, return_check_visit=None)
    Visit.objects.filter(reinspection_of__in=order_ids).update(reinspection_of=None)
    orders.delete()
    Visit.objects.filter(pk__in=visit_ids).delete()
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
        submitted = _local_time(today - datetime.timedelta(days=rng.randint(1, 60)), 8 + rng.randint(0, 12))
        tipoff = TipOff.objects.create(
            reference=_reference(rng),
            content=content,
            village=village,
            town=villages[0].town,  # issue 24: the demo town's, 不清楚 village or not
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
            village=(spam_village := rng.choice(villages)),
            town=spam_village.town,
            status=TipOffStatus.SPAM,
            spam_reason=SpamReason.HONEYPOT,
        )

    _seed_tipoff_checks(ctx, office)

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
    _seed_spot_checks(ctx)
    _seed_samples(ctx)
    _seed_residues(ctx)


def _seed_tipoff_checks(ctx, office) -> None:
    """W5 举报核查: the tip-off being verified has its check visit scheduled (still to do); one proven
    tip-off shows the check that proved it (submitted, with its rectification order)."""
    from django.core.exceptions import ValidationError

    if office is None:
        return
    today = ctx.today
    town_tipoffs = TipOff.objects.filter(village__town=ctx.town, business__isnull=False).order_by("pk")

    def inspector_for(business):
        choices = visit_inspector_choices(business)
        return choices.filter(roles__kind="inspector").first() or choices.exclude(pk=office.pk).first()

    soon = today + datetime.timedelta(days=2)
    plan = [(t, soon, False) for t in town_tipoffs.filter(status="verifying")[:1]]
    plan += [(t, today, True) for t in town_tipoffs.filter(status="proven")[:1]]
    scheduled = submitted = 0
    for tipoff, planned_on, done in plan:
        as_was = {
            "status": tipoff.status,
            "reward_amount": tipoff.reward_amount,
            "reward_paid_on": tipoff.reward_paid_on,
        }
        inspector = inspector_for(tipoff.business)
        if inspector is None:
            continue
        if done:  # schedule as it was before it was proven, then record the check and the finding
            TipOff.objects.filter(pk=tipoff.pk).update(
                status=TipOffStatus.VERIFYING, reward_amount=None, reward_paid_on=None
            )
        try:
            visit = services.tipoff_schedule_check(
                tipoff=tipoff, user=office, inspector=inspector, planned_on=planned_on
            )
        except ValidationError:
            TipOff.objects.filter(pk=tipoff.pk).update(**as_was)
            continue
        if done:
            when = tipoff.triaged_at + datetime.timedelta(days=2, hours=2)
            visit.started_at = when - datetime.timedelta(hours=1)
            visit.save(update_fields=["started_at"])
            _submit(visit, inspector, when, fail=True, notes="举报核查：现场情况与举报内容相符。")
            TipOff.objects.filter(pk=tipoff.pk).update(**as_was)
            submitted += 1
        scheduled += 1
    ctx.report.append(f"举报核查：{scheduled} 次（其中已完成 {submitted} 次）")


DRAW_POOL = ["inspector", "inspector2", "agri", "aic", "health", "economy", "techsup"]


SAMPLING_VISIT_NOTE = "抽样检查："


def _submit(visit, user, when, *, fail: bool = False, notes: str = "随机抽查：现场检查情况见各条目。"):
    """Submit a demo visit: every item 符合 (one 不符合 with a 14-day order when `fail`)."""

    answers = {}
    failed = False
    for ans in visit.answers.all():
        value = Answer.PASS
        if fail and not failed and not ans.requires_photo_on_failure:
            value, failed = Answer.FAIL, True
        answers[ans.pk] = services.AnswerInput(value, "随机抽查发现问题" if value == Answer.FAIL else "")
    licences = {
        c.pk: services.LicenceInput(held=c.licence_id is not None, displayed=c.licence_id is not None)
        for c in visit.licence_checks.all()
    }
    day = timezone.localdate(when)
    data = services.VisitInput(
        answers=answers,
        licences=licences,
        notes=notes,
        outcome=VisitOutcome.RECTIFY if failed else VisitOutcome.PASSED,
        deadline=day + datetime.timedelta(days=14) if failed else None,
        requirements_text="按抽查发现的问题整改。" if failed else "",
    )
    return services.visit_submit(visit=visit, user=user, data=data, now=when)


def _seed_spot_checks(ctx) -> None:
    """P2: a draw three weeks ago with most results in (published), and a fresh one still to do."""

    rng, today = ctx.rng, ctx.today
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    pool = list(User.objects.filter(username__in=DRAW_POOL).order_by("username"))
    if office is None or len(pool) < 2:
        return
    in_town = Business.objects.filter(village__town=ctx.town)
    active = spotchecks.population_queryset().filter(pk__in=in_town)
    size = min(10, active.count())
    if not size:
        return
    done = spotchecks.spotcheck_draw(
        user=office,
        title="验收阶段第一批“双随机”抽查",
        pool_users=pool,
        planned_on=today - datetime.timedelta(days=21),
        count=size,
        seed=rng.randrange(2**31),
    )
    for i, pair in enumerate(done.pairs.select_related("visit").prefetch_related("inspectors")):
        if i >= size - 2:
            break  # two still outstanding: not published
        when = pair.visit.started_at + datetime.timedelta(hours=1, days=rng.randint(0, 5))
        pair.visit.started_at = when - datetime.timedelta(hours=1)
        pair.visit.save(update_fields=["started_at"])
        _submit(pair.visit, pair.inspectors.first(), when, fail=rng.random() < 0.3)
    villages = ctx.extra.get("villages", [])[:3]
    size = min(6, spotchecks.population_queryset(villages=villages).filter(pk__in=in_town).count())
    if size:
        spotchecks.spotcheck_draw(
            user=office,
            title="验收阶段第二批抽查（重点村）",
            pool_users=pool,
            planned_on=today + datetime.timedelta(days=5),
            villages=villages,
            count=size,
            seed=rng.randrange(2**31),
        )
    ctx.report.append(f"随机抽查：{SpotCheckDraw.objects.count()} 次抽取；公开结果页 /inspections/results/")


def _seed_samples(ctx) -> None:
    """A5, D6: herbal-medicine and drug sampling of pharmacies, fertilizer sampling of agri shops."""

    rng, today = ctx.rng, ctx.today
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    if office is None:
        return
    departments = {d.code: d for d in Department.objects.all()}
    plans = [
        (
            "pharmacy",
            SampleKind.HERBAL,
            "当归饮片",
            "市药品检验所",
            "city_drug",
            "fail_rectify",
            "二氧化硫残留量超标",
        ),
        ("pharmacy", SampleKind.DRUG, "复方甘草片", "市药品检验所", "city_drug", "pass", ""),
        (
            "pharmacy",
            SampleKind.HERBAL,
            "黄芪饮片",
            "市药品检验所",
            "city_drug",
            "fail_refer",
            "性状、鉴别不符合规定",
        ),
        (
            "agri",
            SampleKind.FERTILIZER,
            "复合肥（15-15-15）",
            "市农产品质量检测中心",
            None,
            "fail_rectify",
            "总养分含量不足",
        ),
        ("agri", SampleKind.FERTILIZER, "尿素", "市农产品质量检测中心", None, "pass", ""),
        ("agri", SampleKind.PESTICIDE, "吡虫啉可湿性粉剂", "市农产品质量检测中心", None, "pending", ""),
        ("workshop", SampleKind.FOOD, "河粉", "市质量技术监督检验所", "city_quality", "pending", ""),
    ]
    n = 0
    used = set()
    for code, kind, product, lab, bureau, fate, items in plans:
        visit = (
            Visit.objects.filter(
                business__village__town=ctx.town,
                business__category__code=code,
                business__status="operating",
                status="submitted",
            )
            .exclude(business__in=used)
            .order_by("pk")
            .first()
        )
        if visit is None:
            visit = _sampling_visit(ctx, code, used)
        if visit is None:
            continue
        used.add(visit.business_id)
        n += 1
        number = f"CY{today:%Y}-{n:03d}"
        sampled_on = timezone.localdate(visit.started_at)
        sampling.sample_register(
            sample=Sample(
                number=number,
                business=visit.business,
                visit=visit,
                kind=kind,
                product=product,
                batch=f"{sampled_on:%Y%m}{rng.randint(1, 28):02d}",
                quantity=rng.choice(["500g×2", "1袋", "2盒", "1kg"]),
                lab=lab,
                bureau=departments.get(bureau) if bureau else None,
                sampled_on=sampled_on,
            ),
            user=office,
        )
        if fate == "pending":
            continue
        result_on = min(sampled_on + datetime.timedelta(days=rng.randint(7, 15)), today)
        if fate == "pass":
            sampling.sample_record_result(
                number=number, user=office, result=SampleResult.PASS, result_on=result_on
            )
        elif fate == "fail_rectify":
            sampling.sample_record_result(
                number=number,
                user=office,
                result=SampleResult.FAIL,
                result_on=result_on,
                failing_items=items,
                action=SampleAction.RECTIFY,
                deadline=today + datetime.timedelta(days=15),
            )
        else:
            sampling.sample_record_result(
                number=number,
                user=office,
                result=SampleResult.FAIL,
                result_on=result_on,
                failing_items=items,
                action=SampleAction.REFER,
                referral_department=departments.get("city_drug"),
            )
    ctx.report.append(f"抽检抽验：{n} 份样品（含不合格、待检）。")


# A6: the market's quick tests of vegetables; the failed one found 吡虫啉, which the demo's agri shops sold
# (ledgers.demo's chain), so its trace reaches them.
RESIDUE_PLANS = [
    ("上海青", "quick", "吡虫啉", "0.82", "0.5", SampleResult.FAIL),
    ("菜心", "quick", "", None, None, SampleResult.PASS),
    ("豇豆", "lab", "阿维菌素", "0.01", "0.05", SampleResult.PASS),
]


def _seed_residues(ctx) -> None:
    office = get_user_model().objects.filter(username="office").first()
    trading = Business.objects.filter(village__town=ctx.town, status="operating").select_related("market")
    # Groceries' stalls in a market first; in a town too small to have one, any trading unit.
    stalls = list(
        trading.filter(category__code="grocery").order_by(F("market_id").desc(nulls_last=True), "pk")[:2]
    ) or list(trading.order_by("pk")[:1])
    if office is None or not stalls:
        return
    for i, (vegetable, method, pesticide, value, limit, result) in enumerate(RESIDUE_PLANS):
        stall = stalls[i % len(stalls)]
        sampling.residue_result_record(
            sample=Sample(
                business=stall,
                sampled_on=ctx.today - datetime.timedelta(days=5 + i),
                product=vegetable,
                method=method,
                pesticide=pesticide,
                residue_value=Decimal(value) if value else None,
                residue_limit=Decimal(limit) if limit else None,
                result=result,
                lab=f"{stall.market.name}快检室"
                if stall.market and method == "quick"
                else "市农产品质量检测中心",
                quantity="1份",
            ),
            user=office,
        )
    ctx.report.append(f"蔬菜农残监测（A6）：{len(RESIDUE_PLANS)} 份结果，不合格的可追溯售出吡虫啉的农资店。")


def _sampling_visit(ctx, code, used):
    """A submitted routine visit to sample in, when the demo has none for this category yet."""

    business = (
        Business.objects.filter(village__town=ctx.town, category__code=code, status="operating")
        .exclude(pk__in=used)
        .exclude(visits__status="draft")  # visit_start would continue that draft (a planned random check)
        .order_by("pk")
        .first()
    )
    inspector = get_user_model().objects.filter(username="office").first()
    if business is None or inspector is None:
        return None
    when = timezone.make_aware(
        datetime.datetime.combine(
            ctx.today - datetime.timedelta(days=ctx.rng.randint(15, 30)), datetime.time(10)
        )
    )
    visit = services.visit_start(business=business, user=inspector, started_at=when)
    return _submit(
        visit, inspector, when + datetime.timedelta(hours=1), notes=SAMPLING_VISIT_NOTE + "现场抽取样品送检。"
    )
