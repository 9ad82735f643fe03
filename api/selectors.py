"""Reads behind the API's lists: one queryset per kind of record, each answering a
page in a fixed number of queries (the page, its count, and one per prefetch),
whatever the data size."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from funding.models import Payment, Pledge
from jointprogramme.models import Pillar, Programme
from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from outcomes.models import (
    Alignment,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    NapObjective,
    Outcome,
    OutcomeBudget,
    Output,
    Result,
    ResultBreakdown,
)
from stakeholders.models import Organisation


def programmes(ids: Iterable[int]) -> QuerySet[Programme]:
    return Programme.objects.filter(pk__in=list(ids)).order_by("title", "pk")


def pillars(ids: Iterable[int]) -> QuerySet[Pillar]:
    return Pillar.objects.filter(programme__in=list(ids)).order_by("programme_id", "order", "pk")


def outcomes(ids: Iterable[int]) -> QuerySet[Outcome]:
    """Outcomes with pillar, lead agency, participating agencies, budget shares and
    outputs: three prefetches."""
    return (
        Outcome.objects.filter(programme__in=list(ids))
        .select_related("pillar", "lead_agency")
        .prefetch_related(
            Prefetch(
                "participating_agencies",
                queryset=Organisation.objects.order_by("name"),
                to_attr="agency_list",
            ),
            Prefetch(
                "budgets",
                queryset=OutcomeBudget.objects.select_related("agency").order_by("agency__name"),
                to_attr="budget_list",
            ),
            Prefetch(
                "outputs", queryset=Output.objects.order_by("order", "code"), to_attr="output_list"
            ),
        )
        .order_by("programme_id", "pillar__order", "order", "code", "pk")
    )


def _dimensions() -> Prefetch:
    """An indicator's dimensions (``dimension_list``), each with ``category_list``,
    as ``outcomes.selectors.breakdown_cells`` reads them."""
    categories = DisaggregationCategory.objects.order_by("order", "name")
    dimensions = DisaggregationDimension.objects.order_by("order", "name").prefetch_related(
        Prefetch("categories", queryset=categories, to_attr="category_list")
    )
    return Prefetch("dimensions", queryset=dimensions, to_attr="dimension_list")


def indicators(ids: Iterable[int]) -> QuerySet[Indicator]:
    """Indicators with their outcome's programme (its minimum cell size) and their
    dimensions and categories: two prefetches."""
    return (
        Indicator.objects.filter(outcome__programme__in=list(ids))
        .select_related("outcome", "outcome__programme", "output")
        .prefetch_related(_dimensions())
        .order_by("outcome__programme_id", "outcome__order", "outcome__code", "order", "code", "pk")
    )


def approved_results(ids: Iterable[int]) -> QuerySet[Result]:
    """Approved results only (the pages' published figures), with period, indicator,
    programme, parts (``breakdown_list``) and the indicator's dimensions: three
    prefetches."""
    return (
        Result.objects.filter(
            status=Result.Status.APPROVED, indicator__outcome__programme__in=list(ids)
        )
        .select_related(
            "period", "indicator", "indicator__outcome", "indicator__outcome__programme"
        )
        .prefetch_related(
            Prefetch(
                "breakdowns", queryset=ResultBreakdown.objects.order_by(), to_attr="breakdown_list"
            ),
            Prefetch(
                "indicator__dimensions",
                queryset=_dimensions().queryset,
                to_attr="dimension_list",
            ),
        )
        .order_by(
            "indicator__outcome__programme_id",
            "indicator__outcome__order",
            "indicator__outcome__code",
            "indicator__order",
            "indicator__code",
            "period__start_date",
            "pk",
        )
    )


def nap_objectives(ids: Iterable[int]) -> QuerySet[NapObjective]:
    return (
        NapObjective.objects.filter(plan__programme__in=list(ids))
        .select_related("plan", "pillar")
        .prefetch_related(
            Prefetch(
                "responsible_ministries",
                queryset=Organisation.objects.order_by("name"),
                to_attr="ministry_list",
            )
        )
        .order_by("plan__programme_id", "plan_id", "order", "code", "pk")
    )


def alignments(ids: Iterable[int]) -> QuerySet[Alignment]:
    return (
        Alignment.objects.filter(outcome__programme__in=list(ids))
        .select_related("outcome", "objective", "objective__plan")
        .order_by("outcome__programme_id", "outcome__order", "outcome__code", "objective_id", "pk")
    )


def organisations(*, programme_ids: Iterable[int] | None = None) -> QuerySet[Organisation]:
    """Every organisation (they are shared by the programmes), or those taking part
    in the given programmes."""
    found = Organisation.objects.all()
    if programme_ids is not None:
        found = found.filter(participations__programme__in=list(programme_ids)).distinct()
    return found.order_by("name", "pk")


def meetings(ids: Iterable[int]) -> QuerySet[Meeting]:
    """Meetings with invitations, attendees, feedback and follow-up: four prefetches."""
    return (
        Meeting.objects.filter(programme__in=list(ids))
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
                to_attr="invitation_list",
            ),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related(
                    "contact", "contact__organisation"
                ).order_by("role", "contact__name", "pk"),
                to_attr="attendee_list",
            ),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.select_related("organisation").order_by("pk"),
                to_attr="feedback_list",
            ),
            Prefetch(
                "actions",
                queryset=FollowUpAction.objects.select_related("owner").order_by("due_date", "pk"),
                to_attr="action_list",
            ),
        )
        .order_by("programme_id", "-start_date", "pk")
    )


def pledges(visible: Q) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(visible)
        .select_related("donor", "earmark_pillar", "earmark_outcome", "earmark_agency")
        .order_by("programme_id", "-pledged_on", "pk")
    )


def payments(visible: Q) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(visible)
        .select_related("pledge", "received_by")
        .order_by("pledge__programme_id", "-received_on", "pk")
    )
