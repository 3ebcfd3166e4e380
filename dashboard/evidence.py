"""Targets whose evidence is visits (inspections) and ledgers (ledgers).

Kept apart from dashboard/targets.py because those apps land separately: each target here names the
models it needs, and targets.available() leaves it out until they exist. Conditions are evaluated at
`ctx.as_of`:

- a visit counts when it is submitted and started on or before the date;
- "the latest visit" is the latest such visit of the business (any kind);
- a checklist requirement (G3, D1 …) "passes" in a visit when the visit has at least one answer citing it
  and none of them failed (不符合);
- ledgers: a business keeps a ledger when it has a line dated within its town's window before the date
  (issue 24: campaigns.town_settings — the town's own, or WUXIAO_LEDGER_WINDOW_DAYS): each ledger
  condition is built once per distinct window and applied to the businesses of the towns having it
  (`_in_town_windows`; with every town on the default it is the one condition it always was).

Each condition is a correlated EXISTS on the business (`OuterRef("pk")`) that an index answers in a probe
or two: the latest visit by (business, status, started_at), its answers by (visit, code), a window of
ledger lines by (business, occurred_on). Measured at 100,000 businesses, 1M visits, 14M answers (issue 9):
a set-based `pk IN (every matching answer or line)` hashed millions of rows per target, while probes cost
per business counted — and most targets count one category — so D1 went from 1.8 s to 0.23 s, C2 from
2.2 s to 0.19 s, G2 from 1.6 s to 0.65 s, with the same figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import RoleKind
from campaigns import town_settings
from inspections.choices import MAJOR_SEVERITIES, Answer, VisitOutcome, VisitStatus
from inspections.models import Incident, SlaughterReturn, Visit, VisitAnswer
from inspections.selectors import gsp_followed_up
from ledgers.choices import Direction, ProductKind
from ledgers.models import LedgerEntry

VISITS = ("inspections.Visit", "inspections.VisitAnswer")
LEDGERS = ("ledgers.LedgerEntry",)
ACTED = (
    VisitOutcome.RECTIFY,
    VisitOutcome.BAN,
    VisitOutcome.REVOKE,
    VisitOutcome.REFER,
)  # outcomes that deal with a violation (E1, F2)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _visits(ctx, *, since: datetime.date | None = None, business=None):
    """Submitted visits of the business (default: the outer query's) started on or before ctx.as_of —
    since the day `since` (its town's campaign start, _per_start), if asked."""
    qs = Visit.objects.filter(
        business=business if business is not None else OuterRef("pk"),
        status=VisitStatus.SUBMITTED,
        started_at__lt=_start_of(ctx.as_of + datetime.timedelta(days=1)),
    )
    if since is not None:
        qs = qs.filter(started_at__gte=_start_of(since))
    return qs


def _per_start(build: Callable) -> Callable:
    """A condition `build(ctx, start)` on what happened since the campaign started, evaluated with each
    business's town's own campaign start (issue 24: Campaign.town; ctx.town_starts, read once per Ctx)
    and ctx.default_start (the city's campaign's, else ctx's) for the towns without a campaign of their
    own."""

    def condition(ctx) -> Q:
        return _at_town_starts(build, ctx)

    return condition


def _at_town_starts(build: Callable, ctx) -> Q:
    """`build(ctx, start)` with each business's town's campaign start (_per_start)."""
    return town_settings.per_town(lambda start: build(ctx, start), ctx.town_starts, ctx.default_start)


# The per-town conditions are plain functions calling _at_town_starts (or _in_town_windows) with their
# body, `_name(ctx, start)`, rather than built by a decorator when the module is imported: mutmut 3 leaves
# decorated functions unmutated, and a wrapper run at import is run before any mutant is switched on
# (issue 22).


def _latest_answers(ctx, cited: Q):
    """The answers citing `cited` given in the business's latest visit on or before the date."""
    latest = _visits(ctx, business=OuterRef(OuterRef("pk"))).order_by("-started_at", "-pk").values("pk")[:1]
    return VisitAnswer.objects.filter(cited, visit_id=Subquery(latest))


def _visited_since_start(ctx, start: datetime.date) -> Q:
    return Q(Exists(_visits(ctx, since=start)))


def visited_since_start(ctx) -> Q:
    """A submitted visit since the campaign started (the census reached it: 纳入监管)."""
    return _at_town_starts(_visited_since_start, ctx)


def latest_visit_passes(*requirements: str, codes: tuple[str, ...] = ()) -> Callable:
    """The latest visit answered an item citing `requirements` (or with item `codes`) and failed none."""

    def condition(ctx) -> Q:
        answers = _latest_answers(ctx, Q(requirement__in=requirements) if requirements else Q(code__in=codes))
        return Q(Exists(answers.filter(answer=Answer.PASS))) & ~Q(Exists(answers.filter(answer=Answer.FAIL)))

    return condition


def latest_visit_fails_none(*requirements: str) -> Callable:
    """Visited, and the latest visit failed no item citing `requirements` (G3, G4: things not done)."""

    def condition(ctx) -> Q:
        failed = _latest_answers(ctx, Q(requirement__in=requirements, answer=Answer.FAIL))
        return Q(Exists(_visits(ctx))) & ~Q(Exists(failed))

    return condition


def _answers_since_start(ctx, start: datetime.date, **visit):
    """The business's answers in submitted visits started between the campaign's start (its town's) and
    the date, with more conditions on the visit (outcome__in=...)."""
    conditions = {f"visit__{k}": v for k, v in visit.items()}
    return VisitAnswer.objects.filter(
        visit__business=OuterRef("pk"),
        visit__status=VisitStatus.SUBMITTED,
        visit__started_at__gte=_start_of(start),
        visit__started_at__lt=_start_of(ctx.as_of + datetime.timedelta(days=1)),
        **conditions,
    )


def _failed(answers, requirements: tuple[str, ...]):
    failed = answers.filter(answer=Answer.FAIL)
    return failed.filter(requirement__in=requirements) if requirements else failed


def violation_found(*requirements: str) -> Callable:
    """Population of E1's and F2's investigation rates: a visit since the start failed such an item."""

    def condition(ctx, start) -> Q:
        return Q(Exists(_failed(_answers_since_start(ctx, start), requirements)))

    return _per_start(condition)


def violation_acted_on(*requirements: str) -> Callable:
    """…and that visit ended in rectification, a ban, a revocation or a referral (查处)."""

    def condition(ctx, start) -> Q:
        return Q(Exists(_failed(_answers_since_start(ctx, start, outcome__in=ACTED), requirements)))

    return _per_start(condition)


# --- ledgers -----------------------------------------------------------------------------------------


def _recent_lines(ctx, days: int):
    """The business's ledger lines dated within `days` before the date (its town's window)."""
    start = ctx.as_of - datetime.timedelta(days=days)
    return LedgerEntry.objects.filter(
        business=OuterRef("pk"), occurred_on__gte=start, occurred_on__lte=ctx.as_of
    )


def _with(lines) -> Q:
    return Q(Exists(lines))


def _in_town_windows(build: Callable, ctx) -> Q:
    """A ledger condition `build(ctx, days)` evaluated with each business's town's window (issue 24). The
    towns that set their own window are read once per Ctx (ctx.ledger_windows), never per business."""
    return town_settings.per_window(lambda days: build(ctx, days), ctx.ledger_windows)


# Categories that sell what they buy or make, so G2's "进货及销售台账" asks both halves of them; a
# restaurant sells meals, not goods, and keeps the purchase half (E1's 原料进货索证).
SELLING_CATEGORIES = ("agri", "workshop", "grocery", "pharmacy", "slaughter")


def _keeps_ledger(ctx, days: int) -> Q:
    recent = _recent_lines(ctx, days)
    sells = Q(category__code__in=SELLING_CATEGORIES)
    return _with(recent.filter(direction=Direction.PURCHASE)) & (
        ~sells | _with(recent.filter(direction=Direction.SALE))
    )


def keeps_ledger(ctx) -> Q:
    """G2: purchase lines within the window and, for units that sell, sales lines too."""
    return _in_town_windows(_keeps_ledger, ctx)


def _keeps_traceable_ledger(ctx, days: int) -> Q:
    recent = _recent_lines(ctx, days)
    untraceable = recent.filter(
        Q(direction=Direction.PURCHASE, supplier_name="") | Q(direction=Direction.SALE, buyer_name="")
    )
    return _with(recent) & ~_with(untraceable)


def keeps_traceable_ledger(ctx) -> Q:
    """A3: keeps a ledger whose purchases name their source and sales their destination (可追溯)."""
    return _in_town_windows(_keeps_traceable_ledger, ctx)


def _food_ledger_documented(ctx, days: int) -> Q:
    purchases = _recent_lines(ctx, days).filter(direction=Direction.PURCHASE, kind=ProductKind.FOOD)
    undocumented = purchases.filter(Q(certificate_collected=False) | Q(invoice_collected=False))
    return _with(purchases) & ~_with(undocumented)


def food_ledger_documented(ctx) -> Q:
    """C2: keeps a food purchase ledger and every food purchase in the window has 索证 and 索票."""
    return _in_town_windows(_food_ledger_documented, ctx)


def _files_electronically(ctx, days: int) -> Q:
    return _with(
        _recent_lines(ctx, days).filter(
            entered_by__roles__kind=RoleKind.BUSINESS, entered_by__roles__business=F("business")
        )
    )


def files_electronically(ctx) -> Q:
    """C3: the business itself enters its ledger in the app (its business account) within the window."""
    return _in_town_windows(_files_electronically, ctx)


def _no_major_incident(ctx, start: datetime.date) -> Q:
    involved = Incident.businesses.through.objects.filter(
        incident__severity__in=MAJOR_SEVERITIES,
        incident__occurred_on__gte=start,
        incident__occurred_on__lte=ctx.as_of,
    )
    return ~Q(pk__in=involved.values("business_id"))


def no_major_incident(ctx) -> Q:
    """C7: not involved in a food-safety incident graded 重大 or above between the campaign's start and
    the date (inspections.Incident)."""
    return _at_town_starts(_no_major_incident, ctx)


def designated_rate_met(ctx) -> Q:
    """F1: the latest monthly return on or before the date shows head slaughtered at the designated
    plant reaching the town's consumption (定点屠宰率 ≥ 100%)."""
    latest = (
        SlaughterReturn.objects.filter(business=OuterRef(OuterRef("pk")), month__lte=ctx.as_of)
        .order_by("-month")
        .values("pk")[:1]
    )
    met = SlaughterReturn.objects.filter(pk=Subquery(latest), head_slaughtered__gte=F("head_consumed"))
    return Q(Exists(met))


def _no_banned_goods(ctx, days: int) -> Q:
    recent = _recent_lines(ctx, days)
    alerted = recent.filter(alerts__isnull=False)
    unregistered = recent.filter(kind=ProductKind.FERTILIZER, flag_no_registration=True)
    return ~_with(alerted) & ~_with(unregistered)


def no_banned_goods(ctx) -> Q:
    """A4 from the ledgers: no line in the window matched a banned product, no fertilizer without its
    registration number."""
    return _in_town_windows(_no_banned_goods, ctx)


def both(*conditions: Callable) -> Callable:
    def condition(ctx) -> Q:
        q = Q()
        for c in conditions:
            q &= c(ctx)
        return q

    return condition


def targets() -> list:
    from .targets import ALL, Target, holds_licence

    is_town_centre = lambda ctx: Q(is_town_centre=True)  # noqa: E731
    return [
        Target(
            "G2",
            _("建立进货及销售台账"),
            1.0,
            ALL,
            keeps_ledger,
            needs=LEDGERS,
            rule=_(
                "在营单位中，统计日前台账有效期（默认30天，各镇可自行设定）内有进货记录；销售商品的单位（农资店、小作坊、"
                "食杂店、药店、屠宰场）还须有销售记录，餐饮店只要求进货台账。"
            ),
        ),
        Target(
            "G3",
            _("不使用、不添加非食用原材料"),
            1.0,
            ALL,
            latest_visit_fails_none("G3"),
            needs=VISITS,
            rule=_("在营单位中，已检查且最近一次检查无G3条目不符合。未检查的不计为达标。"),
        ),
        Target(
            "G4",
            _("不生产、不销售假冒伪劣产品、药品"),
            1.0,
            ALL,
            latest_visit_fails_none("G4"),
            needs=VISITS,
            rule=_("在营单位中，已检查且最近一次检查无G4条目不符合。未检查的不计为达标。"),
        ),
        Target(
            "A1",
            _("农资店纳入监管范围"),
            1.0,
            ("agri",),
            visited_since_start,
            needs=VISITS,
            rule=_("在册在营的小农资店（含批发）中，专项开始以来至少检查过一次（摸底建档并纳入监管）。"),
        ),
        Target(
            "A3",
            _("农资进销货台账可追溯"),
            1.0,
            ("agri",),
            keeps_traceable_ledger,
            needs=LEDGERS,
            rule=_("在营小农资店中，台账有效期内有记录，且每笔进货记来源、每笔销售记去向。"),
        ),
        Target(
            "A4",
            _("无假冒伪劣、无禁用农药、肥料有登记证"),
            1.0,
            ("agri",),
            both(latest_visit_fails_none("A4"), no_banned_goods),
            needs=(*VISITS, *LEDGERS, "ledgers.LedgerAlert"),
            rule=_(
                "在营小农资店中，最近一次检查无A4条目不符合，台账有效期内无禁用农药预警、无缺登记证号的肥料。"
            ),
        ),
        Target(
            "C2",
            _("镇中心区食杂店食品进货台账及索证索票"),
            1.0,
            ("grocery",),
            food_ledger_documented,
            population=is_town_centre,
            needs=LEDGERS,
            rule=_("镇中心区在营小食杂店中，台账有效期内有食品进货记录，且每笔均已索证索票。"),
        ),
        Target(
            "C3",
            _("食杂店使用电子台账（信誉通）"),
            0.5,
            ("grocery",),
            files_electronically,
            needs=(*LEDGERS, "accounts.RoleAssignment"),
            goal_field="e_ledger_goal",
            rule=_(
                "在营小食杂店中，台账有效期内由本店经营单位账号自行录入电子台账的比例；逐步推广，"
                "目标比例由办公室设定（不要求100%）。"
            ),
        ),
        Target(
            "C5",
            _("食杂店自律制度落实"),
            1.0,
            ("grocery",),
            latest_visit_passes("C5"),
            needs=VISITS,
            rule=_(
                "在营小食杂店中，最近一次检查的C5自律制度条目（进货检查验收、台账、质量承诺、"
                "不合格食品退市）均符合。未检查的不计为达标。"
            ),
        ),
        Target(
            "C7",
            _("无区域性重大食品安全事故"),
            1.0,
            ("workshop", "grocery", "restaurant", "slaughter"),
            no_major_incident,
            needs=("inspections.Incident",),
            rule=_(
                "在营食品类单位中，专项开始以来未涉及重大（Ⅱ级）及以上食品安全事故的比例；"
                "目标100%，即不发生重大事故。涉事单位见下钻清单。"
            ),
        ),
        Target(
            "D1",
            _("药店五项制度落实"),
            1.0,
            ("pharmacy",),
            latest_visit_passes("D1"),
            needs=VISITS,
            rule=_("在营小药店中，最近一次检查的D1五项制度条目均符合。"),
        ),
        Target(
            "D2",
            _("药品从合法渠道购进、资质齐全"),
            1.0,
            ("pharmacy",),
            latest_visit_passes("D2"),
            needs=VISITS,
            rule=_("在营小药店中，最近一次检查的D2条目符合。"),
        ),
        Target(
            "D4",
            _("GSP跟踪检查覆盖面"),
            0.30,
            ("pharmacy",),
            _per_start(lambda ctx, start: Q(gsp_followed_up(since=start, until=ctx.as_of))),
            needs=VISITS,
            rule=_(
                "在营药品零售企业中，专项开始以来接受过GSP跟踪检查（检查中答复了D4条目）的比例，目标不低于30%。"
            ),
        ),
        Target(
            "E1a",
            _("餐饮店监管率"),
            1.0,
            ("restaurant",),
            visited_since_start,
            needs=VISITS,
            rule=_("在营小餐饮店中，专项开始以来至少检查过一次。"),
        ),
        Target(
            "E1b",
            _("量化分级管理制度实施率"),
            1.0,
            ("restaurant",),
            latest_visit_passes(codes=("E1-1",)),
            needs=VISITS,
            rule=_("在营小餐饮店中，最近一次检查“实施量化分级管理、等级公示”条目符合。"),
        ),
        Target(
            "E1c",
            _("原料进货索证制度实施率"),
            1.0,
            ("restaurant",),
            latest_visit_passes(codes=("E1-2",)),
            needs=VISITS,
            rule=_("在营小餐饮店中，最近一次检查“原料进货索证索票”条目符合。"),
        ),
        Target(
            "E1d",
            _("违法行为查处率"),
            1.0,
            ("restaurant",),
            violation_acted_on(),
            population=violation_found(),
            needs=VISITS,
            rule=_(
                "专项开始以来检查发现不符合项的小餐饮店中，该次检查作出限期整改、取缔、吊销/暂扣或移送处理的比例。"
            ),
        ),
        Target(
            "F1",
            _("定点屠宰率"),
            1.0,
            ("slaughter",),
            both(holds_licence("slaughter"), designated_rate_met),
            needs=("inspections.SlaughterReturn",),
            rule=_(
                "在营屠宰场中，持有效生猪定点屠宰证，且统计日前最近一个月的月报定点屠宰头数不低于"
                "全镇生猪消费头数（定点屠宰率≥100%）。"
            ),
        ),
        Target(
            "F2",
            _("私屠滥宰及违法违规行为查处率"),
            1.0,
            ("slaughter",),
            violation_acted_on("F1", "F2", "F3"),
            population=violation_found("F1", "F2", "F3"),
            needs=VISITS,
            rule=_("专项开始以来检查发现F1–F3条目不符合的屠宰场中，该次检查作出处理的比例。"),
        ),
        Target(
            "F4",
            _("屠宰场八项制度落实"),
            1.0,
            ("slaughter",),
            latest_visit_passes("F4"),
            needs=VISITS,
            rule=_("在营屠宰场中，最近一次检查的F4八项制度条目均符合。"),
        ),
    ]
