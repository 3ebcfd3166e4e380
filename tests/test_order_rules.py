"""Rectification orders' own rules, each asserted directly (issue 22: mutation testing found them untested).

The number's town prefix (GB/T 9704-2012 发文字号, DOMAIN §8), and a business leaving 整改中 only when its
last open order is closed (P1 整改实施; E2 return checks start from the close)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns.choices import BusinessStatus
from inspections import services
from inspections.choices import OrderStatus
from inspections.services.orders import _number
from lib import stamps
from tests import factories as f
from tests.factories_inspections import at, inspect

TODAY = datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("town", "number"),
    [
        ("东风镇", "东风责改〔2026〕7号"),  # 镇 dropped from the issuer's short name
        ("东风街道", "东风街道责改〔2026〕7号"),  # anything else kept whole
        ("镇", "责改〔2026〕7号"),
        ("新镇东镇", "新镇东责改〔2026〕7号"),  # only the final 镇
    ],
)
def test_order_number_carries_the_town_short_name(town, number):
    # DOMAIN §8: 发文字号 "东风责改〔2026〕7号", the year in 六角括号, no padding.
    assert _number(town_name=town, year=2026, sequence=7) == number


def test_issued_order_number_starts_with_the_town_of_the_business(db, village, inspector):
    # DOMAIN §8: the number issued through the service uses the business's own town (测试镇 → 测试).
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    visit = inspect(shop, inspector, day=TODAY, fails=("C2-1",))
    assert village.town.name == "测试镇"
    assert visit.orders_issued.get().number == "测试责改〔2026〕1号"


def test_business_stays_rectifying_until_its_last_open_order_is_closed(db, village, inspector):
    # P1: 整改中 until every open order is put right; closing one of two leaves it 整改中.
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    first = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=20), fails=("C2-1",))
    second = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=10), fails=("C4-2",))
    one, two = first.orders_issued.get(), second.orders_issued.get()
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING
    services.rectification_close(order=one, visit=second, on=TODAY)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.RECTIFYING  # the second order is still open
    services.rectification_close(order=two, visit=second, on=TODAY)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.OPERATING
    one.refresh_from_db()
    assert one.status == OrderStatus.CLOSED and one.closed_on == TODAY


def test_a_business_not_rectifying_is_left_as_it_is_on_close(db, village, inspector):
    # P1: closing an order never revives a business that was banned meanwhile (B4 取缔).
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=20), fails=("C2-1",))
    order = visit.orders_issued.get()
    shop.status = BusinessStatus.BANNED
    shop.save(update_fields=["status"])
    services.rectification_close(order=order, visit=visit, on=TODAY)
    shop.refresh_from_db()
    assert shop.status == BusinessStatus.BANNED


def test_order_issued_directly_goes_to_the_categorys_lead_department_with_no_text(db, village, inspector):
    # O3: the order belongs to the lead department of the business's category (groceries: 工商分局);
    # an order issued with no written requirements carries none (not a placeholder).
    from inspections.services.orders import order_issue

    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    visit = services.visit_start(business=shop, user=inspector, started_at=at(TODAY))
    before = stamps.read(stamps.PUBLIC_PAGE, shop.pk)
    order = order_issue(
        visit=visit, items=[], deadline=TODAY + datetime.timedelta(days=7), issued_on=TODAY, user=inspector
    )
    assert stamps.read(stamps.PUBLIC_PAGE, shop.pk) != before  # the public page lists open orders (P1)
    assert order.department == f.department("aic")
    assert order.requirements_text == ""
    assert order.number == "测试责改〔2026〕1号" and order.sequence == 1
    # the written requirements are kept as given; numbers run per year and start again at 1
    later = order_issue(
        visit=visit,
        items=[],
        deadline=datetime.date(2027, 1, 20),
        issued_on=datetime.date(2027, 1, 5),
        user=inspector,
        requirements_text="限期建立食品进货台账",
    )
    assert later.requirements_text == "限期建立食品进货台账"
    assert (later.year, later.sequence, later.number) == (2027, 1, "测试责改〔2027〕1号")
    again = order_issue(
        visit=visit, items=[], deadline=TODAY + datetime.timedelta(days=7), issued_on=TODAY, user=inspector
    )
    assert (again.sequence, again.number) == (2, "测试责改〔2026〕2号")


def test_closing_and_escalating_mark_the_public_page_stale_and_record_the_day(db, village, inspector):
    # P1: the unit's public page (一公开) shows open orders, so closing or escalating one makes it stale;
    # an escalated order records the day, like a closed one (E2 counts from it).
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    first = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=20), fails=("C2-1",))
    second = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=10), fails=("C4-2",))
    one, two = first.orders_issued.get(), second.orders_issued.get()
    before = stamps.read(stamps.PUBLIC_PAGE, shop.pk)
    services.rectification_close(order=one, visit=second, on=TODAY)
    after_close = stamps.read(stamps.PUBLIC_PAGE, shop.pk)
    assert after_close != before
    services.rectification_escalate(order=two, visit=second, on=TODAY)
    assert stamps.read(stamps.PUBLIC_PAGE, shop.pk) != after_close
    two.refresh_from_db()
    assert two.status == OrderStatus.ESCALATED and two.closed_on == TODAY and two.closed_by == second


# --- moving a deadline: every refusal in full, the issue day as a boundary (issue 8) -------------------


def reschedule_refusal(order, deadline, reason="经营者申请延期"):
    with pytest.raises(ValidationError) as caught:
        services.rectification_reschedule(
            order=order, deadline=deadline, user=None, reason=reason, today=TODAY
        )
    return caught.value


@pytest.fixture
def open_order(db, village, inspector, office):
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    visit = inspect(shop, inspector, day=TODAY - datetime.timedelta(days=10), fails=("C2-1",))
    return visit.orders_issued.get()  # issued 2026-02-20, due 2026-03-06


def test_reschedule_refusals_in_full(open_order, office):
    # issue 8: the clerk reads the whole sentence, with the date that bounds the new deadline.
    assert reschedule_refusal(open_order, TODAY - datetime.timedelta(days=11)).message_dict == {
        "deadline": ["新的整改期限不能早于下达日期（2026-02-20）。"]
    }
    assert reschedule_refusal(open_order, TODAY - datetime.timedelta(days=1)).message_dict == {
        "deadline": [
            "新的整改期限不能早于今天（2026-03-02）；已过期限的整改请按逾期督办，不要改成过去的日期。"
        ]
    }
    assert reschedule_refusal(open_order, open_order.deadline).message_dict == {
        "deadline": ["新的整改期限与原期限（2026-03-06）相同。"]
    }
    for blank in ("", "  ", None):
        assert reschedule_refusal(
            open_order, TODAY + datetime.timedelta(days=9), reason=blank
        ).message_dict == {"reason": ["请填写调整原因（将记入通知书的期限调整记录）。"]}
    services.rectification_close(order=open_order, visit=open_order.visit, on=TODAY)
    assert reschedule_refusal(open_order, TODAY + datetime.timedelta(days=9)).messages == [
        f"该通知书已{OrderStatus.CLOSED.label}，不能再调整整改期限。"
    ]


def test_reschedule_to_the_issue_day_itself_is_allowed_when_that_is_today(db, village, inspector, office):
    # issue 8: the new deadline may be the issue day (not before it), here also today.
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    order = inspect(shop, inspector, day=TODAY, fails=("C2-1",)).orders_issued.get()
    change = services.rectification_reschedule(
        order=order, deadline=TODAY, user=office, reason="当场整改完毕前的最后期限", today=TODAY
    )
    assert change.deadline == TODAY and change.previous_deadline == TODAY + datetime.timedelta(days=14)
    order.refresh_from_db()
    assert order.deadline == order.reinspection_due_on == TODAY


def test_issuing_and_rescheduling_mark_the_public_page_stale(db, village, inspector, office):
    # P1: the public page (一公开) lists open orders with their deadlines.
    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    f.licensed(shop)
    before = stamps.read(stamps.PUBLIC_PAGE, shop.pk)
    order = inspect(shop, inspector, day=TODAY, fails=("C2-1",)).orders_issued.get()
    issued = stamps.read(stamps.PUBLIC_PAGE, shop.pk)
    assert issued != before
    services.rectification_reschedule(
        order=order, deadline=TODAY + datetime.timedelta(days=20), user=office, reason="延期", today=TODAY
    )
    assert stamps.read(stamps.PUBLIC_PAGE, shop.pk) != issued


@pytest.mark.parametrize(("failures", "saved"), [(1, True), (4, True), (5, False)])
def test_a_number_taken_meanwhile_is_retried_up_to_five_times(
    db, village, inspector, monkeypatch, failures, saved
):
    # DOMAIN §8: numbers are unique per year; an order that lost the race for a number (IntegrityError on
    # save) takes the next one, five attempts in all, then the error goes up.
    from django.db import IntegrityError

    from inspections.models import RectificationOrder
    from inspections.services.orders import order_issue

    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    visit = services.visit_start(business=shop, user=inspector, started_at=at(TODAY))
    real_save = RectificationOrder.save
    calls = []

    def racing_save(self, *args, **kwargs):
        calls.append(self.sequence)
        if len(calls) <= failures:
            raise IntegrityError("UNIQUE constraint failed: year, sequence")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(RectificationOrder, "save", racing_save)

    def issue():
        return order_issue(
            visit=visit,
            items=[],
            deadline=TODAY + datetime.timedelta(days=7),
            issued_on=TODAY,
            user=inspector,
        )

    if saved:
        assert issue().number == "测试责改〔2026〕1号"
        assert len(calls) == failures + 1
    else:
        with pytest.raises(IntegrityError):
            issue()
        assert len(calls) == 5


def test_a_number_another_order_took_meanwhile_is_retried_not_refused(db, village, inspector, monkeypatch):
    # DOMAIN §8: between reading the year's last number and saving, another order may take the next one;
    # the database's unique (year, sequence) refuses it and the order takes the following number. The
    # model's own checks must not refuse it first (a ValidationError would not be retried).
    from django.db.models.query import QuerySet

    from inspections.models import RectificationOrder
    from inspections.services.orders import order_issue

    shop = f.BusinessFactory(village=village, category=f.category("grocery"))
    visit = services.visit_start(business=shop, user=inspector, started_at=at(TODAY))

    def issue():
        return order_issue(
            visit=visit,
            items=[],
            deadline=TODAY + datetime.timedelta(days=7),
            issued_on=TODAY,
            user=inspector,
        )

    assert issue().sequence == 1
    real_aggregate = QuerySet.aggregate
    stale = [{"m": 0}]  # the first read happened before the other order was committed

    def aggregate(self, *args, **kwargs):
        if self.model is RectificationOrder and stale:
            return stale.pop()
        return real_aggregate(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", aggregate)
    assert issue().number == "测试责改〔2026〕2号"
