"""Template helpers for target figures: red/amber/green colours and percentages."""

from django import template

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
