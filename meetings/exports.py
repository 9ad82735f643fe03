"""Take-away copies of meetings: iCalendar events and CSV/XLSX tables.

Pure functions over already loaded objects: they run no query of their own. Table
text that a spreadsheet would run as a formula is neutralised
(``stakeholders.spreadsheets``, the rule every export follows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import icalendar
import tablib
from django.utils.translation import gettext as _

from stakeholders.spreadsheets import safe_dataset

from .models import Meeting
from .selectors import MeetingRecord

PRODID = "-//Joint Programme Manager//Meetings//EN"


def _event(meeting: Meeting, *, tz: ZoneInfo, url: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@joint-programme-manager")
    event.add("dtstamp", stamp)
    event.add("summary", meeting.title)
    if meeting.start_time:
        event.add("dtstart", dt.datetime.combine(meeting.start_date, meeting.start_time, tz))
        if meeting.end_time:
            end_day = meeting.end_date or meeting.start_date
            event.add("dtend", dt.datetime.combine(end_day, meeting.end_time, tz))
    else:
        # All-day: DTEND is the day after the last day (RFC 5545 3.6.1).
        event.add("dtstart", meeting.start_date)
        event.add("dtend", (meeting.end_date or meeting.start_date) + dt.timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    description = [meeting.get_kind_display()]
    if meeting.audience:
        description.append(f"Audience: {meeting.get_audience_display()}")
    if meeting.purpose:
        description.append(meeting.purpose)
    event.add("description", "\n\n".join(description))
    event.add("categories", [meeting.get_kind_display()])
    if url:
        event.add("url", url)
    return event


def calendar_ics(
    meetings: Iterable[Meeting],
    *,
    name: str,
    time_zone: str,
    url_for: Callable[[Meeting], str] = lambda m: "",
    now: dt.datetime | None = None,
) -> bytes:
    """An iCalendar file with one event per meeting, times in ``time_zone`` (with
    its VTIMEZONE, so any calendar application places them right)."""
    tz = ZoneInfo(time_zone)
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # A plain property: a line break in a title (a form posted by hand can hold one)
    # would make the file unwritable, unlike SUMMARY, which escapes it.
    calendar.add("x-wr-calname", " ".join(name.split()))
    calendar.add("x-wr-timezone", time_zone)
    for meeting in meetings:
        calendar.add_component(_event(meeting, tz=tz, url=url_for(meeting), stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _yes_no(value: bool | None) -> str:
    return {True: _("yes"), False: _("no"), None: _("not recorded")}[value]


def attendance_table(record: MeetingRecord) -> tablib.Dataset:
    """One row per organisation invited (or present without invitation)."""
    data = tablib.Dataset(
        headers=[
            _("Organisation"),
            _("Acronym"),
            _("Kind"),
            _("Invited"),
            _("Attended"),
            _("People"),
        ],
        title=_("Attendance"),
    )

    def people(organisation_id: int) -> str:
        return "; ".join(
            f"{a.contact} ({a.get_role_display()})"
            for a in record.people_by_organisation.get(organisation_id, [])
        )

    invited_ids = set()
    for invitation in record.invitations:
        organisation = invitation.organisation
        invited_ids.add(organisation.pk)
        data.append(
            [
                organisation.name,
                organisation.acronym,
                organisation.get_kind_display(),
                "yes",
                _yes_no(invitation.attended),
                people(organisation.pk),
            ]
        )
    others = {
        a.contact.organisation.pk: a.contact.organisation
        for a in record.attendees
        if a.contact.organisation_id not in invited_ids
    }
    for organisation in sorted(others.values(), key=lambda o: o.name):
        data.append(
            [
                organisation.name,
                organisation.acronym,
                organisation.get_kind_display(),
                "no (organiser)",
                "yes",
                people(organisation.pk),
            ]
        )
    return safe_dataset(data)


def feedback_table(record: MeetingRecord) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=[_("From"), _("Person"), _("Outcome"), _("Feedback"), _("Answer"), _("Status")],
        title=_("Feedback"),
    )
    for item in record.feedback:
        data.append(
            [
                item.organisation.name if item.organisation else "",
                str(item.contact) if item.contact else "",
                f"{item.outcome.code} {item.outcome.title}" if item.outcome else "",
                item.text,
                item.response,
                item.get_status_display(),
            ]
        )
    return safe_dataset(data)


def actions_table(record: MeetingRecord) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=[_("Action"), _("Owner"), _("Person"), _("Due"), _("Status"), _("Completed on")],
        title=_("Follow-up actions"),
    )
    for action in record.actions:
        data.append(
            [
                action.description,
                action.owner.name,
                str(action.owner_contact) if action.owner_contact else "",
                action.due_date.isoformat() if action.due_date else "",
                action.get_status_display(),
                action.completed_on.isoformat() if action.completed_on else "",
            ]
        )
    return safe_dataset(data)


TABLES = {"attendance": attendance_table, "feedback": feedback_table, "actions": actions_table}
