"""The reporting cycle's rules and figures: pure functions over dataclasses.

- the steps a result goes through (draft → submitted → approved or returned) and
  who may not review it;
- the parts of a disaggregated result checked against its total;
- which reporting period is the current one, and where a period's reporting
  stands per agency and per outcome;
- which reminders are due, to whom.

The selectors fetch flat rows; nothing here touches the database, so all of it is
unit-tested without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Result, SentReminder

Status = Result.Status
MISSING = "missing"  # no result at all for the period


# The steps of a result ---------------------------------------------------------


class Step(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


# step: (statuses it starts from, status it leads to)
TRANSITIONS: dict[Step, tuple[frozenset[str], str]] = {
    Step.SUBMIT: (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    Step.WITHDRAW: (frozenset({Status.SUBMITTED}), Status.DRAFT),
    Step.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Step.RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED),
    # An approved result changes only by being reopened: it goes back to its agency.
    Step.REOPEN: (frozenset({Status.APPROVED}), Status.RETURNED),
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
REVIEW_STEPS = frozenset({Step.APPROVE, Step.RETURN})
COMMENT_REQUIRED = frozenset({Step.RETURN, Step.REOPEN})
STEP_DONE = {
    Step.SUBMIT: "submitted",
    Step.WITHDRAW: "withdrawn",
    Step.APPROVE: "approved",
    Step.RETURN: "returned",
    Step.REOPEN: "reopened",
}


class StepRefused(Exception):
    """A step the cycle does not allow; the message says why, for people."""


_NOT_FROM = {
    Step.SUBMIT: {
        Status.SUBMITTED: gettext_lazy("It is already submitted and waits for review."),
        Status.APPROVED: gettext_lazy("It is approved: a programme manager must reopen it first."),
    },
    Step.WITHDRAW: gettext_lazy(
        "Only a submitted result can be withdrawn; this one is %(status)s."
    ),
    Step.APPROVE: gettext_lazy("Only a submitted result can be approved; this one is %(status)s."),
    Step.RETURN: gettext_lazy("Only a submitted result can be returned; this one is %(status)s."),
    Step.REOPEN: gettext_lazy("Only an approved result can be reopened; this one is %(status)s."),
}


def next_status(status: str, step: Step | str) -> str:
    """The status after ``step``; ``StepRefused`` if the step cannot start from ``status``."""
    step = Step(step)
    starts_from, target = TRANSITIONS[step]
    if status not in starts_from:
        message = _NOT_FROM[step]
        if isinstance(message, dict):
            message = message.get(status, gettext_lazy("This result cannot be submitted now."))
        raise StepRefused(str(message) % {"status": str(Status(status).label).lower()})
    return target


def edit_refusal(status: str) -> str | None:
    """Why a result in ``status`` cannot be changed, or None when it can."""
    if status == Status.SUBMITTED:
        return _("This result is submitted and waits for review: withdraw it to change it.")
    if status == Status.APPROVED:
        return _(
            "This result is approved and counts in the reports: a programme manager "
            "must reopen it before it can change."
        )
    return None


def is_author(user_id: int | None, *, submitted_by_id, reported_by_id) -> bool:
    """Whoever entered the value or submitted it: they never review it."""
    return user_id is not None and user_id in {submitted_by_id, reported_by_id}


# Disaggregation -------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionParts:
    """A result's parts in one dimension: one per category, None where left empty."""

    name: str
    parts: tuple[Decimal | None, ...]


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def breakdown_problems(
    total: Decimal | None, dimensions: Iterable[DimensionParts], *, complete: bool
) -> list[str]:
    """What is wrong with the parts, as messages for the person entering them.

    A dimension is either left empty or filled in for every category, and then its
    parts add up to the total. ``complete`` (when submitting) requires every
    dimension filled in.
    """
    problems = []
    for dimension in dimensions:
        filled = [part for part in dimension.parts if part is not None]
        if not filled:
            if complete:
                problems.append(
                    _(
                        "Break the result down by %(dimension)s before submitting: "
                        "give every category (0 where there is none)."
                    )
                    % {"dimension": dimension.name.lower()}
                )
            continue
        if len(filled) < len(dimension.parts):
            problems.append(
                _(
                    "%(dimension)s: give every category (0 where there is none), "
                    "or leave them all empty."
                )
                % {"dimension": dimension.name}
            )
            continue
        parts_sum = sum(filled, Decimal(0))
        if total is not None and parts_sum != total:
            problems.append(
                _("%(dimension)s: the parts add up to %(sum)s, but the total is %(total)s.")
                % {"dimension": dimension.name, "sum": _number(parts_sum), "total": _number(total)}
            )
    return problems


