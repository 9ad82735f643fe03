"""Every list of the API answers a page in a fixed number of queries: pinned here
at two data sizes (1 and 8 records of each kind), for the team and for a donor."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f

from .conftest import fill_programme

# list → queries for a signed-in session: the session and its user (2), the user's
# memberships (1), the page's count and rows (2), one per prefetched relation.
QUERIES = {
    "programme": 5,
    "pillar": 5,
    "outcome": 8,  # participating agencies, budget shares, outputs
    "indicator": 7,  # dimensions, their categories
    "result": 8,  # parts, the indicator's dimensions and their categories
    "napobjective": 6,  # responsible ministries
    "alignment": 5,
    "organisation": 5,
    "meeting": 9,  # invitations, attendees, feedback, follow-up actions
    "pledge": 5,
    "payment": 5,
}
# The funding page's report: session, user, memberships, the programme and the
# report's six reads, plus the fundraising pipeline for the team (exchange rates
# are read only when another currency is in use: none here).
FUNDING_SUMMARY = {"manager": 11, "donor": 10}
DONOR_REFUSED = {"meeting", "organisation"}


@pytest.fixture(params=[1, 8], ids=["1-each", "8-each"])
def sized(request, world):
    fill_programme(
        world.programme,
        agencies=world.agencies,
        donor=world.donor_org,
        mark="Alphamark",
        size=request.param,
    )
    for _ in range(request.param):  # donors' pledges are filtered, not all shown
        f.PledgeFactory(programme=world.programme, donor=world.donor_org)
    return world


def client_for(world, name: str) -> APIClient:
    client = APIClient()
    client.force_login(world.users[name])
    return client


CASES = [
    (role, name)
    for role in ("manager", "donor")
    for name in sorted(QUERIES)
    if not (role == "donor" and name in DONOR_REFUSED)  # refused: see test_api_access
]


@pytest.mark.parametrize(("role", "name"), CASES)
def test_list_answers_in_a_fixed_number_of_queries(sized, role, name, django_assert_num_queries):
    client = client_for(sized, role)
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(reverse(f"api:{name}-list"))
    assert response.status_code == 200
    assert response.json()["results"]


@pytest.mark.parametrize("role", ["manager", "donor"])
def test_funding_summary_answers_in_a_fixed_number_of_queries(
    sized, role, django_assert_num_queries
):
    client = client_for(sized, role)
    url = reverse("api:programme-funding", args=[sized.programme.pk])
    with django_assert_num_queries(FUNDING_SUMMARY[role]):
        response = client.get(url)
    assert response.status_code == 200
