"""Every page and every post of the results framework, for every role, a member
of another programme and an anonymous visitor: exactly what the permission
matrix says, and a refused post changes nothing.

The outcome is led by UNODC with IOM taking part: UNODC and IOM staff and the
manager may edit it and report results; UNHCR staff, the coordinator and the
donor may only read it; the outsider (another programme) is told it does not exist.
"""

import pytest
from django.urls import reverse

from outcomes.models import Indicator, Outcome, Output, Result
from tests.conftest import EVERYONE
from tests.outcomes.conftest import edit_payload

EDITORS = {"manager", "unodc", "iom"}
READERS = {"manager", "unodc", "unhcr", "iom", "coordinator", "donor"}


def expected_page(name, *, needs_edit: bool) -> int:
    if name is None:
        return 302
    if name not in READERS:
        return 404
    if needs_edit and name not in EDITORS:
        return 403
    return 200


def snapshot(outcome) -> tuple:
    """Everything a post could change, to compare before and after."""
    outcome = Outcome.objects.get(pk=outcome.pk)
    return (
        tuple(Outcome.objects.filter(pk=outcome.pk).values_list()),
        tuple(outcome.participating_agencies.values_list("pk", flat=True)),
        tuple(Output.objects.filter(outcome=outcome).order_by("pk").values_list()),
        tuple(Indicator.objects.filter(outcome=outcome).order_by("pk").values_list()),
        tuple(Result.objects.filter(indicator__outcome=outcome).order_by("pk").values_list()),
        Outcome.history.count(),
        Output.history.count(),
        Indicator.history.count(),
        Result.history.count(),
    )


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", EVERYONE)
def test_outcome_list_for_each_role(outcome_world, name):
    response = outcome_world.client_for(name).get(reverse("outcomes:list"))
    if name is None:
        assert_login_redirect(response)
        return
    assert response.status_code == 200
    content = response.content.decode()
    if name == "outsider":  # sees their own programme's framework, not ours
        assert "Traffickers are prosecuted" not in content
        assert "Elsewhere&#x27;s outcome" in content
    else:
        assert "Traffickers are prosecuted" in content
        assert "Elsewhere" not in content
    edit_url = reverse("outcomes:edit", args=[outcome_world.outcome.pk])
    assert (edit_url in content) == (name in EDITORS)


@pytest.mark.parametrize("name", EVERYONE)
def test_outcome_page_for_each_role(outcome_world, name):
    outcome = outcome_world.outcome
    response = outcome_world.client_for(name).get(outcome.get_absolute_url())
    expected = expected_page(name, needs_edit=False)
    assert response.status_code == expected
    if expected == 302:
        assert_login_redirect(response)
    if expected == 200:
        content = response.content.decode()
        assert "Traffickers are prosecuted" in content
        has_edit = reverse("outcomes:edit", args=[outcome.pk]) in content
        has_report = (
            reverse("outcomes:report_result", args=[outcome.pk, outcome_world.indicator.pk])
            in content
        )
        assert has_edit == (name in EDITORS)
        assert has_report == (name in EDITORS)


@pytest.mark.parametrize("name", EVERYONE)
def test_edit_page_for_each_role(outcome_world, name):
    url = reverse("outcomes:edit", args=[outcome_world.outcome.pk])
    response = outcome_world.client_for(name).get(url)
    expected = expected_page(name, needs_edit=True)
    assert response.status_code == expected
    if expected == 302:
        assert_login_redirect(response)


@pytest.mark.parametrize("name", EVERYONE)
def test_report_page_for_each_role(outcome_world, name):
    url = reverse(
        "outcomes:report_result", args=[outcome_world.outcome.pk, outcome_world.indicator.pk]
    )
    response = outcome_world.client_for(name).get(url)
    expected = expected_page(name, needs_edit=True)
    assert response.status_code == expected
    if expected == 302:
        assert_login_redirect(response)


@pytest.mark.parametrize("name", EVERYONE)
def test_edit_post_for_each_role(outcome_world, name):
    outcome = outcome_world.outcome
    payload = edit_payload(outcome, title="Changed by a post")
    before = snapshot(outcome)
    response = outcome_world.client_for(name).post(
        reverse("outcomes:edit", args=[outcome.pk]), payload
    )
    if name in EDITORS:
        assert response.status_code == 302
        assert response["Location"] == outcome.get_absolute_url()
        assert Outcome.objects.get(pk=outcome.pk).title == "Changed by a post"
        return
    assert response.status_code == expected_page(name, needs_edit=True)
    if name is None:
        assert_login_redirect(response)
    assert snapshot(outcome) == before


