"""Work bulletins (U2), acceptance records, the ranking and the circular (P2): the documents' text."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from dashboard import services, tasks
from dashboard.choices import CircularState
from dashboard.models import AcceptanceRecord, Bulletin, TargetSnapshot
from tests.factories_dashboard import AFTER, BEFORE, EXPIRY, campaign, small_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(village, other_village, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {"campaign": campaign(), **small_town(village, other_village)}


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["|".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def test_bulletin_reports_each_target_and_the_change_since_the_last(town):
    first = services.bulletin_create(campaign=town["campaign"], period_end=BEFORE)
    second = services.bulletin_create(campaign=town["campaign"], period_end=AFTER)
    assert (first.number, second.number) == (1, 2)
    assert second.period_start == BEFORE + datetime.timedelta(days=1)
    text = text_of(second.file.read())
    assert "工作专报" in text and "第2期" in text
    assert "2026年6月2日至2026年8月1日" in text
    # G1 went from 5/8 to 4/8: 62.5% -> 50.0%, down 12.5 points
    assert "G1|证照齐全并亮证经营|100.0%|4/8|50.0%|-12.5个百分点" in text
    assert "F1|定点屠宰率|100.0%|1/1|100.0%|持平" in text
    for heading in (
        "一、各项目标完成情况",
        "二、检查及处理情况",
        "三、案件查处情况",
        "四、存在问题",
        "五、下一步工作",
    ):
        assert heading in text
    assert "G1“证照齐全并亮证经营”完成率50.0%，距目标100.0%尚差4家。" in text


def test_weekly_task_writes_one_bulletin_a_day(town, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    town["campaign"].starts_on = datetime.date(2020, 1, 1)
    town["campaign"].ends_on = datetime.date(2099, 1, 1)
    town["campaign"].save()
    assert tasks.weekly_bulletin() == 1
    assert tasks.weekly_bulletin() is None
    assert Bulletin.objects.get().scheduled is True


def test_schedule_is_declared_in_beat():
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"dashboard.tasks.weekly_bulletin", "dashboard.tasks.refresh_snapshots"} <= names


def test_snapshots_follow_the_weekly_grid(town):
    c = town["campaign"]
    c.starts_on = datetime.date(2026, 6, 20)  # six weeks to AFTER: a short grid keeps the test quick
    c.save()
    services.snapshots_refresh(campaign=c, today=AFTER)
    services.snapshots_refresh(campaign=c, today=AFTER)  # idempotent
    g1 = {s.as_of: (s.numerator, s.denominator) for s in TargetSnapshot.objects.filter(target="G1")}
    assert g1[c.starts_on] == (5, 8)
    assert g1[AFTER] == (4, 8)
    assert min(g1) == c.starts_on and all((d - c.starts_on).days % 7 == 0 for d in g1 if d != AFTER)
    assert max(d for d in g1 if d < EXPIRY) < EXPIRY


def test_nightly_trend_recomputes_recent_weeks_and_keeps_older_ones(town):
    """At city scale a date costs seconds: older stored dates stay as they are unless `full`."""
    c = town["campaign"]
    c.starts_on = datetime.date(2026, 6, 20)
    c.save()
    services.snapshots_refresh(campaign=c, today=AFTER)
    TargetSnapshot.objects.filter(target="G1").update(numerator=0)  # as if the evidence had changed
    services.snapshots_refresh(campaign=c, today=AFTER)
    g1 = {s.as_of: s.numerator for s in TargetSnapshot.objects.filter(target="G1")}
    recent = {d for d in g1 if (AFTER - d).days <= services.recent_days()}
    assert recent and all(g1[d] > 0 for d in recent)  # recomputed
    assert set(g1) - recent and all(g1[d] == 0 for d in set(g1) - recent)  # kept
    services.snapshots_refresh(campaign=c, today=AFTER, full=True)
    assert all(s.numerator > 0 for s in TargetSnapshot.objects.filter(target="G1"))


def test_bulletin_download_checks_the_role(client, town, leader, inspector):
    bulletin = services.bulletin_create(campaign=town["campaign"], period_end=AFTER)
    url = reverse("dashboard:bulletin_download", args=[bulletin.pk])
    client.force_login(inspector)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert "第1期" in text_of(b"".join(response.streaming_content))
    assert (
        client.post(reverse("dashboard:bulletin_create")).status_code == 404
    )  # leaders read, the office writes


def test_office_generates_a_bulletin_on_demand(office_client, town):
    response = office_client.post(reverse("dashboard:bulletin_create"))
    assert response.status_code == 302
    assert Bulletin.objects.filter(campaign=town["campaign"]).count() == 1


def score(kind: str, value: float) -> dict:
    from dashboard.choices import SHEETS

    return {code: value * full for code, _i, _w, full in SHEETS[kind]}


def test_acceptance_record_totals_its_score_sheet_and_rejects_out_of_range(town, village):
    record = AcceptanceRecord(
        campaign=town["campaign"], kind="village", village=village, checked_on=AFTER, conclusion="passed"
    )
    record = services.acceptance_record_save(record=record, scores=score("village", 0.9))
    assert float(record.total) == pytest.approx(90)
    bad = AcceptanceRecord(
        campaign=town["campaign"], kind="village", village=village, checked_on=AFTER, conclusion="passed"
    )
    with pytest.raises(ValidationError) as exc:
        services.acceptance_record_save(record=bad, scores={**score("village", 1), "licences": 25})
    assert "证照整治" in str(exc.value)


def test_acceptance_form_in_the_browser(office_client, town, village):
    from dashboard.choices import SHEETS

    data = {
        "village": village.pk,
        "checked_on": "2026-11-05",
        "checks_from": "2026-11-01",
        "conclusion": "basic",
        "team": "莫锦柱、梁永强",
    }
    data.update({f"score_{code}": full - 1 for code, _i, _w, full in SHEETS["village"]})
    response = office_client.post(reverse("dashboard:acceptance_create", args=["village"]), data)
    record = AcceptanceRecord.objects.get()
    assert response["Location"] == record.get_absolute_url()
    assert float(record.total) == 94
    page = office_client.get(record.get_absolute_url()).content.decode()
    assert "评分表" in page and "94" in page
    data["score_licences"] = 99
    response = office_client.post(reverse("dashboard:acceptance_create", args=["village"]), data)
    assert response.status_code == 200 and AcceptanceRecord.objects.count() == 1


def test_ranking_and_circular_commend_the_best_and_criticise_the_weakest(
    town, village, other_village, office
):
    c = town["campaign"]
    for v, share in ((village, 0.95), (other_village, 0.3)):
        services.acceptance_record_save(
            record=AcceptanceRecord(
                campaign=c, kind="village", village=v, checked_on=AFTER, conclusion="passed"
            ),
            scores=score("village", share),
        )
    ranked = [r.subject.name for r in services.selectors.ranking(c, AFTER)["villages"]]
    assert ranked[0] == "东村" and ranked[-1] == "西村"

    circular = services.circular_draft(campaign=c, as_of=AFTER)
    assert "东村" in circular.commended and "西村" in circular.criticised
    circular = services.circular_update(circular=circular, commended="东村成效明显，予以通报表彰。（已审改）")
    assert "（已审改）" in text_of(services.circular_document(circular))
    assert "草稿" in text_of(services.circular_document(circular))

    issued = services.circular_issue(circular=circular, user=office)
    assert issued.state == CircularState.ISSUED and issued.issued_at
    text = text_of(issued.file.read())
    assert "（已审改）" in text and "通报批评" in text and "草稿" not in text
    with pytest.raises(ValidationError):
        services.circular_update(circular=issued, commended="改不了")


def test_circular_views(office_client, client, leader, town):
    response = office_client.post(reverse("dashboard:circular_create"))
    url = response["Location"]
    page = office_client.get(url)
    assert page.context["form"] is not None
    data = {
        k: page.context["form"].initial[k]
        for k in ("title", "preamble", "commended", "criticised", "requirements")
    }
    data["criticised"] = "某村措施不力。"
    assert office_client.post(url, data).status_code == 302
    pk = int(url.rstrip("/").split("/")[-1])
    assert office_client.post(reverse("dashboard:circular_issue", args=[pk])).status_code == 302
    assert office_client.get(url).context["form"] is None  # frozen
    client.force_login(leader)
    download = client.get(reverse("dashboard:circular_download", args=[pk]))
    assert "某村措施不力。" in text_of(b"".join(download.streaming_content))
    assert client.post(url, data).status_code == 404


def test_bulletin_periods_never_overlap_and_cover_each_day_once(town):
    """Issue 17: each issue runs from the day after the previous one to its own date."""
    c = town["campaign"]
    ends = [c.starts_on + datetime.timedelta(days=d) for d in (0, 6, 7, 20, 21)]
    bulletins = [services.bulletin_create(campaign=c, period_end=end) for end in ends]
    covered = []
    for b in bulletins:
        day = b.period_start
        while day <= b.period_end:
            covered.append(day)
            day += datetime.timedelta(days=1)
    expected = [c.starts_on + datetime.timedelta(days=d) for d in range(22)]
    assert covered == expected  # every day once, in order: no overlap, no gap
    assert [b.period_start for b in bulletins[1:]] == [
        a.period_end + datetime.timedelta(days=1) for a in bulletins[:-1]
    ]


def test_second_bulletin_on_the_same_day_is_refused_with_a_message(town, office_client):
    c = town["campaign"]
    services.bulletin_create(campaign=c, period_end=AFTER)
    with pytest.raises(ValidationError, match="第1期工作专报已统计至2026年8月1日"):
        services.bulletin_create(campaign=c, period_end=AFTER)
    with pytest.raises(ValidationError, match="2026年8月2日或以后"):
        services.bulletin_create(campaign=c, period_end=BEFORE)
    assert Bulletin.objects.count() == 1
