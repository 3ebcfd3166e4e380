"""The business page's history panel (issue 3): the latest changes, with a link to the full history."""

from .audit import business_entries, history_rows

PANEL_ROWS = 10


def history_panel(request, business):
    entries = list(business_entries(business)[: PANEL_ROWS + 1])
    return (
        "accounts/includes/history_panel.html",
        {"history": history_rows(entries[:PANEL_ROWS]), "history_more": len(entries) > PANEL_ROWS},
    )
