"""Enforcement tools of issue 7: tip-offs (W5), unlicensed-unit cases (U1), random spot checks (P2), sampling.

Kept in its own module set inside inspections so it grows beside the visits code without touching it.
"""
