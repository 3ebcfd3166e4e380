"""Demo data of inspections. The enforcement tools (issue 7) keep theirs in enforcement/demo.py."""

from .enforcement import demo as enforcement_demo


def clear(ctx) -> None:
    enforcement_demo.clear(ctx)


def seed(ctx) -> None:
    enforcement_demo.seed(ctx)
