"""Writes to the results framework and the reporting cycle. Each runs in one
transaction.

No lost updates: outcomes and results carry a ``version``. An edit (or a button
such as "Approve") says which version it was based on; the write claims the next
version with a conditional UPDATE, so of two people who opened the same version
only the first acts, and the second is told (``EditConflict``, ``ResultConflict``)
with nothing written.

The reporting cycle's rules are enforced here whatever the caller: a locked
period's results never change (``PeriodLocked``), a result only takes the steps
``reporting.TRANSITIONS`` allows, submitted and approved results are not edited,
and nobody reviews a result they entered or submitted (``ResultRefused``). Who
may ask for each step is the access rules' business (``outcomes/rules.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jointprogramme.access import membership_for

from .models import (
    DisaggregationDimension,
    Indicator,
    Outcome,
    PeriodLockEvent,
    ReportingPeriod,
    Result,
    ResultBreakdown,
    SentReminder,
)
from .reporting import (
    COMMENT_REQUIRED,
    REVIEW_STEPS,
    STEP_DONE,
    DimensionParts,
    Reminder,
    Step,
    StepRefused,
    breakdown_problems,
    edit_refusal,
    is_author,
    next_status,
)

Status = Result.Status


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


class ResultRefused(Exception):
    """A write the reporting cycle does not allow. The message is for people."""


class PeriodLocked(ResultRefused):
    """The period is locked: its results do not change until a manager unlocks it."""

    def __init__(self, period: ReportingPeriod):
        super().__init__(locked_message(period))
        self.period = period


class BreakdownInvalid(ResultRefused):
    """The parts of a disaggregated result do not fit its total."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def locked_message(period: ReportingPeriod) -> str:
    reason = f" ({period.lock_reason})" if period.lock_reason else ""
    return _(
        "%(period)s is locked%(reason)s: its results cannot change. "
        "A programme manager can unlock it, giving a reason."
    ) % {"period": period.name, "reason": reason}


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
    _refuse_deleting_counted_results(indicators.deleted)
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


def _refuse_deleting_counted_results(indicators: Sequence[Indicator]) -> None:
    """Deleting an indicator deletes its results: not those of a locked period, nor
    approved ones (they count in reports and change only by being reopened)."""
    ids = [i.pk for i in indicators if i.pk]
    if not ids:
        return
    counted = (
        Result.objects.filter(indicator_id__in=ids)
        .filter(Q(period__locked_at__isnull=False) | Q(status=Status.APPROVED))
        .select_related("indicator", "period")
        .order_by("indicator__code", "period__start_date")
        .first()
    )
    if counted is not None:
        message = (
            _(
                "Indicator %(code)s cannot be deleted: its result for %(period)s is locked. "
                "Reopen approved results (and unlock the period) first, or keep the indicator."
            )
            if counted.period.is_locked
            else _(
                "Indicator %(code)s cannot be deleted: its result for %(period)s is approved. "
                "Reopen approved results (and unlock the period) first, or keep the indicator."
            )
        )
        raise ResultRefused(
            message % {"code": counted.indicator.code, "period": counted.period.name}
        )


# Results and the reporting cycle ---------------------------------------------------


def result_token(result: Result | None) -> str:
    """What a result form or button remembers of the result it was based on ("" for none)."""
    if result is None:
        return ""
    return f"{result.pk}:{result.version}"


def _open_period(period_id: int) -> ReportingPeriod:
    """The period, held against a concurrent lock until the transaction ends;
    ``PeriodLocked`` if it is locked."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period_id)
    if period.is_locked:
        raise PeriodLocked(period)
    return period


def _claim(result: Result, based_on: str) -> None:
    """Move the result to its next version if it is still the one ``based_on``
    names; ``ResultConflict`` (nothing written) if someone changed it meanwhile."""
    if based_on != result_token(result):
        raise ResultConflict(current=_fresh(result.pk))
    claimed = Result.objects.filter(pk=result.pk, version=result.version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ResultConflict(current=_fresh(result.pk))
    result.version += 1


def _fresh(pk: int) -> Result:
    return Result.objects.select_related("period", "reported_by").get(pk=pk)


def indicator_dimensions(indicator: Indicator) -> list[DisaggregationDimension]:
    """The indicator's dimensions, each with ``category_list``, in order."""
    cached = getattr(indicator, "dimension_list", None)
    if cached is not None:
        return cached
    return list(
        indicator.dimensions.order_by("order", "name").prefetch_related(
            models.Prefetch("categories", to_attr="category_list")
        )
    )


