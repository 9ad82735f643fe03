"""Funding figures computed from flat rows: pure functions over dataclasses, no queries.

The rounding rule (one, for every figure): each pledge converts into the programme
currency at the rate in force on the day it was pledged, each payment and prospect on
its own date; each converted amount is rounded to the cent, half up, once; totals are
exact sums of those cents and are never rounded again. Percentages are rounded half up
to one decimal. An amount without a rate is left out of every total and reported.

Earmarking decides where money counts: earmarked to an outcome, it counts for that
outcome and rolls up to the outcome's pillar; earmarked to a pillar, it counts for the
pillar only; earmarked to an agency, for the agency only; not earmarked, for the
programme as a whole. Every cut adds the money it cannot place to named rows, so each
table sums to the headline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .currency import MissingRate, RateTable

ZERO = Decimal("0.00")
COMMITTED_STATUSES = frozenset({"committed", "paid"})
STATUS_LABELS = {
    "pledged": gettext_lazy("Pledged"),
    "committed": gettext_lazy("Committed"),
    "paid": gettext_lazy("Paid"),
}
STAGE_LABELS = {
    "approached": gettext_lazy("Approached"),
    "interested": gettext_lazy("Interested"),
    "pledged": gettext_lazy("Pledged"),
    "declined": gettext_lazy("Declined"),
}
OPEN_STAGES = ("approached", "interested")

# Earmarking levels, in the order the page explains them.
OUTCOME, PILLAR, AGENCY, PROGRAMME = "outcome", "pillar", "agency", "programme"
LEVEL_LABELS = {
    OUTCOME: gettext_lazy("Earmarked to an outcome"),
    PILLAR: gettext_lazy("Earmarked to a pillar"),
    AGENCY: gettext_lazy("Earmarked to an agency"),
    PROGRAMME: gettext_lazy("Not earmarked (whole programme)"),
}
LEVEL_RULES = {
    OUTCOME: gettext_lazy("counts for its outcome and rolls up to the outcome's pillar"),
    PILLAR: gettext_lazy("counts for the pillar only, not for any one outcome"),
    AGENCY: gettext_lazy("counts for the agency only, not for a pillar or outcome"),
    PROGRAMME: gettext_lazy("counts for the programme as a whole"),
}
INCOMPLETE_MARK = " †"
ANONYMOUS_DONOR = gettext_lazy("Anonymous donor")
MISSING_KINDS = {
    "pledge": gettext_lazy("Pledge"),
    "payment": gettext_lazy("Payment"),
    "prospect": gettext_lazy("Prospect"),
}


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole in per cent, half up to one decimal; None when whole is zero or None."""
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


# --- Input rows --------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeRow:
    """One pledge as the selectors read it (the first four fields suffice for totals)."""

    amount: Decimal
    currency: str
    pledged_on: date
    status: str
    id: int | None = None
    donor_id: int | None = None
    donor_name: str = ""
    earmark_pillar_id: int | None = None
    earmark_outcome_id: int | None = None
    earmark_agency_id: int | None = None
    is_anonymous: bool = False
    reference: str = ""

    @property
    def is_committed(self) -> bool:
        return self.status in COMMITTED_STATUSES


@dataclass(frozen=True)
class PaymentRow:
    id: int
    pledge_id: int
    amount: Decimal
    currency: str
    received_on: date
    received_by_id: int
    reference: str = ""


@dataclass(frozen=True)
class PillarRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    code: str
    title: str
    pillar_id: int


@dataclass(frozen=True)
class BudgetLine:
    """An agency's share of an outcome's budget, in the programme currency."""

    outcome_id: int
    agency_id: int
    amount: Decimal


@dataclass(frozen=True)
class ProspectRow:
    id: int
    donor_name: str
    amount: Decimal
    currency: str
    stage: str
    next_step: str
    owner_agency_id: int
    date: date


