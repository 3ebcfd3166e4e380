"""The site's menu, declared once: every entry names its page (a URL name) and the access rule that opens
it, and the menu a user sees is those entries whose rule holds for them, evaluated per request.

A link and its permission therefore cannot disagree: the view of each page checks the same rule (a 404
otherwise), `tests/test_nav.py` requests every entry as every role (shown ⇒ 200, hidden ⇒ 404), and the
browser page walk (`tests/browser/test_pages_walk.py`) visits every entry a role is shown, at phone and
desktop width. A new page in the menu is one `Entry` here, nothing else.

It names pages of every app by their URL names only and every rule is in accounts.access, so accounts
imports no other app for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import access

Rule = Callable[[object], bool]


@dataclass(frozen=True)
class Entry:
    """One page of the menu: its label, URL name, the rule that opens it and an icon (Bootstrap Icons).

    `also` lists further path prefixes under which the entry is the current one (a ranking page under
    验收与排名)."""

    label: str
    url_name: str
    rule: Rule
    icon: str
    also: tuple[str, ...] = ()

    @cached_property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Group:
    """A drop-down of entries; shown when at least one of them is."""

    label: str
    icon: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


MENU: tuple[Entry | Group, ...] = (
    Entry(
        _("目标看板"),
        "dashboard:index",
        access.can_view_dashboard,
        "speedometer2",
        also=("/dashboard/drill/",),
    ),
    # O5 / issue 24: the city's roles compare the towns (not shown in a town's own installation's menus).
    Entry(_("全市各镇对比"), "dashboard:city", access.is_city, "grid-3x3"),
    Entry(_("经营单位"), "campaigns:business_list", access.works_in_field, "shop"),
    # O5: a city bureau's own certifications and revocations (the licence types it issues)
    Entry(_("发证与吊销"), "campaigns:certification_list", access.can_certify, "patch-check"),
    Group(
        _("检查整改"),
        "clipboard-check",
        (
            Entry(_("待检清单"), "inspections:due", access.works_in_field, "list-check"),
            Entry(_("检查记录"), "inspections:visit_list", access.works_in_field, "clipboard-check"),
            Entry(_("整改通知书"), "inspections:order_list", access.works_in_field, "file-earmark-text"),
            Entry(_("检查表"), "inspections:checklist_list", access.works_in_field, "card-checklist"),
            Entry(_("工作记录"), "inspections:activity_list", access.can_see_registers, "journal-check"),
            Entry(_("集中加工场"), "campaigns:site_list", access.can_see_registers, "buildings"),
        ),
    ),
    Group(
        _("专项进度"),
        "bar-chart-steps",
        (
            Entry(
                _("绿色通道办证"), "campaigns:green_channel_list", access.can_see_registers, "signpost-split"
            ),
            Entry(
                _("承诺书收回重发"), "campaigns:reissue_progress", access.can_see_registers, "arrow-repeat"
            ),
            Entry(
                _("临时许可证期限"),
                "campaigns:temporary_licences",
                access.can_see_registers,
                "hourglass-split",
            ),
            Entry(_("村级整治小组"), "campaigns:village_groups", access.can_see_registers, "people"),
            Entry(_("蔬菜农残监测"), "inspections:residue_list", access.can_see_samples, "droplet-half"),
            Entry(_("违法售药查处"), "inspections:drug_sale_list", access.can_see_registers, "capsule"),
            Entry(_("节日商品检查"), "inspections:holiday_round_list", access.can_see_registers, "gift"),
        ),
    ),
    Group(
        _("查处"),
        "shield-exclamation",
        (
            Entry(_("有奖举报"), "inspections:tipoff_list", access.can_see_tipoffs, "megaphone"),
            Entry(_("无证照查处"), "inspections:case_list", access.can_see_cases, "slash-circle"),
            Entry(_("抽检抽验"), "inspections:sample_list", access.can_see_samples, "eyedropper"),
            Entry(_("随机抽查"), "inspections:draw_list", access.can_see_draws, "shuffle"),
            Entry(
                _("食品安全事故"),
                "inspections:incident_list",
                access.can_see_registers,
                "exclamation-octagon",
            ),
            Entry(_("疏堵结合"), "dashboard:help_vs_banned", access.can_view_dashboard, "hand-thumbs-up"),
        ),
    ),
    Entry(_("台账追溯"), "ledgers:index", access.can_read_ledgers, "journal-text"),
    Group(
        _("专报与验收"),
        "journal-richtext",
        (
            Entry(_("工作专报"), "dashboard:bulletin_list", access.can_read_town_documents, "journal-text"),
            Entry(
                _("验收与排名"),
                "dashboard:acceptance_list",
                access.can_read_town_documents,
                "award",
                also=("/dashboard/ranking/", "/dashboard/circulars/"),
            ),
            # Issue 24: the city's own bulletin and circular naming its towns
            Entry(
                _("全市专报与通报"),
                "dashboard:city_papers",
                access.can_manage_city_papers,
                "file-earmark-richtext",
            ),
        ),
    ),
    Entry(_("我的台账"), "ledgers:my_ledger", access.keeps_ledger, "journal-text"),
    Entry(_("用户管理"), "accounts:user_list", access.can_manage_reference, "people"),
    # Issue 24: the town's own settings (ledger window, return check, the documents' masthead and number).
    Entry(_("本镇设置"), "campaigns:town_settings", access.can_edit_town_settings, "gear"),
    # Issue 24: the town's own campaign and its phases' dates.
    Entry(_("本镇专项"), "campaigns:town_campaigns", access.can_edit_town_campaign, "calendar-range"),
    # O1: the town's leading group and its office, kept by the office (issue 24: its own town's only).
    Entry(_("领导小组"), "campaigns:leading_groups", access.can_manage_leading_group, "diagram-3"),
)


def entries(menu: tuple[Entry | Group, ...] = MENU) -> list[Entry]:
    """Every entry of the menu, groups flattened (the page walk and the nav test iterate these)."""
    out: list[Entry] = []
    for item in menu:
        out.extend(item.entries if isinstance(item, Group) else (item,))
    return out


def entries_for(user) -> list[Entry]:
    """The entries this user is shown (each once, in menu order)."""
    seen: set[str] = set()
    shown = []
    for entry in entries():
        if entry.url_name not in seen and entry.rule(user):
            seen.add(entry.url_name)
            shown.append(entry)
    return shown


@dataclass
class Shown:
    """An entry or group as the template draws it."""

    label: str
    icon: str
    url: str = ""
    active: bool = False
    children: list[Shown] = field(default_factory=list)


def _matches(entry: Entry, path: str) -> int:
    """How long a prefix of `path` the entry claims (0: none); the longest claim is the current page."""
    prefixes = (entry.url, *entry.also)
    return max((len(p) for p in prefixes if path.startswith(p)), default=0)


def menu_for(user, path: str) -> list[Shown]:
    """The menu drawn for this user on this page."""
    allowed = {e.url_name for e in entries_for(user)}
    if not allowed:
        return []
    best = max(entries(), key=lambda e: _matches(e, path) if e.url_name in allowed else 0)
    current = best.url_name if _matches(best, path) else None
    shown: list[Shown] = []
    for item in MENU:
        if isinstance(item, Group):
            kids = [Shown(e.label, e.icon, e.url, e.url_name == current) for e in item.entries]
            kids = [k for k, e in zip(kids, item.entries, strict=True) if e.url_name in allowed]
            if kids:
                shown.append(Shown(item.label, item.icon, active=any(c.active for c in kids), children=kids))
        elif item.url_name in allowed:
            shown.append(Shown(item.label, item.icon, item.url, item.url_name == current))
    return shown


def menu(request) -> dict:
    """Context processor: `menu`, the entries this request's user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user, request.path)}
