"""Reads of the results framework and the National Action Plan.

Every function here answers in a fixed number of queries, whatever the number
of outcomes, indicators, results or history rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import (
    BooleanField,
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.utils.translation import gettext

from jointprogramme.compiled_sql import compiled_once
from jointprogramme.fingerprints import history_model
from jointprogramme.models import Participation, Pillar
from jointprogramme.transliteration import localized
from stakeholders.models import Organisation

from .models import (
    Alignment,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    Outcome,
    OutcomeBudget,
    Output,
    ReportingPeriod,
    Result,
    ResultBreakdown,
)
from .reporting import STEP_DONE
from .reports import (
    FieldChange,
    HistoryEntry,
    IndicatorFigures,
    OutcomeProgress,
    latest_entries,
    progress_by_outcome,
    progress_percent,
)
from .suppression import is_small, publish, publish_single

APPROVED = Result.Status.APPROVED

HISTORY_LIMIT = 20


def pillars_with_outcomes(programme) -> list[Pillar]:
    """The programme's pillars, each with ``outcome_list`` (lead agency loaded). Two queries."""
    outcomes = Outcome.objects.filter(programme=programme).select_related("lead_agency")
    return list(
        Pillar.objects.filter(programme=programme).prefetch_related(
            Prefetch("outcomes", queryset=outcomes, to_attr="outcome_list")
        )
    )


def programme_budget(programme) -> Decimal:
    """The programme budget: the sum of every agency's share of every outcome."""
    total = OutcomeBudget.objects.filter(outcome__programme=programme).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal(0)


# The results framework page -------------------------------------------------


def programme_pillars(programme) -> QuerySet[Pillar]:
    return Pillar.objects.filter(programme=programme)


def programme_agencies(programme, *, including: Iterable[int] = ()) -> QuerySet[Organisation]:
    """The UN agencies taking part in the programme: who may lead or join an outcome;
    plus the organisations ``including`` names (an outcome's current agencies, so
    that a form can keep them even if they no longer take part)."""
    taking_part = Q(
        participations__programme=programme,
        participations__role=Participation.Role.PARTICIPATING_AGENCY,
    )
    return (
        Organisation.objects.filter(taking_part | Q(pk__in=list(including)))
        .distinct()
        .order_by("acronym", "name")
    )


def outcomes_for_list(
    programme,
    *,
    pillar: Pillar | None = None,
    agency: Organisation | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[Outcome]:
    """The programme's outcomes in results-framework order, filtered.

    Pillar and lead agency come with each row; participating agencies are
    prefetched, so a page of them costs two queries (plus the paginator's count).
    """
    outcomes = Outcome.objects.for_programme(programme)
    if pillar is not None:
        outcomes = outcomes.filter(pillar=pillar)
    if agency is not None:
        outcomes = outcomes.involving_agency(agency)
    if status:
        outcomes = outcomes.filter(status=status)
    if search:
        outcomes = outcomes.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(description__icontains=search)
        )
    return (
        outcomes.select_related("pillar", "lead_agency")
        .prefetch_related("participating_agencies")
        .order_by("pillar__order", "pillar__name", "order", "code", "pk")
    )


def _latest_result() -> QuerySet[Result]:
    """An indicator's latest approved result: only approved results count."""
    return Result.objects.filter(indicator=OuterRef("pk"), status=APPROVED).order_by(
        "-period__start_date"
    )


