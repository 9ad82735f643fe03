"""Converting money into a programme's currency.

Rule: an amount converts at the most recent rate dated on or before its own
date; the result is rounded to cents, half up, once per amount (never on sums).
A missing rate is reported, never treated as 1 or 0.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    base_currency: str
    quote_currency: str
    rate_date: date
    rate: Decimal


@dataclass(frozen=True)
class MissingRate:
    currency: str
    target: str
    on: date

    def __str__(self) -> str:
        return f"No {self.currency}→{self.target} rate on or before {self.on:%d %b %Y}"


class RateTable:
    """Rates into one target currency, looked up by date without further queries."""

    def __init__(self, rates: Iterable[Rate], target: str):
        self.target = target
        self._dates: dict[str, list[date]] = defaultdict(list)
        self._values: dict[str, list[Decimal]] = defaultdict(list)
        direct: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for r in rates:
            if r.quote_currency == target:
                direct[r.base_currency].append((r.rate_date, r.rate))
            elif r.base_currency == target:
                direct[r.quote_currency].append((r.rate_date, 1 / r.rate))
        for currency, points in direct.items():
            # A direct quote wins over an inverted one on the same day.
            by_day = dict(sorted(points, key=lambda p: p[0]))
            for day in sorted(by_day):
                self._dates[currency].append(day)
                self._values[currency].append(by_day[day])

    def rate(self, currency: str, on: date) -> Decimal | None:
        if currency == self.target:
            return Decimal(1)
        days = self._dates.get(currency)
        if not days:
            return None
        index = bisect.bisect_right(days, on) - 1
        if index < 0:
            return None
        return self._values[currency][index]

    def convert(self, amount: Decimal, currency: str, on: date) -> Decimal | MissingRate:
        rate = self.rate(currency, on)
        if rate is None:
            return MissingRate(currency=currency, target=self.target, on=on)
        return round_money(amount * rate)
