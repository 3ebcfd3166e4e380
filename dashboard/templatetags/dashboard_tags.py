"""Template helpers for target figures: red/amber/green colours and percentages."""

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

RAG = {"green": "success", "amber": "warning", "red": "danger", "none": "secondary"}


@register.filter
def rag(figure) -> str:
    """The Bootstrap colour of a figure's status."""
    return RAG.get(getattr(figure, "status", "none"), "secondary")


@register.filter
def pct(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


# A figure counting nobody (0/0) looks the same everywhere: this grey 不适用, never an empty or 0% bar.
NOT_APPLICABLE = mark_safe('<span class="badge fig-na" title="没有应统计的经营单位（0/0）">不适用</span>')


@functools.lru_cache(maxsize=16)
def _drill_url(prefix: str) -> str:
    """The drill-down's path under a script prefix: reversed once, not once per cell."""
    return reverse("dashboard:drill")


@register.simple_tag
def fig_cell(figure, as_of) -> str:
    """One figure as a coloured link to its drill-down (a tag, not an include: a city's leader page has
    ~4,000 cells, so the link is written directly — one reverse per process, each value escaped)."""
    return mark_safe(_cell(figure, _drill_base(), _as_of_query(as_of), {}))


@register.simple_tag
def fig_cells(cells, as_of, counts: bool = False) -> str:
    """A table row's figures as <td> cells in one call (issue 24: a town of 120 villages has ~4,000 cells,
    and a template loop costs more per cell than the cell itself); `counts` adds n/d under each figure.
    The same HTML as fig_cell in a loop."""
    base, date, titles = _drill_base(), _as_of_query(as_of), {}
    out = []
    for figure in cells:
        cell = _cell(figure, base, date, titles)
        if counts and figure:
            cell += f'<div class="small text-muted">{figure.numerator}/{figure.denominator}</div>'
        out.append(f"<td>{cell}</td>")
    return mark_safe("".join(out))  # every value in _cell is escaped or a number


def _drill_base() -> str:
    return f"{_drill_url(get_script_prefix())}?"


def _as_of_query(as_of) -> str:
    return f"&amp;as_of={as_of.isoformat()}"


def _cell(figure, base: str, date: str, titles: dict) -> str:
    if figure is None:
        return '<span class="text-muted">·</span>'
    if figure.percent is None:
        return NOT_APPLICABLE
    target = figure.target
    title = titles.get(target.id)
    if title is None:  # escaped once per target and row, not per cell
        title = titles[target.id] = f"{escape(target.id)} {escape(target.label)}"
    return (
        f'<a class="badge text-bg-{rag(figure)} text-decoration-none fig-cell" href="{base}'
        f'{escape(figure.drill_query())}{date}" title="{title}：{figure.numerator}/{figure.denominator}">'
        f"{figure.percent:g}%</a>"
    )


@register.simple_tag
def fig_bar(figure) -> str:
    """A figure's progress bar with its percentage always written beside it (0% too), or 不适用."""
    if figure.percent is None:
        return NOT_APPLICABLE
    return format_html(
        '<div class="fig-bar"><div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}"'
        ' aria-valuemin="0" aria-valuemax="100"><div class="progress-bar bg-{}" data-width="{}"></div></div>'
        '<span class="fig-pct text-{}">{}%</span></div>',
        figure.target.label,
        figure.percent,
        rag(figure),
        figure.percent,
        "danger" if figure.status == "red" else "body",
        f"{figure.percent:g}",
    )
