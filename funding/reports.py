"""Funding figures computed from flat rows: pure functions, no queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .currency import MissingRate, RateTable


@dataclass(frozen=True)
class PledgeRow:
    amount: Decimal
    currency: str
    pledged_on: object
    status: str


@dataclass
class FundingSummary:
    currency: str
    budget: Decimal
    pledged: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    missing_rates: list[MissingRate] = field(default_factory=list)

    @property
    def gap(self) -> Decimal:
        return max(self.budget - self.committed, Decimal(0))


def summarise_funding(
    *, budget: Decimal, pledges: list[PledgeRow], rates: RateTable
) -> FundingSummary:
    """Total pledged and committed (committed or paid) in the programme currency."""
    summary = FundingSummary(currency=rates.target, budget=budget)
    for pledge in pledges:
        converted = rates.convert(pledge.amount, pledge.currency, pledge.pledged_on)
        if isinstance(converted, MissingRate):
            summary.missing_rates.append(converted)
            continue
        summary.pledged += converted
        if pledge.status in ("committed", "paid"):
            summary.committed += converted
    return summary