@dataclass(frozen=True)
class FundingData:
    """Everything one programme's report needs, read in a fixed number of queries."""

    currency: str
    pillars: list[PillarRow]
    outcomes: list[OutcomeRow]
    budget_lines: list[BudgetLine]
    agencies: dict[int, str]  # organisation id → name, for every agency referred to
    pledges: list[PledgeRow]
    payments: list[PaymentRow]
    prospects: list[ProspectRow] = field(default_factory=list)
    participating_agency_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Viewer:
    """What the person reading the report may see.

    ``sees_all``: every pledge and payment in detail and every donor's name (managers,
    agency staff, the coordinator). Otherwise (a donor): its own pledges and payments
    in detail, other donors by name and totals only, and "Anonymous donor" for those
    who asked for it.
    """

    sees_all: bool
    donor_id: int | None = None
    sees_pipeline: bool = False

    def may_see(self, pledge: PledgeRow) -> bool:
        return self.sees_all or (self.donor_id is not None and pledge.donor_id == self.donor_id)


STAFF = Viewer(sees_all=True, sees_pipeline=True)


# --- Output -------------------------------------------------------------------------


@dataclass
class Figures:
    """Money for one line of a cut, in the programme currency."""

    budget: Decimal | None = None  # None: the line has no budget of its own
    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    incomplete: bool = False  # some amount was left out for want of a rate

    @property
    def gap(self) -> Decimal | None:
        """Budget − committed, never below zero."""
        if self.budget is None:
            return None
        return max(self.budget - self.committed, ZERO)

    @property
    def over_funded_by(self) -> Decimal:
        if self.budget is None:
            return ZERO
        return max(self.committed - self.budget, ZERO)

    @property
    def percent_funded(self) -> Decimal | None:
        return percent(self.committed, self.budget)

    @property
    def percent_pledged(self) -> Decimal | None:
        return percent(self.pledged, self.budget)

    @property
    def percent_paid(self) -> Decimal | None:
        return percent(self.paid, self.budget)

    # The three parts of a stacked bar: their sum is what was pledged (or paid, if more).
    @property
    def paid_part(self) -> Decimal:
        return self.paid

    @property
    def committed_unpaid(self) -> Decimal:
        return max(self.committed - self.paid, ZERO)

    @property
    def pledged_uncommitted(self) -> Decimal:
        return max(self.pledged - max(self.committed, self.paid), ZERO)


@dataclass
class Line:
    key: str
    label: str
    figures: Figures
    detail: str = ""  # e.g. the outcome's pillar, or "anonymous to other donors"
    is_bucket: bool = False  # money the cut cannot place on one of its entities
    received: Decimal | None = None  # by agency: every payment the agency received
    originals: dict[str, Decimal] = field(default_factory=dict)  # pledged, by currency
    order: int = 0

    @property
    def display_label(self) -> str:
        return self.label + (INCOMPLETE_MARK if self.figures.incomplete else "")

    @property
    def originals_text(self) -> str:
        return ", ".join(f"{amount:,.2f} {cur}" for cur, amount in sorted(self.originals.items()))


@dataclass
class PaymentView:
    id: int
    pledge_id: int
    donor_label: str
    amount: Decimal
    currency: str
    received_on: date
    received_by: str
    converted: Decimal | None
    reference: str


@dataclass
class PledgeView:
    id: int | None
    donor_id: int | None
    donor_label: str
    amount: Decimal
    currency: str
    pledged_on: date
    status: str
    earmark_level: str
    earmark_label: str
    converted: Decimal | None
    paid: Decimal
    is_anonymous: bool
    reference: str
    payments: list[PaymentView] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True)
class MissingItem:
    """An amount left out of the totals because no rate was in force on its date."""

    kind: str  # "pledge", "payment" or "prospect"
    ref: int | None  # the pledge's, payment's or prospect's id (None when not shown)
    who: str
    amount: Decimal | None  # None where the viewer may not see it
    currency: str
    target: str
    on: date

    @property
    def what(self) -> str:
        ref = f" #{self.ref}" if self.ref is not None else ""
        return f"{MISSING_KINDS.get(self.kind, self.kind.capitalize())}{ref} ({self.who})"

    def __str__(self) -> str:
        amount = f"{self.amount:,.2f} {self.currency}" if self.amount is not None else self.currency
        return _(
            "%(what)s: %(amount)s on %(date)s — no %(currency)s→%(target)s rate on or "
            "before that date"
        ) % {
            "what": self.what,
            "amount": amount,
            "date": date_format(self.on, "DATE_FORMAT"),
            "currency": self.currency,
            "target": self.target,
        }