def indicator_figures(
    outcome_ids: list[int], *, suppress: bool = False, minimum: int = 0
) -> list[IndicatorFigures]:
    """Every indicator of the given outcomes with its latest approved result. Two queries.

    ``suppress``: figures of sensitive indicators below ``minimum`` are hidden (donors).
    """
    if not outcome_ids:
        return []
    rows = list(
        Indicator.objects.filter(outcome_id__in=outcome_ids)
        .annotate(latest_id=Subquery(_latest_result().values("pk")[:1]))
        .order_by("outcome_id", "order", "code")
        .values(
            "pk",
            "outcome_id",
            "code",
            "title",
            "unit",
            "baseline",
            "target",
            "is_sensitive",
            "latest_id",
        )
    )
    latest = {
        result["pk"]: result
        for result in Result.objects.filter(
            pk__in=[row["latest_id"] for row in rows if row["latest_id"]]
        ).values("pk", "value", "period__name", "period__locked_at")
    }
    for row in rows:
        result = latest.get(row["latest_id"], {})
        row["latest_value"] = result.get("value")
        row["latest_period"] = result.get("period__name")
        row["latest_locked_at"] = result.get("period__locked_at")
    return [
        IndicatorFigures(
            indicator_id=row["pk"],
            outcome_id=row["outcome_id"],
            code=row["code"],
            title=row["title"],
            unit=row["unit"],
            baseline=row["baseline"],
            target=row["target"],
            # SQLite hands back a subquery's decimal as a float or int.
            latest_value=None if row["latest_value"] is None else Decimal(str(row["latest_value"])),
            latest_period=row["latest_period"],
            latest_locked=row["latest_locked_at"] is not None,
            is_sensitive=row["is_sensitive"],
            suppress=suppress and row["is_sensitive"],
            minimum=minimum,
        )
        for row in rows
    ]


def progress_for(
    outcomes: list[Outcome], *, suppress: bool = False, minimum: int = 0
) -> dict[int, OutcomeProgress]:
    """Indicator progress of each outcome (approved results), keyed by outcome id. Two queries."""
    ids = [o.pk for o in outcomes]
    return progress_by_outcome(indicator_figures(ids, suppress=suppress, minimum=minimum), ids)


# One outcome -----------------------------------------------------------------


def outcome_for_access(pk: int) -> Outcome | None:
    """An outcome with what the permission rules read (agencies). Two queries."""
    return (
        Outcome.objects.select_related("programme", "pillar", "lead_agency")
        .prefetch_related("participating_agencies")
        .filter(pk=pk)
        .first()
    )


# What a result is shown with: who entered, submitted and reviewed it, and its
# period (with who locked it).
_RESULT_RELATIONS = (
    "period",
    "period__locked_by",
    "reported_by",
    "submitted_by",
    "submitted_for",
    "reviewed_by",
)


def _results(*, approved_only: bool = False) -> QuerySet[Result]:
    """Results with who entered, submitted and reviewed them, their period (and its
    lock) and their parts (``breakdown_list``), oldest period first."""
    results = (
        Result.objects.select_related(*_RESULT_RELATIONS)
        .prefetch_related(
            Prefetch(
                "breakdowns", queryset=ResultBreakdown.objects.order_by(), to_attr="breakdown_list"
            )
        )
        .order_by("period__start_date")
    )
    return results.filter(status=APPROVED) if approved_only else results


def _dimensions() -> Prefetch:
    """An indicator's dimensions (``dimension_list``), each with ``category_list``."""
    categories = DisaggregationCategory.objects.order_by("order", "name")
    dimensions = DisaggregationDimension.objects.order_by("order", "name").prefetch_related(
        Prefetch("categories", queryset=categories, to_attr="category_list")
    )
    return Prefetch("dimensions", queryset=dimensions, to_attr="dimension_list")


def breakdown_cells(indicator: Indicator, result: Result) -> list[tuple[str, list]]:
    """A result's parts (``breakdown_list``: anything with a ``category_id`` and a
    ``value``) as (dimension, [(category, value or None)]), for the dimensions it
    was broken down by."""
    values = {b.category_id: b.value for b in result.breakdown_list}
    cells = []
    for dimension in indicator.dimension_list:
        row = [(c.name, values.get(c.pk)) for c in dimension.category_list]
        if any(value is not None for _name, value in row):
            cells.append((dimension.name, row))
    return cells


# Results an indicator shows on its outcome's page before "show earlier results".
RESULTS_SHOWN = 4


@dataclass(frozen=True)
class ShownResults:
    """Which of an indicator's results its outcome's page shows (ids, oldest first),
    its latest approved result, and how many approved ones are left out."""

    shown: tuple[int, ...]
    latest_approved: int | None
    earlier_count: int


