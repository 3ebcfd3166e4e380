"""Template helpers for target figures: red/amber/green colours and percentages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
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


@register.simple_tag
def fig_cell(figure, as_of) -> str:
    """One figure as a coloured link to its drill-down (a tag, not an include: a page has ~1,000 cells)."""
    if figure is None:
        return mark_safe('<span class="text-muted">·</span>')
    label = "—" if figure.percent is None else f"{figure.percent}%"
    return format_html(
        '<a class="badge text-bg-{} text-decoration-none fig-cell" href="{}?{}&amp;as_of={}"'
        ' title="{} {}：{}/{}">{}</a>',
        rag(figure),
        reverse("dashboard:drill"),
        figure.drill_query(),
        as_of.isoformat(),
        figure.target.id,
        figure.target.label,
        figure.numerator,
        figure.denominator,
        label,
    )
