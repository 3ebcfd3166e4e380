"""Random spot checks end to end (P2 双随机一公开): recorded draw, assigned visits, verify, redraw, the public
results page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.choices import DrawStatus, VisitKind, VisitStatus
from inspections.models import SpotCheckDraw, SpotCheckPair, Visit
from inspections.services import spotchecks as services
from tests import factories as f
from tests.factories_inspections import visit_input

pytestmark = pytest.mark.django_db
RESULTS = reverse("inspections:spotcheck_results_public")


@pytest.fixture
def town(village, other_village):
    third = f.VillageFactory(name="南村", code="nancun")
    shops = [
        f.BusinessFactory(
            name=f"{v.name}店{i}", village=v, operator=f"经营者{v.name}{i}", phone="13800000000"
        )
        for v in (village, other_village, third)
        for i in range(4)
    ]
    inspectors = [
        f.user_with_role("inspector", f"insp_{v.code}", village=v) for v in (village, other_village, third)
    ]
    inspectors.append(f.user_with_role("department", "aic_staff", department=f.department("aic")))
    return {"shops": shops, "inspectors": inspectors, "villages": [village, other_village, third]}


def make(office, town, **kwargs):
    params = {
        "user": office,
        "title": "第三季度随机抽查",
        "pool_users": town["inspectors"],
        "planned_on": timezone.localdate() + datetime.timedelta(days=3),
        "count": 6,
        "seed": 42,
    }
    params.update(kwargs)
    return services.spotcheck_draw(**params)


def test_draw_records_inputs_and_assigns_random_visits(office, town):
    draw = make(office, town)
    assert draw.seed == 42 and draw.size == 6 and len(draw.population) == 12 and len(draw.pool) == 4
    pairs = list(draw.pairs.prefetch_related("inspectors").select_related("visit", "business"))
    assert len(pairs) == 6
    homes = {u.pk: u.roles.first().village_id for u in town["inspectors"]}
    for pair in pairs:
        assert pair.visit.kind == VisitKind.RANDOM and pair.visit.status == VisitStatus.DRAFT
        team = {u.pk for u in pair.inspectors.all()}
        assert set(pair.visit.inspectors.values_list("pk", flat=True)) == team
        assert len(team) == 2 and all(homes[u] != pair.business.village_id for u in team)
    teams = [frozenset(u.pk for u in p.inspectors.all()) for p in pairs]
    assert len(set(teams)) == 6


def test_draw_is_not_refused_by_checks_the_office_scheduled_for_others(office, town, monkeypatch):
    """A tip-off check the office scheduled for an inspector is that inspector's draft, not the office's:
    a draw that picks the business anyway (the draft was started after the population was read, or the
    population rule changes) makes a new random visit beside it instead of refusing the draw."""
    from campaigns.models import Business
    from inspections.services import visit_start

    monkeypatch.setattr(services, "population_queryset", lambda **kw: Business.objects.active())
    checks = {
        shop.pk: visit_start(
            business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=[town["inspectors"][0]]
        )
        for shop in town["shops"]
    }
    draw = make(office, town)
    for pair in draw.pairs.select_related("visit"):
        assert pair.visit.kind == VisitKind.RANDOM and pair.visit != checks[pair.business_id]
    assert Visit.objects.filter(kind=VisitKind.TIPOFF).count() == len(town["shops"])


def test_same_seed_same_draw_and_verify_recomputes(office, town):
    first = make(office, town, title="甲")
    ok, replay = services.draw_verify(first)
    assert ok and replay == first.result
    # Tampering with the record is caught by the replay and the digest.
    SpotCheckDraw.objects.filter(pk=first.pk).update(seed=43)
    first.refresh_from_db()
    assert services.draw_verify(first)[0] is False


def test_criteria_filter_the_population(office, town):
    draw = make(office, town, villages=[town["villages"][0]], count=None, percentage=50)
    assert draw.size == 2
    assert {p.business.village for p in draw.pairs.all()} == {town["villages"][0]}


def test_draw_larger_than_population_is_refused_and_nothing_saved(office, town):
    with pytest.raises(ValidationError, match="超过符合条件的经营单位数（12 家）"):
        make(office, town, count=13)
    assert not SpotCheckDraw.objects.exists() and not Visit.objects.exists()


def test_pool_too_small_is_refused(office, town):
    with pytest.raises(ValidationError, match="检查人员库只有 1 人"):
        make(office, town, pool_users=town["inspectors"][:1])
    assert not Visit.objects.exists()


def test_redraw_is_a_new_recorded_draw_and_withdraws_untouched_drafts(office, town):
    old = make(office, town)
    old_visits = list(Visit.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        make(office, town, redraw_of=old, reason="")
    new = make(office, town, redraw_of=old, reason="原定检查日期遇台风", seed=7)
    old.refresh_from_db()
    assert old.status == DrawStatus.SUPERSEDED and new.redraw_of == old
    assert not Visit.objects.filter(pk__in=old_visits).exists()
    assert old.pairs.count() == 6 and not old.pairs.filter(visit__isnull=False).exists()
    assert Visit.objects.count() == 6
    with pytest.raises(ValidationError, match="已被重新抽取过"):
        make(office, town, redraw_of=old, reason="再来一次")


def test_redraw_refused_once_a_visit_was_submitted(office, town):
    old = make(office, town)
    pair = old.pairs.select_related("visit").first()
    inspector = pair.inspectors.first()
    from inspections import services as visit_services

    visit_services.visit_submit(visit=pair.visit, user=inspector, data=visit_input(pair.visit))
    with pytest.raises(ValidationError, match="已有检查提交"):
        make(office, town, redraw_of=old, reason="想换人")
    old.refresh_from_db()
    assert old.status == DrawStatus.ACTIVE


def test_public_results_show_only_submitted_and_nothing_personal(client, office, town):
    draw = make(office, town)
    pairs = list(draw.pairs.select_related("visit", "business"))
    done = pairs[0]
    inspector = done.inspectors.first()
    inspector.first_name = "罗志伟"
    inspector.save()
    from inspections import services as visit_services

    visit_services.visit_submit(visit=done.visit, user=inspector, data=visit_input(done.visit))
    body = client.get(RESULTS).content.decode()  # no login
    assert done.business.name in body and "合格" in body
    for other in pairs[1:]:
        assert other.business.name not in body  # not submitted: not published
    for private in ("罗志伟", done.business.operator, "13800000000", str(draw.seed)):
        assert private not in body


def test_draw_pages_office_only_and_verify_view(client, office, leader, inspector, town):
    draw = make(office, town)
    client.force_login(inspector)
    assert client.get(reverse("inspections:draw_list")).status_code == 404
    assert client.get(draw.get_absolute_url()).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("inspections:draw_create")).status_code == 404
    body = client.get(draw.get_absolute_url(), {"verify": 1}).content.decode()
    assert "复核一致" in body


def test_draw_through_the_form(client, office, town):
    client.force_login(office)
    response = client.post(
        reverse("inspections:draw_create"),
        {
            "title": "表单抽取",
            "count": 20,
            "pool": [u.pk for u in town["inspectors"]],
            "team_size": 2,
            "planned_on": timezone.localdate().isoformat(),
        },
    )
    assert "超过符合条件的经营单位数（12 家）" in response.content.decode()
    assert not SpotCheckDraw.objects.exists()
    response = client.post(
        reverse("inspections:draw_create"),
        {
            "title": "表单抽取",
            "percentage": "25",
            "pool": [u.pk for u in town["inspectors"]],
            "team_size": 2,
            "planned_on": timezone.localdate().isoformat(),
        },
    )
    draw = SpotCheckDraw.objects.get()
    assert response["Location"] == draw.get_absolute_url() and draw.size == 3
    assert SpotCheckPair.objects.filter(draw=draw, visit__kind=VisitKind.RANDOM).count() == 3


def test_results_page_query_count_does_not_grow(client, office, town, django_assert_max_num_queries):
    from inspections import services as visit_services

    draw = make(office, town, count=8)
    pairs = list(draw.pairs.select_related("visit"))

    def submit(ps):
        for p in ps:
            visit_services.visit_submit(visit=p.visit, user=office, data=visit_input(p.visit))

    submit(pairs[:2])
    with django_assert_max_num_queries(6) as small:
        client.get(RESULTS)
    submit(pairs[2:])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(RESULTS)


def test_verify_draw_command(office, town):
    from django.core.management import CommandError, call_command

    draw = make(office, town)
    call_command("verify_draw", draw.pk)
    SpotCheckDraw.objects.filter(pk=draw.pk).update(result=[])
    with pytest.raises(CommandError, match="复核不一致"):
        call_command("verify_draw")
