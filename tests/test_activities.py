"""The work register: one Activity shape for E3, W5, D3, O2, O4/U2, P2, E7, O5, F5, B2, D5 and feed checks;
each kind's rule, the per-kind report, the list's FilterSet and the public list of typical cases (W5)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.choices import ACTIVITY_REQUIREMENT, ActivityKind
from inspections.models import Activity
from inspections.services import activity_save
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


def _activity(kind, businesses=None, **extra):
    extra.setdefault("title", "记录")
    return activity_save(activity=Activity(kind=kind, held_on=DAY, **extra), businesses=businesses)


def test_every_kind_cites_its_requirement():
    assert set(ACTIVITY_REQUIREMENT) == set(ActivityKind)
    assert ACTIVITY_REQUIREMENT[ActivityKind.TRAINING] == "E3"
    assert ACTIVITY_REQUIREMENT[ActivityKind.ADVERT] == "D3"
    assert ACTIVITY_REQUIREMENT[ActivityKind.LICENCE_REISSUE] == "B2"
    assert ACTIVITY_REQUIREMENT[ActivityKind.DRUG_OUTLET_CHECK] == "D5"


def test_d3_an_illegal_advert_names_its_endorser_and_where_it_was_referred():
    with pytest.raises(ValidationError, match="代言人类型"):
        _activity(ActivityKind.ADVERT, title="某药品广告")
    ad = _activity(
        ActivityKind.ADVERT, title="专家作证的保健品广告", endorser="expert", referred_to="工商分局"
    )
    assert ad.get_endorser_display() == "专家" and ad.requirement == "D3"


def test_e7_a_criminal_referral_has_its_organ_and_case_number(village):
    with pytest.raises(ValidationError) as exc:
        _activity(ActivityKind.CRIMINAL_REFERRAL, title="制售病害肉")
    assert set(exc.value.message_dict) == {"referred_to", "case_number"}
    shop = f.BusinessFactory(village=village, category=f.category("restaurant"))
    referral = _activity(
        ActivityKind.CRIMINAL_REFERRAL,
        [shop],
        title="制售病害肉",
        referred_to="市公安局",
        case_number="公刑2026-18",
    )
    assert list(shop.activities.all()) == [referral]


def test_o4_u2_supervision_is_by_stage_and_area(village):
    with pytest.raises(ValidationError, match="阶段"):
        _activity(ActivityKind.SUPERVISION, village=village)
    assert (
        _activity(ActivityKind.SUPERVISION, village=village, phase="P1").get_phase_display() == "整改实施阶段"
    )


def test_o2_village_group_work_names_its_village(village):
    with pytest.raises(ValidationError, match="村（社区）"):
        _activity(ActivityKind.VILLAGE_GROUP)
    assert _activity(ActivityKind.VILLAGE_GROUP, village=village).village == village


def test_p2_a_self_summary_is_a_departments_or_a_villages(village):
    with pytest.raises(ValidationError, match="部门或村"):
        _activity(ActivityKind.SELF_SUMMARY)
    assert _activity(ActivityKind.SELF_SUMMARY, department=f.department("aic")).requirement == "P2"


def test_w5_only_exposed_typical_cases_are_published(client):
    with pytest.raises(ValidationError, match="典型案例"):
        _activity(ActivityKind.PUBLICITY, published=True)
    _activity(ActivityKind.EXPOSURE, title="曝光：某作坊使用工业明胶", content="已取缔。", published=True)
    _activity(ActivityKind.EXPOSURE, title="尚未公布的案例")
    _activity(ActivityKind.PUBLICITY, title="张贴海报200份", participants=200)
    page = client.get(reverse("inspections:exposure_public")).content.decode()  # no login
    assert "某作坊使用工业明胶" in page and "尚未公布" not in page and "海报" not in page


def test_e3_f5_trainings_and_annual_inspection_are_counted_by_kind(client, office, village):
    slaughter = f.BusinessFactory(village=village, category=f.category("slaughter"))
    _activity(ActivityKind.TRAINING, title="餐饮从业人员培训", participants=45, village=village)
    _activity(ActivityKind.TRAINING, [slaughter], title="屠宰检验检疫技能培训", participants=12)
    _activity(ActivityKind.ANNUAL_INSPECTION, [slaughter], title="定点屠宰场年检")
    _activity(ActivityKind.FEED_CHECK, title="饲料添加剂经营检查")
    client.force_login(office)
    response = client.get(reverse("inspections:activity_list"))
    counts = {row["kind"]: row["n"] for row in response.context["summary"]}
    assert counts == {"training": 2, "annual_inspection": 1, "feed_check": 1}
    filtered = client.get(reverse("inspections:activity_list"), {"kind": "training"}).context["page"]
    assert {a.title for a in filtered.object_list} == {"餐饮从业人员培训", "屠宰检验检疫技能培训"}


def test_activity_list_is_scoped_and_constant_in_queries(client, inspector, village, other_village,
                                                         django_assert_max_num_queries):  # fmt: skip
    _activity(ActivityKind.TRAINING, village=village)
    _activity(ActivityKind.TRAINING, title="西村培训", village=other_village)
    client.force_login(inspector)
    with django_assert_max_num_queries(14) as small:
        response = client.get(reverse("inspections:activity_list"))
    assert [a.village for a in response.context["page"].object_list] == [village]
    for _ in range(12):
        _activity(ActivityKind.PUBLICITY, [f.BusinessFactory(village=village)], village=village)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("inspections:activity_list"))
    assert len(response.context["page"].object_list) == 13


def test_an_inspector_records_village_work_but_cannot_publish(client, inspector, village):
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:activity_create"),
        {
            "kind": "village_group",
            "held_on": "2026-06-01",
            "title": "村专项整治小组会议",
            "village": village.pk,
            "published": "on",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.recorded_by == inspector and not activity.published


def test_outsiders_get_404_on_a_record(client, other_inspector, village):
    activity = _activity(ActivityKind.TRAINING, village=village)
    client.force_login(other_inspector)
    assert client.get(activity.get_absolute_url()).status_code == 404


def test_w5_published_cases_are_on_the_towns_public_results_page(client):
    """Issue 25: the town's public results list the typical cases the office chose to expose (W5)."""
    cache.clear()  # the town page is cached for the day: build it from this test's rows, leave none behind
    _activity(ActivityKind.EXPOSURE, title="曝光：某作坊使用工业明胶", content="已取缔。", published=True)
    _activity(ActivityKind.EXPOSURE, title="尚未公布的案例")
    page = client.get(reverse("public:town")).content.decode()  # no login
    assert "某作坊使用工业明胶" in page and "尚未公布" not in page
    assert reverse("inspections:exposure_public") in page
    cache.clear()
