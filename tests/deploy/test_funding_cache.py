"""The dashboard's cached funding figures: one query when cached, recomputed as soon
as any row they come from changes (whatever wrote it), never served stale."""

import datetime as dt
from decimal import Decimal

import pytest

from jointprogramme.caching import cached_funding, funding_fingerprint
from tests import factories as f


@pytest.fixture
def programme(world):
    programme = world.programme
    outcome = f.OutcomeFactory(programme=programme, lead_agency=world.agencies["iom"])
    f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("200000"))
    f.PledgeFactory(programme=programme, amount=Decimal("50000"), status="committed")
    return programme


def compute_counter():
    calls = []

    def compute(budget):
        calls.append(budget)
        return f"figures for budget {budget} (#{len(calls)})"

    return compute, calls


def test_cached_figures_cost_one_query(programme, django_assert_num_queries):
    compute, calls = compute_counter()
    cached_funding(programme, compute)
    with django_assert_num_queries(1):
        cached_funding(programme, compute)
    assert len(calls) == 1
    assert calls[0] == Decimal("200000")


def test_the_fingerprint_is_one_query_whatever_the_data_size(
    programme, world, django_assert_num_queries
):
    f.PledgeFactory.create_batch(25, programme=programme)
    with django_assert_num_queries(1):
        funding_fingerprint(programme)


def change_pledge(programme, world):
    pledge = programme.pledges.get()
    pledge.status = "paid"
    pledge.save()


def new_payment(programme, world):
    f.PaymentFactory(pledge=programme.pledges.get(), received_by=world.agencies["iom"])


def new_budget_line(programme, world):
    outcome = f.OutcomeFactory(programme=programme, lead_agency=world.agencies["unodc"])
    f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("1"))


def new_rate(programme, world):
    f.ExchangeRateFactory(rate_date=dt.date(2010, 1, 1))


def deleted_pledge(programme, world):
    programme.pledges.get().delete()


def pledge_moved_to_another_currency_by_update(programme, world):
    programme.pledges.update(currency="EUR")


@pytest.mark.parametrize(
    "change",
    [
        change_pledge,
        new_payment,
        new_budget_line,
        new_rate,
        deleted_pledge,
        pledge_moved_to_another_currency_by_update,
    ],
)
def test_any_change_to_the_rows_behind_the_figures_recomputes_them(programme, world, change):
    compute, calls = compute_counter()
    first = cached_funding(programme, compute)
    change(programme, world)
    second = cached_funding(programme, compute)
    assert len(calls) == 2
    assert first != second


def test_another_programmes_changes_leave_the_cache_alone(programme, world):
    compute, calls = compute_counter()
    cached_funding(programme, compute)
    f.PledgeFactory(programme=world.other_programme)
    cached_funding(programme, compute)
    assert len(calls) == 1


def test_dashboard_shows_a_changed_pledge_at_once(programme, world):
    client = world.client_for("manager")
    assert "50,000" in client.get("/").content.decode()
    pledge = programme.pledges.get()
    pledge.amount = Decimal("80000")
    pledge.save()
    assert "80,000" in client.get("/").content.decode()


def test_pages_are_served_when_redis_is_down(programme, world, settings, caplog):
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = world.client_for("manager").get("/")
    assert response.status_code == 200
    assert "50,000" in response.content.decode()
    assert "cache unavailable" in caplog.text
