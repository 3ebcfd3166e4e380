"""The ledger section of the business page (registered in LedgersConfig.ready)."""


def ledger_panel(request, business):
    from .selectors import ledger_summary

    return "ledgers/panel.html", {"ledger": ledger_summary(business)}
