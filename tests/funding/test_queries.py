"""Query budgets: the funding pages cost the same number of queries at any size."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import ExchangeRate, Payment, Pledge, Prospect
from tests import factories as f

# Session, user, current programme, memberships; the report's eight reads (pillars,
# outcomes, budgets, agencies, pledges, payments, prospects, rates); the navbar's
# programmes; the fingerprint of the tables the cached report is built from; and, for
# users the rules refuse something, Django's two permission reads.
FUNDING_PAGE_BUDGET = 16


def grow(world, pledges: int) -> None:
    """Add ``pledges`` pledges (three currencies, every earmark), a payment for half of
    them and a prospect for a tenth, with bulk inserts."""
    programme = world.programme
    pillars = [f.PillarFactory(programme=programme) for _ in range(3)]
    outcomes = [
        f.OutcomeFactory(programme=programme, pillar=p, lead_agency=world.agencies["iom"])
        for p in pillars
    ]
    for outcome in outcomes:
        f.OutcomeBudgetFactory(outcome=outcome, agency=world.agencies["iom"])
    donors = [world.donor_org, *(f.DonorFactory() for _ in range(4))]
    agencies = list(world.agencies.values())
    earmarks = cycle(
        [{}, {"earmark_outcome": outcomes[0]}, {"earmark_pillar": pillars[1]},
         {"earmark_agency": agencies[2]}]
    )  # fmt: skip
    currencies = cycle(["USD", "EUR", "SEK"])
    start = date(2009, 1, 1)
    created = Pledge.objects.bulk_create(
        Pledge(
            programme=programme,
            donor=donors[i % len(donors)],
            amount=Decimal(1000 + i),
            currency=next(currencies),
            pledged_on=start + timedelta(days=i % 700),
            status=["pledged", "committed", "paid"][i % 3],
            is_anonymous=i % 7 == 0,
            **next(earmarks),
        )
        for i in range(pledges)
    )
    Payment.objects.bulk_create(
        Payment(
            pledge=p,
            amount=Decimal(500),
            currency=p.currency,
            received_on=p.pledged_on + timedelta(days=30),
            received_by=agencies[i % 3],
        )
        for i, p in enumerate(created[::2])
    )
    Prospect.objects.bulk_create(
        Prospect(
            programme=programme,
            donor=donors[i % len(donors)],
            amount_hoped=Decimal(5000),
            currency="EUR",
            owner_agency=agencies[i % 3],
            date=start + timedelta(days=i),
        )
        for i in range(pledges // 10)
    )
    ExchangeRate.objects.get_or_create(
        base_currency="EUR", quote_currency="USD", rate_date=start, defaults={"rate": "1.3"}
    )
    ExchangeRate.objects.get_or_create(
        base_currency="USD", quote_currency="SEK", rate_date=start, defaults={"rate": "8"}
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["manager", "iom", "donor"])
def test_funding_page_query_count_is_the_same_at_20_and_2000_pledges(
    world, name, django_assert_max_num_queries
):
    client = world.client_for(name)
    url = reverse("funding:dashboard")
    grow(world, 20)
    small = queries_for(client, url)
    grow(world, 1980)
    assert Pledge.objects.count() == 2000
    with django_assert_max_num_queries(FUNDING_PAGE_BUDGET):
        large = queries_for(client, url)
    assert small == large
    # Again, the report from the cache: the fingerprint of its tables instead of
    # its reads (eight; seven for donors, who see no prospects); a later page of the
    # pledges and payments tables the same.
    cached = queries_for(client, url)
    assert cached == large - (7 if name == "donor" else 8)
    assert queries_for(client, f"{url}?pledges_page=40&payments_page=2") == cached


@pytest.mark.parametrize("url", ["funding:export_csv", "funding:export_xlsx"])
def test_exports_query_count_is_the_same_at_two_sizes(world, url, django_assert_max_num_queries):
    client = world.client_for("manager")
    grow(world, 20)
    small = queries_for(client, reverse(url))
    grow(world, 400)
    with django_assert_max_num_queries(FUNDING_PAGE_BUDGET):
        large = queries_for(client, reverse(url))
    assert small == large


def test_pledge_page_query_count_does_not_grow_with_payments(world, django_assert_max_num_queries):
    pledge = f.PledgeFactory(programme=world.programme, donor=world.donor_org, currency="EUR")
    f.ExchangeRateFactory()
    client = world.client_for("donor")
    url = reverse("funding:pledge", args=[pledge.pk])
    f.PaymentFactory(pledge=pledge, received_by=world.agencies["iom"])
    small = queries_for(client, url)
    for _ in range(30):
        f.PaymentFactory(pledge=pledge, received_by=world.agencies["unodc"])
    with django_assert_max_num_queries(8):
        large = queries_for(client, url)
    assert small == large


def test_all_programmes_query_count_does_not_grow_with_programmes(
    world, django_assert_max_num_queries
):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    world.users["root"] = admin
    client = world.client_for("root")
    url = reverse("funding:installation")
    grow(world, 20)
    small = queries_for(client, url)
    for _ in range(5):
        programme = f.ProgrammeFactory(currency="EUR")
        f.PledgeFactory.create_batch(3, programme=programme, currency="USD")
    with django_assert_max_num_queries(12):
        large = queries_for(client, url)
    assert small == large


@pytest.mark.parametrize("url", ["funding:installation_csv", "funding:installation_xlsx"])
def test_all_programmes_exports_query_count_does_not_grow_with_programmes(
    world, url, django_assert_max_num_queries
):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    world.users["root"] = admin
    client = world.client_for("root")
    grow(world, 20)
    small = queries_for(client, reverse(url))
    for _ in range(5):
        programme = f.ProgrammeFactory(currency="EUR")
        f.PledgeFactory.create_batch(3, programme=programme, currency="USD")
    with django_assert_max_num_queries(12):
        large = queries_for(client, reverse(url))
    assert small == large
