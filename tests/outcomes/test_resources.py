"""Importing and exporting outcomes, indicators, NAP objectives and alignments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from outcomes.models import Alignment, Indicator, NapObjective, Outcome
from outcomes.resources import (
    AlignmentResource,
    IndicatorResource,
    NapObjectiveResource,
    OutcomeResource,
)
from stakeholders.resources import import_errors
from tests import factories as f
from tests.stakeholders.test_resources import (
    EXPORTS,
    assert_nothing_written,
    fast_password_hashing,  # noqa: F401  (autouse fixture)
    make_dataset,
    run_import,
    snapshot,
)

OUTCOME_HEADERS = [
    "programme",
    "code",
    "title",
    "pillar",
    "lead_agency",
    "participating_agencies",
    "status",
    "order",
]


@pytest.fixture
def framework(world):
    """Pillars, a ministry and a National Action Plan for the world's programme."""
    programme = world.programme
    f.PillarFactory(programme=programme, code="prevention", name="Prevention")
    f.PillarFactory(programme=programme, code="protection", name="Protection")
    f.OrganisationFactory(name="Ministry of Interior", acronym="MoI")
    f.NationalActionPlanFactory(programme=programme, version="2009")
    return world


def outcome_row(world, **values):
    row = {
        "programme": world.programme.title,
        "code": "1",
        "title": "Awareness raised",
        "pillar": "prevention",
        "lead_agency": "UNODC",
        "participating_agencies": "UNHCR; International Organization for Migration",
        "status": "on_track",
        "order": "1",
    }
    row.update(values)
    return [row[h] for h in OUTCOME_HEADERS]


def test_outcomes_import_by_natural_keys(framework):
    result = run_import(
        OutcomeResource(),
        make_dataset(
            OUTCOME_HEADERS,
            outcome_row(framework),
            outcome_row(framework, code="2", pillar="protection", participating_agencies=""),
        ),
    )
    assert import_errors(result) == []
    outcome = Outcome.objects.get(code="1")
    assert outcome.programme == framework.programme
    assert outcome.pillar.code == "prevention"
    assert outcome.lead_agency == framework.agencies["unodc"]
    assert set(outcome.participating_agencies.all()) == {
        framework.agencies["unhcr"],
        framework.agencies["iom"],
    }
    assert outcome.history.count() == 1  # imports are audited like any change


@pytest.mark.parametrize(
    "bad, expected",
    [
        (
            {"lead_agency": "Ministry of Magic"},
            "Row 2, lead_agency: no organisation named 'Ministry of Magic'",
        ),
        (
            {"participating_agencies": "UNHCR; Ministry of Magic"},
            "Row 2, participating_agencies: no organisation named 'Ministry of Magic'",
        ),
        ({"order": "first"}, "Row 2, order: 'first' is not a number"),
        ({"code": "1"}, "Row 2: duplicate outcome: one with programme"),
        ({"code": "9"}, "Row 2: duplicate outcome: one with programme"),  # in the database
        ({"pillar": "partnership"}, "Row 2, pillar: programme "),
        ({"programme": "No such programme"}, "Row 2, programme: no programme titled"),
        ({"status": "fine"}, "Row 2, status: 'fine' is not one of"),
        ({"title": ""}, "Row 2, title: This field cannot be blank."),
    ],
    ids=[
        "unknown-organisation",
        "unknown-participating-agency",
        "bad-number",
        "duplicate-code-in-file",
        "duplicate-code-in-database",
        "unknown-pillar",
        "unknown-programme",
        "bad-choice",
        "missing-title",
    ],
)
def test_bad_outcome_rows_write_nothing(framework, bad, expected):
    f.OutcomeFactory(programme=framework.programme, code="9")
    before = Outcome.objects.count()
    result = run_import(
        OutcomeResource(),
        make_dataset(
            OUTCOME_HEADERS,
            outcome_row(framework),
            outcome_row(framework, **{"code": "2", **bad}),
            outcome_row(framework, code="3"),
        ),
    )
    errors = assert_nothing_written(Outcome, before, result)
    assert any(e.startswith(expected) for e in errors), errors
    assert all(e.startswith("Row 2") for e in errors), errors


def test_manager_cannot_import_into_a_programme_they_do_not_manage(framework):
    f.PillarFactory(programme=framework.other_programme, code="prevention")
    row = outcome_row(framework, programme=framework.other_programme.title)
    result = run_import(
        OutcomeResource(), make_dataset(OUTCOME_HEADERS, row), user=framework.users["manager"]
    )
    errors = assert_nothing_written(Outcome, 0, result)
    assert errors[0] == (
        f"Row 1, programme: no programme titled {framework.other_programme.title!r} "
        "among those you manage"
    )
    # The outsider manages it, so may.
    result = run_import(
        OutcomeResource(), make_dataset(OUTCOME_HEADERS, row), user=framework.users["outsider"]
    )
    assert import_errors(result) == []


