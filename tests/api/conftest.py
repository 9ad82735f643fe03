"""A programme with something of every kind for the API tests, and one elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from outcomes.models import DisaggregationDimension
from tests import factories as f

D = Decimal


@dataclass
class ApiSite:
    world: object
    objects: dict

    def client(self, name: str | None) -> APIClient:
        client = APIClient()
        if name is not None:
            client.force_login(self.world.users[name])
        return client


def fill_programme(programme, *, agencies: dict, donor, mark: str, size: int = 1) -> dict:
    """``size`` of each kind of record (outcomes, indicators, results, objectives,
    links, meetings, pledges, payments), with what each list shows nested."""
    pillar = f.PillarFactory(programme=programme, code=f"protection-{mark}", name="Protection")
    first = f.ReportingPeriodFactory(
        programme=programme, name="2010 H1", start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2010, 6, 30),
    )  # fmt: skip
    second = f.ReportingPeriodFactory(
        programme=programme, name="2010 H2", start_date=dt.date(2010, 7, 1),
        end_date=dt.date(2010, 12, 31),
    )  # fmt: skip
    sex = DisaggregationDimension.objects.create(programme=programme, name="Sex")
    female = sex.categories.create(name="Female", order=1)
    male = sex.categories.create(name="Male", order=2)
    plan = f.NationalActionPlanFactory(programme=programme)
    # Organisations are shared by every programme: no mark in their names.
    other_donor = f.DonorFactory()
    quiet_donor = f.DonorFactory(kind="fund")
    made: dict = {"pillar": pillar, "periods": [first, second]}
    for n in range(size):
        outcome = f.OutcomeFactory(
            programme=programme, pillar=pillar, title=f"{mark} outcome {n}",
            lead_agency=agencies["unodc"], participating_agencies=[agencies["iom"]],
        )  # fmt: skip
        f.OutcomeBudgetFactory(outcome=outcome, amount=D("1000"))
        output = f.OutputFactory(outcome=outcome)
        counted = f.IndicatorFactory(outcome=outcome, output=output)
        sensitive = f.IndicatorFactory(outcome=outcome, is_sensitive=True, baseline=D("3"))
        sensitive.dimensions.add(sex)
        approved = f.ResultFactory(indicator=sensitive, period=first, value=D("30"))
        approved.breakdowns.create(category=female, value=D("27"))
        approved.breakdowns.create(category=male, value=D("3"))
        f.ResultFactory(indicator=counted, period=first, value=D("10"))
        draft = f.ResultFactory(indicator=sensitive, period=second, value=D("999"), status="draft")
        objective = f.NapObjectiveFactory(plan=plan)
        objective.responsible_ministries.add(f.OrganisationFactory())
        alignment = f.AlignmentFactory(outcome=outcome, objective=objective)
        meeting = f.MeetingFactory(programme=programme, title=f"{mark} roundtable {n}")
        f.InvitationFactory(meeting=meeting)
        f.AttendeeFactory(meeting=meeting)
        f.FeedbackFactory(meeting=meeting, outcome=outcome)
        f.FollowUpActionFactory(meeting=meeting, owner=agencies["unodc"])
        own = f.PledgeFactory(
            programme=programme, donor=donor, status="committed", note=f"{mark} own note {n}",
            earmark_outcome=outcome,
        )  # fmt: skip
        theirs = f.PledgeFactory(
            programme=programme, donor=other_donor, note=f"{mark} Swedish note {n}"
        )
        hidden = f.PledgeFactory(programme=programme, donor=quiet_donor, is_anonymous=True)
        own_payment = f.PaymentFactory(pledge=own, received_by=agencies["unodc"])
        their_payment = f.PaymentFactory(pledge=theirs, received_by=agencies["iom"])
        f.PaymentFactory(pledge=hidden, received_by=agencies["iom"])
        made.setdefault("outcome", outcome)
        made.setdefault("indicator", sensitive)
        made.setdefault("result", approved)
        made.setdefault("draft", draft)
        made.setdefault("objective", objective)
        made.setdefault("alignment", alignment)
        made.setdefault("meeting", meeting)
        made.setdefault("own_pledge", own)
        made.setdefault("their_pledge", theirs)
        made.setdefault("own_payment", own_payment)
        made.setdefault("their_payment", their_payment)
    made.update(other_donor=other_donor, quiet_donor=quiet_donor)
    return made


@pytest.fixture
def api_site(world) -> ApiSite:
    here = fill_programme(
        world.programme, agencies=world.agencies, donor=world.donor_org, mark="Alphamark"
    )
    elsewhere = fill_programme(
        world.other_programme,
        agencies={"unodc": f.AgencyFactory(), "iom": f.AgencyFactory()},
        donor=f.DonorFactory(),
        mark="Omegamark",
    )
    return ApiSite(world=world, objects={"here": here, "elsewhere": elsewhere})