# Periods --------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date
    due_date: dt.date | None = None
    locked: bool = False


def current_period(periods: Sequence[PeriodInfo], today: dt.date) -> PeriodInfo | None:
    """The period being reported now: the earliest one that has ended and is not
    locked (reports are written after a period ends, and a period is locked once
    its report went out); else the one under way; else the latest."""
    ordered = sorted(periods, key=lambda p: p.start_date)
    for period in ordered:
        if period.end_date < today and not period.locked:
            return period
    for period in ordered:
        if period.start_date <= today <= period.end_date:
            return period
    return ordered[-1] if ordered else None


def days_to_due(due_date: dt.date | None, today: dt.date) -> int | None:
    return None if due_date is None else (due_date - today).days


# Where a period's reporting stands ------------------------------------------------


@dataclass(frozen=True)
class IndicatorToReport:
    """An indicator someone must report on: its agency is its outcome's lead agency."""

    indicator_id: int
    code: str
    title: str
    outcome_id: int
    outcome_code: str
    outcome_title: str
    agency_id: int
    agency_name: str
    programme_id: int = 0


OUTSTANDING = frozenset({MISSING, Status.DRAFT, Status.RETURNED})  # the agency's to do
# Order of rows after the overdue ones: what needs someone's action first.
_STATUS_ORDER = [Status.RETURNED, MISSING, Status.DRAFT, Status.SUBMITTED, Status.APPROVED]
STATUS_LABELS = {MISSING: gettext_lazy("Missing"), **{s.value: s.label for s in Status}}


@dataclass(frozen=True)
class StatusRow:
    indicator: IndicatorToReport
    status: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class StatusCounts:
    missing: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    overdue: int = 0

    def add(self, row: StatusRow) -> None:
        setattr(self, row.status, getattr(self, row.status) + 1)
        self.overdue += row.overdue

    @property
    def total(self) -> int:
        return self.missing + self.draft + self.submitted + self.returned + self.approved

    @property
    def approved_percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0


@dataclass
class StatusGroup:
    key: int
    label: str
    title: str = ""
    counts: StatusCounts = field(default_factory=StatusCounts)