INDICATOR_HEADERS = ["programme", "outcome", "output", "code", "title", "unit", "target"]


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"target": "lots"}, "Row 2, target: 'lots' is not a number"),
        ({"target": "1,5"}, "Row 2, target: '1,5' is not a number"),
        ({"target": "12.345"}, "Row 2, target: Ensure that there are no more than 2 decimal"),
        ({"code": "I1"}, "Row 2: duplicate indicator: one with outcome"),
        ({"outcome": "7"}, "Row 2, outcome: programme "),
        ({"output": "1.9"}, "Row 2, output: outcome '1' of programme "),
    ],
    ids=[
        "bad-number",
        "decimal-comma",
        "too-many-decimals",
        "duplicate-code",
        "unknown-outcome",
        "unknown-output",
    ],
)
def test_bad_indicator_rows_write_nothing(framework, bad, expected):
    outcome = f.OutcomeFactory(programme=framework.programme, code="1")
    f.OutputFactory(outcome=outcome, code="1.1")
    good = {
        "programme": framework.programme.title,
        "outcome": "1",
        "output": "1.1",
        "code": "I1",
        "title": "Victims identified",
        "unit": "people",
        "target": "120",
    }
    bad_row = {**good, "code": "I2", **bad}
    result = run_import(
        IndicatorResource(),
        make_dataset(INDICATOR_HEADERS, list(good.values()), list(bad_row.values())),
    )
    errors = assert_nothing_written(Indicator, 0, result)
    assert any(e.startswith(expected) for e in errors), errors
    assert Outcome.objects.get().version == 1  # nor was the outcome touched


NAP_HEADERS = ["programme", "plan_version", "code", "parent", "title", "responsible_ministries"]


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"responsible_ministries": "MoI; Ministry of Magic"}, "no organisation named"),
        ({"plan_version": "2010"}, "Row 2, plan_version: programme "),
        ({"parent": "N9"}, "Row 2, parent: National Action Plan version '2009' of programme"),
        ({"code": "N1"}, "Row 2: duplicate NAP objective: one with plan"),
    ],
    ids=["unknown-ministry", "unknown-plan", "unknown-parent", "duplicate-code"],
)
def test_bad_nap_objective_rows_write_nothing(framework, bad, expected):
    title = framework.programme.title
    good = {
        "programme": title,
        "plan_version": "2009",
        "code": "N1",
        "parent": "",
        "title": "Prevent trafficking",
        "responsible_ministries": "MoI",
    }
    child = {**good, "code": "N1.1", "parent": "N1", **bad}
    result = run_import(
        NapObjectiveResource(), make_dataset(NAP_HEADERS, list(good.values()), list(child.values()))
    )
    errors = assert_nothing_written(NapObjective, 0, result)
    assert any(expected in e for e in errors), errors


ALIGNMENT_HEADERS = ["programme", "outcome", "plan_version", "objective", "degree", "reviewed_at"]


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"reviewed_at": "25/03/2009"}, "Row 2, reviewed_at: '25/03/2009' is not a date"),
        ({"objective": "N1"}, "Row 2: duplicate alignment: one with outcome"),
        ({"degree": "total"}, "Row 2, degree: 'total' is not one of: full, partial"),
    ],
    ids=["bad-date", "duplicate", "bad-choice"],
)
def test_bad_alignment_rows_write_nothing(framework, bad, expected):
    plan = framework.programme.action_plans.get()
    f.NapObjectiveFactory(plan=plan, code="N1")
    f.NapObjectiveFactory(plan=plan, code="N2")
    f.OutcomeFactory(programme=framework.programme, code="1")
    good = {
        "programme": framework.programme.title,
        "outcome": "1",
        "plan_version": "2009",
        "objective": "N1",
        "degree": "full",
        "reviewed_at": "2009-03-25 14:30",
    }
    second = {**good, "objective": "N2", **bad}
    result = run_import(
        AlignmentResource(),
        make_dataset(ALIGNMENT_HEADERS, list(good.values()), list(second.values())),
    )
    errors = assert_nothing_written(Alignment, 0, result)
    assert any(e.startswith(expected) for e in errors), errors


# Round trips: export, delete, import, compare


def results_framework(world):
    programme = world.programme
    pillars = {p.code: p for p in programme.pillars.all()}
    agencies = world.agencies
    first = f.OutcomeFactory(
        programme=programme,
        pillar=pillars["prevention"],
        code="1",
        title="Awareness raised, in Serbian too: Подизање свести",
        description="Multi-line\ndescription, with commas; and semicolons.",
        lead_agency=agencies["iom"],
        participating_agencies=[agencies["unodc"], agencies["unhcr"]],
        status=Outcome.Status.ON_TRACK,
        order=1,
        is_sample=True,
    )
    second = f.OutcomeFactory(
        programme=programme,
        pillar=pillars["protection"],
        code="2",
        lead_agency=agencies["unhcr"],
        order=2,
    )
    output = f.OutputFactory(outcome=first, code="1.1")
    f.IndicatorFactory(
        outcome=first,
        output=output,
        code="1.1.a",
        baseline=Decimal("12.50"),
        target=Decimal("1250000.75"),
        is_sensitive=True,
        means_of_verification="Police records",
    )
    f.IndicatorFactory(outcome=first, code="1.b", target=Decimal("3"), is_sample=True)
    f.IndicatorFactory(outcome=second, code="1.b", target=Decimal("0.5"))  # same code elsewhere
    return first, second


