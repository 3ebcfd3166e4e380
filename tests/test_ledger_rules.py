"""The ledger line rules at their edges (issue 22, mutation testing of ledgers/services.py).

What a sale may follow (the first purchase of its product and batch, from the database and from the same
submission; a sale without a batch follows any batch), the expiry a sale takes from its batch's purchases
(the latest one: C4 售出时已过期, on its day and the day after), the flags of a line (A4 登记证号,
C2 索证索票: purchases only), the banned list's matching (A4: longest name wins, an empty key matches
nothing) and the messages in full.
"""

import datetime

import pytest

from ledgers.models import BannedProduct
from ledgers.services import (
    LedgerLinesInvalid,
    LineError,
    banned_matcher,
    future_date_message,
    ledger_lines_build,
)
from tests import factories as f
from tests.factories_ledgers import TODAY, line, record

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta
BISCUIT = {"kind": "food", "product": "饼干", "unit": "袋"}


@pytest.fixture
def shop(db):
    return f.BusinessFactory(name="金丰农资店", category=f.category("agri"))


def errors_of(business, *lines):
    with pytest.raises(LedgerLinesInvalid) as info:
        record(business, *lines)
    return info.value


# --- the sale follows the first purchase (A3: no sale before the business bought it) ---------------


def test_a_sale_on_the_day_of_the_first_purchase_is_allowed_and_the_day_before_refused(shop):
    record(shop, line(days_ago=10, batch="B1"))
    [sale] = record(shop, line("out", days_ago=10, batch="B1"))
    assert sale.pk
    invalid = errors_of(shop, line("out", days_ago=11, batch="B1"))
    assert [(e.index, e.field, e.message) for e in invalid.line_errors] == [
        (
            0,
            "occurred_on",
            f"“复合肥（批号 B1）”在 {(TODAY - DAYS(11)).isoformat()} 之前没有进货记录，"
            "不能先销售后进货；请先登记进货。",
        )
    ]


def test_the_refusal_of_a_sale_without_batch_names_the_product_alone(shop):
    invalid = errors_of(shop, line("out", days_ago=3))
    [error] = invalid.line_errors
    assert error.message == (
        f"“复合肥”在 {(TODAY - DAYS(3)).isoformat()} 之前没有进货记录，不能先销售后进货；请先登记进货。"
    )
    # The ValidationError carries the same messages as the line errors (the import and the form show them).
    assert invalid.messages == [error.message]


def test_a_sale_without_batch_follows_a_purchase_of_any_batch(shop):
    record(shop, line(days_ago=10, batch="B1"))
    [sale] = record(shop, line("out", days_ago=5))
    assert sale.pk and sale.batch_key == ""


def test_the_earliest_purchase_counts_whether_saved_or_in_the_same_submission(shop):
    # Saved: batch B1 thirty days ago. Submitted with the sale: batch B2 five days ago. A sale (any batch)
    # twenty days ago follows the earlier of the two, whichever order they are read in.
    record(shop, line(days_ago=30, batch="B1"))
    entries = record(shop, line(days_ago=5, batch="B2"), line("out", days_ago=20))
    assert len(entries) == 2
    # And the other way round: the earlier purchase in the submission, the later one saved.
    other = f.BusinessFactory(category=f.category("agri"))
    record(other, line(days_ago=5, batch="B2"))
    entries = record(other, line(days_ago=30, batch="B1"), line("out", days_ago=20))
    assert len(entries) == 2


def test_the_earliest_of_two_saved_purchases_of_different_batches_counts(shop):
    record(shop, line(days_ago=30, batch="B1"), line(days_ago=5, batch="B2"))
    [sale] = record(shop, line("out", days_ago=20))
    assert sale.pk
    # Batch B2 itself was bought five days ago only.
    invalid = errors_of(shop, line("out", days_ago=20, batch="B2"))
    assert [e.field for e in invalid.line_errors] == ["occurred_on"]


def test_a_purchase_without_a_date_is_reported_not_taken_for_the_sales_purchase(shop):
    invalid = errors_of(shop, line(occurred_on=None), line("out", days_ago=5))
    fields = [(e.index, e.field) for e in invalid.line_errors]
    assert (0, "occurred_on") in fields
    assert (1, "occurred_on") in fields  # the undated purchase is no purchase before the sale


