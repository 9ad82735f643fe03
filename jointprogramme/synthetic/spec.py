"""How much synthetic data a scale means, and the marks that identify it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

PREFIX = "Synthetic "
USER_PREFIX = "bench_"
PASSWORD = "bench12345"
RATE_SOURCE = "Synthetic (generate_synthetic)"
MARKER = "[generate_synthetic scale={scale} seed={seed}]"
LARGE_SCALE = 20
BATCH_SIZE = 2000
# Dates are fixed, never "today", so the same seed gives the same data any day.
ANCHOR = dt.date(2026, 6, 30)
REVIEWED_AT = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Spec:
    """How much to generate. Counts marked "per programme" are exact for every programme."""

    programmes: int
    outcomes: int  # per programme
    outputs_per_outcome: int
    indicators_per_outcome: int
    results_per_indicator: int
    nap_objectives: int  # per programme
    alignments: int  # per programme
    meetings: int  # per programme
    invitations_per_meeting: int
    pledges: int  # per programme
    payments: int  # per programme
    organisations: int  # in all, UN agencies included
    contacts: int  # in all

    @property
    def reporting_periods(self) -> int:
        """Quarters per programme: every result's period, plus two not yet reported."""
        return self.results_per_indicator + 2


DEMO = Spec(
    programmes=1,
    outcomes=6,
    outputs_per_outcome=3,
    indicators_per_outcome=4,
    results_per_indicator=4,
    nap_objectives=24,
    alignments=12,
    meetings=6,
    invitations_per_meeting=8,
    pledges=10,
    payments=12,
    organisations=60,
    contacts=150,
)
LARGE = Spec(
    programmes=LARGE_SCALE,
    outcomes=50,
    outputs_per_outcome=4,
    indicators_per_outcome=14,
    results_per_indicator=8,
    nap_objectives=300,
    alignments=400,
    meetings=100,
    invitations_per_meeting=25,
    pledges=300,
    payments=600,
    organisations=3000,
    contacts=10000,
)


def parse_scale(value: str | int) -> int:
    """``"large"`` or a positive whole number."""
    if isinstance(value, int):
        scale = value
    elif str(value).strip().lower() == "large":
        return LARGE_SCALE
    else:
        try:
            scale = int(str(value).strip())
        except ValueError:
            raise ValueError(
                f'Scale must be a positive whole number or "large", not {value!r}.'
            ) from None
    if scale < 1:
        raise ValueError(f"Scale must be at least 1, not {scale}.")
    return scale


def spec_for_scale(scale: int) -> Spec:
    """Scale 1 is the demo's size, 20 the large installation; beyond, more programmes."""
    scale = parse_scale(scale)
    share = min(scale - 1, LARGE_SCALE - 1) / (LARGE_SCALE - 1)
    values = {}
    for f in fields(Spec):
        small, large = getattr(DEMO, f.name), getattr(LARGE, f.name)
        values[f.name] = round(small + (large - small) * share)
    values["programmes"] = scale
    if scale > LARGE_SCALE:
        for name in ("organisations", "contacts"):
            values[name] = round(getattr(LARGE, name) * scale / LARGE_SCALE)
    return Spec(**values)


def expected_counts(spec: Spec) -> dict[str, int]:
    """Rows of each model the spec promises (models whose count is fixed by it)."""
    p = spec.programmes
    outcomes = p * spec.outcomes
    indicators = outcomes * spec.indicators_per_outcome
    meetings = p * spec.meetings
    return {
        "programmes": p,
        "organisations": spec.organisations,
        "contacts": spec.contacts,
        "reporting_periods": p * spec.reporting_periods,
        "outcomes": outcomes,
        "outputs": outcomes * spec.outputs_per_outcome,
        "indicators": indicators,
        "results": indicators * spec.results_per_indicator,
        "action_plans": p,
        "nap_objectives": p * spec.nap_objectives,
        "alignments": p * spec.alignments,
        "meetings": meetings,
        "invitations": meetings * spec.invitations_per_meeting,
        "pledges": p * spec.pledges,
        "payments": p * spec.payments,
    }


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole numbers as evenly as possible, larger first."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
