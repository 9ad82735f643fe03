"""Take-away: .ics events and feed, CSV and XLSX tables."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
from django.urls import reverse

from meetings.models import Attendee
from tests import factories as f
from tests.meetings.helpers import roundtable

BELGRADE = ZoneInfo("Europe/Belgrade")


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_meeting_ics_has_date_time_zone_and_place(world):
    meeting = f.MeetingFactory(
        programme=world.programme,
        title="Meeting with state secretaries",
        start_date=dt.date(2009, 3, 23),
        start_time=dt.time(10, 0),
        end_time=dt.time(13, 30),
        place="Belgrade, Palace of Serbia",
        purpose="Share the joint programme; collect views.",
    )
    response = world.client_for("coordinator").get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    calendar = parse(response)
    [event] = calendar.events
    assert event["summary"] == "Meeting with state secretaries"
    assert event["location"] == "Belgrade, Palace of Serbia"
    assert event.start == dt.datetime(2009, 3, 23, 10, 0, tzinfo=BELGRADE)
    assert event.end == dt.datetime(2009, 3, 23, 13, 30, tzinfo=BELGRADE)
    assert event.start.utcoffset() == dt.timedelta(hours=1)  # CET in March 2009
    assert "TZID=Europe/Belgrade" in response.content.decode()
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Belgrade"]
    assert "Share the joint programme" in event["description"]
    assert str(event["url"]).endswith(meeting.get_absolute_url())


def test_all_day_meeting_is_a_date_event_ending_the_day_after(world):
    mission = f.MeetingFactory(
        programme=world.programme,
        title="Field mission",
        start_date=dt.date(2009, 1, 26),
        end_date=dt.date(2009, 2, 1),
        place="Throughout Serbia",
    )
    calendar = parse(world.client_for("manager").get(reverse("meetings:ics", args=[mission.pk])))
    [event] = calendar.events
    assert event.start == dt.date(2009, 1, 26)
    assert event.end == dt.date(2009, 2, 2)  # DTEND is exclusive
    assert event["location"] == "Throughout Serbia"


def test_calendar_feed_has_every_meeting_of_the_programme_only(world):
    f.MeetingFactory.create_batch(3, programme=world.programme)
    f.MeetingFactory(programme=world.other_programme, title="Elsewhere")
    calendar = parse(world.client_for("unhcr").get(reverse("meetings:calendar")))
    assert len(calendar.events) == 3
    assert len({e["uid"] for e in calendar.events}) == 3
    assert "Elsewhere" not in {str(e["summary"]) for e in calendar.events}


def test_attendance_csv_lists_invited_absent_and_people(world):
    meeting = roundtable(world)
    opener = f.ContactFactory(organisation=world.agencies["unhcr"], name="Lennart Kotsalainen")
    f.AttendeeFactory(meeting=meeting, contact=opener, role=Attendee.Role.OPENED)
    url = reverse("meetings:export", args=[meeting.pk, "attendance", "csv"])
    response = world.client_for("manager").get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {row["Organisation"]: row for row in rows}
    assert by_name["Ministry of Interior"]["Attended"] == "yes"
    assert "State Secretary" in by_name["Ministry of Interior"]["People"]
    assert by_name["Ministry of Justice"]["Attended"] == "no"
    unhcr = by_name["United Nations High Commissioner for Refugees"]
    assert unhcr["Invited"] == "no (organiser)"
    assert "Lennart Kotsalainen" in unhcr["People"] and "Opened" in unhcr["People"]


def test_feedback_xlsx_opens_with_the_answers(world):
    meeting = roundtable(world)
    feedback = meeting.feedback.get()
    feedback.response = "Agreed"
    feedback.save()
    url = reverse("meetings:export", args=[meeting.pk, "feedback", "xlsx"])
    response = world.client_for("unodc").get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("From", "Person", "Outcome", "Feedback", "Answer", "Status")
    assert rows[1][0] == "Ministry of Interior"
    assert rows[1][4:] == ("Agreed", "Open")


def test_actions_csv(world):
    meeting = roundtable(world)
    url = reverse("meetings:export", args=[meeting.pk, "actions", "csv"])
    rows = list(csv.reader(io.StringIO(world.client_for("iom").get(url).content.decode())))
    assert rows[1][:5] == [
        "Send the revised document to the ministries.",
        "United Nations High Commissioner for Refugees",
        "",
        "2009-04-15",
        "Open",
    ]
