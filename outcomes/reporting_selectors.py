"""Reads for the reporting cycle: periods and their locks, where a period's
reporting stands, the results a step acts on, the approved results exported, and
what the reminders are computed from.

Every function answers in a fixed number of queries, whatever the data size;
the computations are in ``reporting`` (pure functions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from jointprogramme.models import Membership
from jointprogramme.transliteration import localized

from .models import (
    Indicator,
    Outcome,
    PeriodLockEvent,
    ReportingPeriod,
    Result,
    ResultBreakdown,
    SentReminder,
)
from .reporting import (
    IndicatorToReport,
    PeriodInfo,
    ReminderPeriod,
    StaffMember,
)

APPROVED = Result.Status.APPROVED
# Indicators in the order of the results framework: pillar, outcome, indicator.
FRAMEWORK_ORDER = (
    "outcome__pillar__order",
    "outcome__pillar__name",
    "outcome__order",
    "outcome__code",
    "order",
    "code",
)


def period_list(programme) -> list[ReportingPeriod]:
    """The programme's periods, oldest first, with who locked them. One query."""
    return list(
        ReportingPeriod.objects.filter(programme=programme)
        .select_related("locked_by")
        .order_by("start_date")
    )


def period_info(period: ReportingPeriod) -> PeriodInfo:
    return PeriodInfo(
        id=period.pk,
        name=period.name,
        start_date=period.start_date,
        end_date=period.end_date,
        due_date=period.due_date,
        locked=period.is_locked,
    )


def lock_events(period: ReportingPeriod) -> list[PeriodLockEvent]:
    """The period's locks and unlocks, newest first. One query."""
    return list(PeriodLockEvent.objects.filter(period=period).select_related("by"))


def _indicator_rows(indicators) -> list[IndicatorToReport]:
    rows = indicators.order_by("outcome__programme_id", *FRAMEWORK_ORDER).values_list(
        "pk",
        "code",
        "title_en",
        "title_sr",
        "outcome_id",
        "outcome__code",
        "outcome__title_en",
        "outcome__title_sr",
        "outcome__lead_agency_id",
        "outcome__lead_agency__acronym",
        "outcome__lead_agency__name",
        "outcome__programme_id",
    )
    return [
        IndicatorToReport(
            indicator_id=pk,
            code=code,
            title=_in_language(title_en, title_sr),
            outcome_id=outcome_id,
            outcome_code=outcome_code,
            outcome_title=_in_language(outcome_title_en, outcome_title_sr),
            agency_id=agency_id,
            agency_name=acronym or name,
            programme_id=programme_id,
        )
        for (
            pk,
            code,
            title_en,
            title_sr,
            outcome_id,
            outcome_code,
            outcome_title_en,
            outcome_title_sr,
            agency_id,
            acronym,
            name,
            programme_id,
        ) in rows
    ]


def _in_language(english: str | None, serbian: str | None) -> str:
    """A title in the active language (Serbian in the interface's script), else in
    the other one, as the pages show it (``localized``)."""
    return localized(SimpleNamespace(title_en=english, title_sr=serbian), "title")[0]


def indicators_to_report(programme, *, agency=None) -> list[IndicatorToReport]:
    """The programme's indicators in framework order, each with the agency that
    reports it (its outcome's lead); only outcomes ``agency`` leads or takes part
    in when given. One query."""
    indicators = Indicator.objects.filter(outcome__programme=programme)
    if agency is not None:
        involved = Outcome.objects.filter(programme=programme).involving_agency(agency)
        indicators = indicators.filter(outcome__in=involved.values("pk"))
    return _indicator_rows(indicators)


def period_statuses(period: ReportingPeriod) -> dict[int, str]:
    """Each indicator's result status in the period, by indicator id. One query."""
    return dict(Result.objects.filter(period=period).values_list("indicator_id", "status"))


def result_for_step(outcome: Outcome, result_pk: int) -> Result | None:
    """A result of one of ``outcome``'s indicators, with its period, indicator and
    the outcome (agencies loaded), as the rules and the services read it. One query."""
    result = (
        Result.objects.select_related("period", "indicator")
        .filter(pk=result_pk, indicator__outcome=outcome)
        .first()
    )
    if result is not None:
        result.indicator.outcome = outcome
    return result


@dataclass(frozen=True)
class ApprovedResults:
    """A programme's approved results as flat rows, for the exports."""

    # (result id, indicator id, value, period name, period locked at, reviewer's
    # first name, last name and username (None when nobody), reviewed at),
    # in framework order
    results: list[tuple]
    # indicator id → (outcome code, code, title in the active language, unit, sensitive)
    indicators: dict[int, tuple]
    # indicator id → its dimensions in order: (name, [(category id, category name)])
    dimensions: dict[int, list[tuple[str, list[tuple[int, str]]]]]
    # result id → {category id: value}
    parts: dict[int, dict[int, Decimal]]


