"""Computations over the results framework: pure functions over dataclasses.

The selectors fetch flat rows in a fixed number of queries; everything here is
plain Python, so it is unit-tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .suppression import Figure, publish_single


def progress_percent(*, baseline: Decimal, target: Decimal, latest: Decimal | None) -> int | None:
    """How far the latest result has come from the baseline towards the target, 0–100.

    ``(latest - baseline) / (target - baseline)``, clamped to 0..100, so it works
    for targets below the baseline too (e.g. fewer unidentified victims). None
    while nothing has been reported. When the target equals the baseline (the aim
    is to hold a level) there is no distance to measure: the level is either held
    (100) or not (0).
    """
    if latest is None:
        return None
    if target == baseline:
        return 100 if latest == target else 0
    share = (Decimal(latest) - baseline) / (target - baseline)
    share = min(max(share, Decimal(0)), Decimal(1))
    return int((share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class IndicatorFigures:
    """An indicator with its latest approved result, as fetched for a list.

    ``suppress`` (a sensitive indicator shown to a donor) hides a latest value or
    baseline below ``minimum`` (``latest`` and ``baseline_figure`` say "< n"), and
    the progress with it: the percentage would give the hidden figure back.
    """

    indicator_id: int
    outcome_id: int
    code: str
    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    latest_value: Decimal | None = None
    latest_period: str | None = None
    latest_locked: bool = False
    is_sensitive: bool = False
    suppress: bool = False
    minimum: int = 0

    @property
    def latest(self) -> Figure:
        return publish_single(self.latest_value, minimum=self.minimum, suppress=self.suppress)

    @property
    def baseline_figure(self) -> Figure:
        return publish_single(self.baseline, minimum=self.minimum, suppress=self.suppress)

    @property
    def progress(self) -> int | None:
        if self.latest.hidden or self.baseline_figure.hidden:
            return None
        return progress_percent(
            baseline=self.baseline, target=self.target, latest=self.latest_value
        )

    @property
    def has_result(self) -> bool:
        return self.latest_value is not None


@dataclass(frozen=True)
class OutcomeProgress:
    """Progress of one outcome over its indicators."""

    indicators: tuple[IndicatorFigures, ...]

    @property
    def indicator_count(self) -> int:
        return len(self.indicators)

    @property
    def reported_count(self) -> int:
        return sum(1 for i in self.indicators if i.has_result)

    @property
    def mean_progress(self) -> int | None:
        """Mean progress of the indicators with a result; None when none has one."""
        values = [i.progress for i in self.indicators if i.progress is not None]
        if not values:
            return None
        mean = Decimal(sum(values)) / len(values)
        return int(mean.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def progress_by_outcome(
    figures: Iterable[IndicatorFigures], outcome_ids: Sequence[int]
) -> dict[int, OutcomeProgress]:
    """Group indicator figures by outcome; every id in ``outcome_ids`` gets an entry."""
    grouped: dict[int, list[IndicatorFigures]] = {pk: [] for pk in outcome_ids}
    for figure in figures:
        grouped.setdefault(figure.outcome_id, []).append(figure)
    return {pk: OutcomeProgress(tuple(rows)) for pk, rows in grouped.items()}


# Change history -------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str  # the verbose name, for people
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change to one object of an outcome's family."""

    when: object  # datetime; kept loose so tests can use any ordered value
    who: str
    kind: str  # "Outcome", "Output", "Indicator", "Result", "NAP link"
    label: str  # e.g. "2.1.a" or "2.1.a · 2010 H1"
    action: str  # "created", "changed", "deleted"
    changes: tuple[FieldChange, ...] = ()
    history_id: int = 0  # tie-break between entries saved in the same instant


def latest_entries(
    entries: Iterable[HistoryEntry], *, limit: int
) -> tuple[list[HistoryEntry], bool]:
    """The newest ``limit`` entries, newest first, and whether any were left out.

    A "changed" entry that changed nothing shown (only the lock version moved,
    because an output or indicator was saved) is dropped: the output's or
    indicator's own entry says what happened.
    """
    meaningful = [e for e in entries if e.action != "changed" or e.changes]
    meaningful.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return meaningful[:limit], len(meaningful) > limit
