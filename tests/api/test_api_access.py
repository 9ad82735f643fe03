"""The read API probed as every role: what each may list and open, and what each
sees of it — the pages' permissions, donors' view of money, approved results only,
survivor-safe figures — plus token sign-in, the programme filter and read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import ROLES

LISTS = [
    "programme",
    "pillar",
    "outcome",
    "indicator",
    "result",
    "napobjective",
    "alignment",
    "organisation",
    "meeting",
    "pledge",
    "payment",
]
NOT_FOR_DONORS = {"meeting", "organisation"}


def rows(response) -> list[dict]:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.json()["results"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_what_its_pages_show_and_only_its_programme(api_site, role):
    client = api_site.client(role)
    programme = api_site.world.programme.pk
    for name in LISTS:
        response = client.get(reverse(f"api:{name}-list"))
        if role == "donor" and name in NOT_FOR_DONORS:
            assert response.status_code == 403, name
            continue
        found = rows(response)
        assert found, name
        if name == "programme":
            assert [r["id"] for r in found] == [programme]
        elif name != "organisation":
            assert {r["programme"] for r in found} == {programme}, name
        assert b"Omegamark" not in response.content, name


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_visitors_are_refused(api_site, name):
    response = APIClient().get(reverse(f"api:{name}-list"))
    assert response.status_code in {401, 403}


def test_outsider_sees_its_own_programme_only(api_site):
    client = api_site.client("outsider")
    for name in LISTS:
        response = client.get(reverse(f"api:{name}-list"))
        assert b"Alphamark" not in response.content, name
    outcome = api_site.objects["here"]["outcome"]
    assert client.get(reverse("api:outcome-detail", args=[outcome.pk])).status_code == 404
    response = client.get(reverse("api:outcome-list"), {"programme": api_site.world.programme.pk})
    assert response.status_code == 404


def test_programme_filter(api_site):
    client = api_site.client("manager")
    here, elsewhere = api_site.world.programme.pk, api_site.world.other_programme.pk
    found = rows(client.get(reverse("api:result-list"), {"programme": here}))
    assert {r["programme"] for r in found} == {here}
    assert client.get(reverse("api:result-list"), {"programme": elsewhere}).status_code == 404
    response = client.get(reverse("api:result-list"), {"programme": "one"})
    assert response.status_code == 400
    assert "whole number" in response.json()["programme"][0]
    donor = api_site.client("donor")
    assert donor.get(reverse("api:meeting-list"), {"programme": here}).status_code == 403


def test_organisations_filtered_by_programme_are_those_taking_part(api_site):
    client = api_site.client("unodc")
    found = rows(
        client.get(reverse("api:organisation-list"), {"programme": api_site.world.programme.pk})
    )
    assert {r["acronym"] for r in found} == {"UNODC", "UNHCR", "IOM"}


def test_donor_is_refused_meetings_and_the_directory_one_by_one(api_site):
    client = api_site.client("donor")
    meeting = api_site.objects["here"]["meeting"]
    assert client.get(reverse("api:meeting-detail", args=[meeting.pk])).status_code == 403
    organisation = api_site.world.agencies["unodc"]
    assert client.get(reverse("api:organisation-detail", args=[organisation.pk])).status_code == 403
    coordinator = api_site.client("coordinator")
    response = coordinator.get(reverse("api:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["invitations"] and body["attendees"] and body["feedback"]
    assert body["follow_up_actions"]


def test_donor_sees_its_own_pledges_and_payments_only(api_site):
    here = api_site.objects["here"]
    client = api_site.client("donor")
    pledges = rows(client.get(reverse("api:pledge-list")))
    assert [p["id"] for p in pledges] == [here["own_pledge"].pk]
    assert pledges[0]["note"] == "Alphamark own note 0"
    assert pledges[0]["earmark"]["level"] == "outcome"
    payments = rows(client.get(reverse("api:payment-list")))
    assert [p["id"] for p in payments] == [here["own_payment"].pk]
    assert b"Swedish note" not in client.get(reverse("api:pledge-list")).content
    theirs = here["their_pledge"]
    assert client.get(reverse("api:pledge-detail", args=[theirs.pk])).status_code == 403
    their_payment = here["their_payment"]
    assert client.get(reverse("api:payment-detail", args=[their_payment.pk])).status_code == 403


@pytest.mark.parametrize("role", ["manager", "unodc", "coordinator"])
def test_the_team_sees_every_pledge(api_site, role):
    pledges = rows(api_site.client(role).get(reverse("api:pledge-list")))
    assert len(pledges) == 3
    assert any(p["is_anonymous"] for p in pledges)


def test_donor_sees_other_donors_as_totals_and_anonymous_ones_pooled(api_site):
    here = api_site.objects["here"]
    url = reverse("api:programme-funding", args=[api_site.world.programme.pk])
    response = api_site.client("donor").get(url)
    assert response.status_code == 200
    donors = {line["label"] for line in response.json()["by_donor"]}
    assert here["other_donor"].name in donors  # by name, as a total
    assert "Anonymous donor" in donors
    assert here["quiet_donor"].name not in response.content.decode()
    staff = api_site.client("manager").get(url).json()
    assert here["quiet_donor"].name in {line["label"] for line in staff["by_donor"]}
    assert staff["headline"]["budget"] == "1000.00"


def test_results_are_approved_only(api_site):
    draft = api_site.objects["here"]["draft"]
    for role in ROLES:
        client = api_site.client(role)
        found = rows(client.get(reverse("api:result-list")))
        assert draft.pk not in {r["id"] for r in found}, role
        assert client.get(reverse("api:result-detail", args=[draft.pk])).status_code == 404


def test_donor_sees_sensitive_figures_survivor_safe(api_site):
    result = api_site.objects["here"]["result"]
    indicator = api_site.objects["here"]["indicator"]
    donor = api_site.client("donor")
    body = donor.get(reverse("api:result-detail", args=[result.pk])).json()
    assert body["value"] == {"value": "30.00", "withheld": False, "label": "30"}
    cells = {c["category"]: c["figure"] for c in body["breakdowns"][0]["cells"]}
    assert cells["Male"] == {"value": None, "withheld": True, "label": "< 5"}
    assert cells["Female"] == {"value": None, "withheld": True, "label": "hidden"}  # 30 - 27
    baseline = donor.get(reverse("api:indicator-detail", args=[indicator.pk])).json()["baseline"]
    assert baseline == {"value": None, "withheld": True, "label": "< 5"}
    for role in ("manager", "unodc", "coordinator"):
        client = api_site.client(role)
        body = client.get(reverse("api:result-detail", args=[result.pk])).json()
        cells = {c["category"]: c["figure"] for c in body["breakdowns"][0]["cells"]}
        assert cells["Male"]["value"] == "3.00", role
        indicator_body = client.get(reverse("api:indicator-detail", args=[indicator.pk])).json()
        assert indicator_body["baseline"]["value"] == "3.00", role


def test_token_authentication(api_site):
    token = Token.objects.create(user=api_site.world.users["donor"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    pledges = rows(client.get(reverse("api:pledge-list")))
    assert [p["id"] for p in pledges] == [api_site.objects["here"]["own_pledge"].pk]
    assert client.get(reverse("api:meeting-list")).status_code == 403
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(reverse("api:pledge-list")).status_code == 401


def test_the_api_is_read_only(api_site):
    client = api_site.client("manager")
    outcome = api_site.objects["here"]["outcome"]
    detail = reverse("api:outcome-detail", args=[outcome.pk])
    assert client.post(reverse("api:outcome-list"), {"title": "x"}).status_code == 405
    assert client.put(detail, {"title": "x"}).status_code == 405
    assert client.patch(detail, {"title": "x"}).status_code == 405
    assert client.delete(detail).status_code == 405
    outcome.refresh_from_db()
    assert outcome.title == "Alphamark outcome 0"


def test_lists_are_paginated(api_site, settings):
    client = api_site.client("manager")
    body = client.get(reverse("api:pillar-list")).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
