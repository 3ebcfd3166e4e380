"""Targets whose evidence is visits (inspections) and ledgers (ledgers).

Kept apart from dashboard/targets.py because those apps land separately: each target here names the
models it needs, and targets.available() leaves it out until they exist.
"""

from __future__ import annotations


def targets() -> list:
    return []
