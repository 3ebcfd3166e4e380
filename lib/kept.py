"""Kept per-business figures: a write announces which businesses it changed, in its own transaction.

Today's target figures are kept per business (dashboard.status, issue 26) and must move with every write
that can change them — a visit submitted, a licence saved or revoked, ledger lines, an import, a case or
order closed. The apps that write sit below the dashboard, which nothing imports (docs/architecture.md), so
they announce the change here and the dashboard, which registers a listener from its AppConfig.ready(),
recomputes those businesses inside the same transaction (no signal, no on_commit: a write and the figure it
moves commit together or not at all)::

    from lib import kept
    kept.businesses_changed([business.pk])   # in the service, after its own writes
    kept.everything_changed()                # a change that can move every business (a requirement)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_LISTENERS: list[Callable[[list[int] | None], None]] = []


def register(listener: Callable[[list[int] | None], None]) -> None:
    """Called as listener(ids) for the businesses a write changed, or listener(None) for all of them."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def businesses_changed(ids: Iterable[int | None]) -> None:
    wanted = sorted({int(i) for i in ids if i is not None})
    if not wanted:
        return
    for listener in _LISTENERS:
        listener(wanted)


def everything_changed() -> None:
    for listener in _LISTENERS:
        listener(None)
