"""Building blocks shared by the meetings tests."""

import datetime as dt

from django.db.models import Model

from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from tests import factories as f

MEETING_MODELS = (Meeting, Invitation, Attendee, Feedback, FollowUpAction)


def snapshot() -> dict:
    """Every meeting record as plain values: equal before and after a refused POST."""
    return {
        model.__name__: sorted(tuple(sorted(row.items())) for row in model.objects.values())
        for model in MEETING_MODELS
    }


def refresh(obj: Model) -> Model:
    obj.refresh_from_db()
    return obj


def roundtable(world, **fields) -> Meeting:
    """A past meeting with two ministries invited (one came), a person, feedback on an
    outcome and an open action."""
    meeting = f.MeetingFactory(programme=world.programme, **fields)
    interior = f.OrganisationFactory(name="Ministry of Interior")
    justice = f.OrganisationFactory(name="Ministry of Justice")
    f.InvitationFactory(meeting=meeting, organisation=interior, attended=True)
    f.InvitationFactory(meeting=meeting, organisation=justice, attended=False)
    person = f.ContactFactory(organisation=interior, name="State Secretary", position="Secretary")
    f.AttendeeFactory(meeting=meeting, contact=person)
    outcome = f.OutcomeFactory(programme=world.programme, lead_agency=world.agencies["unodc"])
    f.FeedbackFactory(meeting=meeting, organisation=interior, outcome=outcome)
    f.FollowUpActionFactory(
        meeting=meeting, owner=world.agencies["unhcr"], due_date=dt.date(2009, 4, 15)
    )
    return meeting
