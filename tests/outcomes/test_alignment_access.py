"""Every page and post of the alignment report, for every role, a member of another
programme (outsider) and an anonymous visitor; a refused post changes nothing.

Reading is for every member. The coordinator and managers review (confirm, query,
remove) and manage plan versions and imports. Staff of an outcome's agencies and
managers answer queries and propose links: outcome 2.1 is UNODC's with IOM,
outcome 3.1 UNHCR's. Objects of another programme are a 404.
"""

import io

import pytest
from django.urls import reverse

from outcomes.models import Alignment, NapObjective, NationalActionPlan
from tests.conftest import EVERYONE, ROLES
from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401

REVIEWERS = {"manager", "coordinator"}


def snapshot() -> tuple:
    return (
        tuple(Alignment.objects.order_by("pk").values_list()),
        tuple(NationalActionPlan.objects.order_by("pk").values_list()),
        tuple(NapObjective.objects.order_by("pk").values_list()),
        Alignment.history.count(),
    )


def assert_status(response, expected: int):
    assert response.status_code == expected, response.content[:500]
    if expected == 302 and response.wsgi_request.user.is_anonymous:
        assert response["Location"].startswith(reverse("login"))


def expected_for(name, allowed: set[str], ok: int = 302) -> int:
    if name is None:
        return 302
    if name == "outsider":
        return 404
    return ok if name in allowed else 403


# Reading --------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_report_for_each_role(alignment_world, name):
    response = alignment_world.client_for(name).get(reverse("outcomes:alignment"))
    if name is None:
        assert_status(response, 302)
        return
    assert response.status_code == 200
    content = response.content.decode()
    if name == "outsider":  # their own programme's plan, not ours
        assert "Elsewhere&#x27;s objective" in content
        assert "Traffickers are prosecuted" not in content
    else:
        assert "Traffickers are prosecuted" in content
        assert "Elsewhere" not in content
    review_url = reverse("outcomes:alignment_review", args=[alignment_world.proposed.pk])
    assert (review_url in content) == (name in REVIEWERS)


@pytest.mark.parametrize("name", ROLES)
def test_another_programmes_plan_is_not_found(alignment_world, name):
    client = alignment_world.client_for(name)
    other = alignment_world.other_plan.pk
    for url in ("outcomes:alignment", "outcomes:alignment_csv", "outcomes:alignment_xlsx"):
        assert client.get(reverse(url), {"plan": other}).status_code == 404
    assert client.get(reverse("outcomes:alignment"), {"plan": "x"}).status_code == 404
    link = alignment_world.other_link.pk
    assert client.get(reverse("outcomes:alignment_link", args=[link])).status_code == 404


@pytest.mark.parametrize("name", EVERYONE)
def test_link_page_for_each_role(alignment_world, name):
    link = alignment_world.queried
    response = alignment_world.client_for(name).get(
        reverse("outcomes:alignment_link", args=[link.pk])
    )
    expected = expected_for(name, set(ROLES), ok=200)
    assert_status(response, expected)
    if expected == 200:
        content = response.content.decode()
        assert ('data-testid="review-form"' in content) == (name in REVIEWERS)
        assert ('data-testid="answer-form"' in content) == (name in {"manager", "unhcr"})


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_for_each_role(alignment_world, name, kind):
    plan = alignment_world.plan.pk
    response = alignment_world.client_for(name).get(
        reverse(f"outcomes:alignment_{kind}"), {"plan": plan}
    )
    assert_status(response, expected_for(name, set(ROLES), ok=200))


@pytest.mark.parametrize("name", EVERYONE)
def test_plan_list_for_each_role(alignment_world, name):
    response = alignment_world.client_for(name).get(reverse("outcomes:alignment_plans"))
    if name is None:
        assert_status(response, 302)
        return
    assert response.status_code == 200
    adopt = reverse("outcomes:alignment_plan_adopt", args=[alignment_world.plan.pk])
    assert (adopt in response.content.decode()) == (name in REVIEWERS)


# Review ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("status", ["confirmed", "queried"])
def test_only_the_coordinator_and_managers_review(alignment_world, name, status):
    link = alignment_world.proposed
    before = snapshot()
    response = alignment_world.client_for(name).post(
        reverse("outcomes:alignment_review", args=[link.pk]),
        {"version": 1, "status": status, "comment": "A comment"},
    )
    expected = expected_for(name, REVIEWERS)
    assert_status(response, expected)
    link.refresh_from_db()
    if expected == 302 and name is not None:
        assert link.review_status == status
        assert link.reviewed_by == alignment_world.user(name)
    else:
        assert snapshot() == before


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_outcomes_agencies_and_managers_answer(alignment_world, name):
    link = alignment_world.queried  # outcome 3.1: UNHCR's
    before = snapshot()
    response = alignment_world.client_for(name).post(
        reverse("outcomes:alignment_answer", args=[link.pk]),
        {"version": 1, "reply": "It does.", "degree": link.degree, "rationale": link.rationale},
    )
    expected = expected_for(name, {"manager", "unhcr"})
    assert_status(response, expected)
    link.refresh_from_db()
    if expected == 302 and name is not None:
        assert link.review_status == "proposed"
        assert link.review_comment == "It does."
    else:
        assert snapshot() == before