def shown_results(
    results: list[tuple[int, bool]], *, include_unapproved: bool, expand: bool
) -> ShownResults:
    """Keep an outcome's page short whatever its age: of an indicator's results,
    (id, approved) oldest first, the newest ``RESULTS_SHOWN`` and any earlier one
    still in the reporting cycle (a draft, submitted or returned: someone has a
    step to take); with ``expand``, all of them. Without ``include_unapproved``
    (donors, the coordinator) approved ones only."""
    visible = results if include_unapproved else [r for r in results if r[1]]
    approved = [pk for pk, is_approved in results if is_approved]
    latest = approved[-1] if approved else None
    if expand or len(visible) <= RESULTS_SHOWN:
        return ShownResults(tuple(pk for pk, _ in visible), latest, 0)
    earlier, recent = visible[:-RESULTS_SHOWN], visible[-RESULTS_SHOWN:]
    open_steps = [pk for pk, is_approved in earlier if not is_approved]
    return ShownResults(
        shown=(*open_steps, *(pk for pk, _ in recent)),
        latest_approved=latest,
        earlier_count=len(earlier) - len(open_steps),
    )


_NO_RESULTS = ShownResults(shown=(), latest_approved=None, earlier_count=0)


@dataclass(frozen=True)
class Part:
    """A part of a result, as ``breakdown_cells`` reads it."""

    category_id: int
    value: Decimal


def _results_with_parts(outcome: Outcome) -> tuple[dict[int, list], dict[int, list[Part]]]:
    """Every result of the outcome's indicators as (id, approved), oldest first, by
    indicator; and the parts of each result, by result. One query of plain rows: a
    page shows a few results of each indicator, which are then fetched whole."""
    rows = (
        Result.objects.filter(indicator__outcome=outcome)
        .order_by("period__start_date", "period_id")
        .values_list("pk", "indicator_id", "status", "breakdowns__category_id", "breakdowns__value")
    )
    by_indicator: dict[int, list[tuple[int, bool]]] = {}
    parts: dict[int, list[Part]] = {}
    for pk, indicator_id, status, category_id, value in rows:
        if pk not in parts:
            parts[pk] = []
            by_indicator.setdefault(indicator_id, []).append((pk, status == APPROVED))
        if category_id is not None:
            parts[pk].append(Part(category_id, value))
    return by_indicator, parts


def _publish_indicator(indicator: Indicator, *, minimum: int, suppress: bool) -> None:
    """Give the indicator what a page shows: ``baseline_figure``, the ``figures`` of
    each of its results and of its latest approved one (``latest_result``), and the
    progress to it."""
    hide = suppress and indicator.is_sensitive
    indicator.baseline_figure = publish_single(indicator.baseline, minimum=minimum, suppress=hide)
    latest = indicator.latest_result
    results = indicator.result_list
    for result in results if latest is None or latest in results else [*results, latest]:
        result.figures = publish(
            result.value, breakdown_cells(indicator, result), minimum=minimum, suppress=hide
        )
    hidden = indicator.baseline_figure.hidden or (
        latest is not None and latest.figures.total.hidden
    )
    indicator.progress = (
        None
        if hidden
        else progress_percent(
            baseline=indicator.baseline,
            target=indicator.target,
            latest=latest.value if latest else None,
        )
    )


def outcome_detail(
    outcome: Outcome, *, include_unapproved: bool, suppress: bool, expand: str | None = None
) -> None:
    """Load what its page shows onto an outcome from ``outcome_for_access``: outputs
    (``output_list``), indicators (``indicator_list``, with ``dimension_list``) and NAP
    links (``alignment_list``). Seven queries whatever the outcome's age (fewer
    without indicators or results).

    Each indicator gets the results its reader sees (``result_list``, see
    ``shown_results``; ``expand``: "all", or an indicator's id), its latest approved
    result, ``earlier_count``, and the figures (survivor-safe with ``suppress``)
    and progress of ``_publish_indicator``. Without ``include_unapproved`` (donors,
    the coordinator) only approved results are shown."""
    results, parts = _results_with_parts(outcome)
    choices = {
        indicator_id: shown_results(
            rows, include_unapproved=include_unapproved, expand=expand in ("all", str(indicator_id))
        )
        for indicator_id, rows in results.items()
    }
    wanted = [
        pk
        for choice in choices.values()
        for pk in (*choice.shown, choice.latest_approved)
        if pk is not None
    ]
    # In the order of the first query, with their parts from it.
    shown = Result.objects.select_related(*_RESULT_RELATIONS).order_by().filter(pk__in=wanted)
    indicators = (
        Indicator.objects.select_related("output")
        .prefetch_related(Prefetch("results", queryset=shown, to_attr="result_list"), _dimensions())
        .order_by("order", "code")
    )
    alignments = Alignment.objects.select_related(
        "objective", "objective__plan", "reviewed_by"
    ).order_by("objective__plan__title", "objective__order", "objective__code")
    prefetch_related_objects(
        [outcome],
        Prefetch(
            "outputs", queryset=Output.objects.order_by("order", "code"), to_attr="output_list"
        ),
        Prefetch("indicators", queryset=indicators, to_attr="indicator_list"),
        Prefetch("alignments", queryset=alignments, to_attr="alignment_list"),
    )
    for indicator in outcome.indicator_list:
        choice = choices.get(indicator.pk, _NO_RESULTS)
        fetched = {result.pk: result for result in indicator.result_list}
        for result in fetched.values():
            result.breakdown_list = parts[result.pk]
        # A result may have changed since the first query: what it is now counts.
        indicator.result_list = [
            fetched[pk]
            for pk in choice.shown
            if pk in fetched and (include_unapproved or fetched[pk].status == APPROVED)
        ]
        latest = fetched.get(choice.latest_approved)
        indicator.latest_result = latest if latest and latest.status == APPROVED else None
        indicator.earlier_count = choice.earlier_count
        _publish_indicator(indicator, minimum=outcome.programme.min_cell_size, suppress=suppress)


