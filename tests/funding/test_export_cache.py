"""The funding exports are kept in the cache (``fingerprints``) and never served
stale: a change to any table they are built from gives a new file, and each
reader's view of the report (all pledges, or a donor's own) is a file of its own."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from funding import exports
from funding.models import ExchangeRate
from tests import factories as f


@pytest.fixture
def builds(monkeypatch):
    counted = []
    original = exports.write

    def counting(*args, **kwargs):
        counted.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(exports, "write", counting)
    return counted


def text(funded, name="manager") -> str:
    response = funded.world.client_for(name).get(reverse("funding:export_csv"))
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_the_file_is_built_once_and_follows_every_source(funded, builds):
    first = text(funded)
    assert text(funded) == first and len(builds) == 1

    donor = funded.eu.donor
    donor.name = "Delegation of the European Union"
    donor.save()
    assert "Delegation of the European Union" in text(funded)

    f.PaymentFactory(
        pledge=funded.eu, amount=Decimal("25000"), currency="USD", received_on=date(2009, 11, 1)
    )
    assert "145000.00" in text(funded)  # paid: 120,000 + 25,000 USD at 1.00

    before = text(funded)
    rate = ExchangeRate.objects.get(base_currency="EUR", rate_date=date(2009, 6, 1))
    rate.rate = Decimal("1.50")
    rate.save()
    assert text(funded) != before

    budget = funded.world.programme.outcomes.get(code="2").budgets.get()
    budget.amount = Decimal("350000")
    budget.save()
    assert "500000.00" in text(funded)  # the budget
    assert len(builds) == 5


def test_each_reader_gets_their_own_view(funded, builds):
    assert "SIDA-SECRET-REF" in text(funded, "manager")
    donor = text(funded, "donor")
    assert "SIDA-SECRET-REF" not in donor and "NOR-2009-1" in donor
    assert len(builds) == 2
    assert text(funded, "iom") == text(funded, "manager")  # the same view: no third build
    assert len(builds) == 2


def test_the_funding_page_shows_a_change_at_once_and_each_reader_their_view(funded):
    manager = funded.world.client_for("manager")
    url = reverse("funding:dashboard")
    assert "SIDA-SECRET-REF" in manager.get(url).content.decode()
    donor_page = funded.world.client_for("donor").get(url).content.decode()
    assert "SIDA-SECRET-REF" not in donor_page and "NOR-2009-1" in donor_page

    funded.norway.reference = "NOR-2009-1-AMENDED"
    funded.norway.save()
    assert "NOR-2009-1-AMENDED" in manager.get(url).content.decode()
    f.PledgeFactory(
        programme=funded.world.programme, donor=funded.eu.donor, reference="EU-NEW-PLEDGE"
    )
    assert "EU-NEW-PLEDGE" in manager.get(url).content.decode()
