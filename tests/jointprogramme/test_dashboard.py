from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f


def test_dashboard_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_healthz_answers_when_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_dashboard_summarises_programme(world):
    programme = world.programme
    pillar = f.PillarFactory(programme=programme, code="prevention", name="Prevention")
    outcome = f.OutcomeFactory(
        programme=programme,
        pillar=pillar,
        code="1",
        title="Awareness raised",
        lead_agency=world.agencies["iom"],
    )
    f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("200000"))
    f.PledgeFactory(
        programme=programme, amount=Decimal("50000"), currency="USD", status="committed"
    )
    f.MeetingFactory(programme=programme, title="Donor roundtable")
    response = world.client_for("manager").get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Awareness raised" in content
    assert "200,000 USD" in content
    assert "50,000 USD" in content
    assert "150,000 USD" in content  # gap
    assert "Donor roundtable" in content


def test_dashboard_shows_only_own_programme(world):
    f.OutcomeFactory(programme=world.other_programme, title="Secret outcome elsewhere")
    response = world.client_for("manager").get(reverse("dashboard"))
    assert "Secret outcome elsewhere" not in response.content.decode()


@pytest.mark.parametrize("outcomes", [2, 30])
def test_dashboard_query_count_is_constant(world, django_assert_max_num_queries, outcomes):
    pillar = f.PillarFactory(programme=world.programme)
    f.OutcomeFactory.create_batch(outcomes, programme=world.programme, pillar=pillar)
    f.PledgeFactory.create_batch(3, programme=world.programme, currency="EUR")
    f.ExchangeRateFactory()
    client = world.client_for("unodc")
    # Issue 7's cap; the exact counts are pinned in tests/jointprogramme/test_synthetic.py.
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboard"))


def test_dashboard_shows_alignment_coverage_with_gaps(world):
    programme = world.programme
    outcome = f.OutcomeFactory(programme=programme, lead_agency=world.agencies["unodc"])
    plan = f.NationalActionPlanFactory(programme=programme)
    served = f.NapObjectiveFactory(plan=plan, code="1")
    f.NapObjectiveFactory(plan=plan, code="2")  # no outcome serves it: a gap
    f.AlignmentFactory(outcome=outcome, objective=served, review_status="confirmed")
    response = world.client_for("coordinator").get(reverse("dashboard"))
    alignment = response.context["alignment"]
    assert alignment["plan"] == plan
    assert alignment["gaps"] == 1
    assert alignment["figures"].full == 1
    assert alignment["figures"].confirmed == 1
    assert 'data-testid="alignment-gaps">1<' in response.content.decode()


def test_dashboard_alignment_coverage_is_cached_until_the_plan_changes(world):
    """The coverage figures come from the whole alignment report: kept in the cache
    under a fingerprint of the plan's objectives and links, so any change to those
    shows at once, and an unchanged plan is not recomputed."""
    programme = world.programme
    outcome = f.OutcomeFactory(programme=programme, lead_agency=world.agencies["unodc"])
    plan = f.NationalActionPlanFactory(programme=programme)
    first = f.NapObjectiveFactory(plan=plan, code="1")
    second = f.NapObjectiveFactory(plan=plan, code="2")
    client = world.client_for("coordinator")

    def figures():
        with CaptureQueriesContext(connection) as queries:
            alignment = client.get(reverse("dashboard")).context["alignment"]
        return alignment["gaps"], alignment["figures"].confirmed, len(queries)

    gaps, confirmed, cold = figures()
    assert (gaps, confirmed) == (2, 0)
    gaps, confirmed, warm = figures()
    assert (gaps, confirmed) == (2, 0)
    assert warm < cold  # served from the cache: the report's queries are not made

    link = f.AlignmentFactory(outcome=outcome, objective=first, review_status="proposed")
    assert figures()[:2] == (1, 0)
    link.review_status = "confirmed"
    link.version += 1
    link.save()
    assert figures()[:2] == (1, 1)
    second.status = "withdrawn"
    second.save()
    assert figures()[:2] == (0, 1)
    link.delete()
    assert figures()[:2] == (1, 0)