def outcome_feedback(outcome: Outcome) -> list:
    """Feedback from meetings about the outcome, latest meeting first. One query.

    Read through the reverse relation: the meetings app sits above this one.
    """
    return list(
        outcome.feedback.select_related("meeting", "organisation", "contact").order_by(
            "-meeting__start_date", "pk"
        )
    )


def outcome_for_edit(pk: int) -> Outcome | None:
    """An outcome with its outputs and indicators, as the edit page needs it."""
    return (
        Outcome.objects.select_related("programme", "pillar", "lead_agency")
        .prefetch_related(
            "participating_agencies",
            Prefetch(
                "outputs", queryset=Output.objects.order_by("order", "code"), to_attr="output_list"
            ),
        )
        .filter(pk=pk)
        .first()
    )


def indicator_for_report(outcome: Outcome, indicator_pk: int) -> Indicator | None:
    """An indicator of ``outcome`` with its results (period, people and parts loaded)
    and its dimensions with their categories."""
    indicator = (
        Indicator.objects.filter(outcome=outcome, pk=indicator_pk)
        .prefetch_related(
            Prefetch("results", queryset=_results(), to_attr="result_list"), _dimensions()
        )
        .first()
    )
    if indicator is not None:
        indicator.outcome = outcome  # already loaded with its agencies, for the rules
    return indicator


def reporting_periods(programme) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(programme=programme).order_by("start_date")


def result_for(indicator: Indicator, period: ReportingPeriod) -> Result | None:
    return (
        Result.objects.filter(indicator=indicator, period=period)
        .select_related("reported_by", "period")
        .first()
    )


def outcome_changes_since(outcome: Outcome, *, version: int) -> list:
    """Saves of the outcome after ``version``, oldest first, with who made them."""
    return list(
        Outcome.history.filter(id=outcome.pk, version__gt=version)
        .select_related("history_user")
        .order_by("history_id")
    )


# Change history ----------------------------------------------------------------

# Fields nobody needs to see in a diff: the parent link never changes, the lock
# version moves on every save, and a step's who and when are the entry's own.
_HIDDEN_FIELDS = {
    "id",
    "programme",
    "outcome",
    "indicator",
    "version",
    "submitted_by",
    "submitted_at",
    "submitted_for",
    "reviewed_by",
    "reviewed_at",
}
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class _Names:
    """Names of the objects a diff may point at, fetched once per page."""

    pillars: dict[int, str]
    agencies: dict[int, str]
    periods: dict[int, str]
    outputs: dict[int, str]
    indicators: dict[int, str]
    objectives: dict[int, str]
    users: dict[int, str]
    # For donors: baselines of sensitive indicators below this show as "< n".
    hide_below: int = 0
    sensitive_indicators: frozenset[int] = frozenset()


# What a "created" entry shows of the new record.
_CREATED_FIELDS = {
    "Outcome": ["title"],
    "Output": ["title"],
    "Indicator": ["title", "baseline", "target"],
    "Result": ["value", "status", "note", "evidence_url"],
    "NAP link": ["degree", "review_status"],
}


