"""W4 help records (疏堵结合) and their report; B5 the processing site; B3 the green channel."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import GreenChannel, HelpRecord, ProcessingSite
from campaigns.services import green_channel_save, help_record_add
from tests import factories as f
from tests.factories_dashboard import campaign

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


def _help(business, kind="chain", **extra):
    extra.setdefault("partner", "美宜佳连锁")
    return help_record_add(record=HelpRecord(business=business, kind=kind, given_on=DAY, **extra))


def test_w4_report_counts_helped_and_banned_per_village_and_category(client, office, village, other_village):
    campaign()
    _help(f.BusinessFactory(village=village))
    _help(f.BusinessFactory(village=village), kind="distribution", partner="镇粮油配送中心")
    f.BusinessFactory(village=village, status="banned")
    f.BusinessFactory(village=other_village, status="banned", category=f.category("workshop"))
    client.force_login(office)
    response = client.get(reverse("dashboard:help_vs_banned"))
    cells = {(c.village.name, c.category.code): (c.helped, c.banned) for c in response.context["cells"]}
    assert cells == {("东村", "grocery"): (2, 1), ("西村", "workshop"): (0, 1)}
    assert response.context["helped"] == 2 and response.context["banned"] == 2


def test_w4_report_drills_into_the_roster(client, office, village):
    campaign()
    helped = f.BusinessFactory(name="东村受帮扶士多店", village=village)
    f.BusinessFactory(name="东村未帮扶士多店", village=village)
    _help(helped)
    client.force_login(office)
    page = client.get(
        reverse("campaigns:business_list"), {"helped": "yes", "village": village.pk}
    ).content.decode()
    assert "东村受帮扶士多店" in page and "东村未帮扶士多店" not in page


def test_w4_report_is_scoped_and_constant_in_queries(client, inspector, village, other_village,
                                                     django_assert_max_num_queries):  # fmt: skip
    campaign()
    _help(f.BusinessFactory(village=other_village))
    _help(f.BusinessFactory(village=village))
    client.force_login(inspector)
    with django_assert_max_num_queries(12) as small:
        response = client.get(reverse("dashboard:help_vs_banned"))
    assert response.context["helped"] == 1  # the other village's help is not the inspector's
    for _ in range(9):
        _help(f.BusinessFactory(village=village))
        f.BusinessFactory(village=village, status="banned")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("dashboard:help_vs_banned"))
    assert response.context["helped"] == 10 and response.context["banned"] == 9


def test_w4_chain_needs_a_partner():
    with pytest.raises(ValidationError, match="连锁企业"):
        _help(f.BusinessFactory(), partner="")


def test_b5_moving_to_the_site_needs_the_site_and_marks_the_unit_moved(village):
    workshop = f.BusinessFactory(village=village, category=f.category("workshop"))
    with pytest.raises(ValidationError, match="哪个加工场"):
        _help(workshop, kind="concentration", partner="")
    site = ProcessingSite.objects.create(name="东风镇小作坊集中加工场", village=village, unified_testing=True)
    _help(workshop, kind="concentration", partner="", site=site)
    workshop.refresh_from_db()
    assert workshop.status == "moved" and site.help_records.get().business == workshop


def test_b5_site_page_lists_units_moved_there(client, office, village):
    site = ProcessingSite.objects.create(name="东风镇小作坊集中加工场", village=village)
    _help(f.BusinessFactory(name="东村豆腐坊", village=village, category=f.category("workshop")),
          kind="concentration", partner="", site=site)  # fmt: skip
    client.force_login(office)
    assert "东村豆腐坊" in client.get(site.get_absolute_url()).content.decode()


def test_b3_green_channel_moves_a_workshop_to_licensed(client, office, village):
    workshop = f.BusinessFactory(village=village, category=f.category("workshop"))
    client.force_login(office)
    response = client.post(
        reverse("campaigns:green_channel_save", args=[workshop.pk]),
        {
            "gc-stage": "applied",
            "gc-applied_on": "2026-06-01",
            "gc-guided_on": "2026-06-10",
            "gc-licensed_on": "2026-07-20",
        },
    )
    assert response.status_code == 302
    channel = GreenChannel.objects.get(business=workshop)
    assert channel.stage == "licensed" and channel.licensed_on == datetime.date(2026, 7, 20)


def test_b3_green_channel_is_for_workshops_only(village):
    with pytest.raises(ValidationError, match="小作坊"):
        green_channel_save(channel=GreenChannel(business=f.BusinessFactory(village=village), applied_on=DAY))
