"""Ledger entry rules (messages say what is wrong), flags, banned-product alerts (A4), audit rows."""

import datetime

import pytest
from auditlog.models import LogEntry

from ledgers.models import BannedProduct, LedgerAlert, LedgerEntry
from ledgers.services import LedgerLinesInvalid, banned_product_save
from tests import factories as f
from tests.factories_ledgers import TODAY, line, record


@pytest.fixture
def shop(db):
    return f.BusinessFactory(name="金丰农资店", category=f.category("agri"))


def errors_of(business, *lines):
    with pytest.raises(LedgerLinesInvalid) as info:
        record(business, *lines)
    return [(e.index, e.field, e.message) for e in info.value.line_errors]


def test_several_lines_saved_at_once_with_keys(shop):
    entries = record(
        shop,
        line(product="复合 肥", batch=" b 2401 "),
        line("out", days_ago=5, product="复合肥", batch="B2401", quantity="2"),
    )
    assert len(entries) == 2 and all(e.pk for e in entries)
    assert {e.product_key for e in entries} == {"复合肥"}
    assert {e.batch_key for e in entries} == {"B2401"}


def test_zero_and_negative_quantities_refused_nothing_saved(shop):
    errors = errors_of(shop, line(quantity="5"), line(quantity="0"), line(quantity="-3"))
    assert [(i, fld) for i, fld, _ in errors] == [(1, "quantity"), (2, "quantity")]
    assert "数量必须大于0" in errors[0][2]
    assert LedgerEntry.objects.count() == 0


def test_future_date_refused(shop):
    [(_index, field, message)] = errors_of(shop, line(days_ago=-1))
    assert field == "occurred_on" and "晚于今天" in message


def test_unknown_unit_refused_with_the_list_and_synonyms_read(shop):
    [(_, field, message)] = errors_of(shop, line(unit="坨"))
    assert field == "unit" and "坨" in message and "千克" in message
    [entry] = record(shop, line(unit="ＫＧ"))
    assert entry.unit == "千克"


def test_sale_before_any_purchase_of_product_and_batch_refused(shop):
    record(shop, line(days_ago=10, batch="B1"))
    [(_, field, message)] = errors_of(shop, line("out", days_ago=12, batch="B1"))
    assert field == "occurred_on" and "没有进货记录" in message and "B1" in message
    [(_, _, message)] = errors_of(shop, line("out", days_ago=5, batch="B2"))
    assert "批号 B2" in message
    # A purchase in the same submission, dated before the sale, is enough.
    entries = record(shop, line(days_ago=9, batch="B2"), line("out", days_ago=5, batch="B2"))
    assert len(entries) == 2


def test_producers_may_sell_what_they_make(db):
    workshop = f.BusinessFactory(category=f.category("workshop"))
    [entry] = record(workshop, line("out", product="豆腐", kind="food", unit="千克"))
    assert entry.direction == "out"


def test_purchase_needs_supplier_and_sale_needs_buyer(shop):
    errors = errors_of(shop, line(supplier_name=""), line("out", buyer_name=""))
    assert {(i, fld) for i, fld, _ in errors} >= {(0, "supplier_name"), (1, "buyer_name")}


def test_fertilizer_without_registration_number_flagged(shop):
    [entry] = record(shop, line(registration_number=""))
    assert entry.flag_no_registration and "缺登记证号" in entry.flags
    [ok] = record(shop, line())
    assert not ok.flag_no_registration
    [food] = record(shop, line(kind="food", product="大米", registration_number=""))
    assert not food.flag_no_registration


def test_purchase_without_certificate_or_invoice_flagged(shop):
    [entry] = record(shop, line(certificate_collected=False, invoice_collected=False, certificate_kind=""))
    assert entry.flag_no_certificate and entry.flag_no_invoice


def test_sale_past_expiry_flagged_using_the_batch_purchase(shop):
    record(
        shop,
        line(
            days_ago=60,
            kind="food",
            product="饼干",
            batch="E1",
            production_date=TODAY - datetime.timedelta(days=70),
            shelf_life_days=30,
        ),
    )
    [sale] = record(shop, line("out", days_ago=2, kind="food", product="饼干", batch="E1"))
    assert sale.expiry_date == TODAY - datetime.timedelta(days=40)
    assert sale.flag_expired_sale and "售出时已过期" in sale.flags


@pytest.mark.parametrize(
    "typed", ["甲胺磷", "40%甲胺磷乳油", "多灭磷", "脱 麦 隆", "ＭＥＴＨＡＭＩＤＯＰＨＯＳ"]
)
def test_banned_pesticide_alerts_lead_department(shop, typed):
    [entry] = record(shop, line(product=typed, kind="pesticide"))
    alert = LedgerAlert.objects.get(entry=entry)
    assert alert.banned_product.name == "甲胺磷"
    assert alert.department.code == "agri_office"
    assert typed in alert.message and shop.name in alert.message


def test_methyl_parathion_alias_is_not_taken_for_parathion(shop):
    [entry] = record(shop, line(product="甲基１６０５", kind="pesticide"))
    assert entry.product_key == "甲基对硫磷"
    assert LedgerAlert.objects.get(entry=entry).banned_product.name == "甲基对硫磷"
    [entry] = record(shop, line(product="1605", kind="pesticide"))
    assert LedgerAlert.objects.get(entry=entry).banned_product.name == "对硫磷"


def test_banned_only_within_effective_dates(shop):
    banned_product_save(
        product=BannedProduct(
            name="百草枯",
            aliases="克无踪",
            effective_from=TODAY - datetime.timedelta(days=5),
            kind="pesticide",
        )
    )
    before, after = record(
        shop,
        line(product="克无踪", kind="pesticide", days_ago=8),
        line(product="百草枯", kind="pesticide", days_ago=2),
    )
    assert not LedgerAlert.objects.filter(entry=before).exists()
    assert LedgerAlert.objects.filter(entry=after).exists()


def test_unbanned_product_raises_nothing(shop):
    record(shop, line(product="吡虫啉", kind="pesticide"))
    assert LedgerAlert.objects.count() == 0


def test_created_lines_are_on_the_audit_trail_with_the_actor(shop):
    user = f.UserFactory(username="clerk")
    entries = record(shop, line(), line(product="尿素"), user=user)
    logs = LogEntry.objects.get_for_objects(LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]))
    assert logs.count() == 2
    assert {log.actor_id for log in logs} == {user.pk}
    assert all(log.action == LogEntry.Action.CREATE for log in logs)


def test_supplier_in_the_roster_is_linked_by_credit_code_or_name(shop):
    wholesaler = f.BusinessFactory(
        name="东风农资批发部", category=f.category("agri"), credit_code=f.make_credit_code()
    )
    by_code, by_name = record(
        shop,
        line(supplier_name="批发部", supplier_code=wholesaler.credit_code.lower()),
        line(supplier_name="东风农资 批发部"),
    )
    assert by_code.supplier_business == wholesaler and by_name.supplier_business == wholesaler
