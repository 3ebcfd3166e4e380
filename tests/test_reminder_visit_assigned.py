"""Issue 8, "spot-check visits assigned": a draw (P2 随机抽查) tells each drawn inspector of their visit once,
in-app always and by email as they chose, planned with the draw and sent after it commits; the same hook
(inspections.reminders.announce_visit_assigned) serves any visit assigned by someone else."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from inspections.choices import VisitKind
from inspections.models import Visit
from inspections.reminders import announce_visit_assigned, announce_visits_assigned
from inspections.services import visit_start
from lib.gongwen import cn_date
from notifications.choices import ReminderKind
from notifications.models import ChannelPreference, Message, Reminder
from notifications.services import publish_sweep, reminders_sweep
from tests import factories as f
from tests import test_spotcheck_service as spotchecks

make = spotchecks.make
town = spotchecks.town  # the spot-check tests' fixture: three villages, four shops each, four inspectors

pytestmark = pytest.mark.django_db


def assigned(kind=ReminderKind.SPOT_CHECK_ASSIGNED):
    return Reminder.objects.filter(kind=kind)


def test_each_drawn_inspector_is_told_once_with_a_link_to_the_visit(office, town):
    draw = make(office, town)
    pairs = list(draw.pairs.select_related("visit", "business").prefetch_related("inspectors"))
    expected = {(p.visit.pk, u.pk) for p in pairs for u in p.inspectors.all()}
    rows = list(assigned())
    assert {(r.object_id, r.recipient_id) for r in rows} == expected
    assert len(rows) == len(expected) == 12  # 6 visits × 2 inspectors, one row each
    assert all(r.sent_at is None for r in rows)  # planned with the draw, sent by the sweep
    assert reminders_sweep().sent == 12
    assert reminders_sweep().sent == 0  # a second sweep sends nothing more
    pair = pairs[0]
    message = Message.objects.get(user=pair.inspectors.first(), link=pair.visit.get_absolute_url())
    assert message.kind == ReminderKind.SPOT_CHECK_ASSIGNED
    assert pair.business.name in message.title and draw.title in message.body
    assert f"{cn_date(draw.planned_on)}" in message.body
    others = [u for u in pair.inspectors.all() if u != message.user]
    assert f"同组人员：{others[0].username}" in message.body
    assert not Message.objects.filter(user=office).exists()  # the office drew; it needs no reminder


def test_announcing_again_adds_nothing(office, town):
    draw = make(office, town)
    visits = [p.visit for p in draw.pairs.select_related("visit")]
    assert announce_visits_assigned(visits, by=office) == 0
    assert assigned().count() == 12


def test_the_draw_enqueues_one_sweep_on_commit(office, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        make(office, town)
    assert [c for c in callbacks if c is publish_sweep] == [publish_sweep]


def test_a_draw_rolled_back_leaves_no_reminder(office, town):
    with pytest.raises(RuntimeError), transaction.atomic():
        make(office, town)
        assert assigned().count() == 12
        raise RuntimeError
    assert not Reminder.objects.exists()


def test_email_goes_as_each_inspector_chose_in_app_always(office, town):
    with_email, without = town["inspectors"][0], town["inspectors"][1]
    with_email.email = "zhang@example.cn"
    with_email.save()
    ChannelPreference.objects.create(
        user=town["inspectors"][2], kind=ReminderKind.SPOT_CHECK_ASSIGNED, email=False
    )
    town["inspectors"][2].email = "li@example.cn"
    town["inspectors"][2].save()
    make(office, town)
    reminders_sweep()
    assert Message.objects.filter(user=without).exists()  # no address: in-app only
    recipients = {address for m in mail.outbox for address in m.to}
    assert recipients == {"zhang@example.cn"}  # li switched email off for spot-check assignments
    assert all(m.subject.startswith("【五小整治】随机抽查任务") for m in mail.outbox)


def test_a_redraw_cancels_the_withdrawn_visits_unsent_reminders(office, town):
    first = make(office, town)
    old_visits = set(first.pairs.values_list("visit_id", flat=True))
    second = make(office, town, redraw_of=first, reason="名单有误", seed=7)
    cancelled = Reminder.objects.filter(object_id__in=old_visits, cancelled_at__isnull=False)
    assert cancelled.count() == 12 and all("已重新抽取" in r.cancel_reason for r in cancelled)
    result = reminders_sweep()
    assert result.dropped == 0 and result.sent == 12
    sent_about = set(Message.objects.values_list("link", flat=True))
    assert sent_about == {p.visit.get_absolute_url() for p in second.pairs.select_related("visit")}
    assert not Visit.objects.filter(pk__in=old_visits).exists()


def test_a_redraw_tells_those_already_told_that_their_visit_is_off_once(office, town):
    first = make(office, town)
    reminders_sweep()
    make(office, town, redraw_of=first, reason="名单有误", seed=7)
    assert reminders_sweep().sent == 24  # 12 withdrawals, 12 new assignments
    withdrawn = Message.objects.filter(title__startswith="检查任务已撤回")
    assert withdrawn.count() == 12 and all(m.link == "" for m in withdrawn)
    assert all("“第三季度随机抽查”已重新抽取" in m.body and "无需前往" in m.body for m in withdrawn)
    assert reminders_sweep().sent == 0


def test_an_assigned_visit_deleted_behind_the_services_back_is_dropped_with_a_log_line(office, town, caplog):
    draw = make(office, town)
    visit = draw.pairs.select_related("visit").first().visit
    draw.pairs.filter(visit=visit).update(visit=None)
    Visit.objects.filter(pk=visit.pk).delete()
    with caplog.at_level(logging.INFO, logger="notifications.services"):
        result = reminders_sweep()
    assert result.dropped == 2 and result.sent == 10
    assert "对象已删除" in caplog.text


def test_announcing_costs_the_same_queries_for_few_or_many_visits(
    office, town, django_assert_max_num_queries
):
    draw = make(office, town, count=12)
    visits = [p.visit for p in draw.pairs.select_related("visit")]
    Reminder.objects.all().delete()
    with django_assert_max_num_queries(6):
        assert announce_visits_assigned(visits[:2], by=office) == 4
    with django_assert_max_num_queries(6):
        assert announce_visits_assigned(visits, by=office) == 20


def test_any_visit_assigned_by_someone_else_is_a_general_assignment(
    office, inspector, other_inspector, village
):
    shop = f.BusinessFactory(village=village, name="东村举报店")
    visit = visit_start(business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=[inspector, office])
    assert announce_visit_assigned(visit) == 1  # the office assigned it: only the inspector is told
    row = assigned(ReminderKind.VISIT_ASSIGNED).get()
    assert row.recipient == inspector
    assert row.title.startswith("检查任务已分派：东村举报店（举报核查")
    assert row.url == reverse("inspections:visit_detail", args=[visit.pk])
    visit.inspectors.add(other_inspector)
    assert announce_visit_assigned(visit) == 1  # a companion added later: only the newcomer
    assert set(assigned(ReminderKind.VISIT_ASSIGNED).values_list("recipient__username", flat=True)) == {
        inspector.username,
        other_inspector.username,
    }


def test_an_inactive_inspector_is_not_told(office, inspector, village):
    shop = f.BusinessFactory(village=village)
    inspector.is_active = False
    inspector.save()
    visit = visit_start(business=shop, user=office, kind=VisitKind.TIPOFF, inspectors=[inspector])
    assert announce_visit_assigned(visit) == 0


def test_a_drawn_inspector_opens_the_link_and_submits_the_visit_in_another_village(client, office, town):
    from tests.test_inspections_views import form_data

    draw = make(office, town)
    reminders_sweep()
    pair = draw.pairs.select_related("visit__business").first()
    drawn = next(u for u in pair.inspectors.all() if u.roles.first().kind == "inspector")
    assert drawn.roles.first().village_id != pair.business.village_id  # drawn outside their village
    message = Message.objects.get(user=drawn, link=pair.visit.get_absolute_url())
    client.force_login(drawn)
    page = client.post(reverse("notifications:open", args=[message.pk]), follow=True)
    assert page.status_code == 200 and reverse("inspections:visit_edit", args=[pair.visit.pk]) in (
        page.content.decode()
    )
    edit = reverse("inspections:visit_edit", args=[pair.visit.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, form_data(pair.visit))
    assert response.status_code == 302
    pair.visit.refresh_from_db()
    assert pair.visit.status == "submitted"


def test_an_inspector_not_drawn_still_gets_404_outside_their_village(client, office, town):
    draw = make(office, town)
    pair = draw.pairs.select_related("visit__business").first()
    team = {u.pk for u in pair.inspectors.all()}
    outsider = next(
        u
        for u in town["inspectors"]
        if u.pk not in team
        and u.roles.first().kind == "inspector"
        and u.roles.first().village_id != pair.business.village_id
    )
    client.force_login(outsider)
    assert client.get(pair.visit.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:visit_edit", args=[pair.visit.pk])).status_code == 404


def test_a_drawn_inspector_finds_the_assigned_visit_in_their_own_list(client, office, town):
    draw = make(office, town)
    pair = draw.pairs.select_related("visit__business").first()
    drawn = next(u for u in pair.inspectors.all() if u.roles.first().kind == "inspector")
    client.force_login(drawn)
    page = client.get(reverse("inspections:visit_list"), {"mine": "1"}).content.decode()
    assert pair.business.name in page
    home = drawn.roles.first().village_id
    elsewhere = {s.name for s in town["shops"] if s.village_id != home}
    assigned = set(Visit.objects.filter(inspectors=drawn).values_list("business__name", flat=True))
    assert {name for name in elsewhere if name in page} == assigned & elsewhere  # theirs, no one else's