@dataclass
class Quarter:
    label: str
    pledged: Decimal = ZERO
    paid: Decimal = ZERO
    cumulative_pledged: Decimal = ZERO
    cumulative_paid: Decimal = ZERO


@dataclass
class ProspectView:
    id: int
    donor_name: str
    stage: str
    amount: Decimal
    currency: str
    converted: Decimal | None
    next_step: str
    owner_agency: str
    date: date

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, self.stage))


@dataclass
class StageTotal:
    stage: str
    count: int = 0
    amount: Decimal = ZERO
    incomplete: bool = False

    @property
    def label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, self.stage)) + (
            INCOMPLETE_MARK if self.incomplete else ""
        )


@dataclass
class Pipeline:
    prospects: list[ProspectView]
    by_stage: list[StageTotal]

    @property
    def open_amount(self) -> Decimal:
        """Still hoped for: prospects approached or interested."""
        return sum((s.amount for s in self.by_stage if s.stage in OPEN_STAGES), ZERO)


@dataclass
class FundingReport:
    currency: str
    viewer: Viewer
    headline: Figures
    by_level: list[Line]
    by_pillar: list[Line]
    by_outcome: list[Line]
    by_agency: list[Line]
    by_donor: list[Line]
    by_quarter: list[Quarter]
    pledges: list[PledgeView]  # those the viewer may see in detail
    payments: list[PaymentView]  # likewise
    missing: list[MissingItem]
    pipeline: Pipeline | None
    pledge_count: int = 0
    donor_count: int = 0

    @property
    def has_incomplete(self) -> bool:
        return bool(self.missing)


# --- The computation ----------------------------------------------------------------


def _converted(rates: RateTable, amount: Decimal, currency: str, on: date) -> Decimal | None:
    value = rates.convert(amount, currency, on)
    return None if isinstance(value, MissingRate) else value


