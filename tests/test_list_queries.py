"""Every list page costs the same number of queries whatever its length (issue 15, lib.lists).

Each case renders its list with a few rows, then with many more, and requires the same number of queries:
not "at most", the same — a list that gains a query per row, or per page of rows, fails. The lists that had
no such test before (samples, draws, ledger alerts, bulletins, acceptance records) are here with the rest.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard.models import AcceptanceRecord, Bulletin
from inspections.choices import SampleKind, TipOffStatus
from inspections.models import Sample, SpotCheckDraw
from tests import factories as f
from tests.factories_dashboard import campaign
from tests.factories_enforcement import TipOffFactory, UnlicensedCaseFactory
from tests.factories_inspections import inspect
from tests.factories_ledgers import line, record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _samples(n, office, village):
    pharmacy = f.BusinessFactory(village=village, category=f.category("pharmacy"))
    bureau = f.department("city_drug")
    for _ in range(n):
        i = Sample.objects.count()
        Sample.objects.create(
            number=f"CY-{i:04d}",
            business=pharmacy,
            kind=SampleKind.HERBAL,
            product="当归饮片",
            quantity="1袋",
            lab="市药品检验所",
            bureau=bureau,
            sampled_on=TODAY,
            created_by=office,
        )


def _draws(n, office, village):
    for _ in range(n):
        i = SpotCheckDraw.objects.count()
        SpotCheckDraw.objects.create(
            title=f"第{i}次抽查", planned_on=TODAY, seed=i, size=0, created_by=office, digest="0" * 64
        )


def _alerts(n, office, village):
    shop = f.BusinessFactory(village=village, category=f.category("agri"))
    for _ in range(n):
        record(shop, line(product="甲胺磷", kind="pesticide", unit="瓶"), today=TODAY)


def _bulletins(n, office, village):
    current = campaign()
    for _ in range(n):
        i = Bulletin.objects.count() + 1
        day = TODAY - datetime.timedelta(days=100 - i)
        bulletin = Bulletin(campaign=current, number=i, period_start=day, period_end=day, created_by=office)
        bulletin.file.save(f"b{i}.docx", ContentFile(b"x"), save=False)
        bulletin.save()


def _acceptance(n, office, village):
    current = campaign()
    for _ in range(n):
        AcceptanceRecord.objects.create(
            campaign=current,
            kind="village",
            village=f.VillageFactory(),
            checked_on=TODAY,
            conclusion="pass",
            created_by=office,
        )


def _visits(n, office, village):
    shop = f.BusinessFactory(village=village)
    for _ in range(n):
        inspect(shop, office, day=TODAY)


def _tipoffs(n, office, village):
    for _ in range(n):
        TipOffFactory(status=TipOffStatus.RECEIVED)


def _cases(n, office, village):
    for _ in range(n):
        UnlicensedCaseFactory(business=f.BusinessFactory(village=village))


def _users(n, office, village):
    for _ in range(n):
        f.user_with_role("inspector", f"u{f.UserFactory._meta.model.objects.count()}", village=village)


def _inbox(n, office, village):
    from notifications.models import Message

    for i in range(n):
        Message.objects.create(user=office, title=f"消息{i}", body="")


def _green_channel(n, office, village):
    from campaigns.models import GreenChannel

    for _ in range(n):
        GreenChannel.objects.create(
            business=f.BusinessFactory(village=village, category=f.category("workshop")), applied_on=TODAY
        )


def _temporary(n, office, village):
    for _ in range(n):
        f.LicenceFactory(
            business=f.BusinessFactory(village=village),
            licence_type=f.licence_type("business"),
            state="temporary",
            rectify_by=TODAY,
        )


def _village_groups(n, office, village):
    from campaigns.models import VillageGroupMember

    for _ in range(n):
        VillageGroupMember.objects.create(
            village=f.VillageFactory(), name=f"组员{VillageGroupMember.objects.count()}", role="member"
        )


def _reissues(n, office, village):
    from campaigns.models import LicenceReissue

    workshop = f.category("workshop")
    for _ in range(n):
        LicenceReissue.objects.create(
            business=f.BusinessFactory(
                village=village, category=workshop, subtypes=list(workshop.subtypes.all()[:2])
            ),
            licence_type=f.licence_type("quality_commitment"),
            recalled_on=TODAY,
        )


def _residues(n, office, village):
    from campaigns.models import Market

    market = Market.objects.get_or_create(village=village, name="列表测试市场")[0]
    for _ in range(n):
        i = Sample.objects.count()
        Sample.objects.create(
            number=f"NC-{i:04d}",
            business=f.BusinessFactory(village=village, market=market),
            kind=SampleKind.RESIDUE,
            method="quick",
            product="菜心",
            pesticide="毒死蜱" if i % 2 else "",
            result="fail" if i % 2 else "pass",
            result_on=TODAY,
            failing_items="毒死蜱" if i % 2 else "",
            quantity="1份",
            lab="快检室",
            sampled_on=TODAY,
            created_by=office,
        )


def _drug_sales(n, office, village):
    from campaigns.models import SubType
    from inspections.models import DrugSaleFinding

    zone = SubType.objects.get(category__code="grocery", code="industrial_zone")
    for i in range(n):
        DrugSaleFinding.objects.create(
            business=f.BusinessFactory(village=f.VillageFactory() if i % 2 else village, subtypes=[zone]),
            kind="unlicensed" if i % 2 else "affiliated",
            affiliated_with="某药房",
            goods="感冒药",
            referred_to=f.department("city_drug"),
        )


def _holiday_round():
    from inspections.models import HolidayCheckRound

    return HolidayCheckRound.objects.get_or_create(
        holiday="春节", starts_on=TODAY - datetime.timedelta(days=5), ends_on=TODAY
    )[0]


def _holiday_checks(n, office, village):
    from inspections.models import HolidayCheck

    round_ = _holiday_round()
    for i in range(n):
        HolidayCheck.objects.create(
            round=round_, business=f.BusinessFactory(village=village), checked_on=TODAY, price=bool(i % 2)
        )


def _holiday_rounds(n, office, village):
    from inspections.models import HolidayCheck, HolidayCheckRound

    for _ in range(n):
        i = HolidayCheckRound.objects.count()
        round_ = HolidayCheckRound.objects.create(
            holiday=f"节日{i}", starts_on=TODAY - datetime.timedelta(days=5), ends_on=TODAY
        )
        HolidayCheck.objects.create(round=round_, business=f.BusinessFactory(village=village), fraud=True)


LISTS = {
    "samples": ("inspections:sample_list", _samples),
    "draws": ("inspections:draw_list", _draws),
    "alerts": ("ledgers:alerts", _alerts),
    "bulletins": ("dashboard:bulletin_list", _bulletins),
    "acceptance": ("dashboard:acceptance_list", _acceptance),
    "visits": ("inspections:visit_list", _visits),
    "orders": ("inspections:order_list", _visits),
    "tipoffs": ("inspections:tipoff_list", _tipoffs),
    "cases": ("inspections:case_list", _cases),
    "users": ("accounts:user_list", _users),
    "inbox": ("notifications:inbox", _inbox),
    "green_channel": ("campaigns:green_channel_list", _green_channel),  # B3
    "temporary_licences": ("campaigns:temporary_licences", _temporary),  # E6
    "village_groups": ("campaigns:village_groups", _village_groups),  # O2
    "reissues": ("campaigns:reissue_progress", _reissues),  # B2
    "residues": ("inspections:residue_list", _residues),  # A6
    "drug_sales": ("inspections:drug_sale_list", _drug_sales),  # D5
    "holiday_rounds": ("inspections:holiday_round_list", _holiday_rounds),  # C4
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_does_not_change_with_its_length(name, office, village, client):
    url_name, grow = LISTS[name]
    client.force_login(office)
    url = reverse(url_name)
    grow(3, office, village)
    _count(client, url)  # warm the per-process caches (content types, the current campaign)
    few = _count(client, url)
    grow(60, office, village)  # more than a page
    many = _count(client, url)
    assert many == few, f"{name}: {few} queries with a few rows, {many} with many"


def test_a_holiday_rounds_checks_cost_the_same_queries_whatever_their_number(office, village, client):
    """C4: the round's page (report and checks) at two lengths."""
    client.force_login(office)
    _holiday_checks(3, office, village)
    url = reverse("inspections:holiday_round", args=[_holiday_round().pk])
    _count(client, url)
    few = _count(client, url)
    _holiday_checks(60, office, village)
    assert _count(client, url) == few
