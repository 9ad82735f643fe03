"""What an IATI export is built from: flat rows in dataclasses, read in a fixed
number of queries (fourteen) whatever the size of the programme."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from funding.models import Payment, Pledge
from jointprogramme.models import Participation, Pillar, Programme
from outcomes.models import (
    Alignment,
    DisaggregationCategory,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    ReportingPeriod,
    Result,
    ResultBreakdown,
)

# A text people write: one string, or its versions by language ("en", "sr") when the
# content is kept in several languages (django-modeltranslation: title_en, title_sr).
Text = str | dict[str, str]


def text_columns(model, name: str) -> list[str]:
    """The columns holding a text field: one per language when it is translated."""
    languages = getattr(settings, "MODELTRANSLATION_LANGUAGES", ())
    columns = [f"{name}_{language}" for language in languages]
    present = {field.name for field in model._meta.get_fields()}
    if columns and all(column in present for column in columns):
        return columns
    return [name]


def text_of(row, model, name: str) -> Text:
    """A text field read from a ``values()`` row (a dict) or an instance, in every
    language it is kept in, whatever language is active."""
    columns = text_columns(model, name)
    get = row.get if isinstance(row, dict) else lambda column: getattr(row, column)
    if columns == [name]:
        return get(name) or ""
    return {column.rsplit("_", 1)[1]: get(column) or "" for column in columns}


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    acronym: str = ""
    kind: str = ""
    country: str = ""

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    title: Text
    country: str
    status: str
    currency: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    summary: Text = ""
    short_title: str = ""
    framework: str = ""
    min_cell_size: int = 5


@dataclass(frozen=True)
class ParticipationRow:
    organisation_id: int
    role: str


@dataclass(frozen=True)
class PillarRow:
    id: int
    code: str
    name: str
    order: int = 0


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    code: str
    title: Text
    pillar_id: int
    lead_agency_id: int
    description: Text = ""
    order: int = 0
    is_sample: bool = False


@dataclass(frozen=True)
class BudgetRow:
    outcome_id: int
    agency_id: int
    amount: Decimal


@dataclass(frozen=True)
class OutputRow:
    id: int
    outcome_id: int
    code: str
    title: Text
    description: Text = ""
    order: int = 0


@dataclass(frozen=True)
class DimensionRow:
    id: int
    name: str
    categories: tuple[tuple[int, str], ...]  # (category id, name) in order


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    outcome_id: int
    code: str
    title: Text
    unit: str
    baseline: Decimal
    target: Decimal
    output_id: int | None = None
    means_of_verification: str = ""
    is_sensitive: bool = False
    dimensions: tuple[DimensionRow, ...] = ()
    order: int = 0


@dataclass(frozen=True)
class PeriodRow:
    id: int
    name: str
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class ResultRow:
    """An approved result: only those are published."""

    indicator_id: int
    period_id: int
    value: Decimal
    parts: dict[int, Decimal] = field(default_factory=dict)  # category id → value


@dataclass(frozen=True)
class LinkRow:
    """A confirmed link from an outcome to an active objective of a plan in force."""

    outcome_id: int
    objective_code: str
    objective_title: str
    plan_version: str


@dataclass(frozen=True)
class PledgeRow:
    id: int
    donor_id: int
    amount: Decimal
    currency: str
    pledged_on: dt.date
    status: str
    is_anonymous: bool = False
    is_sample: bool = False


@dataclass(frozen=True)
class PaymentRow:
    id: int
    pledge_id: int
    amount: Decimal
    currency: str
    received_on: dt.date
    received_by_id: int


@dataclass
class IatiData:
    programme: ProgrammeRow
    organisations: dict[int, Org] = field(default_factory=dict)
    participations: list[ParticipationRow] = field(default_factory=list)
    pillars: list[PillarRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    budgets: list[BudgetRow] = field(default_factory=list)
    outputs: list[OutputRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    periods: list[PeriodRow] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    pledges: list[PledgeRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)


def _org(row: dict, prefix: str) -> Org:
    return Org(
        id=row[f"{prefix}id"],
        name=row[f"{prefix}name"],
        acronym=row[f"{prefix}acronym"],
        kind=row[f"{prefix}kind"],
        country=row[f"{prefix}country"],
    )


def _org_fields(prefix: str) -> list[str]:
    return [f"{prefix}{name}" for name in ("id", "name", "acronym", "kind", "country")]


def iati_data(programme: Programme) -> IatiData:
    """Every row the export of ``programme`` needs. Fourteen queries."""
    orgs: dict[int, Org] = {}
    data = IatiData(
        programme=ProgrammeRow(
            id=programme.pk,
            title=text_of(programme, Programme, "title"),
            short_title=programme.short_title,
            country=programme.country,
            framework=programme.framework,
            status=programme.status,
            currency=programme.currency,
            start_date=programme.start_date,
            end_date=programme.end_date,
            summary=text_of(programme, Programme, "summary"),
            min_cell_size=programme.min_cell_size,
        )
    )
    for row in Participation.objects.filter(programme=programme).values(
        "role", *_org_fields("organisation__")
    ):
        org = _org(row, "organisation__")
        orgs[org.id] = org
        data.participations.append(ParticipationRow(org.id, row["role"]))
    data.pillars = [
        PillarRow(*row)
        for row in Pillar.objects.filter(programme=programme)
        .order_by("order", "name")
        .values_list("pk", "code", "name", "order")
    ]
    for row in Outcome.objects.filter(programme=programme).values(
        "pk",
        "code",
        *text_columns(Outcome, "title"),
        *text_columns(Outcome, "description"),
        "pillar_id",
        "order",
        "is_sample",
        *_org_fields("lead_agency__"),
    ):
        org = _org(row, "lead_agency__")
        orgs[org.id] = org
        data.outcomes.append(
            OutcomeRow(
                id=row["pk"],
                code=row["code"],
                title=text_of(row, Outcome, "title"),
                description=text_of(row, Outcome, "description"),
                pillar_id=row["pillar_id"],
                lead_agency_id=org.id,
                order=row["order"],
                is_sample=row["is_sample"],
            )
        )
    for row in OutcomeBudget.objects.filter(outcome__programme=programme).values(
        "outcome_id", "amount", *_org_fields("agency__")
    ):
        org = _org(row, "agency__")
        orgs[org.id] = org
        data.budgets.append(BudgetRow(row["outcome_id"], org.id, row["amount"]))
    data.outputs = [
        OutputRow(
            id=row["pk"],
            outcome_id=row["outcome_id"],
            code=row["code"],
            title=text_of(row, Output, "title"),
            description=text_of(row, Output, "description"),
            order=row["order"],
        )
        for row in Output.objects.filter(outcome__programme=programme)
        .order_by("order", "code")
        .values(
            "pk",
            "outcome_id",
            "code",
            "order",
            *text_columns(Output, "title"),
            *text_columns(Output, "description"),
        )
    ]
    data.indicators = _indicators(programme)
    data.periods = [
        PeriodRow(*row)
        for row in ReportingPeriod.objects.filter(programme=programme)
        .order_by("start_date")
        .values_list("pk", "name", "start_date", "end_date")
    ]
    approved = Result.objects.filter(
        indicator__outcome__programme=programme, status=Result.Status.APPROVED
    )
    parts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for result_id, category_id, value in ResultBreakdown.objects.filter(
        result__in=approved
    ).values_list("result_id", "category_id", "value"):
        parts[result_id][category_id] = value
    data.results = [
        ResultRow(indicator_id, period_id, value, parts.get(pk, {}))
        for pk, indicator_id, period_id, value in approved.values_list(
            "pk", "indicator_id", "period_id", "value"
        )
    ]
    data.links = [
        LinkRow(*row)
        for row in Alignment.objects.filter(
            outcome__programme=programme,
            objective__plan__programme=programme,
            review_status=Alignment.ReviewStatus.CONFIRMED,
            objective__status=NapObjective.Status.ACTIVE,
        )
        .exclude(objective__plan__status=NationalActionPlan.Status.SUPERSEDED)
        .order_by("objective__plan__version", "objective__order", "objective__code")
        .values_list(
            "outcome_id", "objective__code", "objective__title", "objective__plan__version"
        )
    ]
    for row in Pledge.objects.filter(programme=programme).values(
        "pk",
        "amount",
        "currency",
        "pledged_on",
        "status",
        "is_anonymous",
        "is_sample",
        *_org_fields("donor__"),
    ):
        org = _org(row, "donor__")
        orgs[org.id] = org
        data.pledges.append(
            PledgeRow(
                id=row["pk"],
                donor_id=org.id,
                amount=row["amount"],
                currency=row["currency"],
                pledged_on=row["pledged_on"],
                status=row["status"],
                is_anonymous=row["is_anonymous"],
                is_sample=row["is_sample"],
            )
        )
    for row in Payment.objects.filter(pledge__programme=programme).values(
        "pk", "pledge_id", "amount", "currency", "received_on", *_org_fields("received_by__")
    ):
        org = _org(row, "received_by__")
        orgs[org.id] = org
        data.payments.append(
            PaymentRow(
                row["pk"],
                row["pledge_id"],
                row["amount"],
                row["currency"],
                row["received_on"],
                org.id,
            )
        )
    data.organisations = orgs
    return data


def _indicators(programme: Programme) -> list[IndicatorRow]:
    """Indicators with their dimensions and categories (three queries)."""
    categories: dict[int, list[tuple[int, str]]] = defaultdict(list)
    names: dict[int, str] = {}
    for category_id, name, dimension_id, dimension_name in (
        DisaggregationCategory.objects.filter(dimension__programme=programme)
        .order_by("dimension__order", "dimension__name", "order", "name")
        .values_list("pk", "name", "dimension_id", "dimension__name")
    ):
        categories[dimension_id].append((category_id, name))
        names[dimension_id] = dimension_name
    through = Indicator.dimensions.through
    dimensions_of: dict[int, list[int]] = defaultdict(list)
    for indicator_id, dimension_id in (
        through.objects.filter(indicator__outcome__programme=programme)
        .order_by("disaggregationdimension__order", "disaggregationdimension__name")
        .values_list("indicator_id", "disaggregationdimension_id")
    ):
        dimensions_of[indicator_id].append(dimension_id)
    rows = []
    for row in (
        Indicator.objects.filter(outcome__programme=programme)
        .order_by("order", "code")
        .values(
            "pk",
            "outcome_id",
            "output_id",
            "code",
            *text_columns(Indicator, "title"),
            "unit",
            "baseline",
            "target",
            "means_of_verification",
            "is_sensitive",
            "order",
        )
    ):
        rows.append(
            IndicatorRow(
                id=row["pk"],
                outcome_id=row["outcome_id"],
                output_id=row["output_id"],
                code=row["code"],
                title=text_of(row, Indicator, "title"),
                unit=row["unit"],
                baseline=row["baseline"],
                target=row["target"],
                means_of_verification=row["means_of_verification"],
                is_sensitive=row["is_sensitive"],
                order=row["order"],
                dimensions=tuple(
                    DimensionRow(d, names[d], tuple(categories[d]))
                    for d in dimensions_of[row["pk"]]
                    if d in names
                ),
            )
        )
    return rows
