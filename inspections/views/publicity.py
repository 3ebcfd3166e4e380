"""一公开 (issue 25): a unit's public page behind its QR placard, the town's public results, and the office's
placard printing and code rotation.

The public pages are printed on every shop door, so they answer from the cache: the rendered page is kept
per code with the unit's version stamp (lib.stamps, touched by the services that change what it shows) and
the day it was built for; a hit costs two cache round trips and no query. Every request first passes a
per-address rate limit (lib.ratelimit) that answers a plain 429 page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.access import rule_required
from campaigns.filters import BusinessFilter
from lib import ratelimit, stamps

from .. import antispam, placards, selectors
from ..services import public_code_rotate, public_codes_ensure

# Placards in one PDF at most (a village's or a category's units are a few hundred).
MAX_PLACARDS = 600
UNKNOWN_CODE_TTL = 300  # an unknown code's 404 is remembered this long (random probes stay off the database)
TOWN_PAGE_TTL = 120
# Browsers and proxies ask again every time: a rotated code or a ban must show on the next scan, and a
# hit here costs no query anyway.
CACHE_CONTROL = "no-cache"


def _unit_key(code: str) -> str:
    return f"wuxiao:public:unit:{code}"


def _too_many(request) -> HttpResponse | None:
    """The per-address limit, before anything else is read."""
    if not ratelimit.exceeded(
        "public", antispam.client_hash(request), limit=settings.WUXIAO_PUBLIC_RATE_PER_MINUTE, window=60
    ):
        return None
    response = HttpResponse(
        render_to_string(
            "inspections/public_message.html",
            {
                "title": _("访问过于频繁"),
                "message": _("同一网络每分钟最多查询 %(n)d 次，请稍候一分钟再扫码查看。")
                % {"n": settings.WUXIAO_PUBLIC_RATE_PER_MINUTE},
            },
        ),
        status=429,
    )
    response["Retry-After"] = str(ratelimit.retry_after(60))
    return response


def _answer(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["html"], status=entry["status"])
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _build_unit_entry(code: str, day: str) -> dict:
    """Read the unit from the database and render its page (or the 已失效 / 不存在 notice)."""
    row = selectors.code_lookup(code)
    if row is None:
        html = render_to_string(
            "inspections/public_message.html",
            {"title": _("公示码不存在"), "message": _("未找到该公示码，请核对二维码或网址。")},
        )
        return {"bid": None, "status": 404, "html": html}
    stamp = stamps.read(stamps.PUBLIC_PAGE, row.business_id)  # before the reads: a write meanwhile wins
    if row.retired_at is not None:
        html = render_to_string(
            "inspections/public_message.html",
            {
                "title": _("此码已失效"),
                "message": _("该公示牌的二维码已被更换，请以店内张贴的最新公示牌为准。"),
                "gone": True,
            },
        )
        return {"bid": row.business_id, "status": 410, "html": html, "stamp": stamp, "day": day}
    unit = selectors.public_unit(row.business_id)
    if unit is None:  # pragma: no cover - a code's business is never deleted (PROTECT elsewhere)
        return {"bid": None, "status": 404, "html": ""}
    html = render_to_string(
        "inspections/public_unit.html", {"unit": unit, "public_town_code": unit.town_code}
    )
    return {"bid": row.business_id, "status": 200, "html": html, "stamp": stamp, "day": day}


@require_GET
def public_unit(request, code: str):
    """A unit's public page (no login): from the cache when its stamp and day still match."""
    refused = _too_many(request)
    if refused:
        return refused
    key = _unit_key(code)
    day = timezone.localdate().isoformat()
    entry = cache.get(key)
    if entry is not None:
        if entry["bid"] is None:
            return _answer(entry)
        if entry["day"] == day and entry["stamp"] == stamps.read(stamps.PUBLIC_PAGE, entry["bid"]):
            return _answer(entry)
    entry = _build_unit_entry(code, day)
    cache.set(key, entry, UNKNOWN_CODE_TTL if entry["bid"] is None else settings.WUXIAO_PUBLIC_PAGE_TTL)
    return _answer(entry)


@require_GET
def public_town(request):
    """The town's public results (一公开): spot checks, rectifications by category, typical cases."""
    refused = _too_many(request)
    if refused:
        return refused
    # Issue 24: one town's results (?town=CODE, the link on its units' pages), or a city's towns listed.
    code = request.GET.get("town", "")
    code = code.strip()[:30] if isinstance(code, str) else ""
    key = f"wuxiao:public:town:{timezone.localdate():%Y%m%d}:{code}"
    html = cache.get(key)
    if html is None:
        towns = selectors.public_towns()
        town = selectors.public_town_of(code, towns)
        if code and town is None:
            raise Http404
        html = render_to_string(
            "inspections/public_town.html",
            {
                "town": town.name if town is not None else "",
                "public_town_code": town.code if town is not None and len(towns) > 1 else "",
                "towns": towns if town is None else [],
                "spotchecks": list(selectors.published_results(town)[:10]),
                "by_category": selectors.rectifications_by_category(town),
                "closed": list(selectors.recently_closed(town=town)),
                # W5: the typical cases the office published
                "cases": list(selectors.published_cases(town)[:5]),
                "built_at": timezone.localtime(),
            },
        )
        cache.set(key, html, TOWN_PAGE_TTL)
    response = HttpResponse(html)
    response["Cache-Control"] = CACHE_CONTROL
    return response


# --- staff: placards and codes ------------------------------------------------------------------------------
def _pdf(placard_list, filename: str) -> HttpResponse:
    response = HttpResponse(placards.placard_sheet(placard_list), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@rule_required(access.can_print_placards)
@require_GET
def placard_sheet(request):
    """The roster's 打印公示牌: the placards of the units its filters select (a village, a category …)."""
    filterset = BusinessFilter(
        request.GET, queryset=selectors.placard_businesses(user=request.user), request=request
    )
    businesses = list(
        filterset.qs.order_by("village__order", "category__order", "name", "pk")[: MAX_PLACARDS + 1]
    )
    if not businesses or len(businesses) > MAX_PLACARDS:
        messages.error(
            request,
            _("没有可打印公示牌的经营单位（只为正常经营、整改中的单位打印）。")
            if not businesses
            else _("一次最多打印 %(n)d 张公示牌，请按村（社区）或类别筛选后再打印。") % {"n": MAX_PLACARDS},
        )
        return redirect(f"{reverse('campaigns:business_list')}?{request.GET.urlencode()}")
    codes = public_codes_ensure(business_ids=[b.pk for b in businesses])
    return _pdf(selectors.placards(businesses, codes), f"placards-{timezone.localdate():%Y%m%d}.pdf")


@rule_required(access.can_print_placards)
@require_GET
def placard_one(request, business_pk: int):
    """One unit's placard (its business page's 打印公示牌): reprint it after a grade change or a new code."""
    business = get_object_or_404(selectors.placard_businesses(user=request.user), pk=business_pk)
    codes = public_codes_ensure(business_ids=[business.pk])
    return _pdf(
        selectors.placards([business], codes), f"placard-{business.pk}-{timezone.localdate():%Y%m%d}.pdf"
    )


@rule_required(access.can_rotate_public_code)
@require_POST
def public_code_rotate_view(request, business_pk: int):
    """Retire the unit's code (old placards then say 此码已失效) and issue a new one to print."""
    business = get_object_or_404(selectors.placard_businesses(user=request.user), pk=business_pk)
    try:
        public_code_rotate(business=business, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已更换公示码：旧公示牌已失效，请打印新的公示牌张贴。"))
    return redirect(business)
