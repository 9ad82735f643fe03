"""No lost updates: the second of two people editing the same outcome (or the
same period's result) is told, sees the other's values, and nothing is overwritten."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from outcomes.models import Indicator, Outcome, Output, Result
from outcomes.services import (
    EditConflict,
    ResultConflict,
    RowChanges,
    outcome_update,
    result_report,
    result_token,
)
from tests.outcomes.conftest import edit_payload


def edit_url(outcome):
    return reverse("outcomes:edit", args=[outcome.pk])


def test_second_save_of_the_same_version_is_refused_and_shows_both(outcome_world):
    outcome = outcome_world.outcome
    # Both open the edit page at the same version.
    unodc_form = edit_payload(outcome, title="UNODC's title", description="UNODC's text")
    iom_form = edit_payload(outcome, title="IOM's title")
    assert unodc_form["version"] == iom_form["version"] == 1

    first = outcome_world.client_for("iom").post(edit_url(outcome), iom_form)
    assert first.status_code == 302

    second = outcome_world.client_for("unodc").post(edit_url(outcome), unodc_form)
    assert second.status_code == 409
    content = second.content.decode()
    assert "Someone else saved this outcome while you were editing it" in content
    assert "<strong>iom</strong> saved it at" in content
    assert "Nothing of yours was saved" in content
    # Their value beside yours, and yours still in the form.
    conflict = second.context["conflict"]
    assert ("Outcome: Title", "IOM's title", "UNODC's title") in conflict["differences"]
    assert ("Outcome: Description", "—", "UNODC's text") in conflict["differences"]
    assert 'value="UNODC&#x27;s title"' in content
    # The form now carries the saved version: saving again is a deliberate choice.
    assert second.context["editor"].form["version"].value() == "2"

    outcome.refresh_from_db()
    assert outcome.title == "IOM's title"
    assert outcome.description == ""
    assert outcome.version == 2

    # Saving again after seeing it goes through.
    again = edit_payload(outcome, title="UNODC's title", description="UNODC's text")
    third = outcome_world.client_for("unodc").post(edit_url(outcome), again)
    assert third.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.title, outcome.version) == ("UNODC's title", 3)


def test_a_change_to_an_indicator_also_stops_a_stale_outcome_edit(outcome_world):
    outcome = outcome_world.outcome
    stale = edit_payload(outcome, title="Stale edit")
    iom_form = edit_payload(outcome, **{"indicators-0-target": "80"})
    assert outcome_world.client_for("iom").post(edit_url(outcome), iom_form).status_code == 302

    response = outcome_world.client_for("unodc").post(edit_url(outcome), stale)
    assert response.status_code == 409
    differences = response.context["conflict"]["differences"]
    assert ("Indicator 2.1.a: Target", "80", "50") in differences
    outcome.refresh_from_db()
    assert outcome.title == "Traffickers are prosecuted"
    assert Indicator.objects.get(pk=outcome_world.indicator.pk).target == 80


def test_rows_added_or_deleted_by_the_other_are_listed(outcome_world):
    outcome = outcome_world.outcome
    stale = edit_payload(outcome, **{"outputs-0-title": "My output title"})
    iom_form = edit_payload(
        outcome,
        **{
            "outputs-0-DELETE": "on",
            "indicators-0-output": "",
            "outputs-1-code": "2.1.2",
            "outputs-1-title": "Judges trained",
        },
    )
    assert outcome_world.client_for("iom").post(edit_url(outcome), iom_form).status_code == 302
    response = outcome_world.client_for("unodc").post(edit_url(outcome), stale)
    assert response.status_code == 409
    differences = response.context["conflict"]["differences"]
    assert ("Output 2.1.2", "added: 2.1.2 Judges trained", "—") in differences
    assert ("Output 2.1.1", "deleted", "kept") in differences
    assert "deleted by someone else after you opened the page" in response.content.decode()
    assert list(Output.objects.filter(outcome=outcome).values_list("code", flat=True)) == ["2.1.2"]


def test_service_refuses_a_stale_version_and_writes_nothing(outcome_world):
    outcome = Outcome.objects.get(pk=outcome_world.outcome.pk)
    user = outcome_world.user("unodc")
    outcome.title = "First"
    outcome_update(outcome=outcome, expected_version=1, by=user)
    history_before = Outcome.history.count()

    stale = Outcome.objects.get(pk=outcome.pk)
    stale.title = "Second"
    new_output = Output(code="2.1.9", title="Should not appear")
    with pytest.raises(EditConflict) as raised:
        outcome_update(
            outcome=stale,
            expected_version=1,
            by=user,
            outputs=RowChanges(saved=[new_output]),
        )
    assert raised.value.current_version == 2
    fresh = Outcome.objects.get(pk=outcome.pk)
    assert (fresh.title, fresh.version) == ("First", 2)
    assert not Output.objects.filter(code="2.1.9").exists()
    assert Outcome.history.count() == history_before


def test_every_save_moves_the_version_and_records_the_author(outcome_world):
    outcome = Outcome.objects.get(pk=outcome_world.outcome.pk)
    user = outcome_world.user("iom")
    output = Output.objects.get(pk=outcome_world.output.pk)
    output.title = "Renamed"
    outcome_update(outcome=outcome, expected_version=1, by=user, outputs=RowChanges([output]))
    assert Outcome.objects.get(pk=outcome.pk).version == 2
    assert Output.history.latest().history_user == user
    assert Outcome.history.latest().history_user == user


# Results ---------------------------------------------------------------------


def report_url(ow):
    return reverse("outcomes:report_result", args=[ow.outcome.pk, ow.indicator.pk])


def test_reporting_a_period_someone_else_reported_meanwhile_is_refused(outcome_world):
    ow = outcome_world
    period = ow.periods[0]
    # UNODC opens the form when 2010 H1 has no result; IOM reports it first.
    blank = {"period": period.pk, "value": "30", "note": "UNODC count", "based_on": ""}
    iom = {"period": period.pk, "value": "22", "note": "IOM count", "based_on": ""}
    assert ow.client_for("iom").post(report_url(ow), iom).status_code == 302

    response = ow.client_for("unodc").post(report_url(ow), blank)
    assert response.status_code == 409
    content = response.content.decode()
    assert "A result for 2010 H1 was saved while you were filling in this form" in content
    assert "<strong>iom</strong> saved it at" in content
    assert 'data-testid="theirs">22<' in content
    assert 'data-testid="yours">30<' in content
    result = Result.objects.get(indicator=ow.indicator, period=period)
    assert (result.value, result.note) == (Decimal("22"), "IOM count")

    # The re-shown form is based on IOM's result: saving it now replaces it, on purpose.
    based_on = response.context["form"]["based_on"].value()
    assert based_on == result_token(result)
    again = ow.client_for("unodc").post(report_url(ow), {**blank, "based_on": based_on})
    assert again.status_code == 302
    result.refresh_from_db()
    assert (result.value, result.note) == (Decimal("30"), "UNODC count")
    assert result.history.count() == 2


def test_correcting_a_result_changed_since_the_form_was_loaded_is_refused(outcome_world):
    ow = outcome_world
    period = ow.periods[1]
    user = ow.user("unodc")
    original = result_report(
        indicator=ow.indicator,
        period=period,
        value=Decimal("12"),
        note="",
        evidence_url="",
        based_on="",
        by=user,
    )
    loaded = ow.client_for("unodc").get(report_url(ow), {"period": period.pk})
    token = loaded.context["form"]["based_on"].value()
    assert token == result_token(original)
    result_report(
        indicator=ow.indicator,
        period=period,
        value=Decimal("14"),
        note="corrected by IOM",
        evidence_url="",
        based_on=token,
        by=ow.user("iom"),
    )
    with pytest.raises(ResultConflict) as raised:
        result_report(
            indicator=ow.indicator,
            period=period,
            value=Decimal("13"),
            note="",
            evidence_url="",
            based_on=token,
            by=user,
        )
    assert raised.value.current.value == Decimal("14")
    assert Result.objects.get(indicator=ow.indicator, period=period).value == Decimal("14")


def test_re_reporting_a_period_updates_the_result_with_history(outcome_world):
    ow = outcome_world
    period = ow.periods[0]
    first = ow.client_for("unodc").post(
        report_url(ow), {"period": period.pk, "value": "20", "based_on": ""}
    )
    assert first.status_code == 302
    loaded = ow.client_for("unodc").get(report_url(ow), {"period": period.pk})
    assert loaded.context["form"]["value"].value() == Decimal("20")
    token = loaded.context["form"]["based_on"].value()
    second = ow.client_for("unodc").post(
        report_url(ow), {"period": period.pk, "value": "26", "based_on": token}
    )
    assert second.status_code == 302
    assert Result.objects.filter(indicator=ow.indicator).count() == 1
    result = Result.objects.get(indicator=ow.indicator)
    assert result.value == Decimal("26")
    assert [h.value for h in result.history.order_by("history_id")] == [
        Decimal("20"),
        Decimal("26"),
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that takes concurrent writers (SQLite's test database does not)",
)
def test_two_simultaneous_saves_of_one_version_only_one_wins(outcome_world, transactional_db):
    """Two app processes save the same version at the same instant: the conditional
    UPDATE lets exactly one through."""
    pk = outcome_world.outcome.pk
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        try:
            outcome = Outcome.objects.get(pk=pk)
            outcome.title = f"{name}'s title"
            barrier.wait(timeout=10)
            try:
                outcome_update(outcome=outcome, expected_version=1, by=outcome_world.user(name))
                outcomes[name] = "saved"
            except EditConflict:
                outcomes[name] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("unodc", "iom")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, result in outcomes.items() if result == "saved")
    fresh = Outcome.objects.get(pk=pk)
    assert (fresh.title, fresh.version) == (f"{winner}'s title", 2)
    assert Outcome.history.filter(id=pk).count() == 2  # created, and the one save