def funding_report(*, data: FundingData, rates: RateTable, viewer: Viewer) -> FundingReport:
    """The funding report of one programme as ``viewer`` may see it."""
    target = data.currency
    pillars = {p.id: p for p in data.pillars}
    outcomes = {o.id: o for o in data.outcomes}
    agency_name = data.agencies.get

    # Budget: outcome shares, rolled up to pillars and summed per agency.
    outcome_budget: dict[int, Decimal] = defaultdict(lambda: ZERO)
    agency_budget: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in data.budget_lines:
        outcome_budget[line.outcome_id] += line.amount
        agency_budget[line.agency_id] += line.amount
    pillar_budget: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for outcome in data.outcomes:
        pillar_budget[outcome.pillar_id] += outcome_budget[outcome.id]
    budget = sum(outcome_budget.values(), ZERO)

    headline = Figures(budget=budget)

    def bucket(key: str, level: str, order: int) -> Line:
        return Line(
            key=f"bucket:{key}",
            label=str(LEVEL_LABELS[level]),
            figures=Figures(),
            is_bucket=True,
            order=order,
        )

    by_level = {
        level: Line(
            key=f"level:{level}",
            label=str(LEVEL_LABELS[level]),
            figures=Figures(),
            detail=str(LEVEL_RULES[level]),
            is_bucket=True,
        )
        for level in (OUTCOME, PILLAR, AGENCY, PROGRAMME)
    }
    pillar_lines = {
        p.id: Line(key=f"pillar:{p.id}", label=p.name, figures=Figures(budget=pillar_budget[p.id]))
        for p in data.pillars
    }
    pillar_buckets = {AGENCY: bucket("agency", AGENCY, 1), PROGRAMME: bucket("prog", PROGRAMME, 2)}
    outcome_lines = {
        o.id: Line(
            key=f"outcome:{o.id}",
            label=f"{o.code} {o.title}",
            figures=Figures(budget=outcome_budget[o.id]),
            detail=pillars[o.pillar_id].name if o.pillar_id in pillars else "",
        )
        for o in data.outcomes
    }
    outcome_buckets = {
        PILLAR: bucket("pillar", PILLAR, 1),
        AGENCY: bucket("agency", AGENCY, 2),
        PROGRAMME: bucket("prog", PROGRAMME, 3),
    }
    agency_ids = set(data.participating_agency_ids) | set(agency_budget)
    agency_ids |= {p.earmark_agency_id for p in data.pledges if p.earmark_agency_id}
    agency_ids |= {p.received_by_id for p in data.payments}
    agency_lines = {
        a: Line(
            key=f"agency:{a}",
            label=agency_name(a, _("Organisation %(id)s") % {"id": a}),
            figures=Figures(budget=agency_budget.get(a, ZERO)),
            received=ZERO,
        )
        for a in agency_ids
    }
    agency_buckets = {
        OUTCOME: Line(
            key="bucket:outcome-or-pillar",
            label=_("Earmarked to an outcome or a pillar"),
            figures=Figures(),
            is_bucket=True,
            order=1,
        ),
        PROGRAMME: bucket("prog", PROGRAMME, 2),
    }
    agency_buckets[PILLAR] = agency_buckets[OUTCOME]
    donor_lines: dict[str, Line] = {}

    def level_of(pledge: PledgeRow) -> str:
        if pledge.earmark_outcome_id in outcomes:
            return OUTCOME
        if pledge.earmark_pillar_id in pillars:
            return PILLAR
        if pledge.earmark_agency_id is not None:
            return AGENCY
        return PROGRAMME

    def earmark_label(pledge: PledgeRow, level: str) -> str:
        if level == OUTCOME:
            outcome = outcomes[pledge.earmark_outcome_id]
            return _("Outcome %(code)s %(title)s") % {"code": outcome.code, "title": outcome.title}
        if level == PILLAR:
            return _("Pillar: %(name)s") % {"name": pillars[pledge.earmark_pillar_id].name}
        if level == AGENCY:
            return _("Agency: %(name)s") % {"name": agency_name(pledge.earmark_agency_id, "?")}
        return _("Whole programme")

    def donor_line(pledge: PledgeRow) -> Line:
        # Other donors' anonymous pledges are pooled for a donor reading the report.
        if pledge.is_anonymous and not viewer.may_see(pledge):
            key, label, detail = "donor:anonymous", str(ANONYMOUS_DONOR), ""
        else:
            key, label = f"donor:{pledge.donor_id}", pledge.donor_name
            detail = _("anonymous to other donors") if pledge.is_anonymous else ""
        line = donor_lines.get(key)
        if line is None:
            line = donor_lines[key] = Line(key=key, label=label, figures=Figures())
        if detail and not line.detail:
            line.detail = detail
        return line

    # Which lines of every cut a pledge (and its payments) counts on.
    pledge_lines: dict[int | None, list[Line]] = {}
    pledge_level: dict[int | None, str] = {}
    for index, pledge in enumerate(data.pledges):
        level = level_of(pledge)
        lines = [by_level[level], donor_line(pledge)]
        if level == OUTCOME:
            outcome = outcomes[pledge.earmark_outcome_id]
            lines.append(outcome_lines[outcome.id])
            if outcome.pillar_id in pillar_lines:
                lines.append(pillar_lines[outcome.pillar_id])
            lines.append(agency_buckets[OUTCOME])
        elif level == PILLAR:
            lines += [
                pillar_lines[pledge.earmark_pillar_id],
                outcome_buckets[PILLAR],
                agency_buckets[PILLAR],
            ]
        elif level == AGENCY:
            lines += [
                pillar_buckets[AGENCY],
                outcome_buckets[AGENCY],
                agency_lines[pledge.earmark_agency_id],
            ]
        else:
            lines += [
                pillar_buckets[PROGRAMME],
                outcome_buckets[PROGRAMME],
                agency_buckets[PROGRAMME],
            ]
        key = pledge.id if pledge.id is not None else -index - 1
        pledge_lines[key] = lines
        pledge_level[key] = level

    missing: list[MissingItem] = []
    quarters: dict[tuple[int, int], Quarter] = {}

    def quarter(day: date) -> Quarter:
        key = quarter_of(day)
        if key not in quarters:
            quarters[key] = Quarter(label=f"{key[0]} Q{key[1]}")
        return quarters[key]

    def note_missing(
        kind: str,
        ref: int,
        pledge: PledgeRow | None,
        amount: Decimal,
        currency: str,
        on: date,
        who: str = "",
    ) -> None:
        """Report an amount left out; a donor sees another donor's only as such."""
        shown = pledge is None or viewer.may_see(pledge)
        if pledge is not None:
            who = pledge.donor_name if shown else _("another donor")
        missing.append(
            MissingItem(
                kind=kind,
                ref=ref if shown else None,
                who=who,
                amount=amount if shown else None,
                currency=currency,
                target=target,
                on=on,
            )
        )

    pledge_views: dict[int, PledgeView] = {}
    pledge_by_id: dict[int, PledgeRow] = {}
    for index, pledge in enumerate(data.pledges):
        key = pledge.id if pledge.id is not None else -index - 1
        pledge_by_id[key] = pledge
        lines = pledge_lines[key]
        converted = _converted(rates, pledge.amount, pledge.currency, pledge.pledged_on)
        if converted is None:
            note_missing(
                "pledge", pledge.id, pledge, pledge.amount, pledge.currency, pledge.pledged_on
            )
            headline.incomplete = True
            for line in lines:
                line.figures.incomplete = True
        else:
            headline.pledged += converted
            if pledge.is_committed:
                headline.committed += converted
            for line in lines:
                line.figures.pledged += converted
                if pledge.is_committed:
                    line.figures.committed += converted
            quarter(pledge.pledged_on).pledged += converted
        if pledge.currency != target:
            donor = donor_line(pledge)
            donor.originals[pledge.currency] = (
                donor.originals.get(pledge.currency, ZERO) + pledge.amount
            )
        if viewer.may_see(pledge):
            level = pledge_level[key]
            pledge_views[key] = PledgeView(
                id=pledge.id,
                donor_id=pledge.donor_id,
                donor_label=pledge.donor_name,
                amount=pledge.amount,
                currency=pledge.currency,
                pledged_on=pledge.pledged_on,
                status=pledge.status,
                earmark_level=level,
                earmark_label=earmark_label(pledge, level),
                converted=converted,
                paid=ZERO,
                is_anonymous=pledge.is_anonymous,
                reference=pledge.reference,
            )

    payment_views: list[PaymentView] = []
    for payment in data.payments:
        pledge = pledge_by_id.get(payment.pledge_id)
        if pledge is None:
            continue  # a payment on a pledge of another programme: not ours to count
        lines = pledge_lines[payment.pledge_id]
        receiver = agency_lines[payment.received_by_id]
        converted = _converted(rates, payment.amount, payment.currency, payment.received_on)
        if converted is None:
            note_missing(
                "payment", payment.id, pledge, payment.amount, payment.currency, payment.received_on
            )
            headline.incomplete = True
            receiver.figures.incomplete = True
            for line in lines:
                line.figures.incomplete = True
        else:
            headline.paid += converted
            receiver.received += converted
            for line in lines:
                line.figures.paid += converted
            quarter(payment.received_on).paid += converted
        view = pledge_views.get(payment.pledge_id)
        if view is not None:
            shown = PaymentView(
                id=payment.id,
                pledge_id=payment.pledge_id,
                donor_label=pledge.donor_name,
                amount=payment.amount,
                currency=payment.currency,
                received_on=payment.received_on,
                received_by=receiver.label,
                converted=converted,
                reference=payment.reference,
            )
            view.payments.append(shown)
            if converted is not None:
                view.paid += converted
            payment_views.append(shown)

    pipeline = None
    if viewer.sees_pipeline:
        pipeline = _pipeline(data, rates, agency_name, note_missing)

    def by_label(line: Line) -> tuple:
        return (line.is_bucket, line.order, line.label.casefold())

    return FundingReport(
        currency=target,
        viewer=viewer,
        headline=headline,
        by_level=list(by_level.values()),
        by_pillar=list(pillar_lines.values()) + sorted(pillar_buckets.values(), key=by_label),
        by_outcome=list(outcome_lines.values()) + sorted(outcome_buckets.values(), key=by_label),
        by_agency=sorted(agency_lines.values(), key=by_label)
        + sorted({id(b): b for b in agency_buckets.values()}.values(), key=by_label),
        by_donor=sorted(
            donor_lines.values(),
            key=lambda line: (
                line.key == "donor:anonymous",
                -line.figures.pledged,
                line.label.casefold(),
            ),
        ),
        by_quarter=_quarter_series(quarters),
        pledges=sorted(
            pledge_views.values(), key=lambda v: (v.pledged_on, v.id or 0), reverse=True
        ),
        payments=sorted(payment_views, key=lambda v: (v.received_on, v.id), reverse=True),
        missing=missing,
        pipeline=pipeline,
        pledge_count=len(data.pledges),
        donor_count=len({p.donor_id for p in data.pledges}),
    )


