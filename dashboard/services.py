"""Writes of the dashboard: trend snapshots, work bulletins (U2), acceptance records and circulars (P2)."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import town_settings
from campaigns.models import Business, Campaign, Town
from ledgers.selectors import window_days
from lib.gongwen import cn_date

from . import activity, documents, figures, selectors, status
from .choices import SHEETS, CircularState, CityPaperKind
from .models import AcceptanceRecord, Bulletin, Circular, CityPaper, TargetSnapshot
from .targets import Ctx, available

# The leading group and its office, named with the town's full name on every document (issue 17).
GROUP = "五小经营单位专项整治领导小组"


def organ_names(campaign: Campaign) -> tuple[str, str]:
    """(the town's leading group, its office), both with the town's full name."""
    town = _town_name(campaign)
    return f"{town}{GROUP}", f"{town}{GROUP}办公室"


def weekly_dates(start: datetime.date, today: datetime.date) -> list[datetime.date]:
    """Every 7th day from the campaign's start up to today, and today itself."""
    dates, day = [], start
    while day < today:
        dates.append(day)
        day += datetime.timedelta(days=7)
    return [*dates, today]


def recent_days() -> int:
    """Trend points this recent are recomputed every night (older ones when missing, or on a full run):
    a week more than the ledgers' window (the longest of the towns', issue 24), so ledgers entered late
    still reach the points they change."""
    return max([window_days(), *town_settings.ledger_windows().values()]) + 7


@transaction.atomic
def snapshots_refresh(
    *, campaign: Campaign, today: datetime.date | None = None, full: bool = False, town: Town | None = None
) -> int:
    """Compute the town figures at the campaign's weekly dates (one aggregate a date) and store them for
    the trend chart. Idempotent; run nightly. Returns the number of figures stored.

    `town` (issue 24): the figures of that town's businesses only, kept apart (TargetSnapshot.town); None
    counts every business of the install (a single-town install's one town, the city's whole).

    A date already stored and older than recent_days() is kept as it is unless `full` (Sunday nights, and
    the office's button): at city scale each date costs one aggregate of several seconds, and evidence
    seldom arrives weeks late."""
    today = min(today or timezone.localdate(), campaign.ends_on)
    targets = available()
    stored = 0
    kept = TargetSnapshot.objects.filter(campaign=campaign, town=town)
    kept.exclude(target__in=[t.id for t in targets]).delete()
    # Last week's "today" point is replaced by this week's dates: keep only the weekly grid and today.
    dates = weekly_dates(campaign.starts_on, today)
    kept.exclude(as_of__in=dates).delete()
    if not full:
        have = _complete_dates(kept, len(targets))
        recent = recent_days()
        dates = [d for d in dates if d not in have or (today - d).days <= recent]
    counted = figures.businesses(town=town) if town is not None else None
    for day in dates:
        for fig in figures.compute(targets, Ctx.at(day, campaign), qs=counted):
            TargetSnapshot.objects.update_or_create(
                campaign=campaign,
                town=town,
                as_of=day,
                target=fig.target.id,
                defaults={"numerator": fig.numerator, "denominator": fig.denominator},
            )
            stored += 1
    return stored


def snapshot_series() -> list[tuple[Campaign, Town | None]]:
    """Issue 24: the trends the nightly task keeps — in a single-town install the current campaign's
    (counting every business, as before); with several towns each town's current campaign counting that
    town (its own, or the city's it runs), and the city's campaign counting the whole city."""
    towns = list(Town.objects.order_by("pk"))
    latest = Campaign.current()
    if len(towns) < 2:
        return [(latest, None)] if latest is not None else []
    series: list[tuple[Campaign, Town | None]] = []
    for town in towns:
        campaign = Campaign.current(town)
        if campaign is not None:
            series.append((campaign, town))
    city = Campaign.objects.filter(is_current=True, town__isnull=True).order_by("-starts_on").first()
    if city is not None:
        series.append((city, None))
    return series


def snapshot_town(town: Town | int | None) -> Town | None:
    """The town whose series a trend reads or refreshes: None in a single-town install (its series counts
    every business), else `town` (None: the city's whole)."""
    if town is None or Town.objects.count() < 2:
        return None
    return town if isinstance(town, Town) else Town.objects.filter(pk=town).first()


def _complete_dates(kept, n_targets: int) -> set[datetime.date]:
    """Dates with a snapshot of every target."""
    counts = kept.values("as_of").annotate(n=Count("pk")).order_by()
    return {row["as_of"] for row in counts if row["n"] >= n_targets}


def figures_refresh_later(ctx: Ctx) -> bool:
    """The office's "recompute now" at city scale: today's kept figures and the whole trend, by a worker.
    False when a recomputation of today's figures is already queued (nothing new is queued then)."""
    from .tasks import refresh_snapshots

    if not figures.refresh_later(ctx):
        return False
    transaction.on_commit(lambda: refresh_snapshots.delay(full=True))
    return True


def figures_kept() -> bool:
    """Whether this installation keeps its figures (city scale): any kept matrix, whatever its date — so
    just after midnight, before today's is computed, the town still counts as large."""
    from .models import StoredMatrix

    return StoredMatrix.objects.exists()


# Stored figures of dates further back than this are dropped by the periodic refresh.
STORED_DAYS = 31


def figures_refresh(
    *, as_of: datetime.date | None = None, campaign_start: datetime.date | None = None
) -> int:
    """Recompute the stored target figures (figures.town_matrix keeps them only at city scale).

    With `as_of`: that date's (a page found them old and queued this). Without: today's, once a town is
    large enough to keep any — so the first page of the morning reads fresh figures — and drop those
    kept for dates more than STORED_DAYS ago. Returns how many matrices were recomputed."""
    from django.core.cache import cache

    from .models import StoredMatrix

    if as_of is not None:
        try:
            return figures.refresh_stored(as_of=as_of)
        finally:  # a failed run must not keep pages from queueing the next one
            if campaign_start is not None:
                cache.delete(figures.refresh_lock(as_of, campaign_start))
    today = timezone.localdate()
    StoredMatrix.objects.filter(as_of__lt=today - datetime.timedelta(days=STORED_DAYS)).delete()
    if not StoredMatrix.objects.exists():
        return 0
    ctx = Ctx.at(today)
    if status.serves(ctx):
        return 0  # today's figures come from the per-business status, exact: nothing to refresh (issue 26)
    lock = figures.refresh_lock(ctx.as_of, ctx.campaign_start)
    if not cache.add(lock, 1, timeout=settings.WUXIAO_FIGURES_MAX_AGE_MINUTES * 60):
        return 0  # a worker is already at it
    try:
        done = figures.refresh_stored(as_of=today)
        # A scope kept on an earlier day (the town's, the enforcement branch's) but not yet today.
        scopes = set(StoredMatrix.objects.values_list("scope", flat=True).distinct())
        for scope in scopes - set(StoredMatrix.objects.filter(as_of=today).values_list("scope", flat=True)):
            figures.town_matrix(available(), ctx, refresh=True, scope=scope)
            done += 1
        return done
    finally:
        cache.delete(lock)


def _town(campaign: Campaign) -> Town | None:
    return campaign.town or Town.objects.order_by("pk").first()


def _town_name(campaign: Campaign) -> str:
    town = _town(campaign)
    return town.name if town else ""


def document_settings(campaign: Campaign) -> town_settings.Effective:
    """The masthead and numbering prefix of the campaign's town's documents (issue 24)."""
    return town_settings.of_town(_town(campaign))


def _problems(current: list[dict]) -> list[str]:
    lines = []
    for t in sorted(current, key=lambda t: t["rate"] if t["rate"] is not None else 2):
        if t["status"] in ("red", "amber"):
            gap = t["denominator"] - t["numerator"]
            lines.append(
                f"{t['target']}“{t['label']}”完成率{documents.percent(t['rate'])}，"
                f"距目标{documents.percent(t['goal'])}尚差{gap}家。"
            )
    return lines


def _weakest_villages(campaign: Campaign, as_of: datetime.date) -> list[str]:
    rows = [r for r in selectors.ranking(campaign, as_of)["villages"] if r.target_score is not None]
    if len(rows) < 2:
        return []
    weakest = sorted(rows, key=lambda r: r.target_score)[:2]
    names = "、".join(f"{r.subject.name}（{r.target_score:.1f}分）" for r in weakest)
    return [f"目标完成较差的村（社区）：{names}，请加大整治力度。"]


def _next_steps(problems: list[str], campaign: Campaign, as_of: datetime.date) -> list[str]:
    steps = []
    if problems:
        steps.append("各牵头部门对照未达标目标逐户建立整改清单，明确整改时限，落实回头查。")
    phase = campaign.phase_on(as_of)
    if phase is not None and phase.code == "P1":
        steps.append(f"整改实施阶段于{cn_date(phase.ends_on)}结束，各村（社区）须在此前完成整改。")
    elif phase is not None and phase.code == "P2":
        steps.append("做好逐级验收：镇验收各村（社区），领导小组验收各牵头部门，开展暗访和随机抽查。")
    steps.append("继续公布有奖举报电话，对无证照经营和违法行为依法查处。")
    return steps


def bulletin_period_start(
    *, campaign: Campaign, last: Bulletin | None, period_end: datetime.date
) -> datetime.date:
    """The first day of the next issue: the day after the previous issue's end (the campaign's start for
    the first). Refused with a message when the previous issue already reaches `period_end`."""
    if last is None:
        if period_end < campaign.starts_on:
            raise ValidationError(
                _("专项%(start)s开始，不能生成截至%(end)s的工作专报。")
                % {"start": cn_date(campaign.starts_on), "end": cn_date(period_end)}
            )
        return campaign.starts_on
    if last.period_end >= period_end:
        raise ValidationError(
            _("第%(n)s期工作专报已统计至%(last)s，本期统计期间将与之重叠；请于%(next)s或以后生成下一期。")
            % {
                "n": last.number,
                "last": cn_date(last.period_end),
                "next": cn_date(last.period_end + datetime.timedelta(days=1)),
            }
        )
    return last.period_end + datetime.timedelta(days=1)


@transaction.atomic
def bulletin_create(
    *, campaign: Campaign, period_end: datetime.date | None = None, user=None, scheduled: bool = False
) -> Bulletin:
    """Write the next numbered work bulletin (工作专报) over the period since the last one, as a .docx.

    Each issue covers the days after the previous issue's end up to its own date, so the issues never
    overlap and every day is in exactly one (bulletin_period_start refuses a second issue for days
    already covered). The number is taken under a lock on the campaign row, so two at once never share
    a number."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    period_end = period_end or timezone.localdate()
    last = Bulletin.objects.filter(campaign=campaign).order_by("-number").first()
    period_start = bulletin_period_start(campaign=campaign, last=last, period_end=period_end)
    number = (Bulletin.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
    previous = {t["target"]: t["rate"] for t in (last.figures if last else [])}
    # Issue 24: a town's campaign reports its own town's businesses (the city's campaign, every town's).
    qs = town_id = None
    if campaign.town_id and Town.objects.exclude(pk=campaign.town_id).exists():
        town_id = campaign.town_id
        qs = Business.objects.active().filter(village__town_id=town_id)
    ctx = Ctx.at(period_end, campaign)
    current = [f.as_dict(period_end) for f in figures.compute(available(), ctx, qs=qs)]
    for t in current:
        t["previous_rate"] = previous.get(t["target"])
    problems = _problems(current) + _weakest_villages(campaign, period_end)
    content = documents.BulletinContent(
        number=number,
        town=_town_name(campaign),
        office=organ_names(campaign)[1],
        issued_on=timezone.localdate(),
        period_start=period_start,
        period_end=period_end,
        targets=current,
        activity=activity.period_activity(period_start, period_end, town_id),
        cases=activity.period_cases(period_start, period_end, town_id),
        problems=problems,
        next_steps=_next_steps(problems, campaign, period_end),
        masthead=document_settings(campaign).masthead,
    )
    bulletin = Bulletin(
        campaign=campaign,
        number=number,
        period_start=period_start,
        period_end=period_end,
        figures=current,
        scheduled=scheduled,
        created_by=user,
    )
    bulletin.file.save(f"bulletin-{number}.docx", ContentFile(documents.bulletin_docx(content)), save=False)
    bulletin.full_clean()
    bulletin.save()
    return bulletin


@transaction.atomic
def acceptance_record_save(*, record: AcceptanceRecord, scores: dict, user=None) -> AcceptanceRecord:
    """Save an acceptance record (P2) with its score sheet; the total is the sum of the sheet."""
    sheet = SHEETS.get(record.kind, [])
    record.scores = {code: scores.get(code) for code, *_rest in sheet}
    total = sum((Decimal(str(v)) for v in record.scores.values() if v is not None), Decimal(0))
    record.total = total.quantize(Decimal("0.1"))
    if record.pk is None:
        record.created_by = user
    record.full_clean()
    record.save()
    return record


def _ends(rows: list, most: int = 3) -> tuple[list, list]:
    """The best and the weakest of a ranked list: a third at each end (1 to `most`), never overlapping."""
    if len(rows) < 2:
        return rows, []
    k = max(1, min(most, len(rows) // 3))
    return rows[:k], rows[-k:]


def _circular_text(campaign: Campaign, as_of: datetime.date) -> dict:
    ranked = selectors.ranking(campaign, as_of)
    villages = [r for r in ranked["villages"] if r.score is not None]
    departments = [r for r in ranked["departments"] if r.score is not None]

    def names(rows):
        return "、".join(f"{r.subject}（{r.score:.1f}分）" for r in rows)

    best_v, worst_v = _ends(villages)
    best_d, worst_d = _ends(departments, most=1)
    commended = []
    if best_v:
        commended.append(
            f"经逐级验收和综合评定，{names(best_v)}等村（社区）组织有力、措施扎实、成效明显，予以通报表彰。"
        )
    if best_d:
        commended.append(f"{names(best_d)}牵头有力，所负责类别整治目标完成较好，予以通报表彰。")
    criticised = []
    if worst_v:
        criticised.append(f"{names(worst_v)}等村（社区）措施不力、效果不好，予以通报批评，限期整改。")
    if worst_d:
        criticised.append(f"{names(worst_d)}所负责类别目标完成滞后，予以通报批评。")
    return {
        "title": f"关于{_town_name(campaign)}五小经营单位专项整治验收情况的通报",
        "preamble": (
            f"按照{campaign.name}工作方案，领导小组组织对各村（社区）和各牵头部门进行了逐级验收，"
            "并通过暗访、随机抽查核实整治成效。现将验收情况通报如下："
        ),
        "commended": "\n".join(commended) or "待验收完成后确定。",
        "criticised": "\n".join(criticised) or "各村（社区）、各牵头部门均完成整治任务。",
        "requirements": (
            "受到通报批评的村（社区）和部门要认真查找原因，于15日内将整改情况书面报领导小组办公室。\n"
            "各地各部门要巩固整治成果，建立长效监管机制，防止问题反弹。"
        ),
        "ranking": {
            "villages": [[str(r.subject), r.score] for r in ranked["villages"]],
            "departments": [[str(r.subject), r.score] for r in ranked["departments"]],
        },
    }


@transaction.atomic
def circular_draft(*, campaign: Campaign, as_of: datetime.date | None = None) -> Circular:
    """Draft the acceptance circular (通报) from the ranking; the office edits it before issuing."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    number = (Circular.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
    circular = Circular(
        campaign=campaign, number=number, **_circular_text(campaign, as_of or timezone.localdate())
    )
    circular.full_clean()
    circular.save()
    return circular


def circular_content(circular: Circular) -> documents.CircularContent:
    organ, office = organ_names(circular.campaign)
    own = document_settings(circular.campaign)
    return documents.CircularContent(
        masthead=own.masthead,
        number_prefix=own.number_prefix,
        number=circular.number,
        title=circular.title,
        organ=organ,
        office=office,
        issued_on=timezone.localtime(circular.issued_at).date()
        if circular.issued_at
        else timezone.localdate(),
        preamble=circular.preamble,
        commended=circular.commended,
        criticised=circular.criticised,
        requirements=circular.requirements,
        draft=not circular.is_issued,
    )


def circular_document(circular: Circular) -> bytes:
    return documents.circular_docx(circular_content(circular))


@transaction.atomic
def circular_update(*, circular: Circular, **fields) -> Circular:
    """Edit a draft circular's text. An issued circular is frozen."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_issued:
        raise ValidationError(_("通报已印发，不能再修改。"))
    for name in ("title", "preamble", "commended", "criticised", "requirements"):
        if name in fields:
            setattr(circular, name, fields[name])
    circular.full_clean()
    circular.save()
    return circular


@transaction.atomic
def circular_issue(*, circular: Circular, user) -> Circular:
    """Issue a circular: freeze its text and store the final .docx."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_issued:
        raise ValidationError(_("通报已印发。"))
    circular.state = CircularState.ISSUED
    circular.issued_at = timezone.now()
    circular.issued_by = user
    circular.file.save(
        f"circular-{circular.number}.docx", ContentFile(circular_document(circular)), save=False
    )
    circular.full_clean()
    circular.save()
    return circular


def target_status_sweep() -> status.Sweep:
    """Daily (issue 26): rewrite the per-business target status rows whose date has come — or build the
    whole table when it is not built for today's campaign and targets."""
    return status.sweep()


def target_status_check(*, repair: bool = False) -> list[status.Difference | status.TotalDifference]:
    """Nightly (issue 26): compare every kept row with the live computation; log (and with `repair`
    rewrite) any difference. The sweep runs first, so a row merely due is not reported."""
    status.sweep()
    found = status.differences(repair=repair)
    log = logging.getLogger(__name__)
    for difference in found[:50]:
        log.error("目标状态不一致：%s", difference)
    if found:
        log.error("目标状态不一致共 %d 处%s", len(found), "，已重新计算" if repair else "")
    return found


# --- the city's papers on its towns (issue 24) ----------------------------------------------------------
CITY_TITLES = {
    CityPaperKind.BULLETIN: "全市各镇（街道）五小经营单位专项整治工作进展情况",
    CityPaperKind.CIRCULAR: "关于全市各镇（街道）五小经营单位专项整治目标完成情况的通报",
}


def city_towns(rows: list[selectors.TownRow]) -> list[dict]:
    """The city's dashboard rows as the paper says them: ranked, each town's targets below their goal
    (a figure counting nobody is not below) with their figures."""
    return [
        {
            "rank": row.rank,
            "town": row.town.name,
            "achievement": row.achievement,
            "below": [
                {
                    "target": cell.target.id,
                    "label": str(cell.target.label),
                    "goal": cell.goal,
                    "numerator": cell.numerator,
                    "denominator": cell.denominator,
                    "rate": cell.rate,
                }
                for cell in row.cells
                if cell.status in ("amber", "red")
            ],
        }
        for row in rows
    ]


@transaction.atomic
def city_paper_draft(*, kind: str, user, as_of: datetime.date | None = None) -> CityPaper:
    """Issue 24: a city leader drafts the city's bulletin or circular from the city's figures (the city
    dashboard's rows, within the user's scope): the towns ranked, those below a target named with their
    figures; the city's masthead and its own numbering per kind and year. A draft, like the town's
    circular: the leader edits its text (city_paper_update) and issues it (city_paper_issue), which stores
    the .docx. The town's 公文 machinery (lib.gongwen through dashboard.documents) lays it out."""
    if kind not in CityPaperKind.values:
        raise ValidationError({"kind": _("请选择全市工作专报或全市通报。")})
    today = timezone.localdate()
    as_of = as_of or today
    ctx = Ctx.at(as_of, Campaign.current())
    rows, _computed_at = selectors.city_board(user, selectors.targets_for_user(user), ctx)
    if not rows:
        raise ValidationError(_("尚无各镇（街道）的数据，无法起草全市专报或通报。"))
    # The numbers of a kind and year, taken under a lock on that kind and year: two leaders drafting the
    # year's first paper of a kind at once both found no row to lock, took 第1号 and the second got a 500
    # from the unique constraint. The lock serialises them; the constraint stays as a last net, read as
    # a form error (below).
    _lock_city_numbering(kind, today.year)
    number = _last_city_number(kind, today.year) + 1
    towns = city_towns(rows)
    texts = documents.city_paper_texts(kind=kind, towns=towns, as_of=as_of, organ=settings.WUXIAO_CITY_OFFICE)
    paper = CityPaper(
        kind=kind,
        year=today.year,
        number=number,
        title=CITY_TITLES[kind],
        as_of=as_of,
        created_by=user,
        **texts,
    )
    reference = documents.city_paper_number(city_paper_content(paper, towns=towns))
    paper.figures = {"reference": reference, "towns": towns}
    paper.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            paper.save()
    except IntegrityError:
        raise ValidationError(
            _("同年同类的第 %(n)d 号文件刚刚已由他人起草，请刷新页面后重新起草。") % {"n": number}
        ) from None
    return paper


def city_paper_content(paper: CityPaper, towns: list[dict] | None = None) -> documents.CityPaperContent:
    """What the paper says: its text as edited, its figures as drafted; dated the day it was issued (a
    draft: today)."""
    issued_on = timezone.localtime(paper.issued_at).date() if paper.issued_at else timezone.localdate()
    return documents.CityPaperContent(
        kind=paper.kind,
        number=paper.number,
        year=paper.year,
        prefix=settings.WUXIAO_CITY_DOC_PREFIX,
        organ=settings.WUXIAO_CITY_OFFICE,
        title=paper.title,
        issued_on=issued_on,
        as_of=paper.as_of,
        towns=paper.figures.get("towns", []) if towns is None else towns,
        preamble=paper.preamble,
        commended=paper.commended if paper.is_circular else "",
        criticised=paper.criticised,
        requirements=paper.requirements,
        draft=not paper.is_issued,
    )


def city_paper_document(paper: CityPaper) -> bytes:
    """The paper's .docx as it reads now (a draft is marked 草稿，未印发)."""
    return documents.city_paper_docx(city_paper_content(paper))


CITY_PAPER_TEXT = ("title", "preamble", "commended", "criticised", "requirements")


@transaction.atomic
def city_paper_update(*, paper: CityPaper, **fields) -> CityPaper:
    """Edit a draft's title and text. An issued paper is frozen."""
    paper = CityPaper.objects.select_for_update().get(pk=paper.pk)
    if paper.is_issued:
        raise ValidationError(
            _("%(ref)s已印发，不能再修改。") % {"ref": paper.reference or paper.get_kind_display()}
        )
    for name in CITY_PAPER_TEXT:
        if name in fields:
            setattr(paper, name, fields[name])
    if not paper.is_circular:
        paper.commended = ""
    paper.full_clean()
    paper.save()
    return paper


@transaction.atomic
def city_paper_issue(*, paper: CityPaper, user) -> CityPaper:
    """Issue (印发) a draft: freeze its text and store the final .docx (PDF as the town's, lib.pdf)."""
    paper = CityPaper.objects.select_for_update().get(pk=paper.pk)
    if paper.is_issued:
        raise ValidationError(
            _("%(ref)s已于%(day)s印发，不能重复印发。")
            % {
                "ref": paper.reference or paper.get_kind_display(),
                "day": cn_date(timezone.localtime(paper.issued_at).date()) if paper.issued_at else "",
            }
        )
    paper.state = CircularState.ISSUED
    paper.issued_at = timezone.now()
    paper.issued_by = user
    name = f"city-{paper.kind}-{paper.year}-{paper.number}.docx"
    paper.file.save(name, ContentFile(city_paper_document(paper)), save=False)
    paper.full_clean()
    paper.save()
    return paper


# A constant first key for PostgreSQL's advisory locks of the city's numbering (any fixed number).
CITY_NUMBERING_LOCK = 24_0008


def _lock_city_numbering(kind: str, year: int) -> None:
    """Hold, until the transaction ends, the lock on a kind's numbering for a year. On PostgreSQL an
    advisory lock (there may be no row yet to lock); SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        return
    key = year * 100 + CityPaperKind.values.index(kind)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CITY_NUMBERING_LOCK, key])


def _last_city_number(kind: str, year: int) -> int:
    found = CityPaper.objects.filter(kind=kind, year=year).aggregate(last=Max("number"))["last"]
    return found or 0
