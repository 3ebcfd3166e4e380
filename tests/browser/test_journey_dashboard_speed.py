"""Journey: the time to a usable dashboard on a repeat visit (issue 20); ECharts fetched only where a
chart is shown.

ECharts is 1 MB. In production whitenoise serves it under its hashed name with a far-future, immutable
Cache-Control (tests/test_static_caching.py checks that), so a leader opening the dashboard again draws the
charts from the browser's cache. The test server serves static files without that header; this journey adds
the same header to them, visits the dashboard twice and checks the second visit did not fetch ECharts again.
It records first contentful paint and "charts drawn" (a performance mark set by dashboard.js) for both visits
in bench/out/browser.json, with the load average; `python -m bench.report --browser` writes them into
docs/benchmarks.md. Timings are recorded, never asserted.
"""

import datetime
import json
import os
import platform
import time

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.factories_dashboard import campaign

from .people import person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What whitenoise sends for a hashed static name (WhiteNoise.FOREVER, immutable).
PRODUCTION_CACHE_CONTROL = "max-age=315360000, public, immutable"

TIMINGS_JS = """
() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const drawn = performance.getEntriesByName('wuxiao-charts-drawn')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const echarts = performance.getEntriesByType('resource').filter(e => e.name.includes('echarts'));
  return {
    fcp_ms: fcp ? Math.round(fcp.startTime) : null,
    charts_drawn_ms: drawn ? Math.round(drawn.startTime) : null,
    html_ms: nav ? Math.round(nav.responseEnd) : null,
    echarts_bytes_transferred: echarts.reduce((n, e) => n + e.transferSize, 0),
    echarts_entries: echarts.length,
  };
}
"""


@pytest.fixture
def static_cached_as_in_production(monkeypatch) -> list[str]:
    """Static files served with production's Cache-Control; returns the paths the server was asked for."""
    serve = StaticFilesHandler.serve
    served: list[str] = []

    def serve_cached(self, request):
        served.append(request.path)
        response = serve(self, request)
        response["Cache-Control"] = PRODUCTION_CACHE_CONTROL
        return response

    monkeypatch.setattr(StaticFilesHandler, "serve", serve_cached)
    return served


def _town(village):
    today = timezone.localdate()
    campaign(starts_on=today - datetime.timedelta(days=60), ends_on=today + datetime.timedelta(days=120))
    for i in range(6):
        shop = f.BusinessFactory(name=f"东村第{i + 1}士多店", village=village)
        if i % 2:
            f.licensed(shop)


def _echarts(served: list[str]) -> list[str]:
    return [p for p in served if "echarts" in p]


def test_repeat_visit_draws_the_charts_without_fetching_echarts_again(
    live_server, desktop, login, shot, village, static_cached_as_in_production
):
    _town(village)
    person("leader", "ye_leader", "叶创新")
    load_before = os.getloadavg()

    page = login(desktop, "ye_leader")  # leadership lands on the dashboard
    expect(page.locator("html[data-charts-drawn]")).to_have_count(1)
    first = page.evaluate(TIMINGS_JS)
    # the first visit downloads it
    assert len(_echarts(static_cached_as_in_production)) == 1 and first["echarts_bytes_transferred"] > 100_000

    page.goto(live_server.url + "/dashboard/")
    expect(page.locator("html[data-charts-drawn]")).to_have_count(1)
    expect(page.locator("#chart-rates svg")).to_have_count(1)
    repeat = page.evaluate(TIMINGS_JS)
    shot(page, "01-dashboard-repeat-visit")
    # From the browser's cache: the server was not asked again, nothing came over the network.
    assert len(_echarts(static_cached_as_in_production)) == 1
    assert repeat["echarts_bytes_transferred"] == 0, repeat

    out = {
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "database": os.environ.get("DATABASE_URL", "sqlite").split(":")[0],
        "first_visit": first,
        "repeat_visit": repeat,
    }
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "out")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "browser.json"), "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=2)


def test_a_phone_fetches_echarts_only_when_the_charts_are_asked_for(
    live_server, phone, login, village, static_cached_as_in_production
):
    _town(village)
    person("leader", "ye_leader", "叶创新")

    page = login(phone, "ye_leader")
    expect(page.locator("#summary")).to_contain_text("项中已达标")
    # the charts are folded away on a phone: nothing to draw, nothing fetched
    assert _echarts(static_cached_as_in_production) == []
    page.get_by_role("button", name="查看图表").click()
    expect(page.locator("html[data-charts-drawn]")).to_have_count(1)
    expect(page.locator("#chart-rates svg")).to_have_count(1)
    assert len(_echarts(static_cached_as_in_production)) == 1