@pytest.mark.parametrize("file_format", EXPORTS)
def test_outcomes_and_indicators_round_trip(framework, file_format):
    results_framework(framework)
    export = EXPORTS[file_format]
    outcomes, indicators = export(OutcomeResource()), export(IndicatorResource())
    expected_outcomes = snapshot(Outcome.objects.all())
    expected_indicators = snapshot(Indicator.objects.all())
    outputs = {o.code: o.title for o in f.OutputFactory._meta.model.objects.all()}

    Indicator.objects.all().delete()
    assert import_errors(run_import(IndicatorResource(), indicators)) == []
    assert snapshot(Indicator.objects.all()) == expected_indicators

    Outcome.objects.all().delete()  # outputs and indicators go with them
    assert import_errors(run_import(OutcomeResource(), outcomes)) == []
    assert snapshot(Outcome.objects.all()) == expected_outcomes
    for code, title in outputs.items():  # outputs are not imported: put them back
        f.OutputFactory(outcome=Outcome.objects.get(code="1"), code=code, title=title)
    assert import_errors(run_import(IndicatorResource(), indicators)) == []
    assert snapshot(Indicator.objects.all()) == expected_indicators


@pytest.mark.parametrize("file_format", EXPORTS)
def test_nap_objectives_and_alignments_round_trip(framework, file_format):
    first, second = results_framework(framework)
    plan = framework.programme.action_plans.get()
    older = f.NationalActionPlanFactory(programme=framework.programme, version="2005")
    ministry = f.OrganisationFactory(name="Ministry of Labour, Employment and Social Policy")
    # The child comes before its parent in the plan's order; the export puts
    # parents first so the file imports in one pass.
    parent = f.NapObjectiveFactory(plan=plan, code="N1", order=5, pillar=first.pillar)
    child = f.NapObjectiveFactory(plan=plan, code="N1.1", parent=parent, order=1, is_sample=True)
    child.responsible_ministries.set([ministry, framework.agencies["iom"]])
    same_code_older_plan = f.NapObjectiveFactory(plan=older, code="N1")
    reviewed_at = timezone.now().replace(microsecond=0)
    f.AlignmentFactory(
        outcome=first,
        objective=child,
        degree=Alignment.Degree.PARTIAL,
        review_status=Alignment.ReviewStatus.CONFIRMED,
        review_comment="Agreed at the roundtable.",
        reviewed_by=framework.users["coordinator"],
        reviewed_at=reviewed_at,
        proposed_by=framework.users["iom"],
        is_sample=True,
    )
    f.AlignmentFactory(outcome=second, objective=same_code_older_plan)
    export = EXPORTS[file_format]
    objectives, alignments = export(NapObjectiveResource()), export(AlignmentResource())
    expected_objectives = snapshot(NapObjective.objects.all())
    expected_alignments = snapshot(Alignment.objects.all())

    NapObjective.objects.all().delete()  # alignments go with them
    assert Alignment.objects.count() == 0
    assert import_errors(run_import(NapObjectiveResource(), objectives)) == []
    assert import_errors(run_import(AlignmentResource(), alignments)) == []

    assert snapshot(NapObjective.objects.all()) == expected_objectives
    assert snapshot(Alignment.objects.all()) == expected_alignments
    assert Alignment.objects.get(outcome=first).reviewed_at == reviewed_at


def test_export_costs_a_fixed_number_of_queries(framework, django_assert_max_num_queries):
    results_framework(framework)
    with django_assert_max_num_queries(3):
        OutcomeResource().export()
    with django_assert_max_num_queries(2):
        IndicatorResource().export()


def test_dry_run_writes_nothing_even_when_valid(framework):
    result = OutcomeResource().import_data(
        make_dataset(OUTCOME_HEADERS, outcome_row(framework)), dry_run=True
    )
    assert import_errors(result) == []
    assert Outcome.objects.count() == 0


def test_xlsx_cells_typed_as_numbers_and_dates_are_understood(framework):
    plan = framework.programme.action_plans.get()
    f.NapObjectiveFactory(plan=plan, code="1")
    f.OutcomeFactory(programme=framework.programme, code="1")
    dataset = make_dataset(
        ALIGNMENT_HEADERS,
        [framework.programme.title, 1.0, 2009, 1, "full", dt.datetime(2009, 3, 25, 14, 30)],
    )
    assert import_errors(run_import(AlignmentResource(), dataset)) == []
    alignment = Alignment.objects.get()
    assert timezone.localtime(alignment.reviewed_at).hour == 14
