"""Attendance arithmetic, on plain objects and on hand-built meetings."""

from decimal import Decimal
from types import SimpleNamespace

from meetings.reports import attendance_rate, summarise_attendance
from meetings.selectors import meeting_record
from tests import factories as f


def invitation(attended):
    return SimpleNamespace(attended=attended)


def test_rate_counts_only_recorded_invitations():
    assert attendance_rate(attended=6, absent=2) == Decimal(75)
    assert attendance_rate(attended=2, absent=1) == Decimal(67)  # 66.67 rounds half up
    assert attendance_rate(attended=0, absent=3) == Decimal(0)
    assert attendance_rate(attended=0, absent=0) is None


def test_summary_splits_attended_absent_and_unknown():
    came, stayed_away, unknown = invitation(True), invitation(False), invitation(None)
    summary = summarise_attendance([came, stayed_away, unknown, invitation(True)])
    assert summary.invited_count == 4
    assert summary.attended_count == 2
    assert summary.absent == [stayed_away]
    assert summary.unknown == [unknown]
    assert summary.rate == Decimal(67)


def test_summary_of_no_invitations():
    summary = summarise_attendance([])
    assert summary.invited_count == 0
    assert summary.rate is None


def test_roundtable_of_eight_ministries_six_came(world):
    """The 23 March 2009 roundtable: eight invited, the majority participated."""
    meeting = f.MeetingFactory(programme=world.programme)
    ministries = [f.OrganisationFactory(name=f"Ministry {n}") for n in range(8)]
    for n, ministry in enumerate(ministries):
        f.InvitationFactory(meeting=meeting, organisation=ministry, attended=n < 6)
    record = meeting_record(meeting)
    summary = summarise_attendance(record.invitations)
    assert (summary.invited_count, summary.attended_count) == (8, 6)
    assert summary.rate == Decimal(75)
    assert sorted(i.organisation.name for i in summary.absent) == ["Ministry 6", "Ministry 7"]


def test_upcoming_meeting_has_no_rate_yet(world):
    meeting = f.MeetingFactory(programme=world.programme)
    f.InvitationFactory.create_batch(3, meeting=meeting, attended=None)
    summary = summarise_attendance(meeting_record(meeting).invitations)
    assert summary.invited_count == 3
    assert summary.absent == []
    assert summary.rate is None
