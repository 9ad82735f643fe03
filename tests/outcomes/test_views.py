"""What the results framework pages show and how the forms answer bad input."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify

from outcomes.models import Indicator, Outcome, Output, Result
from outcomes.selectors import HISTORY_LIMIT, RESULTS_SHOWN
from outcomes.views import PAGE_SIZE
from tests import factories as f
from tests.outcomes.conftest import edit_payload

# The results framework page ---------------------------------------------------


def test_list_groups_outcomes_by_pillar_with_agencies_status_and_progress(outcome_world):
    ow = outcome_world
    world = ow.world
    prevention = f.PillarFactory(programme=world.programme, code="prevention", name="Prevention")
    f.OutcomeFactory(
        programme=world.programme,
        pillar=prevention,
        code="1.1",
        title="Awareness raised",
        lead_agency=world.agencies["iom"],
        status=Outcome.Status.AT_RISK,
    )
    f.ResultFactory(indicator=ow.indicator, period=ow.periods[0], value=Decimal("20"))
    f.ResultFactory(indicator=ow.indicator, period=ow.periods[1], value=Decimal("30"))
    response = ow.client_for("donor").get(reverse("outcomes:list"))
    content = response.content.decode()
    assert content.index("Prevention") < content.index("Awareness raised")
    assert content.index("Prosecution") < content.index("Traffickers are prosecuted")
    assert "At risk" in content
    row = content[content.index('data-testid="outcome-2.1"') :]
    row = row[: row.index("</tr>")]
    assert "UNODC" in row and "IOM" in row
    # Latest result (2010 H2: 30) against the target 50 from the baseline 10: 50%.
    assert "30 / 50 cases" in row
    assert "(2010 H2)" in row
    assert 'aria-valuenow="50"' in row


def test_list_filters_by_pillar_agency_status_and_search(outcome_world):
    ow = outcome_world
    world = ow.world
    prevention = f.PillarFactory(programme=world.programme, code="prevention", name="Prevention")
    f.OutcomeFactory(
        programme=world.programme,
        pillar=prevention,
        code="1.1",
        title="Awareness raised",
        description="Campaigns in schools",
        lead_agency=world.agencies["iom"],
        status=Outcome.Status.ON_TRACK,
    )
    client = ow.client_for("coordinator")

    def titles(**params):
        rows = client.get(reverse("outcomes:list"), params).context["rows"]
        return [row["outcome"].title for row in rows]

    assert titles() == ["Awareness raised", "Traffickers are prosecuted"]
    assert titles(pillar=prevention.pk) == ["Awareness raised"]
    assert titles(agency=world.agencies["unodc"].pk) == ["Traffickers are prosecuted"]
    # IOM leads one and takes part in the other.
    assert len(titles(agency=world.agencies["iom"].pk)) == 2
    assert titles(status="on_track") == ["Awareness raised"]
    assert titles(q="schools") == ["Awareness raised"]
    assert titles(q="2.1") == ["Traffickers are prosecuted"]
    assert titles(q="nothing like it") == []


def test_list_explains_an_unknown_filter_value_and_ignores_it(outcome_world):
    response = outcome_world.client_for("manager").get(reverse("outcomes:list"), {"pillar": "999"})
    assert response.status_code == 200
    assert "Choose a pillar from the list." in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_list_is_paginated(outcome_world):
    world = outcome_world.world
    pillar = outcome_world.outcome.pillar
    f.OutcomeFactory.create_batch(
        60, programme=world.programme, pillar=pillar, lead_agency=world.agencies["unhcr"]
    )
    client = outcome_world.client_for("manager")
    first = client.get(reverse("outcomes:list"))
    assert len(first.context["rows"]) == PAGE_SIZE == 10
    assert "61 outcomes" in first.content.decode()
    last = client.get(reverse("outcomes:list"), {"page": 7})
    assert len(last.context["rows"]) == 1


# One outcome --------------------------------------------------------------------


def test_outcome_page_shows_the_whole_outcome(outcome_world):
    ow = outcome_world
    world = ow.world
    outcome = ow.outcome
    outcome.description = "Specialised prosecutors handle trafficking cases."
    outcome.save()
    f.ResultFactory(
        indicator=ow.indicator,
        period=ow.periods[0],
        value=Decimal("18"),
        note="From court registers",
        evidence_url="https://example.org/registers.pdf",
    )
    objective = f.NapObjectiveFactory(
        plan__programme=world.programme, code="3.2", title="Prosecute traffickers"
    )
    f.AlignmentFactory(outcome=outcome, objective=objective, review_status="queried")
    meeting = f.MeetingFactory(programme=world.programme, title="Roundtable with ministries")
    f.FeedbackFactory(
        meeting=meeting,
        outcome=outcome,
        organisation=f.OrganisationFactory(name="Ministry of Justice", acronym="MoJ"),
        text="Train judges too.",
    )
    response = ow.client_for("unhcr").get(outcome.get_absolute_url())
    content = response.content.decode()
    for text in [
        "Specialised prosecutors handle trafficking cases.",
        "2.1.1",
        "Prosecutors trained",
        "2.1.a",
        "baseline 10",
        "target 50",
        "From court registers",
        "https://example.org/registers.pdf",
        "Prosecute traffickers",
        "Queried",
        "Train judges too.",
        "MoJ",
        "Roundtable with ministries",
        "Change history",
    ]:
        assert text in content, text
    assert 'data-testid="edit-outcome"' not in content  # UNHCR does not edit UNODC's outcome


def test_outcome_history_shows_who_changed_what_from_what_to_what(outcome_world):
    ow = outcome_world
    outcome = ow.outcome
    payload = edit_payload(
        outcome,
        title="Traffickers are convicted",
        status="on_track",
        **{"indicators-0-target": "60"},
    )
    assert (
        ow.client_for("iom").post(reverse("outcomes:edit", args=[outcome.pk]), payload).status_code
        == 302
    )
    report = reverse("outcomes:report_result", args=[outcome.pk, ow.indicator.pk])
    ow.client_for("unodc").post(report, {"period": ow.periods[0].pk, "value": "15"})
    # Results' history (drafts, exact figures) is for staff and managers only.
    donor_history = ow.client_for("donor").get(outcome.get_absolute_url()).context["history"]
    assert [e.kind for e in donor_history] == ["Indicator", "Outcome"] + [
        e.kind for e in donor_history[2:]
    ]
    assert "Result" not in {e.kind for e in donor_history}
    response = ow.client_for("manager").get(outcome.get_absolute_url())
    history = response.context["history"]
    kinds = [(e.kind, e.label, e.action, e.who) for e in history]
    assert kinds[:3] == [
        ("Result", "2.1.a · 2010 H1", "created", "unodc"),
        ("Indicator", "2.1.a", "changed", "iom"),
        ("Outcome", "2.1", "changed", "iom"),
    ]
    outcome_changes = {(c.field, c.old, c.new) for c in history[2].changes}
    assert outcome_changes == {
        ("Title", "Traffickers are prosecuted", "Traffickers are convicted"),
        ("Status", "Planned", "On track"),
    }
    assert [(c.field, c.old, c.new) for c in history[1].changes] == [("Target", "50", "60")]
    assert ("Value", "—", "15") in [(c.field, c.old, c.new) for c in history[0].changes]
    content = response.content.decode()
    assert "<del>Traffickers are prosecuted</del> → <ins>Traffickers are convicted</ins>" in content


def test_outcome_history_names_pillars_agencies_and_deleted_rows(outcome_world):
    ow = outcome_world
    world = ow.world
    outcome = ow.outcome
    protection = f.PillarFactory(programme=world.programme, code="protection", name="Protection")
    payload = edit_payload(
        outcome,
        pillar=protection.pk,
        lead_agency=world.agencies["unhcr"].pk,
        **{"outputs-0-DELETE": "on", "indicators-0-output": ""},
    )
    response = ow.client_for("manager").post(reverse("outcomes:edit", args=[outcome.pk]), payload)
    assert response.status_code == 302
    history = ow.client_for("manager").get(outcome.get_absolute_url()).context["history"]
    changes = {(e.kind, e.label, e.action): e.changes for e in history}
    outcome_changes = {(c.field, c.old, c.new) for c in changes[("Outcome", "2.1", "changed")]}
    assert ("Pillar", "Prosecution", "Protection") in outcome_changes
    assert ("Lead agency", "UNODC", "UNHCR") in outcome_changes
    assert ("Output", "2.1.1", "deleted") in changes
    indicator_changes = changes[("Indicator", "2.1.a", "changed")]
    assert [(c.field, c.old, c.new) for c in indicator_changes] == [("Output", "2.1.1", "—")]


def test_outcome_history_keeps_the_latest_changes(outcome_world):
    ow = outcome_world
    for i in range(30):
        result = Result(indicator=ow.indicator, period=ow.periods[i % 3], value=i)
        Result.objects.filter(indicator=ow.indicator, period=ow.periods[i % 3]).delete()
        result.save()
    response = ow.client_for("manager").get(ow.outcome.get_absolute_url())
    assert len(response.context["history"]) == HISTORY_LIMIT == 20
    assert response.context["history_truncated"]
    assert "Showing the latest 20 changes" in response.content.decode()


def test_outcome_page_shows_recent_results_and_links_to_earlier_ones(outcome_world):
    """An indicator reported for eight periods shows its four newest results, any
    earlier one someone still has a step to take on, and a link to the rest."""
    ow = outcome_world
    ow.indicator.results.all().delete()
    periods = [f.ReportingPeriodFactory(programme=ow.world.programme) for _ in range(8)]
    for i, period in enumerate(periods):
        status = Result.Status.SUBMITTED if i == 1 else Result.Status.APPROVED
        f.ResultFactory(indicator=ow.indicator, period=period, value=i, status=status)
    client = ow.client_for("manager")
    indicator_rows = f"result-{ow.indicator.code}-"

    with CaptureQueriesContext(connection) as collapsed:
        page = client.get(ow.outcome.get_absolute_url()).content.decode()
    shown = [p.name for p in periods if f"{indicator_rows}{slugify(p.name)}" in page]
    assert RESULTS_SHOWN == 4
    assert shown == [periods[1].name] + [p.name for p in periods[4:]]
    assert "Show 3 earlier approved results" in page
    assert f"?results={ow.indicator.pk}#indicator-{ow.indicator.pk}" in page

    with CaptureQueriesContext(connection) as expanded:
        everything = client.get(ow.outcome.get_absolute_url(), {"results": ow.indicator.pk})
    assert len(expanded) == len(collapsed)  # the same queries, expanded or not
    content = everything.content.decode()
    assert all(f"{indicator_rows}{slugify(p.name)}" in content for p in periods)
    assert "earlier approved result" not in content
    # The newest approved result is the latest either way.
    assert 'data-testid="latest-' in page


# Editing -------------------------------------------------------------------------


def post_edit(ow, name="unodc", **changes):
    url = reverse("outcomes:edit", args=[ow.outcome.pk])
    return ow.client_for(name).post(url, edit_payload(ow.outcome, **changes))


def test_edit_page_shows_the_outcome_outputs_and_indicators(outcome_world):
    response = outcome_world.client_for("unodc").get(
        reverse("outcomes:edit", args=[outcome_world.outcome.pk])
    )
    content = response.content.decode()
    assert 'name="version" value="1"' in content
    assert 'value="Traffickers are prosecuted"' in content
    assert 'name="outputs-0-title" value="Prosecutors trained"' in content
    assert 'name="indicators-0-code" value="2.1.a"' in content
    # Agency staff do not choose the agencies; the manager does.
    assert 'name="lead_agency"' not in content
    manager_page = outcome_world.client_for("manager").get(
        reverse("outcomes:edit", args=[outcome_world.outcome.pk])
    )
    assert 'name="lead_agency"' in manager_page.content.decode()


def test_edit_adds_and_deletes_outputs_and_indicators_in_one_save(outcome_world):
    ow = outcome_world
    response = post_edit(
        ow,
        **{
            "outputs-1-code": "2.1.2",
            "outputs-1-title": "Judges trained",
            "indicators-0-DELETE": "on",
            "indicators-1-code": "2.1.b",
            "indicators-1-title": "Convictions",
            "indicators-1-output": ow.output.pk,
            "indicators-1-unit": "cases",
            "indicators-1-baseline": "2",
            "indicators-1-target": "20",
        },
    )
    assert response.status_code == 302
    assert list(Output.objects.filter(outcome=ow.outcome).values_list("code", flat=True)) == [
        "2.1.1",
        "2.1.2",
    ]
    indicator = Indicator.objects.get(outcome=ow.outcome)
    assert (indicator.code, indicator.output, indicator.target) == ("2.1.b", ow.output, 20)
    assert Outcome.objects.get(pk=ow.outcome.pk).version == 2


def test_edit_explains_missing_and_wrong_values_next_to_the_fields(outcome_world):
    ow = outcome_world
    before = Outcome.objects.filter(pk=ow.outcome.pk).values().get()
    response = post_edit(
        ow,
        title="",
        **{"indicators-0-target": "a lot", "indicators-0-unit": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give a title." in content
    assert "Enter a number, e.g. 40 or 12.5." in content
    assert "Give the unit" in content
    errors = response.context["editor"].indicators.forms[0].errors
    assert set(errors) == {"target", "unit"}
    assert Outcome.objects.filter(pk=ow.outcome.pk).values().get() == before


def test_edit_refuses_duplicate_codes_in_plain_words(outcome_world):
    ow = outcome_world
    f.OutcomeFactory(
        programme=ow.world.programme, pillar=ow.outcome.pillar, code="2.2", title="Other"
    )
    response = post_edit(
        ow,
        code="2.2",
        **{"outputs-1-code": "2.1.1", "outputs-1-title": "Same code"},
    )
    assert response.status_code == 200
    editor = response.context["editor"]
    assert editor.form.errors["code"] == [
        "Another outcome of this programme already has the code 2.2. Choose a different code."
    ]
    assert editor.outputs.forms[1].errors["code"] == [
        "Another output of this outcome already has the code 2.1.1. Each needs its own code."
    ]
    assert Output.objects.filter(outcome=ow.outcome).count() == 1


def test_edit_refuses_an_indicator_pointing_at_an_output_being_deleted(outcome_world):
    response = post_edit(outcome_world, **{"outputs-0-DELETE": "on"})
    assert response.status_code == 200
    assert "Output 2.1.1 is being deleted: choose another output or none." in (
        response.content.decode()
    )
    assert Output.objects.filter(pk=outcome_world.output.pk).exists()


def test_manager_cannot_list_the_lead_agency_as_participating(outcome_world):
    unodc = outcome_world.world.agencies["unodc"]
    response = post_edit(outcome_world, "manager", participating_agencies=[unodc.pk])
    assert response.status_code == 200
    assert "UNODC already leads this outcome" in response.content.decode()


def test_saving_an_unchanged_form_changes_nothing(outcome_world):
    response = post_edit(outcome_world)
    assert response.status_code == 302
    assert Outcome.objects.get(pk=outcome_world.outcome.pk).version == 1
    assert Outcome.history.filter(id=outcome_world.outcome.pk).count() == 1


# Reporting results ---------------------------------------------------------------


def report(ow, name="unodc", **data):
    url = reverse("outcomes:report_result", args=[ow.outcome.pk, ow.indicator.pk])
    return ow.client_for(name).post(url, data)


def test_report_page_starts_at_the_first_period_without_a_result(outcome_world):
    ow = outcome_world
    f.ResultFactory(indicator=ow.indicator, period=ow.periods[0])
    url = reverse("outcomes:report_result", args=[ow.outcome.pk, ow.indicator.pk])
    form = ow.client_for("iom").get(url).context["form"]
    assert form["period"].value() == ow.periods[1].pk
    assert form["based_on"].value() == ""


def test_reporting_a_result_saves_value_note_evidence_and_author(outcome_world):
    ow = outcome_world
    response = report(
        ow,
        period=ow.periods[2].pk,
        value="33.5",
        note="Court statistics",
        evidence_url="https://example.org/stats",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ow.outcome.get_absolute_url()}#indicator-{ow.indicator.pk}"
    result = Result.objects.get(indicator=ow.indicator)
    assert result.value == Decimal("33.5")
    assert result.note == "Court statistics"
    assert result.evidence_url == "https://example.org/stats"
    assert result.reported_by == ow.user("unodc")
    assert result.history.get().history_user == ow.user("unodc")


def test_reporting_explains_bad_values_next_to_the_fields(outcome_world):
    ow = outcome_world
    response = report(ow, period="", value="many", evidence_url="not a link at all")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["period"] == ["Choose the reporting period."]
    assert errors["value"] == ["Enter a number, e.g. 40 or 12.5."]
    assert errors["evidence_url"] == [
        "Enter a full web address, e.g. https://example.org/report.pdf."
    ]
    assert not Result.objects.exists()


def test_reporting_refuses_a_period_of_another_programme(outcome_world):
    ow = outcome_world
    elsewhere = f.ReportingPeriodFactory(programme=ow.world.other_programme, name="2010 H1")
    response = report(ow, period=elsewhere.pk, value="3")
    assert response.context["form"].errors["period"] == [
        "Choose one of the programme's reporting periods."
    ]
    assert not Result.objects.exists()


def test_manager_keeps_a_lead_agency_that_no_longer_takes_part(outcome_world):
    """An outcome led by an organisation outside the programme's agencies can still
    be saved without choosing another lead."""
    ow = outcome_world
    outsider_agency = f.AgencyFactory(name="UN Women", acronym="UNW")
    Outcome.objects.filter(pk=ow.outcome.pk).update(lead_agency=outsider_agency)
    response = post_edit(ow, "manager", title="Still led by UN Women")
    assert response.status_code == 302
    ow.outcome.refresh_from_db()
    assert (ow.outcome.title, ow.outcome.lead_agency) == ("Still led by UN Women", outsider_agency)