def _quarter_series(quarters: dict[tuple[int, int], Quarter]) -> list[Quarter]:
    """Every quarter from the first to the last with money, empty ones included."""
    if not quarters:
        return []
    (year, q), last = min(quarters), max(quarters)
    series = []
    pledged = paid = ZERO
    while (year, q) <= last:
        row = quarters.get((year, q)) or Quarter(label=f"{year} Q{q}")
        pledged += row.pledged
        paid += row.paid
        row.cumulative_pledged, row.cumulative_paid = pledged, paid
        series.append(row)
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return series


def _pipeline(data: FundingData, rates: RateTable, agency_name, note_missing) -> Pipeline:
    stages = {stage: StageTotal(stage=stage) for stage in STAGE_LABELS}
    views = []
    for prospect in sorted(data.prospects, key=lambda p: (p.date, p.id), reverse=True):
        converted = _converted(rates, prospect.amount, prospect.currency, prospect.date)
        total = stages.setdefault(prospect.stage, StageTotal(stage=prospect.stage))
        total.count += 1
        if converted is None:
            note_missing(
                "prospect",
                prospect.id,
                None,
                prospect.amount,
                prospect.currency,
                prospect.date,
                who=prospect.donor_name,
            )
            total.incomplete = True
        else:
            total.amount += converted
        views.append(
            ProspectView(
                id=prospect.id,
                donor_name=prospect.donor_name,
                stage=prospect.stage,
                amount=prospect.amount,
                currency=prospect.currency,
                converted=converted,
                next_step=prospect.next_step,
                owner_agency=agency_name(prospect.owner_agency_id, "?"),
                date=prospect.date,
            )
        )
    return Pipeline(prospects=views, by_stage=list(stages.values()))


