"""Numbers as the pages show them: thousands grouped and decimals marked with the
active language's separators (1,234.50 in English, 1.234,50 in Serbian).

Django's ``number_format`` looks the language's formats up at every call; the long
tables (funding rows, indicator figures) format thousands of numbers a page, so the
separators are read once per language here.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.utils.formats import get_format
from django.utils.translation import get_language


@lru_cache(maxsize=8)
def _separators(language: str) -> dict:  # language: the cache key (get_format reads it)
    return str.maketrans(
        {",": get_format("THOUSAND_SEPARATOR"), ".": get_format("DECIMAL_SEPARATOR")}
    )


def grouped(value: Decimal | int, places: int) -> str:
    """``value`` with ``places`` decimals, thousands grouped (the value is already
    rounded: this only formats)."""
    return f"{value:,.{places}f}".translate(_separators(get_language() or "en"))
