"""{% history_card obj %}: the audit history of any object (and its registered parts) as a card."""

from django import template

from ..audit import entries_for, history_rows

register = template.Library()
CARD_ROWS = 20


@register.inclusion_tag("accounts/includes/history_card.html")
def history_card(obj, rows: int = CARD_ROWS):
    """One query: the latest `rows` entries about `obj`, field names in Chinese, before and after."""
    return {"history": history_rows(entries_for(obj)[:rows])}
