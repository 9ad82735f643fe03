"""A programme with money in it: budgets, pledges in three currencies, payments, rates.

Figures by hand (programme currency USD; EUR→USD 1.30 from 1 Jan 2009, 1.40 from
1 Jun 2009; USD→SEK 8.00, i.e. 1 SEK = 0.125 USD):

- budget: outcome 1 (prevention) 150,000 = UNODC 100,000 + IOM 50,000;
  outcome 2 (protection) 300,000 (UNHCR) → 450,000.
- Norway (the donor user's organisation): 100,000 EUR on 25 Mar 2009, committed,
  earmarked to outcome 1 → 130,000.00; paid 50,000 EUR on 1 Jul 2009 to UNODC → 70,000.00.
- Sweden: 400,000 SEK on 1 Apr 2009, paid, earmarked to the protection pillar, anonymous
  to other donors → 50,000.00; paid 400,000 SEK on 2 Apr 2009 to UNHCR → 50,000.00.
- EU: 25,000 USD on 10 Oct 2009, pledged only, not earmarked.
- totals: pledged 205,000.00; committed 180,000.00; paid 120,000.00; gap 270,000.00;
  40.0 % funded.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from funding.models import Payment, Pledge, Prospect
from tests import factories as f


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The accounts' passwords need not resist attack here: hash them quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Funded:
    world: object
    norway: Pledge
    sweden: Pledge
    eu: Pledge
    norway_payment: Payment
    sweden_payment: Payment
    prospect: Prospect


@pytest.fixture
def funded(world) -> Funded:
    programme = world.programme
    agencies = world.agencies
    prevention = f.PillarFactory(programme=programme, code="prevention", name="Prevention")
    protection = f.PillarFactory(programme=programme, code="protection", name="Protection", order=1)
    outcome_1 = f.OutcomeFactory(
        programme=programme,
        pillar=prevention,
        code="1",
        title="Public aware of trafficking risks",
        lead_agency=agencies["unodc"],
    )
    outcome_2 = f.OutcomeFactory(
        programme=programme,
        pillar=protection,
        code="2",
        title="Victims assisted and protected",
        lead_agency=agencies["unhcr"],
    )
    f.OutcomeBudgetFactory(outcome=outcome_1, agency=agencies["unodc"], amount=Decimal("100000"))
    f.OutcomeBudgetFactory(outcome=outcome_1, agency=agencies["iom"], amount=Decimal("50000"))
    f.OutcomeBudgetFactory(outcome=outcome_2, agency=agencies["unhcr"], amount=Decimal("300000"))
    f.ExchangeRateFactory(rate_date=date(2009, 1, 1), rate=Decimal("1.30"))
    f.ExchangeRateFactory(rate_date=date(2009, 6, 1), rate=Decimal("1.40"))
    f.ExchangeRateFactory(
        base_currency="USD", quote_currency="SEK", rate_date=date(2009, 1, 1), rate=Decimal("8")
    )
    sweden_org = f.DonorFactory(name="Embassy of Sweden", acronym="SE")
    eu_org = f.DonorFactory(name="European Union Delegation", acronym="EU")
    norway = f.PledgeFactory(
        programme=programme,
        donor=world.donor_org,
        amount=Decimal("100000"),
        currency="EUR",
        pledged_on=date(2009, 3, 25),
        status="committed",
        earmark_outcome=outcome_1,
        reference="NOR-2009-1",
        note="Norway's own note",
    )
    sweden = f.PledgeFactory(
        programme=programme,
        donor=sweden_org,
        amount=Decimal("400000"),
        currency="SEK",
        pledged_on=date(2009, 4, 1),
        status="paid",
        earmark_pillar=protection,
        is_anonymous=True,
        reference="SIDA-SECRET-REF",
        note="Sweden's confidential note",
    )
    eu = f.PledgeFactory(
        programme=programme,
        donor=eu_org,
        amount=Decimal("25000"),
        currency="USD",
        pledged_on=date(2009, 10, 10),
        status="pledged",
        reference="EU-REF-77",
    )
    norway_payment = f.PaymentFactory(
        pledge=norway,
        amount=Decimal("50000"),
        currency="EUR",
        received_on=date(2009, 7, 1),
        received_by=agencies["unodc"],
        reference="NOR-PAY-1",
    )
    sweden_payment = f.PaymentFactory(
        pledge=sweden,
        amount=Decimal("400000"),
        currency="SEK",
        received_on=date(2009, 4, 2),
        received_by=agencies["unhcr"],
        reference="SWE-PAY-SECRET",
    )
    prospect = f.ProspectFactory(
        programme=programme,
        donor=f.DonorFactory(name="Embassy of Japan"),
        amount_hoped=Decimal("60000"),
        owner_agency=agencies["iom"],
        next_step="Invite to the field visit",
    )
    return Funded(world, norway, sweden, eu, norway_payment, sweden_payment, prospect)
