"""Helpers for files people take away, shared by every app's exports.

Layer 2, so that any app may use them (``funding.exports`` keeps its own copy of
the same rule).
"""

from __future__ import annotations

# Text a spreadsheet would run as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would take for a formula, made inert with an apostrophe:
    an organisation named "=HYPERLINK(...)" stays text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
