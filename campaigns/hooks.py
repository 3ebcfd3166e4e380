"""Work other apps do when the roster's services write, inside the same transaction (issue 22).

campaigns must not import the apps built on it, so they register here from their AppConfig.ready(), as
business panels do (campaigns/panels.py). notifications registers its planner so that a licence saved,
renewed or revoked has its expiry reminders planned at once — not at the nightly re-plan:

    from campaigns.hooks import register_after_write
    register_after_write(plan_reminders)   # called as plan_reminders(obj) for every object written

This is no signal: only the services below call it, explicitly, after their own writes.
"""

from __future__ import annotations

from collections.abc import Callable

_AFTER_WRITE: list[Callable[[object], None]] = []


def register_after_write(hook: Callable[[object], None]) -> None:
    if hook not in _AFTER_WRITE:
        _AFTER_WRITE.append(hook)


def after_write(*objects) -> None:
    """Run every registered hook on each object a service has just written (in its transaction)."""
    for obj in objects:
        for hook in _AFTER_WRITE:
            hook(obj)
