"""Query budgets: the results framework page and an outcome page answer in the
same number of queries at two data sizes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Outcome
from outcomes.views import PAGE_SIZE
from tests import factories as f

# Pinned: a change that adds a query to either page fails here.
LIST_QUERIES = 11
# The coordinator reads feedback but not results' history (drafts, exact figures);
# the manager reads both, and gets the reporting steps of each result (no query).
DETAIL_QUERIES = {"coordinator": 18, "manager": 19}
EDIT_PAGE_QUERIES = 14


def build_framework(world, *, outcomes: int) -> list[Outcome]:
    """``outcomes`` outcomes over three pillars, each with a participating agency,
    two indicators and results for two periods."""
    programme = world.programme
    pillars = [
        f.PillarFactory(programme=programme, code=code, name=code.title(), order=i)
        for i, code in enumerate(["prevention", "prosecution", "protection"])
    ]
    periods = [
        f.ReportingPeriodFactory(programme=programme, name="2010 H1"),
        f.ReportingPeriodFactory(programme=programme, name="2010 H2"),
    ]
    created = []
    for n in range(outcomes):
        outcome = f.OutcomeFactory(
            programme=programme,
            pillar=pillars[n % 3],
            code=f"{n % 3 + 1}.{n + 1}",
            lead_agency=world.agencies["unodc"],
            participating_agencies=[world.agencies["iom"], world.agencies["unhcr"]],
        )
        for code in ("a", "b"):
            indicator = f.IndicatorFactory(outcome=outcome, code=f"{outcome.code}.{code}")
            for period in periods:
                f.ResultFactory(indicator=indicator, period=period, value=Decimal(n % 90))
        created.append(outcome)
    return created


def enrich(world, outcome, *, size: int):
    """Give one outcome ``size`` outputs, indicators with results, NAP links,
    feedback and edits in its history."""
    programme = world.programme
    periods = list(programme.reporting_periods.all())
    if not size:
        return
    for i in range(size):
        output = f.OutputFactory(outcome=outcome, code=f"{outcome.code}.o{i}")
        indicator = f.IndicatorFactory(outcome=outcome, output=output, code=f"{outcome.code}.i{i}")
        for period in periods:
            f.ResultFactory(indicator=indicator, period=period, value=Decimal(i))
        indicator.target = Decimal(200 + i)
        indicator.save()  # a "changed" history row
        f.AlignmentFactory(
            outcome=outcome, objective=f.NapObjectiveFactory(plan__programme=programme)
        )
        f.FeedbackFactory(meeting=f.MeetingFactory(programme=programme), outcome=outcome)
    outcome.title = "Edited"
    outcome.save()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [5, 200])
def test_outcome_list_query_count_is_constant(world, size, django_assert_num_queries):
    build_framework(world, outcomes=size)
    client = world.client_for("unodc")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("outcomes:list"))
    assert len(response.context["rows"]) == min(size, PAGE_SIZE)
    # Filtered and on a later page: the same budget.
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("outcomes:list"), {"agency": world.agencies["iom"].pk, "page": 2})


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize(("outcomes", "size"), [(5, 0), (200, 40)])
def test_outcome_page_query_count_is_constant(
    world, outcomes, size, role, django_assert_num_queries
):
    """From a small programme and an outcome never edited, to a large programme and
    an outcome with 40 of everything and a long history: the same queries."""
    outcome = build_framework(world, outcomes=outcomes)[0]
    enrich(world, outcome, size=size)
    client = world.client_for(role)  # both see feedback too
    with django_assert_num_queries(DETAIL_QUERIES[role]):
        response = client.get(outcome.get_absolute_url())
    assert len(response.context["outcome"].indicator_list) == size + 2
    assert len(response.context["feedback"]) == size
    assert response.context["history_truncated"] == (size > 0)


@pytest.mark.parametrize("size", [2, 40])
def test_edit_page_query_count_is_constant(world, size, django_assert_num_queries):
    outcome = build_framework(world, outcomes=3)[0]
    enrich(world, outcome, size=size)
    client = world.client_for("manager")
    with django_assert_num_queries(EDIT_PAGE_QUERIES):
        client.get(reverse("outcomes:edit", args=[outcome.pk]))
