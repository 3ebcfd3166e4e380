"""Per-business ledger metrics (G2, C2, E1's third rate): one query for many businesses."""

import datetime

import pytest
from django.test import override_settings

from campaigns.models import Business
from ledgers.selectors import keeps_ledger_exists, ledger_rates, ledger_summary, with_ledger_metrics
from tests import factories as f
from tests.factories_ledgers import TODAY, line, record


@pytest.fixture
def shops(db):
    grocery = f.category("grocery")
    keeping = f.BusinessFactory(name="有账店", category=grocery)
    stale = f.BusinessFactory(name="旧账店", category=grocery)
    none = f.BusinessFactory(name="无账店", category=grocery)
    record(
        keeping,
        line(days_ago=3, kind="food", product="大米"),
        line(days_ago=4, kind="food", product="花生油", certificate_collected=False, certificate_kind=""),
        line(days_ago=5, kind="food", product="酱油"),
        line(days_ago=6, kind="food", product="饼干", invoice_collected=False),
    )
    record(stale, line(days_ago=45, kind="food", product="大米"))
    return keeping, stale, none


def test_keeps_ledger_within_the_window(shops):
    rows = {b.name: b for b in with_ledger_metrics(Business.objects.all(), as_of=TODAY)}
    assert rows["有账店"].keeps_ledger and rows["有账店"].ledger_recent == 4
    assert not rows["旧账店"].keeps_ledger and rows["旧账店"].ledger_last_on == TODAY - datetime.timedelta(
        days=45
    )
    assert not rows["无账店"].keeps_ledger and rows["无账店"].ledger_last_on is None
    wider = {
        b.name: b.keeps_ledger for b in with_ledger_metrics(Business.objects.all(), as_of=TODAY, window=60)
    }
    assert wider == {"有账店": True, "旧账店": True, "无账店": False}


def test_window_comes_from_the_setting(shops):
    with override_settings(WUXIAO_LEDGER_WINDOW_DAYS=50):
        assert set(
            Business.objects.filter(keeps_ledger_exists("", as_of=TODAY)).values_list("name", flat=True)
        ) == {
            "有账店",
            "旧账店",
        }


def test_certificate_rate_counts_purchases_with_both_documents(shops):
    summary = ledger_summary(shops[0], as_of=TODAY)
    assert (summary["purchases_recent"], summary["purchases_documented"]) == (4, 2)
    assert str(summary["certificate_rate"]) == "50.0"
    assert summary["flagged_recent"] == 2 and summary["keeps_ledger"]
    assert summary["url"].endswith(f"/ledgers/business/{shops[0].pk}/")
    assert ledger_summary(shops[2], as_of=TODAY)["certificate_rate"] is None


def test_rates_over_many_businesses(shops):
    totals = ledger_rates(Business.objects.all(), as_of=TODAY)
    assert totals["businesses"] == 3 and totals["keeping"] == 1
    assert str(totals["keeping_rate"]) == "33.3"
    assert (totals["purchases"], totals["documented"]) == (4, 2)
    assert str(totals["certificate_rate"]) == "50.0"
    assert totals["documents_complete"] == 0


def test_metrics_are_one_query_whatever_the_number_of_businesses(shops, django_assert_num_queries):
    # One query, and one more for the towns that set their own window (issue 24) unless `window` is given.
    with django_assert_num_queries(2):
        assert len(list(with_ledger_metrics(Business.objects.all(), as_of=TODAY))) == 3
    for i in range(5):
        b = f.BusinessFactory(category=f.category("grocery"))
        record(b, line(days_ago=i + 1, kind="food", product=f"大米{i}"))
    with django_assert_num_queries(2):
        assert len(list(with_ledger_metrics(Business.objects.all(), as_of=TODAY))) == 8
    with django_assert_num_queries(1):
        assert len(list(with_ledger_metrics(Business.objects.all(), as_of=TODAY, window=30))) == 8
    with django_assert_num_queries(3):
        assert ledger_rates(Business.objects.all(), as_of=TODAY)["keeping"] == 6


def test_g2_snippet_for_the_visit_checklist_renders_the_summary(shops):
    from django.template.loader import render_to_string

    html = render_to_string(
        "ledgers/includes/g2_summary.html", {"ledger": ledger_summary(shops[0], as_of=TODAY)}
    )
    assert "索证索票率 50.0%" in html and ledger_summary(shops[0])["url"] in html
