"""The requirements issue 23 turned from "partly" into workflows the office runs and reports on: each test
names its id and fails without the feature (C5 …)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import figures, targets
from dashboard.targets import Ctx
from tests import factories as f
from tests.factories_dashboard import AFTER, campaign
from tests.factories_inspections import inspect

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2026, 6, 10)


def test_c5_groceries_self_discipline_is_a_target_with_a_drill_down(client, office, village):
    """C5: the latest visit passes every self-discipline item (进货查验、台账、承诺、不合格食品退市)."""
    campaign()
    kept = f.BusinessFactory(name="东村守规士多", village=village)
    lax = f.BusinessFactory(name="东村松散士多", village=village)
    f.BusinessFactory(name="东村未查士多", village=village)
    inspect(kept, office, day=JUNE)
    inspect(lax, office, day=JUNE, fails=("C5-1",))
    c5 = targets.get("C5")
    got = {x.target.id: x for x in figures.compute([c5], Ctx.at(AFTER))}["C5"]
    assert (got.numerator, got.denominator) == (1, 3)
    client.force_login(office)
    page = client.get(reverse("dashboard:drill"), {"target": "C5", "as_of": AFTER.isoformat()})
    listed = page.content.decode()
    assert "东村松散士多" in listed and "东村未查士多" in listed and "东村守规士多" not in listed


def _workshop(name, village, industry="soy"):
    workshop = f.category("workshop")
    subtypes = list(workshop.subtypes.filter(code=industry)) if industry else []
    return f.BusinessFactory(name=name, village=village, category=workshop, subtypes=subtypes)


def test_b3_every_green_channel_workshop_is_listed_by_stage(client, office, aic_user, village):
    """B3: the office (and the workshops' department) sees all green-channel workshops, filtered by stage."""
    from campaigns.models import GreenChannel
    from campaigns.services import green_channel_save

    applied = _workshop("东村申请豆腐坊", village)
    licensed = _workshop("东村取证豆腐坊", village)
    green_channel_save(channel=GreenChannel(business=applied, applied_on=JUNE))
    green_channel_save(channel=GreenChannel(business=licensed, applied_on=JUNE, licensed_on=AFTER))
    client.force_login(office)
    url = reverse("campaigns:green_channel_list")
    page = client.get(url).content.decode()
    assert "东村申请豆腐坊" in page and "东村取证豆腐坊" in page
    only = client.get(url, {"stage": "licensed"}).content.decode()
    assert "东村取证豆腐坊" in only and "东村申请豆腐坊" not in only
    tech = f.user_with_role("department", "tech_b3", department=f.department("tech_supervision"))
    client.force_login(tech)
    assert "东村申请豆腐坊" in client.get(url).content.decode()
    client.force_login(aic_user)  # 工商 leads groceries, not workshops
    assert "东村申请豆腐坊" not in client.get(url).content.decode()


def test_e6_temporary_licences_have_a_deadline_report_with_outcomes(client, office, village):
    """E6: each temporary licence, any category, with its deadline; overdue flagged; licensed or revoked."""
    from campaigns.models import Licence
    from campaigns.services import licence_renew, licence_revoke, licences_refresh_expired

    today = timezone.localdate()
    units = {}
    for name, code in (
        ("东村临证豆腐坊", "workshop"),
        ("东村临证士多", "grocery"),
        ("东村临证饭店", "restaurant"),
    ):
        units[name] = f.BusinessFactory(name=name, village=village, category=f.category(code))
    temp = {}
    for name, days in (("东村临证豆腐坊", -3), ("东村临证士多", 20), ("东村临证饭店", 10)):
        temp[name] = f.LicenceFactory(
            business=units[name],
            licence_type=f.licence_type("business"),
            state="temporary",
            issued_on=today - datetime.timedelta(days=60),
            expires_on=today + datetime.timedelta(days=90),
            rectify_by=today + datetime.timedelta(days=days),
        )
    licence_renew(licence=temp["东村临证士多"], number="SD-1", issued_on=today, expires_on=None)
    licence_revoke(licence=temp["东村临证饭店"], reason="整改不达标")
    client.force_login(office)
    url = reverse("campaigns:temporary_licences")
    response = client.get(url)
    assert response.context["counts"] == {"open": 1, "overdue": 1, "licensed": 1, "revoked": 1}
    overdue = client.get(url, {"outcome": "overdue"}).content.decode()
    assert "东村临证豆腐坊" in overdue and "东村临证士多" not in overdue
    assert "东村临证士多" in client.get(url, {"outcome": "licensed"}).content.decode()
    assert "东村临证饭店" in client.get(url, {"outcome": "revoked"}).content.decode()
    # A temporary licence that runs out without an outcome stays on the report, overdue.
    lapsing = f.LicenceFactory(
        business=units["东村临证豆腐坊"],
        licence_type=f.licence_type("hygiene"),
        state="temporary",
        issued_on=today - datetime.timedelta(days=60),
        expires_on=today - datetime.timedelta(days=1),
    )
    licences_refresh_expired(today=today)
    lapsing.refresh_from_db()
    assert lapsing.state == "expired" and lapsing.rectify_by == lapsing.expires_on
    assert client.get(url).context["counts"]["overdue"] == 2
    assert Licence.objects.get(pk=temp["东村临证饭店"].pk).outcome_on == today


def test_o2_village_groups_members_are_records_listed_by_village(
    client, office, inspector, village, other_village
):
    """O2: each village's campaign group, its members with their roles; the office keeps them."""
    client.force_login(office)
    url = reverse("campaigns:village_groups")
    for v, name, role in ((village, "李东组长", "leader"), (other_village, "陈西组员", "member")):
        response = client.post(
            url, {"village": v.pk, "name": name, "role": role, "position": "村委", "order": 0}
        )
        assert response.status_code == 302, response.content.decode()
    duplicate = client.post(url, {"village": village.pk, "name": "李东组长", "role": "member", "order": 0})
    assert "已有同名成员" in duplicate.content.decode()
    by_village = client.get(url, {"village": village.pk}).content.decode()
    assert "李东组长" in by_village and "组长" in by_village and "陈西组员" not in by_village
    client.force_login(inspector)  # a village inspector sees their own village's group, and cannot add
    page = client.get(url).content.decode()
    assert "李东组长" in page and "陈西组员" not in page
    assert (
        client.post(url, {"village": village.pk, "name": "冒名", "role": "member", "order": 0}).status_code
        == 404
    )


def test_b2_recall_and_reissue_progress_by_industry(client, office, village):
    """B2: workshops' commitment letters recalled and re-issued, counted industry by industry."""
    tofu = [_workshop(f"东村豆腐坊{i}", village) for i in range(3)]
    noodles = _workshop("东村河粉厂", village, industry="rice_noodle")
    letter = f.licence_type("quality_commitment")
    client.force_login(office)
    url = reverse("campaigns:reissue_progress")
    for unit in (*tofu[:2], noodles):
        data = {"business": unit.name, "licence_type": letter.pk, "recalled_on": JUNE.isoformat()}
        assert client.post(url, data).status_code == 302
    again = {
        "business": tofu[0].name,
        "licence_type": letter.pk,
        "recalled_on": JUNE.isoformat(),
        "reissued_on": (JUNE + datetime.timedelta(days=20)).isoformat(),
        "number": "CN-001",
    }
    response = client.post(url, again)
    assert response.status_code == 302, response.context["form"].errors  # the same unit and paper: updated
    progress = {
        (r["industry"].code if r["industry"] else None): (r["units"], r["recalled"], r["reissued"])
        for r in client.get(url).context["progress"]
    }
    assert progress["soy"] == (3, 2, 1) and progress["rice_noodle"] == (1, 1, 0)
    grocery = f.BusinessFactory(name="东村不是作坊", village=village)
    refused = client.post(url, {"business": grocery.name, "licence_type": letter.pk, "recalled_on": JUNE})
    assert "business" in refused.context["form"].errors  # only workshops are offered and resolved


def test_a6_a_failed_residue_result_traces_the_pesticide_to_the_shops_that_sold_it(client, office, village):
    """A6: a vegetable residue result is recorded (a quick test: sample and result at once, numbered by the
    day); its value against the limit decides pass/fail; a failed one names the pesticide and one click on
    it opens the ledgers' A6 trace — the agri shops that sold that pesticide and their buyers."""
    from campaigns.models import Market
    from inspections.models import Sample
    from tests.factories_ledgers import TODAY, line, record

    agri = f.category("agri")
    seller = f.BusinessFactory(name="东村惠农农资店", category=agri, village=village)
    other = f.BusinessFactory(name="东村只卖化肥店", category=agri, village=village)
    pest = {"kind": "pesticide", "unit": "瓶"}
    record(
        seller,
        line(days_ago=30, product="毒死蜱", quantity="50", **pest),
        line("out", days_ago=20, product="毒死蜱", quantity="2", buyer_name="东村 菜农老王", **pest),
    )
    record(
        other, line(days_ago=25, product="复合肥"), line("out", days_ago=20, product="复合肥", quantity="5")
    )
    market = Market.objects.create(village=village, name="东村农贸市场")
    stall = f.BusinessFactory(name="东村青菜摊", village=village, market=market)
    tested = TODAY - datetime.timedelta(days=1)
    client.force_login(office)
    url = reverse("inspections:residue_create")
    data = {
        "business": stall.name,
        "sampled_on": tested.isoformat(),
        "product": "上海青",
        "method": "quick",
        "pesticide": "毒死蜱",
        "residue_value": "0.35",
        "residue_limit": "0.1",
        "result": "pass",
        "lab": "东村农贸市场快检室",
        "quantity": "1份",
    }
    assert "结果应为不合格" in client.post(url, data).content.decode()  # over the limit cannot pass
    data["result"] = "fail"
    assert "须填写检出的农药名称" in client.post(url, {**data, "pesticide": ""}).content.decode()
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    failed = Sample.objects.get(kind="residue")
    assert failed.number == f"NC{tested:%Y%m%d}-001" and failed.result_on == tested
    assert "毒死蜱" in failed.failing_items and failed.method == "quick"
    passed = {
        **data,
        "product": "菜心",
        "pesticide": "",
        "residue_value": "",
        "residue_limit": "",
        "result": "pass",
    }
    assert client.post(url, passed).status_code == 302
    # The list: counts, the failed ones by pesticide, the filter by market; the one-click trace.
    listing = client.get(reverse("inspections:residue_list"), {"market": market.pk})
    summary = listing.context["summary"]
    assert (summary["tested"], summary["failed"], summary["quick"]) == (2, 1, 2)
    assert summary["by_pesticide"] == [{"pesticide": "毒死蜱", "n": 1}]
    trace_url = reverse("ledgers:trace") + "?" + failed.residue_trace_query
    assert trace_url.replace("&", "&amp;") in client.get(failed.get_absolute_url()).content.decode()
    assert trace_url.replace("&", "&amp;") in listing.content.decode()
    traced = client.get(trace_url).content.decode()
    assert "东村惠农农资店" in traced and "菜农老王" in traced and "东村只卖化肥店" not in traced
    # A failed stall is due follow-up sampling (D6), like any failed sample.
    assert Sample.objects.filter(business=stall, kind="residue").count() == 2
    assert Sample.objects.get(product="菜心").follow_up_of == failed


def test_a6_a_residue_result_with_a_refused_test_day_is_an_error_not_a_crash(client, office, village):
    """A6: a test day out of range (or in the future) is said on the form, in Chinese."""
    stall = f.BusinessFactory(name="东村萝卜摊", village=village)
    client.force_login(office)
    data = {"business": stall.name, "product": "萝卜", "method": "quick", "result": "pass", "lab": "快检室"}
    data["quantity"] = "1份"
    for day in ("0001-01-01", "9999-12-31", (timezone.localdate() + datetime.timedelta(days=1)).isoformat()):
        response = client.post(reverse("inspections:residue_create"), {**data, "sampled_on": day})
        assert response.status_code == 200 and response.context["form"].errors["sampled_on"]


def test_c4_a_holiday_round_reports_units_checked_and_findings_by_kind(
    client, office, inspector, other_inspector, village
):
    """C4: the office opens a round of holiday-goods checks (holiday, dates); units checked in it are
    recorded with what was found by kind; the round's report counts units checked and findings by kind."""
    from inspections.models import HolidayCheckRound

    today = timezone.localdate()
    client.force_login(office)
    rounds = reverse("inspections:holiday_round_list")
    bad = {"holiday": "春节", "starts_on": today.isoformat(), "ends_on": (today - datetime.timedelta(days=1))}
    assert "结束日期不能早于开始日期" in client.post(rounds, bad).content.decode()
    opened = {"holiday": "春节", "starts_on": (today - datetime.timedelta(days=10)).isoformat()}
    opened["ends_on"] = (today + datetime.timedelta(days=10)).isoformat()
    assert client.post(rounds, opened).status_code == 302
    round_ = HolidayCheckRound.objects.get(holiday="春节")
    url = reverse("inspections:holiday_round", args=[round_.pk])
    units = [f.BusinessFactory(name=f"东村年货店{i}", village=village) for i in range(3)]
    day = today.isoformat()
    found = {"business": units[0].name, "checked_on": day, "price": "on", "bundling": "on"}
    assert "须填写问题及处理情况" in client.post(url, found).content.decode()
    assert client.post(url, {**found, "detail": "礼盒未标价、过度包装，责令整改"}).status_code == 302
    assert "已登记" in client.post(url, {**found, "detail": "再登记"}).content.decode()  # once per round
    early = {"business": units[1].name, "checked_on": (today - datetime.timedelta(days=20)).isoformat()}
    assert "须在本轮检查期间" in client.post(url, early).content.decode()
    assert client.post(url, {"business": units[1].name, "checked_on": day}).status_code == 302
    client.force_login(inspector)  # a village inspector records in the round too
    fake = {"business": units[2].name, "checked_on": day, "trademark": "on", "detail": "假冒商标白酒"}
    assert client.post(url, fake).status_code == 302
    client.force_login(office)
    report = client.get(url).context["report"]
    assert (report["checked"], report["with_findings"]) == (3, 2)
    assert {k: n for k, _label, n in report["kinds"]} == {
        "price": 1, "bundling": 1, "trademark": 1, "false_ad": 0, "fraud": 0, "expired": 0,
    }  # fmt: skip
    listed = client.get(rounds).context["page"].object_list[0]
    assert (listed.checked, listed.with_findings, listed.trademark) == (3, 2, 1)
    only = client.get(url, {"finding": "trademark"}).content.decode()
    assert "东村年货店2" in only and "东村年货店0" not in only
    assert "春节节日商品检查" in client.get(units[0].get_absolute_url()).content.decode()  # the unit's page
    client.force_login(other_inspector)  # another village's inspector: the round, none of these checks
    page = client.get(url)
    assert page.status_code == 200 and page.context["report"]["checked"] == 0
    assert "东村年货店" not in page.content.decode()