def test_another_businesss_purchases_do_not_count(shop):
    record(f.BusinessFactory(category=f.category("agri")), line(days_ago=30))
    invalid = errors_of(shop, line("out", days_ago=5))
    assert [e.field for e in invalid.line_errors] == ["occurred_on"]


# --- the expiry a sale takes from its batch (C4) ----------------------------------------------------


def test_a_sale_takes_the_latest_expiry_of_its_batch_saved_and_submitted(shop):
    record(shop, line(days_ago=60, batch="E1", expiry_date=TODAY - DAYS(10), **BISCUIT))
    _purchase, sale = record(
        shop,
        line(days_ago=30, batch="E1", expiry_date=TODAY + DAYS(30), **BISCUIT),
        line("out", days_ago=2, batch="E1", **BISCUIT),
    )
    assert sale.expiry_date == TODAY + DAYS(30)
    assert not sale.flag_expired_sale


def test_a_sale_takes_a_submitted_expiry_when_the_saved_purchase_had_none(shop):
    record(shop, line(days_ago=60, batch="E1", **BISCUIT))
    _, sale = record(
        shop,
        line(days_ago=30, batch="E1", expiry_date=TODAY - DAYS(5), **BISCUIT),
        line("out", days_ago=2, batch="E1", **BISCUIT),
    )
    assert sale.expiry_date == TODAY - DAYS(5)
    assert sale.flag_expired_sale


def test_a_submitted_purchase_without_expiry_keeps_the_saved_one(shop):
    record(shop, line(days_ago=60, batch="E1", expiry_date=TODAY - DAYS(5), **BISCUIT))
    _, sale = record(
        shop,
        line(days_ago=30, batch="E1", **BISCUIT),
        line("out", days_ago=2, batch="E1", **BISCUIT),
    )
    assert sale.expiry_date == TODAY - DAYS(5)
    assert sale.flag_expired_sale


def test_a_sale_without_batch_takes_no_expiry(shop):
    record(shop, line(days_ago=60, batch="E1", expiry_date=TODAY - DAYS(10), **BISCUIT))
    [sale] = record(shop, line("out", days_ago=2, **BISCUIT))
    assert sale.expiry_date is None
    assert not sale.flag_expired_sale


def test_a_sale_keeps_its_own_expiry(shop):
    record(shop, line(days_ago=60, batch="E1", expiry_date=TODAY - DAYS(10), **BISCUIT))
    [sale] = record(shop, line("out", days_ago=2, batch="E1", expiry_date=TODAY + DAYS(9), **BISCUIT))
    assert sale.expiry_date == TODAY + DAYS(9)
    assert not sale.flag_expired_sale


def test_sold_on_its_expiry_day_is_not_expired_the_day_after_is(shop):
    expires = TODAY - DAYS(5)
    record(shop, line(days_ago=60, batch="E1", expiry_date=expires, **BISCUIT))
    on_the_day, day_after = record(
        shop,
        line("out", days_ago=5, batch="E1", **BISCUIT),
        line("out", days_ago=4, batch="E1", **BISCUIT),
    )
    assert on_the_day.expiry_date == expires and not on_the_day.flag_expired_sale
    assert day_after.flag_expired_sale


def test_a_sale_takes_its_batchs_expiry_from_the_purchases_not_from_earlier_sales(shop):
    # A saved sale of the batch typed a later expiry of its own; the next sale still takes the purchase's.
    record(shop, line(days_ago=60, batch="E1", expiry_date=TODAY - DAYS(10), **BISCUIT))
    record(shop, line("out", days_ago=20, batch="E1", expiry_date=TODAY + DAYS(30), **BISCUIT))
    [sale] = record(shop, line("out", days_ago=2, batch="E1", **BISCUIT))
    assert sale.expiry_date == TODAY - DAYS(10)
    assert sale.flag_expired_sale