def _user_name(row) -> str:
    """Who made a history row (its user's full name, else username), from the names
    fetched with it (``_history_queryset``)."""
    if row.history_username is None:
        return gettext("system")
    full_name = f"{row.history_first_name} {row.history_last_name}".strip()
    return full_name or row.history_username


# The kinds of record in an outcome's history.
_HISTORY_KINDS = {
    "Outcome": Outcome,
    "Output": Output,
    "Indicator": Indicator,
    "Result": Result,
    "NAP link": Alignment,
}


def _history_scope(kind: str, outcome_id: int) -> Q:
    """Which history rows of a kind of record are the outcome's."""
    if kind == "Outcome":
        return Q(id=outcome_id)
    if kind == "Result":
        indicators = history_model(Indicator).objects.filter(outcome_id=outcome_id)
        return Q(indicator_id__in=indicators.values("id"))
    return Q(outcome_id=outcome_id)


def _history_queryset(model, scope: Q, *, limit: int) -> QuerySet:
    """The newest ``limit + 1`` history rows of ``model`` in ``scope`` and the rows
    they follow (for the diff), each saying whether it is in scope, with the names
    of who made it. The newest rows and the rows they follow are picked by
    subqueries, so comparing needs no query per row."""
    history = history_model(model)
    previous_id = Subquery(
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    newest = (
        history.objects.filter(scope)
        .order_by("-history_date", "-history_id")
        .values("history_id")[: limit + 1]
    )
    followed = (
        history.objects.filter(history_id__in=newest)
        .annotate(previous_id=previous_id)
        .values("previous_id")
    )
    return history.objects.filter(Q(history_id__in=newest) | Q(history_id__in=followed)).annotate(
        in_scope=ExpressionWrapper(scope, output_field=BooleanField()),
        history_first_name=F("history_user__first_name"),
        history_last_name=F("history_user__last_name"),
        history_username=F("history_user__username"),
    )


def _history_rows(kind: str, outcome_id: int, *, limit: int) -> list:
    """The newest ``limit + 1`` history rows of a kind of record of the outcome,
    newest first, each with the row it follows (``previous``, for the diff). One
    query.

    The newest are the first ``limit + 1`` rows in scope (a row followed is older
    than every newest one, unless it left the scope), and the row one follows is
    the row of the same record before it (those are fetched): worked out here,
    the query is quicker to build than with both in SQL."""
    # Every outcome page runs one per kind, of the same shape: compiled once per
    # process, as building it through the ORM (three nested subqueries) took three
    # times as long as running it.
    model = _HISTORY_KINDS[kind]
    sql, params = compiled_once(
        ("outcome history", kind, limit),
        lambda pk: _history_queryset(
            model, _history_scope(kind, pk), limit=limit
        ).query.sql_with_params(),
        outcome_id,
    )
    fetched = sorted(
        history_model(model).objects.raw(sql, params),
        key=lambda row: (row.history_date, row.history_id),
        reverse=True,
    )
    by_record: dict[int, list] = {}
    for row in sorted(fetched, key=lambda row: row.history_id):
        by_record.setdefault(row.id, []).append(row)
    for rows in by_record.values():
        for previous, row in zip([None, *rows], rows, strict=False):
            row.previous = previous
    return [row for row in fetched if row.in_scope][: limit + 1]


def _display(row, field_name: str, value, names: _Names) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "":
        return "—"
    if field_name == "baseline" and names.hide_below:
        sensitive = getattr(row, "is_sensitive", False) or row.id in names.sensitive_indicators
        if sensitive and is_small(Decimal(str(value)), names.hide_below):
            return f"< {names.hide_below}"
    field = row._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    lookups = {
        "pillar": names.pillars,
        "lead_agency": names.agencies,
        "period": names.periods,
        "output": names.outputs,
        "objective": names.objectives,
        "reported_by": names.users,
        "reviewed_by": names.users,
        "proposed_by": names.users,
    }
    if field_name in lookups:
        return lookups[field_name].get(value, f"#{value} (deleted)")
    if hasattr(value, "isoformat"):
        return (
            value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else str(value)
        )
    return str(value)


_STEPS_DONE = set(STEP_DONE.values())


def _action(kind: str, row) -> str:
    """ "created", "changed", "deleted" — or the reporting step a result took."""
    reason = getattr(row, "history_change_reason", None)
    if kind == "Result" and row.history_type == "~" and reason in _STEPS_DONE:
        return reason
    return _ACTIONS.get(row.history_type, row.history_type)


def _changes(kind: str, row, names: _Names) -> tuple[FieldChange, ...]:
    if row.history_type == "+":
        return tuple(
            FieldChange(
                field=str(row._meta.get_field(name).verbose_name).capitalize(),
                old="—",
                new=_display(row, name, getattr(row, name), names),
            )
            for name in _CREATED_FIELDS.get(kind, [])
            if getattr(row, name) not in (None, "")
        )
    if row.history_type != "~" or row.previous is None:
        return ()
    delta = row.diff_against(row.previous, excluded_fields=_HIDDEN_FIELDS)
    return tuple(
        FieldChange(
            field=str(row._meta.get_field(change.field).verbose_name).capitalize(),
            old=_display(row, change.field, change.old, names),
            new=_display(row, change.field, change.new, names),
        )
        for change in delta.changes
    )


def _history_names(programme_id: int, lead_ids: set[int]) -> tuple[dict, dict, dict]:
    """The names a history's differences may point at, {pk: name} each: the
    programme's pillars (in the active language), agencies (acronym, else name;
    with ``lead_ids``, past leads) and reporting periods. One query, a union."""

    def tagged(queryset, kind: str, first: str, second: str):
        return (
            queryset.order_by()
            .annotate(
                label_kind=Value(kind, output_field=CharField()),
                label_a=F(first),
                label_b=F(second),
            )
            .values_list("label_kind", "pk", "label_a", "label_b")
        )

    taking_part = Participation.objects.filter(programme_id=programme_id)
    # rewrite(False): modeltranslation would reorder the pillar's columns in the union.
    pillars = Pillar.objects.rewrite(False).filter(programme_id=programme_id)
    rows = tagged(pillars, "pillar", "name_en", "name_sr")
    rows = rows.union(
        tagged(
            Organisation.objects.filter(
                Q(pk__in=taking_part.values("organisation_id")) | Q(pk__in=lead_ids)
            ),
            "agency",
            "acronym",
            "name",
        ),
        tagged(ReportingPeriod.objects.filter(programme_id=programme_id), "period", "name", "name"),
        all=True,
    )
    found: dict[str, dict] = {"pillar": {}, "agency": {}, "period": {}}
    for kind, pk, first, second in rows:
        if kind == "pillar":
            found[kind][pk] = localized(SimpleNamespace(name_en=first, name_sr=second), "name")[0]
        else:
            found[kind][pk] = first or second
    return found["pillar"], found["agency"], found["period"]


def outcome_history(
    outcome: Outcome,
    *,
    limit: int = HISTORY_LIMIT,
    include_results: bool = True,
    hide_below: int = 0,
) -> tuple[list, bool]:
    """The newest ``limit`` changes to the outcome, its outputs, indicators, results
    and NAP links, newest first, each with its field-by-field differences; and
    whether older changes were left out.

    Six queries whatever the history holds: one per kind of record (its newest
    rows with the rows they follow) and one for names (pillars, agencies,
    periods); the differences are computed in Python. Without ``include_results``
    (donors and the coordinator: results' history holds drafts and exact small
    figures) results are left out, one query fewer; ``hide_below`` (donors: the
    minimum cell size) shows small baselines of sensitive indicators as "< n".
    """
    rows_by_kind = {
        kind: _history_rows(kind, outcome.pk, limit=limit)
        for kind in _HISTORY_KINDS
        if include_results or kind != "Result"
    }

    # Labels for outputs and indicators come from their own history rows (which
    # also covers deleted ones) and the current records on the page.
    rows_by_kind.setdefault("Result", [])
    outputs = {r.id: r.code for r in reversed(rows_by_kind["Output"])}
    indicators = {r.id: r.code for r in reversed(rows_by_kind["Indicator"])}
    outputs.update({o.pk: o.code for o in getattr(outcome, "output_list", [])})
    indicators.update({i.pk: i.code for i in getattr(outcome, "indicator_list", [])})
    objectives = {
        a.objective_id: gettext("to NAP objective %(code)s") % {"code": a.objective.code}
        for a in getattr(outcome, "alignment_list", [])
    }
    lead_ids = {outcome.lead_agency_id}
    for row in rows_by_kind["Outcome"]:
        lead_ids.add(row.lead_agency_id)
        if row.previous is not None:
            lead_ids.add(row.previous.lead_agency_id)
    users = {
        r.history_user_id: _user_name(r)
        for rows in rows_by_kind.values()
        for r in rows
        if r.history_user_id
    }
    pillars, agencies, periods = _history_names(outcome.programme_id, lead_ids)
    names = _Names(
        pillars=pillars,
        agencies=agencies,
        periods=periods,
        outputs=outputs,
        indicators=indicators,
        objectives=objectives,
        users=users,
        hide_below=hide_below,
        sensitive_indicators=frozenset(
            i.pk for i in getattr(outcome, "indicator_list", []) if i.is_sensitive
        ),
    )

    def label(kind: str, row) -> str:
        if kind == "Outcome":
            return row.code
        if kind == "Output":
            return row.code
        if kind == "Indicator":
            return row.code
        if kind == "Result":
            code = names.indicators.get(row.indicator_id, "?")
            return f"{code} · {names.periods.get(row.period_id, '?')}"
        return names.objectives.get(row.objective_id, f"objective #{row.objective_id}")

    entries = [
        HistoryEntry(
            when=row.history_date,
            who=_user_name(row),
            kind=kind,
            label=label(kind, row),
            action=_action(kind, row),
            changes=_changes(kind, row, names),
            history_id=row.history_id,
        )
        for kind, rows in rows_by_kind.items()
        for row in rows
    ]
    return latest_entries(entries, limit=limit)


# Read by the stakeholder directory -------------------------------------------


def objectives_by_ministry(programme, organisation_ids) -> dict[int, list]:
    """NAP objectives of the programme's action plans, per responsible organisation
    among ``organisation_ids``. One query."""
    from .models import NapObjective

    links = (
        NapObjective.responsible_ministries.through.objects.filter(
            organisation_id__in=list(organisation_ids), napobjective__plan__programme=programme
        )
        .select_related("napobjective__plan", "napobjective__pillar")
        .order_by("napobjective__plan__period_start", "napobjective__order", "napobjective__code")
    )
    objectives: dict[int, list] = {}
    for link in links:
        objectives.setdefault(link.organisation_id, []).append(link.napobjective)
    return objectives


# The alignment report (outcomes/alignment_*.py) --------------------------------


@dataclass
class AlignmentRows:
    """What the alignment report is computed from, fetched in six queries."""

    pillars: list
    objectives: list
    previous: list | None  # objectives of the version the plan replaces
    outcomes: list[Outcome]  # with their agencies, for the permission rules
    outcome_rows: list
    links: list


def action_plans(programme) -> list:
    """The programme's National Action Plans, newest first, each with the number
    of its objectives and links. One query."""
    from django.db.models import Count

    from .models import NationalActionPlan

    return list(
        NationalActionPlan.objects.filter(programme=programme)
        .select_related("supersedes")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            link_count=Count("objectives__alignments", distinct=True),
        )
        .order_by("-pk")
    )


