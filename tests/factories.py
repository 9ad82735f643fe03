"""factory_boy factories for every model; each builds a consistent, valid object."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from funding.models import ExchangeRate, Payment, Pledge, Prospect
from jointprogramme.models import Membership, Milestone, Participation, Pillar, Programme
from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from outcomes.models import (
    Alignment,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    PeriodLockEvent,
    ReportingPeriod,
    Result,
    ResultBreakdown,
    SentReminder,
)
from stakeholders.models import Contact, Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("demo12345")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.MINISTRY


class AgencyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"UN Agency {n}")
    acronym = factory.Sequence(lambda n: f"UNA{n}")
    kind = Organisation.Kind.UN_AGENCY


class DonorFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Embassy {n}")
    kind = Organisation.Kind.EMBASSY


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    position = "Adviser"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"Joint Programme {n}")
    country = "Serbia"
    framework = "UN.GIFT"
    status = Programme.Status.FUNDRAISING
    start_date = dt.date(2009, 1, 1)
    end_date = dt.date(2011, 12, 31)
    currency = "USD"


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"pillar-{n}")
    name = factory.Sequence(lambda n: f"Pillar {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(AgencyFactory)
    role = Participation.Role.PARTICIPATING_AGENCY


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = "Desk review"
    start_date = dt.date(2008, 12, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Membership.Role.MANAGER
    organisation = None


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    pillar = factory.SubFactory(PillarFactory, programme=factory.SelfAttribute("..programme"))
    code = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"Outcome {n}")
    lead_agency = factory.SubFactory(AgencyFactory)

    @factory.post_generation
    def participating_agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.participating_agencies.set(extracted)


class OutcomeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeBudget

    outcome = factory.SubFactory(OutcomeFactory)
    agency = factory.SelfAttribute("outcome.lead_agency")
    amount = Decimal("100000.00")


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    outcome = factory.SubFactory(OutcomeFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Output {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    outcome = factory.SubFactory(OutcomeFactory)
    code = factory.Sequence(lambda n: f"I{n + 1}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "people"
    baseline = Decimal("0")
    target = Decimal("100")


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"{2010 + n} H1")
    start_date = factory.Sequence(lambda n: dt.date(2010 + n, 1, 1))
    end_date = factory.Sequence(lambda n: dt.date(2010 + n, 6, 30))
    due_date = factory.Sequence(lambda n: dt.date(2010 + n, 7, 31))


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(
        ReportingPeriodFactory, programme=factory.SelfAttribute("..indicator.outcome.programme")
    )
    value = Decimal("10")
    # A result as the pages count it; tests of the reporting cycle set the status.
    status = Result.Status.APPROVED


class DisaggregationDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisaggregationDimension

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Dimension {n}")


class DisaggregationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisaggregationCategory

    dimension = factory.SubFactory(DisaggregationDimensionFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    order = factory.Sequence(lambda n: n)


class ResultBreakdownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResultBreakdown

    result = factory.SubFactory(ResultFactory)
    category = factory.SubFactory(
        DisaggregationCategoryFactory,
        dimension__programme=factory.SelfAttribute("...result.indicator.outcome.programme"),
    )
    value = Decimal("5")


class PeriodLockEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodLockEvent

    period = factory.SubFactory(ReportingPeriodFactory)
    action = PeriodLockEvent.Action.LOCKED
    reason = "Report sent."


class SentReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentReminder

    user = factory.SubFactory(UserFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    kind = SentReminder.Kind.OVERDUE


class NationalActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalActionPlan

    programme = factory.SubFactory(ProgrammeFactory)
    title = "National Action Plan against Trafficking in Human Beings"
    version = factory.Sequence(lambda n: f"{n + 1}")
    period_start = dt.date(2009, 1, 1)
    period_end = dt.date(2011, 12, 31)


class NapObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NapObjective

    plan = factory.SubFactory(NationalActionPlanFactory)
    code = factory.Sequence(lambda n: f"N{n + 1}")
    title = factory.Sequence(lambda n: f"NAP objective {n}")


class AlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alignment

    outcome = factory.SubFactory(OutcomeFactory)
    objective = factory.SubFactory(
        NapObjectiveFactory, plan__programme=factory.SelfAttribute("...outcome.programme")
    )
    degree = Alignment.Degree.FULL
    rationale = "Serves the objective directly."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Meeting.Kind.ROUNDTABLE
    title = factory.Sequence(lambda n: f"Roundtable {n}")
    start_date = dt.date(2009, 3, 23)
    place = "Belgrade"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    attended = True


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    contact = factory.SubFactory(ContactFactory)
    role = Attendee.Role.PARTICIPANT


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    text = "The programme should reach more municipalities."


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    meeting = factory.SubFactory(MeetingFactory)
    description = "Send the revised document to the ministries."
    owner = factory.SubFactory(AgencyFactory)
    due_date = dt.date(2009, 4, 15)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    base_currency = "EUR"
    quote_currency = "USD"
    rate_date = dt.date(2009, 1, 1)
    rate = Decimal("1.30000000")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    programme = factory.SubFactory(ProgrammeFactory)
    donor = factory.SubFactory(DonorFactory)
    amount = Decimal("50000.00")
    currency = "USD"
    pledged_on = dt.date(2009, 3, 25)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    pledge = factory.SubFactory(PledgeFactory)
    amount = Decimal("10000.00")
    currency = factory.SelfAttribute("pledge.currency")
    received_on = dt.date(2009, 6, 1)
    received_by = factory.SubFactory(AgencyFactory)


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    programme = factory.SubFactory(ProgrammeFactory)
    donor = factory.SubFactory(DonorFactory)
    amount_hoped = Decimal("75000.00")
    currency = "USD"
    stage = Prospect.Stage.APPROACHED
    next_step = "Send the programme document."
    owner_agency = factory.SubFactory(AgencyFactory)
    date = dt.date(2009, 4, 1)