def _parts(
    dimensions: list[DisaggregationDimension], values: Mapping[int, Decimal | None]
) -> list[DimensionParts]:
    return [
        DimensionParts(d.name, tuple(values.get(c.pk) for c in d.category_list)) for d in dimensions
    ]


def _save_breakdown(
    result: Result,
    dimensions: list[DisaggregationDimension],
    breakdown: Mapping[int, Decimal | None],
    *,
    by,
) -> None:
    """Store the parts given (category id → value); an empty part removes a stored one."""
    stored = {b.category_id: b for b in result.breakdowns.all()}
    for dimension in dimensions:
        for category in dimension.category_list:
            value = breakdown.get(category.pk)
            row = stored.get(category.pk)
            if value is None:
                if row is not None:
                    _delete(row, by=by)
            elif row is None:
                _save(ResultBreakdown(result=result, category=category, value=value), by=by)
            elif row.value != value:
                row.value = value
                _save(row, by=by)


def _check_complete(result: Result, dimensions: list[DisaggregationDimension]) -> None:
    """Before submitting: every dimension broken down, the parts adding up."""
    stored = {b.category_id: b.value for b in result.breakdowns.all()}
    problems = breakdown_problems(result.value, _parts(dimensions, stored), complete=True)
    if problems:
        raise BreakdownInvalid(problems)


def _submit(result: Result, *, by) -> None:
    membership = membership_for(by, result.period)
    result.status = Status.SUBMITTED
    result.submitted_by = by
    result.submitted_at = timezone.now()
    result.submitted_for = membership.organisation if membership else None
    # A new submission is reviewed afresh; earlier reviews stay in the history.
    result.reviewed_by, result.reviewed_at, result.review_comment = None, None, ""


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
    breakdown: Mapping[int, Decimal | None] | None = None,
    submit: bool = False,
) -> Result:
    """Report an indicator's result for a period as a draft (or submit it at once),
    or correct a draft or returned one.

    ``based_on`` is ``result_token`` of the result the form showed ("" when the
    period had none). If the period's result is not that one any more (someone
    reported or corrected it meanwhile), ``ResultConflict`` is raised and nothing
    is written. ``breakdown`` maps category ids of the indicator's dimensions to
    parts (None for an empty one); each dimension is empty or adds up to ``value``.
    Refused (``ResultRefused``) in a locked period and for a result submitted or
    approved.
    """
    _open_period(period.pk)
    dimensions = indicator_dimensions(indicator)
    if breakdown is not None:
        problems = breakdown_problems(value, _parts(dimensions, breakdown), complete=False)
        if problems:
            raise BreakdownInvalid(problems)
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
    else:
        result = existing
        _claim(result, based_on)
        refusal = edit_refusal(result.status)
        if refusal:
            raise ResultRefused(refusal)
        _fill_and_save(result, value, note, evidence_url, by)
    if breakdown is not None:
        _save_breakdown(result, dimensions, breakdown, by=by)
    if submit:
        result.period = period
        _check_complete(result, dimensions)
        next_status(result.status, Step.SUBMIT)
        _submit(result, by=by)
        result._change_reason = STEP_DONE[Step.SUBMIT]
        _save(result, by=by)
    return result


def _fill_and_save(result: Result, value, note, evidence_url, by) -> None:
    result.value = value
    result.note = note
    result.evidence_url = evidence_url
    result.reported_by = by
    result.reported_at = timezone.now()
    _save(result, by=by)


@transaction.atomic
def result_step(
    *, result: Result, step: Step | str, based_on: str, by, comment: str = ""
) -> Result:
    """Take one step of the reporting cycle: submit, withdraw, approve, return or reopen.

    ``based_on`` is the ``result_token`` the page showed: a result changed since
    (``ResultConflict``) is not acted on unseen. Refused (``ResultRefused``) in a
    locked period, for a step the result's status does not allow, for a review by
    the result's author, and for a return or reopening without a comment.
    """
    step = Step(step)
    _open_period(result.period_id)
    comment = comment.strip()
    if step in COMMENT_REQUIRED and not comment:
        raise ResultRefused(_("Say what needs to change: the agency reads it with the result."))
    _claim(result, based_on)
    try:
        status = next_status(result.status, step)
    except StepRefused as refused:
        raise ResultRefused(str(refused)) from None
    if step in REVIEW_STEPS and is_author(
        by.pk, submitted_by_id=result.submitted_by_id, reported_by_id=result.reported_by_id
    ):
        raise ResultRefused(
            _("You entered or submitted this result: someone else must approve or return it.")
        )
    if step == Step.SUBMIT:
        _check_complete(result, indicator_dimensions(result.indicator))
        _submit(result, by=by)
    elif step == Step.WITHDRAW:
        result.submitted_by, result.submitted_at, result.submitted_for = None, None, None
    else:  # approve, return, reopen: a review
        result.reviewed_by = by
        result.reviewed_at = timezone.now()
        result.review_comment = comment
    result.status = status
    result._change_reason = STEP_DONE[step]
    _save(result, by=by)
    return result


