"""Every meetings page and POST for every role, an outsider and an anonymous visitor;
refused posts change nothing; recording works end to end."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendee, Feedback, FollowUpAction, Meeting
from tests import factories as f
from tests.conftest import EVERYONE
from tests.meetings.helpers import refresh, roundtable, snapshot

READERS = {"manager", "unodc", "unhcr", "iom", "coordinator"}
RECORDERS = {"manager", "unodc", "unhcr", "iom"}


def expected_status(user, allowed: set[str], ok: int = 200, outsider: int = 404) -> int:
    if user is None:
        return 302
    if user == "outsider":
        return outsider
    return ok if user in allowed else 403


@pytest.fixture
def meeting(world):
    return roundtable(world, title="Roundtable with state secretaries")


# Programme-level pages: the outsider sees its own (empty) programme, never ours.


@pytest.mark.parametrize("user", EVERYONE)
@pytest.mark.parametrize(
    "url_name", ["meetings:list", "meetings:timeline", "meetings:actions", "meetings:calendar"]
)
def test_programme_pages_by_role(world, meeting, user, url_name):
    response = world.client_for(user).get(reverse(url_name))
    assert response.status_code == expected_status(user, READERS, outsider=200)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if user == "outsider":
        assert b"Roundtable with state secretaries" not in response.content


@pytest.mark.parametrize("user", EVERYONE)
@pytest.mark.parametrize("url_name", ["meetings:detail", "meetings:ics"])
def test_meeting_pages_by_role(world, meeting, user, url_name):
    response = world.client_for(user).get(reverse(url_name, args=[meeting.pk]))
    assert response.status_code == expected_status(user, READERS)


@pytest.mark.parametrize("user", EVERYONE)
@pytest.mark.parametrize("table", ["attendance", "feedback", "actions"])
def test_exports_by_role(world, meeting, user, table):
    url = reverse("meetings:export", args=[meeting.pk, table, "csv"])
    assert world.client_for(user).get(url).status_code == expected_status(user, READERS)


@pytest.mark.parametrize("user", EVERYONE)
def test_create_page_by_role(world, user):
    # The outsider manages its own programme, so it may create meetings there.
    response = world.client_for(user).get(reverse("meetings:create"))
    assert response.status_code == expected_status(user, RECORDERS, outsider=200)


def recording_urls(meeting):
    feedback = meeting.feedback.get()
    return {
        "edit": reverse("meetings:edit", args=[meeting.pk]),
        "attendance": reverse("meetings:attendance", args=[meeting.pk]),
        "attendee_add": reverse("meetings:attendee_add", args=[meeting.pk]),
        "feedback_create": reverse("meetings:feedback_create", args=[meeting.pk]),
        "feedback_answer": reverse("meetings:feedback_answer", args=[feedback.pk]),
        "action_create": reverse("meetings:action_create", args=[meeting.pk]),
    }


@pytest.mark.parametrize("user", EVERYONE)
@pytest.mark.parametrize(
    "page",
    ["edit", "attendance", "attendee_add", "feedback_create", "feedback_answer", "action_create"],
)
def test_recording_forms_by_role(world, meeting, user, page):
    response = world.client_for(user).get(recording_urls(meeting)[page])
    assert response.status_code == expected_status(user, RECORDERS)


def valid_posts(world, meeting) -> dict:
    """A valid POST body for every recording URL."""
    interior = meeting.invitations.get(organisation__name="Ministry of Interior").organisation
    justice = meeting.invitations.get(organisation__name="Ministry of Justice").organisation
    person = interior.contacts.get()
    outcome = meeting.feedback.get().outcome
    return {
        "create": (reverse("meetings:create"), meeting_data(title="A new bilateral")),
        "edit": (reverse("meetings:edit", args=[meeting.pk]), meeting_data(title="Renamed")),
        "attendance": (
            reverse("meetings:attendance", args=[meeting.pk]),
            {"rows": [interior.pk, justice.pk], "invited": [interior.pk], "attended": []},
        ),
        "attendee_add": (
            reverse("meetings:attendee_add", args=[meeting.pk]),
            {"contact": person.pk, "role": Attendee.Role.CHAIR},
        ),
        "attendee_remove": (
            reverse("meetings:attendee_remove", args=[meeting.attendees.get().pk]),
            {},
        ),
        "feedback_create": (
            reverse("meetings:feedback_create", args=[meeting.pk]),
            {
                "organisation": justice.pk,
                "outcome": outcome.pk,
                "text": "More shelters.",
                "status": Feedback.Status.OPEN,
            },
        ),
        "feedback_answer": (
            reverse("meetings:feedback_answer", args=[meeting.feedback.get().pk]),
            {"response": "Agreed.", "status": Feedback.Status.INCORPORATED},
        ),
        "action_create": (
            reverse("meetings:action_create", args=[meeting.pk]),
            {"description": "Send minutes", "owner": interior.pk, "due_date": "2009-04-01"},
        ),
        "action_close": (
            reverse("meetings:action_close", args=[meeting.actions.get().pk]),
            {"status": FollowUpAction.Status.DONE},
        ),
    }


def meeting_data(**overrides) -> dict:
    data = {
        "kind": Meeting.Kind.BILATERAL,
        "title": "Bilateral with the Ministry of Justice",
        "audience": Meeting.Audience.NATIONAL,
        "start_date": "2009-02-10",
        "start_time": "10:00",
        "end_date": "",
        "end_time": "11:30",
        "place": "Belgrade",
        "purpose": "Discuss prosecution outcomes.",
    }
    data.update(overrides)
    return data


POST_NAMES = [
    "edit",
    "attendance",
    "attendee_add",
    "attendee_remove",
    "feedback_create",
    "feedback_answer",
    "action_create",
    "action_close",
]


@pytest.mark.parametrize("user", EVERYONE)
@pytest.mark.parametrize("post", POST_NAMES)
def test_recording_posts_by_role(world, meeting, user, post):
    url, data = valid_posts(world, meeting)[post]
    before = snapshot()
    response = world.client_for(user).post(url, data)
    if user in RECORDERS:
        assert response.status_code == 302, getattr(response, "context", None) and response.context
        assert snapshot() != before
    else:
        assert response.status_code == expected_status(user, RECORDERS)
        assert snapshot() == before


@pytest.mark.parametrize("user", EVERYONE)
def test_create_post_by_role(world, user):
    before = Meeting.objects.filter(programme=world.programme).count()
    response = world.client_for(user).post(reverse("meetings:create"), meeting_data())
    created = Meeting.objects.filter(programme=world.programme).count() - before
    if user in RECORDERS:
        assert response.status_code == 302
        assert created == 1
    else:
        assert created == 0  # the outsider's meeting goes to its own programme
        assert response.status_code == expected_status(user, RECORDERS, ok=302, outsider=302)
    if user == "outsider":
        assert Meeting.objects.filter(programme=world.other_programme).count() == 1


# Pages say what they should ----------------------------------------------------------


def test_detail_shows_attendance_people_feedback_and_actions(world, meeting):
    opener = f.ContactFactory(
        organisation=world.agencies["unhcr"],
        name="Lennart Kotsalainen",
        position="UNHCR Representative in Serbia",
    )
    f.AttendeeFactory(meeting=meeting, contact=opener, role=Attendee.Role.OPENED)
    response = world.client_for("coordinator").get(meeting.get_absolute_url())
    content = response.content.decode()
    assert response.context["attendance"].invited_count == 2
    assert response.context["attendance"].attended_count == 1
    assert 'data-testid="attendance-rate">50%' in content
    assert 'data-testid="absent"' in content and "Ministry of Justice" in content
    assert "Lennart Kotsalainen" in content and "UNHCR Representative in Serbia" in content
    assert "State Secretary" in content
    assert "The programme should reach more municipalities." in content
    assert "Send the revised document to the ministries." in content
    # the coordinator reads but does not record
    assert reverse("meetings:attendance", args=[meeting.pk]) not in content


def test_list_puts_upcoming_first_then_latest(world):
    today = timezone.localdate()
    past_old = f.MeetingFactory(programme=world.programme, start_date=dt.date(2009, 3, 23))
    past_new = f.MeetingFactory(programme=world.programme, start_date=dt.date(2009, 3, 25))
    soon = f.MeetingFactory(programme=world.programme, start_date=today + dt.timedelta(days=3))
    later = f.MeetingFactory(programme=world.programme, start_date=today + dt.timedelta(days=30))
    response = world.client_for("manager").get(reverse("meetings:list"))
    listed = list(response.context["page"].object_list)
    assert listed == [soon, later, past_new, past_old]
    assert "Upcoming" in response.content.decode()


def test_list_filters_by_kind_audience_organisation_and_year(world):
    ministry = f.OrganisationFactory(name="Ministry of Education")
    donors = f.MeetingFactory(
        programme=world.programme,
        title="Donor roundtable",
        audience=Meeting.Audience.DONORS,
        start_date=dt.date(2009, 3, 25),
    )
    bilateral = f.MeetingFactory(
        programme=world.programme,
        title="Bilateral",
        kind=Meeting.Kind.BILATERAL,
        audience=Meeting.Audience.NATIONAL,
        start_date=dt.date(2009, 2, 10),
    )
    review = f.MeetingFactory(
        programme=world.programme,
        title="Desk review",
        kind=Meeting.Kind.DESK_REVIEW,
        start_date=dt.date(2008, 12, 1),
    )
    f.InvitationFactory(meeting=bilateral, organisation=ministry)
    client = world.client_for("unodc")

    def listed(**params):
        response = client.get(reverse("meetings:list"), params)
        return set(response.context["page"].object_list)

    assert listed(kind="roundtable") == {donors}
    assert listed(audience="national") == {bilateral}
    assert listed(organisation=ministry.pk) == {bilateral}
    assert listed(year=2008) == {review}
    assert listed(kind="nonsense") == {donors, bilateral, review}  # ignored, not an error
    choices = client.get(reverse("meetings:list")).context["choices"]
    assert choices["organisations"] == [ministry]
    assert choices["years"] == [2009, 2008]


def test_timeline_orders_milestones_and_meetings_by_phase(world):
    programme = world.programme
    programme.start_date = dt.date(2010, 1, 1)
    programme.save()
    f.MilestoneFactory(programme=programme, title="Desk review begins")
    f.MeetingFactory(programme=programme, title="Donor roundtable", start_date=dt.date(2009, 3, 25))
    f.MeetingFactory(
        programme=programme, title="Steering committee", start_date=dt.date(2010, 6, 1)
    )
    response = world.client_for("coordinator").get(reverse("meetings:timeline"))
    entries = response.context["entries"]
    assert [str(e.obj).split(" (")[0] for e in entries] == [
        "Desk review begins",
        "Donor roundtable",
        "Steering committee",
    ]
    assert [e.phase for e in entries] == ["Development", "Development", "Implementation"]
    assert "<script>" not in response.content.decode()  # no inline scripts (CSP)


# Recording ----------------------------------------------------------------------------


def test_bulk_attendance_invites_and_records_many_at_once(world):
    meeting = f.MeetingFactory(programme=world.programme, start_date=dt.date(2009, 3, 23))
    ministries = [f.OrganisationFactory(name=f"Ministry {n}") for n in range(8)]
    dropped = f.OrganisationFactory(name="Invited by mistake")
    f.InvitationFactory(meeting=meeting, organisation=dropped, attended=None)
    ids = [m.pk for m in ministries]
    response = world.client_for("unodc").post(
        reverse("meetings:attendance", args=[meeting.pk]) + "?all=1",
        {
            "rows": [*ids, dropped.pk],
            "invited": ids,
            "attended": ids[:6],
        },
    )
    assert response.status_code == 302
    invitations = {i.organisation_id: i.attended for i in meeting.invitations.all()}
    assert set(invitations) == set(ids)  # the mistaken invitation is gone
    assert [invitations[i] for i in ids] == [True] * 6 + [False] * 2  # past: unticked = absent


def test_bulk_attendance_before_the_meeting_leaves_attendance_unknown(world):
    meeting = f.MeetingFactory(
        programme=world.programme, start_date=timezone.localdate() + dt.timedelta(days=7)
    )
    ministry = f.OrganisationFactory()
    world.client_for("manager").post(
        reverse("meetings:attendance", args=[meeting.pk]) + "?all=1",
        {"rows": [ministry.pk], "invited": [ministry.pk]},
    )
    assert meeting.invitations.get().attended is None


def test_bulk_attendance_leaves_rows_not_shown_alone(world):
    meeting = f.MeetingFactory(programme=world.programme)
    shown, hidden = f.OrganisationFactory(), f.OrganisationFactory()
    f.InvitationFactory(meeting=meeting, organisation=hidden, attended=True)
    world.client_for("iom").post(
        reverse("meetings:attendance", args=[meeting.pk]) + "?all=1",
        {"rows": [shown.pk], "attended": [shown.pk]},
    )
    assert {i.organisation_id: i.attended for i in meeting.invitations.all()} == {
        shown.pk: True,
        hidden.pk: True,
    }


def test_bulk_attendance_with_an_unknown_organisation_changes_nothing(world, meeting):
    ministry = meeting.invitations.first().organisation
    before = snapshot()
    response = world.client_for("unodc").post(
        reverse("meetings:attendance", args=[meeting.pk]) + "?all=1",
        {"rows": [ministry.pk, 999999], "invited": [ministry.pk, 999999]},
    )
    assert response.status_code == 200
    assert "not one you can invite" in response.content.decode()
    assert snapshot() == before


def test_attendance_grid_shows_the_programmes_organisations_and_finds_others(world, meeting):
    stranger = f.OrganisationFactory(name="Ombudsman of Elsewhere")
    client = world.client_for("unodc")
    url = reverse("meetings:attendance", args=[meeting.pk])

    def rows(**params):
        response = client.get(url, params)
        return {row["organisation"].name for row in response.context["rows"]}

    shown = rows()
    assert {"Ministry of Interior", "Ministry of Justice"} <= shown  # invited before
    assert {world.agencies[a].name for a in ("unodc", "unhcr", "iom")} <= shown
    assert stranger.name not in shown
    assert rows(q="ombudsman") == {stranger.name}
    assert stranger.name in rows(all="1")
    # A row the grid did not show cannot be ticked.
    before = snapshot()
    response = client.post(url, {"rows": [stranger.pk], "invited": [stranger.pk]})
    assert response.status_code == 200
    assert snapshot() == before


def test_bulk_attendance_refuses_a_stale_grid(world, meeting):
    client = world.client_for("unodc")
    url = reverse("meetings:attendance", args=[meeting.pk])
    stale = client.get(url).context["fingerprint"]
    justice = meeting.invitations.get(attended=False)
    justice.attended = True
    justice.save()  # someone else records it meanwhile
    before = snapshot()
    rows = [i.organisation_id for i in meeting.invitations.all()]
    response = client.post(url, {"rows": rows, "invited": rows, "fingerprint": stale})
    assert response.status_code == 200
    assert "Someone else changed" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"end_date": "2009-02-01"}, "end_date", "cannot end before it starts"),
        ({"end_time": "09:00"}, "end_time", "cannot end before it starts"),
        ({"start_time": "", "end_time": "12:00"}, "end_time", "Give a start time"),
        ({"start_date": "10/02/2009x"}, "start_date", "Enter a valid date"),
        ({"kind": "party"}, "kind", "Select a valid choice"),
        ({"title": ""}, "title", "This field is required"),
    ],
)
def test_invalid_meeting_is_refused_next_to_the_field(world, meeting, overrides, field, message):
    before = snapshot()
    response = world.client_for("manager").post(
        reverse("meetings:edit", args=[meeting.pk]), meeting_data(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_meeting_edit_refuses_a_stale_form(world, meeting):
    client = world.client_for("manager")
    url = reverse("meetings:edit", args=[meeting.pk])
    stale = client.get(url).context["form"]["fingerprint"].value()
    Meeting.objects.filter(pk=meeting.pk).update(title="Changed by someone else")
    response = client.post(url, meeting_data(title="Mine", fingerprint=stale))
    assert response.status_code == 200
    assert "Someone else changed this meeting" in response.content.decode()
    assert refresh(meeting).title == "Changed by someone else"


def test_feedback_form_refuses_outcomes_and_people_from_elsewhere(world, meeting):
    foreign_outcome = f.OutcomeFactory(programme=world.other_programme)
    stranger = f.ContactFactory(organisation=f.OrganisationFactory(name="Not invited"))
    interior = meeting.invitations.get(attended=True).organisation
    other_person = f.ContactFactory(
        organisation=meeting.invitations.get(attended=False).organisation
    )
    client = world.client_for("unhcr")
    url = reverse("meetings:feedback_create", args=[meeting.pk])
    before = snapshot()
    for data, field in [
        ({"outcome": foreign_outcome.pk}, "outcome"),
        ({"contact": stranger.pk}, "contact"),
        ({"organisation": stranger.organisation_id}, "organisation"),
        ({"organisation": interior.pk, "contact": other_person.pk}, "contact"),
        ({"text": ""}, "text"),
    ]:
        response = client.post(url, {"text": "A view", "status": "open", **data})
        assert response.status_code == 200
        assert field in response.context["form"].errors, data
    assert snapshot() == before


def test_feedback_on_an_outcome_reaches_that_outcome(world, meeting):
    outcome = f.OutcomeFactory(
        programme=world.programme, code="2.1", title="Police trained to identify victims"
    )
    interior = meeting.invitations.get(attended=True).organisation
    response = world.client_for("unodc").post(
        reverse("meetings:feedback_create", args=[meeting.pk]),
        {
            "organisation": interior.pk,
            "outcome": outcome.pk,
            "text": "Include the border police in the training.",
            "status": Feedback.Status.OPEN,
        },
    )
    assert response.status_code == 302
    feedback = outcome.feedback.get()  # what the outcome's page shows
    assert feedback.text == "Include the border police in the training."
    assert feedback.organisation == interior and feedback.meeting == meeting


def test_answering_feedback_records_answer_and_status(world, meeting):
    feedback = meeting.feedback.get()
    world.client_for("iom").post(
        reverse("meetings:feedback_answer", args=[feedback.pk]),
        {"response": "Taken into output 2.1.1.", "status": Feedback.Status.INCORPORATED},
    )
    feedback = refresh(feedback)
    assert feedback.status == Feedback.Status.INCORPORATED
    assert feedback.response == "Taken into output 2.1.1."
    assert feedback.outcome is None  # the answer form's outcome field was left empty


def test_action_form_refuses_bad_due_date_and_foreign_owner(world, meeting):
    client = world.client_for("manager")
    url = reverse("meetings:action_create", args=[meeting.pk])
    interior = meeting.invitations.get(attended=True).organisation
    before = snapshot()
    for data, field in [
        ({"owner": interior.pk, "due_date": "next week"}, "due_date"),
        ({"owner": interior.pk, "due_date": "2009-02-30"}, "due_date"),
        ({"owner": f.OrganisationFactory().pk}, "owner"),
        (
            {"owner": interior.pk, "owner_contact": f.ContactFactory(organisation=interior).pk}
            | {"owner": world.agencies["iom"].pk},
            "owner_contact",
        ),
    ]:
        response = client.post(url, {"description": "Do it", **data})
        assert response.status_code == 200
        assert field in response.context["form"].errors, data
    assert snapshot() == before


def test_closing_an_action_marks_it_done_today(world, meeting):
    action = meeting.actions.get()
    response = world.client_for("unhcr").post(
        reverse("meetings:action_close", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    action = refresh(action)
    assert action.status == FollowUpAction.Status.DONE
    assert action.completed_on == timezone.localdate()
    # closing it again is refused politely and changes nothing
    before = snapshot()
    world.client_for("unhcr").post(
        reverse("meetings:action_close", args=[action.pk]), {"status": "cancelled"}
    )
    assert snapshot() == before


def test_closing_with_a_bad_status_changes_nothing(world, meeting):
    action = meeting.actions.get()
    before = snapshot()
    world.client_for("manager").post(
        reverse("meetings:action_close", args=[action.pk]), {"status": "open"}
    )
    assert snapshot() == before


def test_get_on_post_only_urls_is_refused(world, meeting):
    client = world.client_for("manager")
    assert client.get(reverse("meetings:action_close", args=[1])).status_code == 405
    assert client.get(reverse("meetings:attendee_remove", args=[1])).status_code == 405


def test_unknown_meeting_is_404(world):
    assert (
        world.client_for("manager").get(reverse("meetings:detail", args=[999])).status_code == 404
    )


def test_unknown_export_is_404(world, meeting):
    url = reverse("meetings:export", args=[meeting.pk, "salaries", "csv"])
    assert world.client_for("manager").get(url).status_code == 404


# Dashboard ----------------------------------------------------------------------------


def test_overdue_actions_show_on_the_dashboard(world, meeting):
    f.FollowUpActionFactory(
        meeting=meeting,
        description="Not yet due",
        owner=world.agencies["iom"],
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    f.FollowUpActionFactory(
        meeting=meeting,
        description="Done long ago",
        owner=world.agencies["iom"],
        due_date=dt.date(2009, 4, 1),
        status=FollowUpAction.Status.DONE,
    )
    response = world.client_for("manager").get(reverse("dashboard"))
    content = response.content.decode()
    assert [a.description for a in response.context["overdue_actions"]] == [
        "Send the revised document to the ministries."
    ]
    assert 'data-testid="overdue-actions"' in content
    assert "Not yet due" not in content and "Done long ago" not in content


def test_donor_dashboard_shows_no_follow_up(world, meeting):
    response = world.client_for("donor").get(reverse("dashboard"))
    assert response.status_code == 200
    assert 'data-testid="overdue-actions"' not in response.content.decode()


def test_answering_feedback_refuses_a_stale_form(world, meeting):
    feedback = meeting.feedback.get()
    client = world.client_for("unodc")
    url = reverse("meetings:feedback_answer", args=[feedback.pk])
    stale = client.get(url).context["form"]["fingerprint"].value()
    Feedback.objects.filter(pk=feedback.pk).update(response="Answered by someone else")
    before = snapshot()
    response = client.post(url, {"response": "Mine", "status": "declined", "fingerprint": stale})
    assert response.status_code == 200
    assert "Someone else changed the answer" in response.content.decode()
    assert snapshot() == before


def test_people_come_only_from_invited_organisations_and_the_agencies(world, meeting):
    url = reverse("meetings:attendee_add", args=[meeting.pk])
    client = world.client_for("manager")
    stranger = f.ContactFactory(organisation=f.OrganisationFactory(name="Not invited"))
    before = snapshot()
    response = client.post(url, {"contact": stranger.pk, "role": "participant"})
    assert "contact" in response.context["form"].errors
    assert snapshot() == before
    head = f.ContactFactory(organisation=world.agencies["iom"], name="Gregoire Goodstein")
    response = client.post(url, {"contact": head.pk, "role": Attendee.Role.OPENED})
    assert response.status_code == 302
    assert meeting.attendees.get(contact=head).role == Attendee.Role.OPENED


@pytest.mark.parametrize("user", ["manager", "unodc", "coordinator", "donor"])
def test_navigation_offers_meetings_and_stakeholders_only_to_those_who_may(world, user):
    content = world.client_for(user).get(reverse("dashboard")).content.decode()
    shown = user != "donor"
    assert (f'href="{reverse("meetings:list")}"' in content) is shown
    assert (f'href="{reverse("stakeholders:list")}"' in content) is shown
