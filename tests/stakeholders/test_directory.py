"""The stakeholder directory: who may see it, search and kind filter, each
organisation's engagement in the current programme only, and query counts."""

import datetime as dt
from decimal import Decimal

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jointprogramme.directory import PAGE_SIZE
from meetings.models import Attendee, Feedback, Invitation, Meeting
from stakeholders.models import Contact, Organisation
from tests import factories as f
from tests.conftest import EVERYONE

ALLOWED = {"manager", "unodc", "unhcr", "iom", "coordinator"}


def expected(user) -> int:
    if user is None:
        return 302
    if user == "outsider":
        return 200  # organisations are shared; the outsider sees its own programme's part
    return 200 if user in ALLOWED else 403


@pytest.fixture
def ministry(world):
    """The Ministry of Interior, engaged in both programmes."""
    interior = f.OrganisationFactory(name="Ministry of Interior", acronym="MUP")
    f.ContactFactory(organisation=interior, name="Ivan Petrović", position="State Secretary")
    ours = f.MeetingFactory(programme=world.programme, title="Roundtable with state secretaries")
    f.InvitationFactory(meeting=ours, organisation=interior, attended=True)
    outcome = f.OutcomeFactory(
        programme=world.programme,
        code="2.1",
        title="Police trained",
        lead_agency=world.agencies["unodc"],
    )
    f.FeedbackFactory(
        meeting=ours,
        organisation=interior,
        outcome=outcome,
        text="Include the border police.",
        response="Added to output 2.1.1.",
        status=Feedback.Status.INCORPORATED,
    )
    objective = f.NapObjectiveFactory(
        plan__programme=world.programme, code="N2.3", title="Train police in identification"
    )
    objective.responsible_ministries.add(interior)
    theirs = f.MeetingFactory(programme=world.other_programme, title="Secret meeting elsewhere")
    f.InvitationFactory(meeting=theirs, organisation=interior, attended=False)
    return interior


@pytest.mark.parametrize("user", EVERYONE)
def test_directory_list_by_role(world, ministry, user):
    response = world.client_for(user).get(reverse("stakeholders:list"))
    assert response.status_code == expected(user)
    if user is None:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", EVERYONE)
def test_organisation_page_by_role(world, ministry, user):
    response = world.client_for(user).get(ministry.get_absolute_url())
    assert response.status_code == expected(user)
    content = response.content.decode()
    if user == "outsider":
        assert "Secret meeting elsewhere" in content
        assert "Roundtable with state secretaries" not in content
        assert "Include the border police." not in content
    elif response.status_code == 200:
        assert "Secret meeting elsewhere" not in content


def test_organisation_page_shows_its_engagement(world, ministry):
    donor = world.donor_org
    f.PledgeFactory(programme=world.programme, donor=donor, amount=Decimal("250000"))
    response = world.client_for("coordinator").get(ministry.get_absolute_url())
    content = response.content.decode()
    assert "Ivan Petrović" in content and "State Secretary" in content
    assert "Roundtable with state secretaries" in content
    assert 'data-testid="attended">1<' in content
    assert "Include the border police." in content and "Added to output 2.1.1." in content
    assert "Taken into the programme" in content
    assert "N2.3" in content and "Train police in identification" in content
    donor_page = world.client_for("manager").get(donor.get_absolute_url()).content.decode()
    assert "250,000 USD" in donor_page


def test_unknown_organisation_is_404(world):
    assert (
        world.client_for("manager")
        .get(reverse("stakeholders:organisation", args=[9999]))
        .status_code
        == 404
    )


def test_directory_groups_by_kind_with_contacts_and_counts(world, ministry):
    response = world.client_for("unodc").get(reverse("stakeholders:list"))
    organisations = response.context["organisations"]
    kinds = [o.kind for o in organisations]
    assert kinds.index(Organisation.Kind.UN_AGENCY) < kinds.index(Organisation.Kind.MINISTRY)
    assert kinds.index(Organisation.Kind.MINISTRY) < kinds.index(Organisation.Kind.EMBASSY)
    listed = {o.pk: o for o in organisations}[ministry.pk]
    assert (listed.engagement.invited, listed.engagement.attended) == (1, 1)  # ours only
    assert (listed.engagement.feedback, listed.engagement.feedback_answered) == (1, 1)
    assert listed.objective_count == 1
    assert "Ivan Petrović" in response.content.decode()