@pytest.mark.parametrize("name", EVERYONE)
def test_report_post_for_each_role(outcome_world, name):
    outcome, indicator = outcome_world.outcome, outcome_world.indicator
    before = snapshot(outcome)
    response = outcome_world.client_for(name).post(
        reverse("outcomes:report_result", args=[outcome.pk, indicator.pk]),
        {"period": outcome_world.periods[0].pk, "value": "25", "note": "", "based_on": ""},
    )
    if name in EDITORS:
        assert response.status_code == 302
        assert Result.objects.get(indicator=indicator).value == 25
        return
    assert response.status_code == expected_page(name, needs_edit=True)
    if name is None:
        assert_login_redirect(response)
    assert snapshot(outcome) == before


@pytest.mark.parametrize(
    "page", ["detail", "edit", "report_result"], ids=["page", "edit", "report"]
)
def test_outcome_of_another_programme_is_not_found_for_our_members(outcome_world, page):
    other = outcome_world.other_outcome
    args = [other.pk]
    if page == "report_result":
        args.append(
            Indicator.objects.create(outcome=other, code="X", title="X", unit="u", target=1).pk
        )
    client = outcome_world.client_for("manager")
    assert client.get(reverse(f"outcomes:{page}", args=args)).status_code == 404
    if page != "detail":  # the outcome page takes no posts
        assert client.post(reverse(f"outcomes:{page}", args=args), {}).status_code == 404


def test_indicator_of_another_outcome_is_not_found(outcome_world):
    world = outcome_world.world
    second = Outcome.objects.create(
        programme=world.programme,
        pillar=outcome_world.outcome.pillar,
        code="2.2",
        title="Second",
        lead_agency=world.agencies["unodc"],
    )
    url = reverse("outcomes:report_result", args=[second.pk, outcome_world.indicator.pk])
    assert outcome_world.client_for("unodc").get(url).status_code == 404


def test_member_of_two_programmes_reads_an_outcome_outside_the_current_one(outcome_world):
    from jointprogramme.models import Membership

    world = outcome_world.world
    Membership.objects.create(
        user=world.users["coordinator"], programme=world.other_programme, role="coordinator"
    )
    client = outcome_world.client_for("coordinator")
    response = client.get(outcome_world.other_outcome.get_absolute_url())
    assert response.status_code == 200
    edit = reverse("outcomes:edit", args=[outcome_world.other_outcome.pk])
    assert client.get(edit).status_code == 403


def test_unknown_outcome_is_not_found(outcome_world):
    assert outcome_world.client_for("manager").get("/outcomes/999999/").status_code == 404


def test_staff_cannot_reassign_agencies_by_posting_the_fields(outcome_world):
    """Only the manager chooses the agencies: a post from agency staff that adds
    UNHCR is saved without that change."""
    world = outcome_world.world
    outcome = outcome_world.outcome
    payload = edit_payload(
        outcome,
        title="Retitled",
        lead_agency=world.agencies["unhcr"].pk,
        participating_agencies=[world.agencies["unhcr"].pk],
    )
    response = outcome_world.client_for("unodc").post(
        reverse("outcomes:edit", args=[outcome.pk]), payload
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.title == "Retitled"
    assert outcome.lead_agency == world.agencies["unodc"]
    assert list(outcome.participating_agencies.all()) == [world.agencies["iom"]]


def test_manager_reassigns_agencies(outcome_world):
    world = outcome_world.world
    outcome = outcome_world.outcome
    payload = edit_payload(
        outcome,
        lead_agency=world.agencies["unhcr"].pk,
        participating_agencies=[world.agencies["unodc"].pk],
    )
    response = outcome_world.client_for("manager").post(
        reverse("outcomes:edit", args=[outcome.pk]), payload
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.lead_agency == world.agencies["unhcr"]
    assert list(outcome.participating_agencies.all()) == [world.agencies["unodc"]]
    # The new lead edits; IOM, no longer taking part, is refused.
    assert (
        outcome_world.client_for("unhcr")
        .get(reverse("outcomes:edit", args=[outcome.pk]))
        .status_code
        == 200
    )
    assert (
        outcome_world.client_for("iom").get(reverse("outcomes:edit", args=[outcome.pk])).status_code
        == 403
    )


def test_donor_does_not_see_meeting_feedback(outcome_world):
    from tests import factories as f

    meeting = f.MeetingFactory(programme=outcome_world.world.programme, title="Roundtable")
    f.FeedbackFactory(meeting=meeting, outcome=outcome_world.outcome, text="Said in confidence")
    url = outcome_world.outcome.get_absolute_url()
    donor_page = outcome_world.client_for("donor").get(url).content.decode()
    coordinator_page = outcome_world.client_for("coordinator").get(url).content.decode()
    assert "Said in confidence" not in donor_page
    assert "Said in confidence" in coordinator_page