def test_the_expiry_needs_both_the_production_date_and_the_shelf_life(shop):
    made = TODAY - DAYS(20)
    only_made, only_shelf_life, both = record(
        shop,
        line(days_ago=10, production_date=made, **BISCUIT),
        line(days_ago=10, shelf_life_days=30, **BISCUIT),
        line(days_ago=10, production_date=made, shelf_life_days=30, **BISCUIT),
    )
    assert (only_made.expiry_date, only_shelf_life.expiry_date) == (None, None)
    assert both.expiry_date == made + DAYS(30)


# --- the flags of a line (A4, C2) -----------------------------------------------------------------


def test_an_expired_purchase_is_no_expired_sale(shop):
    [purchase] = record(shop, line(days_ago=5, expiry_date=TODAY - DAYS(20), **BISCUIT))
    assert purchase.flag_expired_sale is False


def test_a_sale_is_never_flagged_for_certificate_or_invoice(shop):
    record(shop, line(days_ago=10))
    [sale] = record(shop, line("out", days_ago=5, certificate_collected=False, invoice_collected=False))
    assert (sale.flag_no_certificate, sale.flag_no_invoice) == (False, False)
    assert sale.certificate_kind == ""


def test_certificate_and_invoice_are_flagged_each_on_its_own(shop):
    no_certificate, no_invoice = record(
        shop,
        line(certificate_collected=False, certificate_kind=""),
        line(invoice_collected=False),
    )
    assert (no_certificate.flag_no_certificate, no_certificate.flag_no_invoice) == (True, False)
    assert (no_invoice.flag_no_certificate, no_invoice.flag_no_invoice) == (False, True)


def test_a_pesticide_without_registration_number_is_flagged_a_whitespace_number_too(shop):
    [blank] = record(shop, line(kind="pesticide", product="吡虫啉", registration_number="  "))
    assert blank.flag_no_registration is True
    assert blank.registration_number == ""


def test_flags_are_set_on_the_built_unsaved_lines(shop):
    [built] = ledger_lines_build(
        business=shop, lines=[line(registration_number="", invoice_collected=False)], today=TODAY
    )
    assert built.pk is None
    flags = (built.flag_no_registration, built.flag_no_invoice, built.flag_no_certificate)
    assert flags == (True, True, False)


# --- the banned list (A4) and the messages --------------------------------------------------------


def banned(name: str, **dates) -> BannedProduct:
    return BannedProduct(name=name, name_key=name, kind="pesticide", **dates)


def test_the_longest_banned_name_contained_in_the_key_wins_whatever_the_list_order():
    day = TODAY
    short = banned("对硫磷", effective_from=day - DAYS(1))
    long = banned("甲基对硫磷", effective_from=day - DAYS(1))
    for listed in ([short, long], [long, short]):
        match = banned_matcher(listed)
        assert match("40%甲基对硫磷乳油", day) is long
        assert match("对硫磷", day) is short
        assert match("吡虫啉", day) is None


def test_a_banned_product_matches_from_its_first_day_and_not_after_its_last():
    start, end = TODAY - DAYS(10), TODAY
    paraquat = banned("百草枯", effective_from=start, effective_to=end)
    match = banned_matcher([paraquat])
    assert match("百草枯", start - DAYS(1)) is None
    assert match("百草枯", start) is paraquat
    assert match("百草枯", end) is paraquat
    assert match("百草枯", end + DAYS(1)) is None


def test_a_banned_product_with_an_empty_key_matches_nothing():
    empty = BannedProduct(name="", name_key="", effective_from=TODAY - DAYS(1), kind="pesticide")
    assert banned_matcher([empty])("复合肥", TODAY) is None


def test_the_banned_list_is_read_from_the_database_by_default():
    names = {p.name for p in BannedProduct.objects.all()}
    assert "甲胺磷" in names  # the five of DOMAIN are seeded by a migration
    assert banned_matcher()("甲胺磷", TODAY).name == "甲胺磷"


def test_the_future_date_message_names_both_days(shop):
    assert future_date_message(datetime.date(2026, 3, 21), TODAY) == (
        "日期 2026-03-21 晚于今天（2026-03-20），台账不能登记未来的日期。"
    )
    invalid = errors_of(shop, line(days_ago=-1))
    assert invalid.line_errors == [LineError(0, "occurred_on", future_date_message(TODAY + DAYS(1), TODAY))]