def approved_results(programme) -> ApprovedResults:
    """The programme's approved results in framework order, with their periods,
    reviewers, parts and their indicators' dimensions, as plain values: an export
    of thousands of results builds no model instances. Five queries."""
    # The title through modeltranslation: the active language, with its fallbacks.
    indicator_rows = (
        Indicator.objects.filter(outcome__programme=programme)
        .order_by(*FRAMEWORK_ORDER, "pk")
        .values_list("pk", "outcome__code", "code", "title", "unit", "is_sensitive")
    )
    indicators = {pk: rest for pk, *rest in indicator_rows}
    # Framework order is the indicators' (sorted above, a few hundred rows); the
    # thousands of results are put in it here rather than sorted on five joined
    # text columns in the database.
    position = {pk: n for n, pk in enumerate(indicators)}
    rows = list(
        Result.objects.filter(status=APPROVED, indicator__outcome__programme=programme)
        .order_by()
        .values_list(
            "pk",
            "indicator_id",
            "value",
            "period_id",
            "reviewed_by__first_name",
            "reviewed_by__last_name",
            "reviewed_by__username",
            "reviewed_at",
        )
    )
    # The periods are few: read apart rather than joined onto every result.
    periods = {
        pk: rest
        for pk, *rest in ReportingPeriod.objects.filter(pk__in={r[3] for r in rows})
        .order_by()
        .values_list("pk", "name", "locked_at", "start_date", "end_date")
    }
    rows.sort(key=lambda r: (position[r[1]], *periods[r[3]][2:], r[0]))
    results = [(pk, i, value, *periods[p][:2], *rest) for pk, i, value, p, *rest in rows]
    links = (
        Indicator.dimensions.through.objects.filter(indicator__outcome__programme=programme)
        .order_by(
            "indicator_id",
            "disaggregationdimension__order",
            "disaggregationdimension__name",
            "disaggregationdimension_id",
            "disaggregationdimension__categories__order",
            "disaggregationdimension__categories__name",
            "disaggregationdimension__categories__id",
        )
        .values_list(
            "indicator_id",
            "disaggregationdimension_id",
            "disaggregationdimension__name",
            "disaggregationdimension__categories__id",
            "disaggregationdimension__categories__name",
        )
    )
    dimensions: dict[int, list] = {}
    seen: tuple | None = None
    for indicator_id, dimension_id, name, category_id, category in links:
        if (indicator_id, dimension_id) != seen:
            seen = (indicator_id, dimension_id)
            dimensions.setdefault(indicator_id, []).append((name, []))
        if category_id is not None:
            dimensions[indicator_id][-1][1].append((category_id, category))
    parts: dict[int, dict[int, Decimal]] = {}
    for result_id, category_id, value in (
        ResultBreakdown.objects.filter(
            result__status=APPROVED, result__indicator__outcome__programme=programme
        )
        .order_by()
        .values_list("result_id", "category_id", "value")
    ):
        parts.setdefault(result_id, {})[category_id] = value
    return ApprovedResults(results, indicators, dimensions, parts)


# Reminders -------------------------------------------------------------------------


def reminder_periods(today: dt.date, *, horizon_days: int = 14) -> list[ReminderPeriod]:
    """Unlocked periods due within ``horizon_days`` or overdue, every programme. One query."""
    rows = ReportingPeriod.objects.filter(
        locked_at__isnull=True,
        due_date__isnull=False,
        due_date__lte=today + dt.timedelta(days=horizon_days),
    ).values_list("pk", "programme_id", "name", "due_date")
    return [ReminderPeriod(pk, programme_id, name, due) for pk, programme_id, name, due in rows]


def reminder_inputs(periods: Iterable[ReminderPeriod]) -> dict:
    """What ``reporting.plan_reminders`` needs for ``periods``: the indicators of
    their programmes, their results' statuses, the agency staff with an e-mail
    address, and the reminders already sent. Four queries."""
    periods = list(periods)
    period_ids = [p.id for p in periods]
    programme_ids = {p.programme_id for p in periods}
    staff = (
        Membership.objects.filter(
            programme_id__in=programme_ids,
            role=Membership.Role.AGENCY_STAFF,
            user__is_active=True,
        )
        .exclude(Q(user__email="") | Q(organisation__isnull=True))
        .select_related("user", "organisation", "programme")
        .order_by("programme_id", "organisation__name", "user__username")
    )
    return {
        "periods": periods,
        "indicators": _indicator_rows(
            Indicator.objects.filter(outcome__programme_id__in=programme_ids)
        ),
        "statuses": {
            (period_id, indicator_id): status
            for period_id, indicator_id, status in Result.objects.filter(
                period_id__in=period_ids
            ).values_list("period_id", "indicator_id", "status")
        },
        "staff": [
            StaffMember(
                user_id=m.user_id,
                email=m.user.email,
                name=m.user.get_full_name() or m.user.username,
                programme_id=m.programme_id,
                agency_id=m.organisation_id,
                agency_name=m.organisation.short_name,
                programme_name=str(m.programme),
            )
            for m in staff
        ],
        "already_sent": set(
            SentReminder.objects.filter(period_id__in=period_ids).values_list(
                "user_id", "period_id", "kind"
            )
        ),
    }