@pytest.mark.parametrize("name", EVERYONE)
def test_only_reviewers_remove_links(alignment_world, name):
    link = alignment_world.proposed
    before = snapshot()
    response = alignment_world.client_for(name).post(
        reverse("outcomes:alignment_remove", args=[link.pk]), {"version": 1}
    )
    expected = expected_for(name, REVIEWERS)
    assert_status(response, expected)
    exists = Alignment.objects.filter(pk=link.pk).exists()
    assert exists == (expected != 302 or name is None)
    if exists:
        assert snapshot() == before


# Proposals ------------------------------------------------------------------------

PROPOSERS_OF_21 = {"manager", "unodc", "iom"}


@pytest.mark.parametrize("name", EVERYONE)
def test_propose_page_for_each_role(alignment_world, name):
    response = alignment_world.client_for(name).get(
        reverse("outcomes:alignment_propose"), {"plan": alignment_world.plan.pk}
    )
    # Agency staff of any outcome may open it (UNHCR for 3.1); coordinator and donor may not.
    assert_status(response, expected_for(name, {"manager", "unodc", "unhcr", "iom"}, ok=200))


@pytest.mark.parametrize("name", EVERYONE)
def test_proposing_a_link_for_outcome_2_1(alignment_world, name):
    before = snapshot()
    response = alignment_world.client_for(name).post(
        f"{reverse('outcomes:alignment_propose')}?plan={alignment_world.plan.pk}",
        {
            "outcome": alignment_world.outcomes["2.1"].pk,
            "objective": alignment_world.objectives["2.2"].pk,
            "degree": "partial",
            "rationale": "Judges are trained too.",
        },
    )
    if name == "unhcr":  # may propose for 3.1 only: 2.1 is not among the choices
        assert response.status_code == 400
        assert "Choose one of your outcomes" in response.content.decode()
        assert snapshot() == before
        return
    expected = expected_for(name, PROPOSERS_OF_21)
    assert_status(response, expected)
    created = Alignment.objects.filter(
        outcome=alignment_world.outcomes["2.1"], objective=alignment_world.objectives["2.2"]
    ).first()
    if expected == 302 and name is not None:
        assert created.proposed_by == alignment_world.user(name)
    else:
        assert created is None and snapshot() == before


# Plans and import -----------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_only_reviewers_adopt_a_plan(alignment_world, name):
    plan = alignment_world.plan
    before = snapshot()
    response = alignment_world.client_for(name).post(
        reverse("outcomes:alignment_plan_adopt", args=[plan.pk]), {"adopted_on": "2009-06-01"}
    )
    expected = expected_for(name, REVIEWERS)
    assert_status(response, expected)
    plan.refresh_from_db()
    assert (plan.status == "adopted") == (expected == 302 and name is not None)
    if plan.status != "adopted":
        assert snapshot() == before


@pytest.mark.parametrize("name", EVERYONE)
def test_only_reviewers_revise_a_plan(alignment_world, name):
    plan = alignment_world.plan
    url = reverse("outcomes:alignment_plan_revise", args=[plan.pk])
    client = alignment_world.client_for(name)
    assert_status(client.get(url), expected_for(name, REVIEWERS, ok=200))
    before = snapshot()
    response = client.post(url, {"version": "2", "title": "NAP 2"})
    expected = expected_for(name, REVIEWERS)
    assert_status(response, expected)
    created = NationalActionPlan.objects.filter(version="2").exists()
    assert created == (expected == 302 and name is not None)
    if not created:
        assert snapshot() == before


@pytest.mark.parametrize("name", EVERYONE)
def test_only_reviewers_import_objectives(alignment_world, name):
    plan = alignment_world.plan
    url = f"{reverse('outcomes:alignment_import')}?plan={plan.pk}"
    client = alignment_world.client_for(name)
    assert_status(client.get(url), expected_for(name, REVIEWERS, ok=200))
    before = snapshot()
    upload = io.BytesIO(b"code,title\n4,Partnership\n")
    upload.name = "objectives.csv"
    response = client.post(url, {"file": upload})
    expected = expected_for(name, REVIEWERS)
    assert_status(response, expected)
    imported = NapObjective.objects.filter(plan=plan, code="4").exists()
    assert imported == (expected == 302 and name is not None)
    if not imported:
        assert snapshot() == before


@pytest.mark.parametrize("name", [*ROLES, None])
def test_only_reviewers_start_a_plan(alignment_world, name):
    url = reverse("outcomes:alignment_plan_new")
    response = alignment_world.client_for(name).get(url)
    assert_status(response, expected_for(name, REVIEWERS, ok=200))