@pytest.mark.parametrize(
    "query, found",
    [
        ("interior", True),  # name
        ("MUP", True),  # acronym
        ("petrović", True),  # a person
        ("state secretary", True),  # a role
        ("Norway", False),
    ],
)
def test_directory_search(world, ministry, query, found):
    response = world.client_for("manager").get(reverse("stakeholders:list"), {"q": query})
    assert (ministry in response.context["organisations"]) is found


def test_directory_kind_filter(world, ministry):
    client = world.client_for("manager")
    embassies = client.get(reverse("stakeholders:list"), {"kind": "embassy"}).context
    assert list(embassies["organisations"]) == [world.donor_org]
    counts = {kind: n for kind, _, n in embassies["kinds"]}
    assert counts["embassy"] == 1 and counts["un_agency"] == 3 and counts["ministry"] == 1
    ignored = client.get(reverse("stakeholders:list"), {"kind": "nonsense"}).context
    assert len(ignored["organisations"]) == 5


def grow(world, n: int, start: int = 0) -> Organisation:
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Ministry {start + i}", kind=Organisation.Kind.MINISTRY)
        for i in range(n)
    )
    Contact.objects.bulk_create(
        Contact(organisation=o, name=f"Person {i}", position="Adviser")
        for o in organisations
        for i in range(2)
    )
    meeting = Meeting.objects.create(
        programme=world.programme, kind="roundtable", title="Big", start_date=dt.date(2009, 3, 23)
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, organisation=o) for o in organisations
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, contact=c)
        for c in Contact.objects.filter(organisation__in=organisations)
    )
    Feedback.objects.bulk_create(
        Feedback(meeting=meeting, organisation=o, text="x") for o in organisations
    )
    objective = f.NapObjectiveFactory(plan__programme=world.programme)
    objective.responsible_ministries.add(*organisations)
    for o in organisations[:20]:
        f.PledgeFactory(programme=world.programme, donor=o)
    return organisations[0]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page, budget", [("list", 14), ("organisation", 14)])
def test_directory_in_constant_queries(world, page, budget, django_assert_max_num_queries):
    client = world.client_for("manager")
    first = grow(world, 5)
    url = reverse("stakeholders:list") if page == "list" else first.get_absolute_url()
    small = count(client, url)
    grow(world, 200, start=5)
    for _ in range(30):  # the first organisation in many meetings
        meeting = f.MeetingFactory(programme=world.programme)
        f.InvitationFactory(meeting=meeting, organisation=first)
        f.FeedbackFactory(meeting=meeting, organisation=first)
    with django_assert_max_num_queries(budget):
        large = count(client, url)
    assert small == large


def test_agency_whose_people_opened_a_meeting_attended_it(world, ministry):
    unhcr = world.agencies["unhcr"]
    head = f.ContactFactory(organisation=unhcr, name="Lennart Kotsalainen")
    for meeting in Meeting.objects.filter(programme=world.programme):
        f.AttendeeFactory(meeting=meeting, contact=head, role=Attendee.Role.OPENED)
    client = world.client_for("unodc")
    listed = {o.pk: o for o in client.get(reverse("stakeholders:list")).context["organisations"]}
    assert (listed[unhcr.pk].engagement.invited, listed[unhcr.pk].engagement.attended) == (0, 1)
    page = client.get(unhcr.get_absolute_url())
    assert page.context["engagement"].attended_count == 1
    assert (
        "Opened the meeting" in page.content.decode()
        or "opened the meeting" in page.content.decode()
    )


def test_directory_comes_a_page_at_a_time_and_keeps_the_search(world):
    f.OrganisationFactory.create_batch(30, name=factory.Sequence(lambda n: f"Paged {n}"))
    client = world.client_for("manager")
    first = client.get(reverse("stakeholders:list"), {"q": "Paged"})
    assert PAGE_SIZE == 25
    assert len(first.context["organisations"]) == 25
    content = first.content.decode()
    assert "Page 1 of 2" in content
    assert "?q=Paged&amp;page=2" in content
    second = client.get(reverse("stakeholders:list"), {"q": "Paged", "page": 2})
    assert len(second.context["organisations"]) == 5
    assert client.get(reverse("stakeholders:list"), {"page": "x"}).status_code == 200
