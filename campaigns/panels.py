"""Panels on the business page, and buttons on the roster, contributed by other apps (visits, ledgers …).

campaigns must not import the apps built on it, so they register here from their AppConfig.ready():

    from campaigns.panels import register_business_panel
    register_business_panel(order=20, render=visits_panel)

`render(request, business)` returns (template_name, context) or None to show nothing; the template is
included in the business page's main column with that context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    order: int
    render: Callable


_PANELS: list[Panel] = []


def register_business_panel(*, order: int, render: Callable) -> None:
    if any(p.render is render for p in _PANELS):
        return
    _PANELS.append(Panel(order, render))
    _PANELS.sort(key=lambda p: p.order)


def render_business_panels(request, business) -> list[SafeString]:
    html = []
    for panel in _PANELS:
        result = panel.render(request, business)
        if result is None:
            continue
        template_name, context = result
        rendered = render_to_string(template_name, {"business": business, **context}, request=request)
        html.append(mark_safe(rendered))
    return html


# --- actions on the roster page (buttons beside 导出 Excel) -------------------------------------------------
@dataclass(frozen=True)
class RosterAction:
    """A button on the roster: its label, address (the roster's filters appended) and icon."""

    label: str
    url: str
    icon: str = ""
    element_id: str = ""


_ROSTER_ACTIONS: list[Panel] = []


def register_roster_action(*, order: int, render: Callable) -> None:
    """`render(request, query)` returns a RosterAction for this user and these filters, or None."""
    if any(p.render is render for p in _ROSTER_ACTIONS):
        return
    _ROSTER_ACTIONS.append(Panel(order, render))
    _ROSTER_ACTIONS.sort(key=lambda p: p.order)


def roster_actions(request, query: str) -> list[RosterAction]:
    return [a for a in (p.render(request, query) for p in _ROSTER_ACTIONS) if a is not None]