# --- The dashboard's summary (kept for ``/``) ---------------------------------------


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
    *, budget: Decimal, pledges: Iterable[PledgeRow], rates: RateTable
) -> FundingSummary:
    """Total pledged and committed (committed or paid) in the programme currency, with
    the same conversion and rounding as the funding report."""
    summary = FundingSummary(currency=rates.target, budget=budget)
    for pledge in pledges:
        converted = rates.convert(pledge.amount, pledge.currency, pledge.pledged_on)
        if isinstance(converted, MissingRate):
            summary.missing_rates.append(converted)
            continue
        summary.pledged += converted
        if pledge.is_committed:
            summary.committed += converted
    return summary


# --- Several programmes -------------------------------------------------------------


@dataclass
class CurrencyTotal:
    """Programmes reporting in one currency, summed (budgets have no date to convert at)."""

    currency: str
    programmes: int = 0
    figures: Figures = field(default_factory=lambda: Figures(budget=ZERO))


def installation_totals(reports: Iterable[FundingReport]) -> list[CurrencyTotal]:
    totals: dict[str, CurrencyTotal] = {}
    for report in reports:
        total = totals.setdefault(report.currency, CurrencyTotal(report.currency))
        total.programmes += 1
        h, f = report.headline, total.figures
        f.budget += h.budget or ZERO
        f.pledged += h.pledged
        f.committed += h.committed
        f.paid += h.paid
        f.incomplete = f.incomplete or h.incomplete
    return sorted(totals.values(), key=lambda t: t.currency)
