"""The database itself refuses data that breaks the domain's rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jointprogramme.models import Membership
from tests import factories as f


def refused(build):
    """True when the database refuses what ``build`` writes."""
    try:
        with transaction.atomic():
            build()
    except IntegrityError:
        return True
    return False


pytestmark = pytest.mark.django_db


def test_programme_end_not_before_start():
    assert refused(
        lambda: f.ProgrammeFactory(start_date=dt.date(2010, 1, 1), end_date=dt.date(2009, 1, 1))
    )


def test_programme_currency_is_iso_code():
    assert refused(lambda: f.ProgrammeFactory(currency="usd"))


def test_outcome_codes_unique_per_programme_only():
    outcome = f.OutcomeFactory(code="1.1")
    assert refused(lambda: f.OutcomeFactory(programme=outcome.programme, code="1.1"))
    f.OutcomeFactory(code="1.1")  # another programme may reuse it


def test_output_and_indicator_codes_unique_per_outcome():
    output = f.OutputFactory(code="1.1.1")
    assert refused(lambda: f.OutputFactory(outcome=output.outcome, code="1.1.1"))
    indicator = f.IndicatorFactory(code="a")
    assert refused(lambda: f.IndicatorFactory(outcome=indicator.outcome, code="a"))


def test_budget_amounts_not_negative():
    assert refused(lambda: f.OutcomeBudgetFactory(amount=Decimal("-1.00")))


def test_one_alignment_per_outcome_and_objective():
    alignment = f.AlignmentFactory()
    assert refused(
        lambda: f.AlignmentFactory(outcome=alignment.outcome, objective=alignment.objective)
    )


def test_nap_objective_codes_unique_per_plan():
    objective = f.NapObjectiveFactory(code="2.1")
    assert refused(lambda: f.NapObjectiveFactory(plan=objective.plan, code="2.1"))


def test_reporting_period_end_not_before_start():
    assert refused(
        lambda: f.ReportingPeriodFactory(
            start_date=dt.date(2010, 7, 1), end_date=dt.date(2010, 6, 30)
        )
    )


def test_one_result_per_indicator_and_period():
    result = f.ResultFactory()
    assert refused(lambda: f.ResultFactory(indicator=result.indicator, period=result.period))


def test_meeting_end_not_before_start():
    assert refused(
        lambda: f.MeetingFactory(start_date=dt.date(2009, 3, 25), end_date=dt.date(2009, 3, 23))
    )


def test_one_invitation_per_organisation_and_meeting():
    invitation = f.InvitationFactory()
    assert refused(
        lambda: f.InvitationFactory(
            meeting=invitation.meeting, organisation=invitation.organisation
        )
    )


def test_pledge_amount_not_negative_and_currency_iso():
    assert refused(lambda: f.PledgeFactory(amount=Decimal("-5")))
    assert refused(lambda: f.PledgeFactory(currency="eur"))


def test_pledge_earmarked_to_one_thing_at_most():
    outcome = f.OutcomeFactory()
    assert refused(
        lambda: f.PledgeFactory(
            programme=outcome.programme, earmark_outcome=outcome, earmark_pillar=outcome.pillar
        )
    )
    f.PledgeFactory(programme=outcome.programme, earmark_outcome=outcome)


def test_payment_amount_positive():
    assert refused(lambda: f.PaymentFactory(amount=Decimal("0")))


def test_exchange_rate_positive_and_unique_per_day():
    assert refused(lambda: f.ExchangeRateFactory(rate=Decimal("0")))
    f.ExchangeRateFactory(rate_date=dt.date(2009, 3, 1))
    assert refused(lambda: f.ExchangeRateFactory(rate_date=dt.date(2009, 3, 1)))


def test_agency_staff_and_donors_need_an_organisation():
    assert refused(lambda: f.MembershipFactory(role=Membership.Role.AGENCY_STAFF))
    assert refused(lambda: f.MembershipFactory(role=Membership.Role.DONOR))
    f.MembershipFactory(role=Membership.Role.COORDINATOR)


def test_one_membership_per_user_and_programme():
    membership = f.MembershipFactory()
    assert refused(
        lambda: f.MembershipFactory(user=membership.user, programme=membership.programme)
    )


def test_organisation_names_unique_ignoring_case():
    f.OrganisationFactory(name="Ministry of Justice")
    assert refused(lambda: f.OrganisationFactory(name="ministry of justice"))