@dataclass
class StatusReport:
    rows: list[StatusRow]
    by_agency: list[StatusGroup]
    by_outcome: list[StatusGroup]
    totals: StatusCounts
    days_left: int | None

    @property
    def past_due(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.past_due else 0


def is_overdue(status: str, due_date: dt.date | None, today: dt.date) -> bool:
    """Still to be done by the agency after the due date."""
    return due_date is not None and today > due_date and status in OUTSTANDING


def reporting_status(
    indicators: Sequence[IndicatorToReport],
    statuses: Mapping[int, str],
    *,
    due_date: dt.date | None,
    today: dt.date,
) -> StatusReport:
    """Each indicator's status in a period (``statuses`` by indicator id; missing
    when absent), counted per agency and per outcome; overdue rows first, then what
    needs action, each group in framework order."""
    rows = []
    for indicator in indicators:
        status = statuses.get(indicator.indicator_id, MISSING)
        rows.append(StatusRow(indicator, status, is_overdue(status, due_date, today)))
    position = {row.indicator.indicator_id: n for n, row in enumerate(rows)}
    rows.sort(
        key=lambda r: (
            not r.overdue,
            _STATUS_ORDER.index(r.status),
            position[r.indicator.indicator_id],
        )
    )
    totals = StatusCounts()
    agencies: dict[int, StatusGroup] = {}
    outcomes: dict[int, StatusGroup] = {}
    for indicator in indicators:  # groups appear in framework order
        i = indicator
        agencies.setdefault(i.agency_id, StatusGroup(i.agency_id, i.agency_name))
        outcomes.setdefault(
            i.outcome_id, StatusGroup(i.outcome_id, i.outcome_code, i.outcome_title)
        )
    for row in rows:
        totals.add(row)
        agencies[row.indicator.agency_id].counts.add(row)
        outcomes[row.indicator.outcome_id].counts.add(row)
    by_agency = sorted(agencies.values(), key=lambda g: (-g.counts.overdue, g.label))
    by_outcome = sorted(
        outcomes.values(), key=lambda g: -g.counts.overdue
    )  # stable: framework order within equal overdue counts
    return StatusReport(
        rows=rows,
        by_agency=by_agency,
        by_outcome=by_outcome,
        totals=totals,
        days_left=days_to_due(due_date, today),
    )


# Reminders ------------------------------------------------------------------------

Kind = SentReminder.Kind


def reminder_kind(due_date: dt.date | None, today: dt.date) -> str | None:
    """Which reminder a period calls for today: due within 14 days, within 3, overdue."""
    days = days_to_due(due_date, today)
    if days is None or days > 14:
        return None
    if days < 0:
        return Kind.OVERDUE
    return Kind.DUE_VERY_SOON if days <= 3 else Kind.DUE_SOON


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    email: str
    name: str
    programme_id: int
    agency_id: int
    agency_name: str
    programme_name: str = ""


@dataclass(frozen=True)
class ReminderPeriod:
    id: int
    programme_id: int
    name: str
    due_date: dt.date


@dataclass(frozen=True)
class ReminderItem:
    """One period's outstanding indicators in a reminder."""

    period: ReminderPeriod
    kind: str
    rows: tuple[StatusRow, ...]

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


@dataclass(frozen=True)
class Reminder:
    """One e-mail: everything one person's agency still has to report."""

    staff: StaffMember
    items: tuple[ReminderItem, ...]

    @property
    def subject(self) -> str:
        parts = [
            _("%(count)s %(kind)s (%(period)s)")
            % {"count": len(item.rows), "kind": item.kind_label.lower(), "period": item.period.name}
            for item in self.items
        ]
        return _("Results to report: %(parts)s") % {"parts": "; ".join(parts)}


def plan_reminders(
    *,
    periods: Sequence[ReminderPeriod],
    indicators: Sequence[IndicatorToReport],
    statuses: Mapping[tuple[int, int], str],
    staff: Sequence[StaffMember],
    already_sent: set[tuple[int, int, str]],
    today: dt.date,
) -> list[Reminder]:
    """The reminders to send today, one per person who has something to be told.

    Each person hears about the indicators of outcomes their agency leads that are
    missing, drafted or returned in a period due within 14 days or overdue, once
    per period and kind (``already_sent`` holds (user, period, kind) sent before).
    ``statuses`` is keyed by (period id, indicator id).
    """
    reminders = []
    for person in staff:
        items = []
        for period in sorted(periods, key=lambda p: (p.due_date, p.id)):
            kind = reminder_kind(period.due_date, today)
            if period.programme_id != person.programme_id or kind is None:
                continue
            if (person.user_id, period.id, kind) in already_sent:
                continue
            rows = tuple(
                StatusRow(i, status, kind == Kind.OVERDUE)
                for i in indicators
                if i.agency_id == person.agency_id
                and i.programme_id == period.programme_id
                and (status := statuses.get((period.id, i.indicator_id), MISSING)) in OUTSTANDING
            )
            if rows:
                items.append(ReminderItem(period, kind, rows))
        if items:
            reminders.append(Reminder(person, tuple(items)))
    return reminders
