"""The outcome page's parts that were built for speed: which results an indicator
shows (fetched whole only when shown), the history read by one query per kind of
record, and the indicator cards."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from outcomes.models import Alignment, Indicator, Outcome, Output, Result
from outcomes.selectors import RESULTS_SHOWN, _history_rows, outcome_history, shown_results
from tests import factories as f

# Which results an indicator shows ------------------------------------------------------

A, S = True, False  # approved; still in the reporting cycle (draft, submitted, returned)


def test_an_indicator_shows_its_newest_results_and_earlier_ones_with_a_step_to_take():
    results = [(1, A), (2, S), (3, A), (4, A), (5, A), (6, S), (7, A), (8, A)]
    shown = shown_results(results, include_unapproved=True, expand=False)
    assert RESULTS_SHOWN == 4
    assert shown.shown == (2, 5, 6, 7, 8)
    assert shown.latest_approved == 8
    assert shown.earlier_count == 3  # 1, 3 and 4


def test_readers_of_approved_results_see_the_newest_approved_ones_only():
    results = [(1, A), (2, S), (3, A), (4, A), (5, A), (6, S), (7, A), (8, A)]
    shown = shown_results(results, include_unapproved=False, expand=False)
    assert shown.shown == (4, 5, 7, 8)
    assert shown.latest_approved == 8
    assert shown.earlier_count == 2


def test_an_expanded_indicator_shows_every_result_it_may():
    results = [(1, A), (2, S), (3, A), (4, A), (5, A), (6, S)]
    assert shown_results(results, include_unapproved=True, expand=True).shown == (1, 2, 3, 4, 5, 6)
    assert shown_results(results, include_unapproved=False, expand=True).shown == (1, 3, 4, 5)
    assert shown_results(results, include_unapproved=False, expand=True).earlier_count == 0


def test_the_latest_approved_result_counts_even_when_it_is_not_among_the_newest():
    results = [(1, A), (2, A), (3, S), (4, S), (5, S), (6, S)]
    shown = shown_results(results, include_unapproved=True, expand=False)
    assert shown.shown == (3, 4, 5, 6)
    assert shown.latest_approved == 2
    assert shown.earlier_count == 2
    assert shown_results([], include_unapproved=True, expand=False).latest_approved is None


def test_the_page_shows_the_latest_approved_result_above_newer_ones_in_the_cycle(outcome_world):
    ow = outcome_world
    periods = [f.ReportingPeriodFactory(programme=ow.world.programme) for _ in range(6)]
    statuses = ["approved", "approved", "submitted", "draft", "returned", "submitted"]
    for i, (period, status) in enumerate(zip(periods, statuses, strict=True)):
        f.ResultFactory(indicator=ow.indicator, period=period, value=10 + i, status=status)
    rows = f"result-{ow.indicator.code}-"

    page = ow.client_for("manager").get(ow.outcome.get_absolute_url()).content.decode()
    latest = page[page.index(f'data-testid="latest-{ow.indicator.code}"') :]
    assert latest[: latest.index("</p>")].startswith(
        f'data-testid="latest-{ow.indicator.code}">Latest approved: <strong>11</strong> cases '
        f"in {periods[1].name}"
    )
    assert [p.name for p in periods if f"{rows}{slugify(p.name)}" in page] == [
        p.name for p in periods[2:]
    ]
    assert "Show 2 earlier approved results" in page

    donor = ow.client_for("donor").get(ow.outcome.get_absolute_url(), {"results": "all"})
    content = donor.content.decode()
    assert [p.name for p in periods if f"{rows}{slugify(p.name)}" in content] == [
        p.name for p in periods[:2]
    ]
    assert 'data-testid="status"' not in content


def test_the_page_counts_what_a_result_is_now(outcome_world, monkeypatch):
    """A result reopened between the page's two reads of results is not shown to
    those who see approved results only."""
    from outcomes import selectors

    ow = outcome_world
    approved = f.ResultFactory(indicator=ow.indicator, period=ow.periods[0], status="approved")
    first_read = selectors._results_with_parts

    def reopened_meanwhile(outcome):
        read = first_read(outcome)
        Result.objects.filter(pk=approved.pk).update(status="draft")
        return read

    monkeypatch.setattr(selectors, "_results_with_parts", reopened_meanwhile)
    response = ow.client_for("donor").get(ow.outcome.get_absolute_url())
    indicator = response.context["outcome"].indicator_list[0]
    assert indicator.result_list == []
    assert indicator.latest_result is None


# The history ---------------------------------------------------------------------------


def expected_rows(model, in_scope, *, limit: int) -> list[tuple[int, int | None]]:
    """The newest ``limit + 1`` rows in scope, each with the history id of the row
    of the same record before it, wherever that one is: read the slow way."""
    rows = list(model.history.all())
    newest = sorted(
        (row for row in rows if in_scope(row)),
        key=lambda row: (row.history_date, row.history_id),
        reverse=True,
    )[: limit + 1]

    def previous(row):
        before = [r.history_id for r in rows if r.id == row.id and r.history_id < row.history_id]
        return max(before, default=None)

    return [(row.history_id, previous(row)) for row in newest]


def read_rows(kind: str, outcome, *, limit: int) -> list[tuple[int, int | None]]:
    return [
        (row.history_id, row.previous.history_id if row.previous else None)
        for row in _history_rows(kind, outcome.pk, limit=limit)
    ]


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_history_rows_are_the_newest_of_the_outcome_each_with_the_row_before(outcome_world, limit):
    ow = outcome_world
    outcome, indicator = ow.outcome, ow.indicator
    elsewhere = f.OutcomeFactory(programme=ow.world.programme, pillar=outcome.pillar)
    # Edited several times, one edit dated back (as an import would): the newest
    # go by date, the row before by the order of saving.
    for i in range(4):
        outcome.title = f"Title {i}"
        if i == 2:
            outcome._history_date = timezone.now() - dt.timedelta(days=30)
        outcome.save()
        outcome.__dict__.pop("_history_date", None)
    # An indicator that came from another outcome: its row before is not this
    # outcome's; and one that left: its change is not this outcome's.
    arrived = f.IndicatorFactory(outcome=elsewhere, code="arrived")
    arrived.outcome = outcome
    arrived.save()
    left = f.IndicatorFactory(outcome=outcome, code="left")
    left.outcome = elsewhere
    left.save()
    indicator.target = Decimal("70")
    indicator.save()
    output = f.OutputFactory(outcome=outcome, code="2.1.2")
    output.delete()
    for period in ow.periods:
        result = f.ResultFactory(indicator=indicator, period=period, status="draft")
        result.status = "submitted"
        result.save()
    f.ResultFactory(indicator=arrived, period=ow.periods[0])
    objective = f.NapObjectiveFactory(plan__programme=ow.world.programme)
    f.AlignmentFactory(outcome=outcome, objective=objective)

    indicator_ids = {r.id for r in Indicator.history.filter(outcome_id=outcome.pk)}
    scopes = {
        "Outcome": (Outcome, lambda row: row.id == outcome.pk),
        "Output": (Output, lambda row: row.outcome_id == outcome.pk),
        "Indicator": (Indicator, lambda row: row.outcome_id == outcome.pk),
        "Result": (Result, lambda row: row.indicator_id in indicator_ids),
        "NAP link": (Alignment, lambda row: row.outcome_id == outcome.pk),
    }
    for kind, (model, in_scope) in scopes.items():
        assert read_rows(kind, outcome, limit=limit) == expected_rows(
            model, in_scope, limit=limit
        ), kind
    assert len(read_rows("Outcome", outcome, limit=20)) == 5
    assert read_rows("Indicator", elsewhere, limit=20) == expected_rows(
        Indicator, lambda row: row.outcome_id == elsewhere.pk, limit=20
    )


def test_history_names_who_made_each_change(outcome_world):
    ow = outcome_world
    outcome = ow.outcome
    named = f.UserFactory(username="jdoe", first_name="Jana", last_name="Dobrić")
    outcome.title = "By someone with a name"
    outcome._history_user = named
    outcome.save()
    outcome.title = "By a username"
    outcome._history_user = ow.user("iom")
    outcome.save()
    outcome.title = "By nobody signed in"
    outcome._history_user = None
    outcome.save()
    history, _ = outcome_history(outcome)
    assert [(e.who, e.changes[0].new) for e in history[:3]] == [
        ("system", "By nobody signed in"),
        ("iom", "By a username"),
        ("Jana Dobrić", "By someone with a name"),
    ]


# The indicator cards -----------------------------------------------------------------


def test_each_step_form_of_the_page_posts_with_its_csrf_token(outcome_world):
    ow = outcome_world
    f.ResultFactory(indicator=ow.indicator, period=ow.periods[0], status="submitted")
    f.ResultFactory(indicator=ow.indicator, period=ow.periods[1], status="approved")
    client = ow.client_for("manager")
    client.handler.enforce_csrf_checks = True
    content = client.get(ow.outcome.get_absolute_url()).content.decode()
    forms = re.findall(r'<form method="post" action="[^"]*/results/', content)
    steps = re.findall(
        r'<form method="post" action="([^"]*/results/[^"]*)"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
        r'<input type="hidden" name="based_on" value="([^"]+)">',
        content,
    )
    assert len(forms) == len(steps) == 4  # approve, return, withdraw; reopen
    # A step posted from the page goes through.
    action, csrf, based_on = next(step for step in steps if step[0].endswith("/approve/"))
    response = client.post(action, {"csrfmiddlewaretoken": csrf, "based_on": based_on})
    assert response.status_code == 302
    assert Result.objects.get(period=ow.periods[0], indicator=ow.indicator).status == "approved"
    assert response["Location"].startswith(reverse("outcomes:detail", args=[ow.outcome.pk]))
