"""Writes to the results framework. Each runs in one transaction.

No lost updates: an outcome carries a ``version``. An edit says which version it
was based on; the save claims the next version with a conditional UPDATE, so of
two people who opened the same version only the first saves, and the second is
told (``EditConflict``) with nothing written. Results have no version field;
their last save time (``reported_at``) serves the same purpose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from .models import Indicator, Outcome, ReportingPeriod, Result


class EditConflict(Exception):
    """Someone saved the outcome after the version this edit was based on."""

    def __init__(self, *, current_version: int):
        super().__init__(f"The outcome is now at version {current_version}.")
        self.current_version = current_version


class ResultConflict(Exception):
    """The result for this period changed (or appeared) after the form was loaded."""

    def __init__(self, *, current: Result):
        super().__init__(f"A result for {current.period} was saved in the meantime.")
        self.current = current


@dataclass
class RowChanges:
    """New or changed rows (values already applied, not yet saved) and rows to delete."""

    saved: Sequence[models.Model] = field(default_factory=list)
    deleted: Sequence[models.Model] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.saved or self.deleted)


def _save(obj: models.Model, *, by) -> None:
    obj._history_user = by  # the audit history names the author even outside a request
    obj.save()


def _delete(obj: models.Model, *, by) -> None:
    obj._history_user = by
    obj.delete()


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    expected_version: int,
    by,
    participating_agencies: Iterable | None = None,
    outputs: RowChanges | None = None,
    indicators: RowChanges | None = None,
) -> Outcome:
    """Save an outcome (its new field values already set on ``outcome``), the
    agencies taking part, and changes to its outputs and indicators, as one change.

    Raises ``EditConflict`` and writes nothing when the outcome is no longer at
    ``expected_version``. Any change, even to one indicator, moves the version on,
    so a form opened before it cannot overwrite it.
    """
    claimed = Outcome.objects.filter(pk=outcome.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        current = Outcome.objects.filter(pk=outcome.pk).values_list("version", flat=True).first()
        raise EditConflict(current_version=current or 0)
    outcome.version = expected_version + 1
    _save(outcome, by=by)
    if participating_agencies is not None:
        outcome.participating_agencies.set(participating_agencies)
    outputs = outputs or RowChanges()
    indicators = indicators or RowChanges()
    # Deletions first, so a new row may take a deleted row's code; outputs are
    # saved before the indicators that may point at them.
    for indicator in indicators.deleted:
        _delete(indicator, by=by)
    for output in outputs.deleted:
        _delete(output, by=by)
    for output in outputs.saved:
        output.outcome = outcome
        _save(output, by=by)
    for indicator in indicators.saved:
        indicator.outcome = outcome
        _save(indicator, by=by)
    return outcome


def result_token(result: Result | None) -> str:
    """What a result form remembers of the result it was based on ("" for none)."""
    if result is None:
        return ""
    return f"{result.pk}:{result.reported_at.isoformat()}"


@transaction.atomic
def result_report(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    value: Decimal,
    note: str,
    evidence_url: str,
    based_on: str,
    by,
) -> Result:
    """Report an indicator's result for a period, or correct the one reported.

    ``based_on`` is ``result_token`` of the result the form showed ("" when the
    period had none). If the period's result is not that one any more (someone
    reported or corrected it meanwhile), ``ResultConflict`` is raised and nothing
    is written.
    """
    existing = Result.objects.filter(indicator=indicator, period=period).first()
    if existing is None:
        result = Result(indicator=indicator, period=period)
        try:
            with transaction.atomic():  # a savepoint: a concurrent first report wins
                _fill_and_save(result, value, note, evidence_url, by)
        except IntegrityError:
            raise ResultConflict(
                current=Result.objects.select_related("period", "reported_by").get(
                    indicator=indicator, period=period
                )
            ) from None
        return result
    if based_on != result_token(existing):
        raise ResultConflict(current=existing)
    # Claim the row: a concurrent correction changed reported_at and makes this match nothing.
    claimed = Result.objects.filter(pk=existing.pk, reported_at=existing.reported_at).update(
        reported_at=timezone.now()
    )
    if not claimed:
        raise ResultConflict(current=Result.objects.get(pk=existing.pk))
    _fill_and_save(existing, value, note, evidence_url, by)
    return existing


def _fill_and_save(result: Result, value, note, evidence_url, by) -> None:
    result.value = value
    result.note = note
    result.evidence_url = evidence_url
    result.reported_by = by
    _save(result, by=by)
