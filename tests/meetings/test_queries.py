"""Every meetings page answers in the same number of queries at two data sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from stakeholders.models import Contact, Organisation
from tests import factories as f

# Measured: session, user, programme, memberships, then the page's own reads.
BUDGETS = {
    "meetings:list": 9,
    "meetings:timeline": 8,
    "meetings:actions": 7,
    "meetings:calendar": 5,
    "meetings:detail": 10,
    "meetings:attendance": 8,
}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(world, *, meetings: int, per_meeting: int, start: int = 0) -> Meeting:
    """Add meetings, each with invitations, people, feedback and actions, in bulk."""
    programme = world.programme
    outcome = f.OutcomeFactory(programme=programme)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Org {start}-{n}", kind=Organisation.Kind.MINISTRY)
        for n in range(per_meeting)
    )
    contacts = Contact.objects.bulk_create(
        Contact(organisation=o, name=f"Person {o.name}", position="Adviser") for o in organisations
    )
    created = Meeting.objects.bulk_create(
        Meeting(
            programme=programme,
            kind=Meeting.Kind.ROUNDTABLE,
            title=f"Meeting {start + n}",
            start_date=dt.date(2008, 1, 1) + dt.timedelta(days=(start + n) % 3000),
        )
        for n in range(meetings)
    )
    f.MilestoneFactory.create_batch(2, programme=programme)
    for meeting in created[:3]:
        Invitation.objects.bulk_create(
            Invitation(meeting=meeting, organisation=o, attended=n % 3 != 0)
            for n, o in enumerate(organisations)
        )
        Attendee.objects.bulk_create(Attendee(meeting=meeting, contact=c) for c in contacts)
        Feedback.objects.bulk_create(
            Feedback(meeting=meeting, organisation=o, contact=c, outcome=outcome, text="View")
            for o, c in zip(organisations, contacts, strict=True)
        )
        FollowUpAction.objects.bulk_create(
            FollowUpAction(
                meeting=meeting,
                description="Do it",
                owner=o,
                owner_contact=c,
                due_date=dt.date(2009, 1, 1),
            )
            for o, c in zip(organisations, contacts, strict=True)
        )
    return created[0]


@pytest.mark.parametrize("url_name", sorted(BUDGETS))
def test_meetings_pages_in_constant_queries(world, url_name, django_assert_max_num_queries):
    client = world.client_for("unodc")
    meeting = grow(world, meetings=10, per_meeting=3)

    def url():
        if url_name in ("meetings:detail", "meetings:attendance"):
            return reverse(url_name, args=[meeting.pk])
        return reverse(url_name)

    small = count_queries(client, url())
    grow(world, meetings=990, per_meeting=40, start=10)
    meeting = Meeting.objects.filter(invitations__isnull=False).order_by("-pk").first()
    with django_assert_max_num_queries(BUDGETS[url_name]):
        large = count_queries(client, url())
    assert small == large, f"{url_name}: {small} queries with 10 meetings, {large} with 1,000"
