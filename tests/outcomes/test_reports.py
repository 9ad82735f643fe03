"""The pure computations behind indicator progress and the change history."""

import datetime as dt
from decimal import Decimal

import pytest

from outcomes.reports import (
    FieldChange,
    HistoryEntry,
    IndicatorFigures,
    OutcomeProgress,
    latest_entries,
    progress_by_outcome,
    progress_percent,
)

D = Decimal


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [
        (D(0), D(100), None, None),  # nothing reported yet
        (D(0), D(100), D(40), 40),
        (D(10), D(50), D(20), 25),
        (D(10), D(50), D(10), 0),
        (D(10), D(50), D(5), 0),  # worse than the baseline: clamped
        (D(10), D(50), D(80), 100),  # beyond the target: clamped
        (D(100), D(20), D(60), 50),  # a target below the baseline (fewer is better)
        (D(100), D(20), D(10), 100),
        (D(0), D(3), D(1), 33),
        (D(0), D(3), D(2), 67),  # rounded half up
        (D(5), D(5), D(5), 100),  # target == baseline: the level is held
        (D(5), D(5), D(6), 0),
    ],
)
def test_progress_percent(baseline, target, latest, expected):
    assert progress_percent(baseline=baseline, target=target, latest=latest) == expected


def figures(outcome_id, latest, code="a"):
    return IndicatorFigures(
        indicator_id=hash((outcome_id, code)),
        outcome_id=outcome_id,
        code=code,
        title="",
        unit="",
        baseline=D(0),
        target=D(10),
        latest_value=latest,
        latest_period="2010 H1" if latest is not None else None,
    )


def test_outcome_progress_averages_reported_indicators_only():
    progress = OutcomeProgress((figures(1, D(5), "a"), figures(1, D(10), "b"), figures(1, None)))
    assert progress.indicator_count == 3
    assert progress.reported_count == 2
    assert progress.mean_progress == 75


def test_outcome_progress_without_results():
    assert OutcomeProgress(()).mean_progress is None
    assert OutcomeProgress((figures(1, None),)).mean_progress is None


def test_progress_by_outcome_gives_every_outcome_an_entry():
    grouped = progress_by_outcome([figures(1, D(2)), figures(1, D(4), "b")], [1, 2])
    assert grouped[1].indicator_count == 2
    assert grouped[2].indicator_count == 0


A_CHANGE = (FieldChange("Title", "a", "b"),)


def entry(minute, action="changed", changes=A_CHANGE):
    return HistoryEntry(
        when=dt.datetime(2010, 1, 1, 12, minute),
        who="unodc",
        kind="Outcome",
        label="2.1",
        action=action,
        changes=changes,
        history_id=minute,
    )


def test_latest_entries_are_newest_first_and_limited():
    entries = [entry(m) for m in (5, 1, 9, 3)]
    shown, truncated = latest_entries(entries, limit=3)
    assert [e.history_id for e in shown] == [9, 5, 3]
    assert truncated


def test_latest_entries_drop_saves_that_changed_nothing_visible():
    entries = [entry(1, "created", ()), entry(2, "changed", ()), entry(3)]
    shown, truncated = latest_entries(entries, limit=10)
    assert [e.history_id for e in shown] == [3, 1]
    assert not truncated