def alignment_rows(plan) -> AlignmentRows:
    """Pillars, the plan's objectives, the previous version's, the programme's
    outcomes (agencies prefetched) and the plan's links, as flat rows. Six queries,
    whatever the size of the plan."""
    from .alignment_reports import (
        LinkRow,
        ObjectiveRow,
        OutcomeRow,
        PillarRow,
        PreviousObjective,
        person_name,
    )
    from .models import NapObjective

    pillars = [
        PillarRow(id=pk, code=code, name=name, order=order, name_en=name_en, name_sr=name_sr)
        for pk, code, name, order, name_en, name_sr in Pillar.objects.filter(
            programme=plan.programme_id
        )
        .order_by("order", "name")
        .values_list("pk", "code", "name", "order", "name_en", "name_sr")
    ]
    objectives = [
        ObjectiveRow(
            id=row["pk"],
            code=row["code"],
            title=row["title"],
            parent_id=row["parent_id"],
            pillar_id=row["pillar_id"],
            order=row["order"],
            description=row["description"],
            withdrawn=row["status"] == NapObjective.Status.WITHDRAWN,
            title_en=row["title_en"],
            title_sr=row["title_sr"],
        )
        for row in NapObjective.objects.filter(plan=plan).values(
            "pk",
            "code",
            "title",
            "parent_id",
            "pillar_id",
            "order",
            "description",
            "status",
            "title_en",
            "title_sr",
        )
    ]
    # Asked even for a first version (it then finds nothing): the same queries always.
    previous_rows = [
        PreviousObjective(code=code, title=title, description=description)
        for code, title, description in NapObjective.objects.filter(
            plan_id=plan.supersedes_id, status=NapObjective.Status.ACTIVE
        ).values_list("code", "title", "description")
    ]
    outcomes = list(
        Outcome.objects.filter(programme=plan.programme_id)
        .select_related("lead_agency")
        .prefetch_related("participating_agencies")
    )
    outcome_rows = [
        OutcomeRow(
            id=o.pk,
            code=o.code,
            title=o.title,
            pillar_id=o.pillar_id,
            lead_agency=o.lead_agency.short_name,
            agency_ids=frozenset(
                [o.lead_agency_id, *(a.pk for a in o.participating_agencies.all())]
            ),
            order=o.order,
            title_en=o.title_en,
            title_sr=o.title_sr,
        )
        for o in outcomes
    ]
    links = [
        LinkRow(
            id=row["pk"],
            outcome_id=row["outcome_id"],
            objective_id=row["objective_id"],
            degree=row["degree"],
            review_status=row["review_status"],
            rationale=row["rationale"],
            review_comment=row["review_comment"],
            reviewed_by=person_name(
                row["reviewed_by__first_name"],
                row["reviewed_by__last_name"],
                row["reviewed_by__username"],
            ),
            reviewed_at=row["reviewed_at"],
            proposed_by=person_name(
                row["proposed_by__first_name"],
                row["proposed_by__last_name"],
                row["proposed_by__username"],
            ),
            version=row["version"],
        )
        for row in Alignment.objects.filter(
            objective__plan=plan, outcome__programme=plan.programme_id
        )
        .order_by()  # build_report orders them: no joins for the default ordering
        .values(
            "pk",
            "outcome_id",
            "objective_id",
            "degree",
            "review_status",
            "rationale",
            "review_comment",
            "reviewed_by__first_name",
            "reviewed_by__last_name",
            "reviewed_by__username",
            "reviewed_at",
            "proposed_by__first_name",
            "proposed_by__last_name",
            "proposed_by__username",
            "version",
        )
    ]
    return AlignmentRows(
        pillars=pillars,
        objectives=objectives,
        previous=previous_rows if plan.supersedes_id else None,
        outcomes=outcomes,
        outcome_rows=outcome_rows,
        links=links,
    )