def result_submit(*, result: Result, based_on: str, by) -> Result:
    return result_step(result=result, step=Step.SUBMIT, based_on=based_on, by=by)


def result_withdraw(*, result: Result, based_on: str, by) -> Result:
    return result_step(result=result, step=Step.WITHDRAW, based_on=based_on, by=by)


def result_approve(*, result: Result, based_on: str, by, comment: str = "") -> Result:
    return result_step(result=result, step=Step.APPROVE, based_on=based_on, by=by, comment=comment)


def result_return(*, result: Result, based_on: str, by, comment: str) -> Result:
    return result_step(result=result, step=Step.RETURN, based_on=based_on, by=by, comment=comment)


def result_reopen(*, result: Result, based_on: str, by, comment: str) -> Result:
    return result_step(result=result, step=Step.REOPEN, based_on=based_on, by=by, comment=comment)


# Periods -------------------------------------------------------------------------


@transaction.atomic
def period_lock(*, period: ReportingPeriod, reason: str, by) -> ReportingPeriod:
    """Lock a period: from now on its results do not change. The reason (e.g. "report
    sent to donors") is shown with the lock."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ResultRefused(_("%(period)s is already locked.") % {"period": period.name})
    period.locked_at = timezone.now()
    period.locked_by = by
    period.lock_reason = reason.strip()
    period.save(update_fields=["locked_at", "locked_by", "lock_reason", "updated_at"])
    PeriodLockEvent.objects.create(
        period=period, action=PeriodLockEvent.Action.LOCKED, reason=period.lock_reason, by=by
    )
    return period


@transaction.atomic
def period_unlock(*, period: ReportingPeriod, reason: str, by) -> ReportingPeriod:
    """Unlock a period so that its results can be corrected; the reason is required
    and kept with the period's lock history."""
    reason = reason.strip()
    if not reason:
        raise ResultRefused(_("Give the reason for unlocking: it is kept with the period."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise ResultRefused(_("%(period)s is not locked.") % {"period": period.name})
    period.locked_at, period.locked_by, period.lock_reason = None, None, ""
    period.save(update_fields=["locked_at", "locked_by", "lock_reason", "updated_at"])
    PeriodLockEvent.objects.create(
        period=period, action=PeriodLockEvent.Action.UNLOCKED, reason=reason, by=by
    )
    return period


# Reminders -----------------------------------------------------------------------


def reminder_send(*, reminder: Reminder) -> bool:
    """E-mail one reminder and record it as sent, in one transaction: if the mail
    cannot be sent nothing is recorded (the next run tries again); if another run
    recorded it first, nothing is sent. True when sent.

    Written in the installation's language (``settings.LANGUAGE_CODE``,
    ``DJANGO_LANGUAGE_CODE``): nobody's own language is stored, and the command runs
    outside any request."""
    person = reminder.staff
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            SentReminder.objects.bulk_create(
                [
                    SentReminder(
                        user_id=person.user_id,
                        period_id=item.period.id,
                        kind=item.kind,
                        indicator_count=len(item.rows),
                    )
                    for item in reminder.items
                ]
            )
            body = render_to_string(
                "email/reporting_reminder.txt",
                {
                    "reminder": reminder,
                    "status_url": settings.SITE_URL + reverse("outcomes:reporting_status"),
                    "items": [
                        (item, [(row, _indicator_url(row.indicator)) for row in item.rows])
                        for item in reminder.items
                    ],
                },
            )
            send_mail(reminder.subject, body, None, [person.email])
    except IntegrityError:  # a run at the same moment sent it
        return False
    return True


def _indicator_url(indicator) -> str:
    path = reverse("outcomes:detail", args=[indicator.outcome_id])
    return f"{settings.SITE_URL}{path}#indicator-{indicator.indicator_id}"