def alignment_for_review(pk: int) -> Alignment | None:
    """A link with what its page and the permission rules read. Two queries."""
    return (
        Alignment.objects.select_related(
            "outcome__programme",
            "outcome__pillar",
            "outcome__lead_agency",
            "objective__plan",
            "objective__parent",
            "objective__pillar",
            "reviewed_by",
            "proposed_by",
        )
        .prefetch_related("outcome__participating_agencies")
        .filter(pk=pk)
        .first()
    )


def alignment_conversation(alignment: Alignment) -> list:
    """The link's saves, oldest first, with who made them: its review conversation.
    One query."""
    return list(
        Alignment.history.filter(id=alignment.pk)
        .select_related("history_user")
        .order_by("history_id")
    )


def plan_objectives(plan, *, active_only: bool = False) -> QuerySet:
    from .models import NapObjective

    objectives = NapObjective.objects.filter(plan=plan).select_related("pillar", "parent")
    if active_only:
        objectives = objectives.filter(status=NapObjective.Status.ACTIVE)
    return objectives.order_by("order", "code")


def plan_report(plan, *, version_label: str = "this version"):
    """The alignment report of one plan: its flat rows (six queries) through the pure
    arithmetic of ``alignment_reports.build_report``."""
    from .alignment_reports import build_report

    rows = alignment_rows(plan)
    report = build_report(
        pillars=rows.pillars,
        objectives=rows.objectives,
        outcomes=rows.outcome_rows,
        links=rows.links,
        previous=rows.previous,
        version_label=version_label,
    )
    return rows, report
