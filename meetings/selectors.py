"""Reads of meetings: lists, one meeting's record, the timeline, follow-up, and an
organisation's engagement. Every function costs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jointprogramme.models import Milestone, Participation, Programme
from outcomes.models import Outcome
from stakeholders.models import Contact, Organisation
from stakeholders.selectors import kind_rank

from .models import Attendee, Feedback, FollowUpAction, Invitation, Meeting


def meetings_around(programme, *, today: date, limit: int = 5) -> dict[str, list[Meeting]]:
    """The next meetings (soonest first) and the latest past ones (latest first)."""
    meetings = Meeting.objects.filter(programme=programme)
    return {
        "upcoming": list(meetings.filter(start_date__gte=today).order_by("start_date")[:limit]),
        "recent": list(meetings.filter(start_date__lt=today).order_by("-start_date")[:limit]),
    }


def _count_per_meeting(model, **filters):
    """A correlated subquery counting ``model`` rows of each meeting (0 when none)."""
    counted = (
        model.objects.filter(meeting=OuterRef("pk"), **filters)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def meeting_list(
    programme: Programme,
    *,
    today: date,
    kind: str = "",
    audience: str = "",
    organisation_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Meeting]:
    """The programme's meetings, filtered, upcoming first (soonest first), then the
    past ones (latest first); each with attendance, feedback and action counts."""
    meetings = Meeting.objects.filter(programme=programme)
    if kind:
        meetings = meetings.filter(kind=kind)
    if audience:
        meetings = meetings.filter(audience=audience)
    if organisation_id is not None:
        meetings = meetings.filter(
            Exists(
                Invitation.objects.filter(meeting=OuterRef("pk"), organisation_id=organisation_id)
            )
        )
    if year is not None:
        meetings = meetings.filter(start_date__year=year)
    upcoming = Q(start_date__gte=today)
    return meetings.annotate(
        is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False)),
        upcoming_order=Case(When(upcoming, then=F("start_date")), default=None),
        invited_count=_count_per_meeting(Invitation),
        attended_count=_count_per_meeting(Invitation, attended=True),
        absent_count=_count_per_meeting(Invitation, attended=False),
        feedback_count=_count_per_meeting(Feedback),
        open_action_count=_count_per_meeting(FollowUpAction, status=FollowUpAction.Status.OPEN),
    ).order_by("-is_upcoming", "upcoming_order", "-start_date", "-pk")


def meeting_filter_choices(programme: Programme) -> dict[str, list]:
    """Organisations invited to any of the programme's meetings, and the years
    meetings were held in: the choices of the list's filters. Two queries."""
    invited = Invitation.objects.filter(meeting__programme=programme).values("organisation_id")
    return {
        "organisations": list(Organisation.objects.filter(pk__in=invited).order_by("name")),
        "years": meeting_years(programme),
    }


def meeting_years(programme: Programme) -> list[int]:
    """The years the programme's meetings were held in, latest first. One query."""
    dates = Meeting.objects.filter(programme=programme).dates("start_date", "year", order="DESC")
    return [d.year for d in dates]


def get_meeting(pk: int) -> Meeting | None:
    return Meeting.objects.select_related("programme").filter(pk=pk).first()


@dataclass
class MeetingRecord:
    """Everything said about one meeting, loaded in four queries."""

    meeting: Meeting
    invitations: list[Invitation]
    attendees: list[Attendee]
    feedback: list[Feedback]
    actions: list[FollowUpAction]
    people_by_organisation: dict[int, list[Attendee]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for invitation in self.invitations:
            invitation.people = self.people_by_organisation.get(invitation.organisation_id, [])

    @property
    def organiser_people(self) -> list[tuple[Organisation, list[Attendee]]]:
        """People present from organisations that were not invited: the organisers."""
        invited = {i.organisation_id for i in self.invitations}
        seen: dict[int, tuple[Organisation, list[Attendee]]] = {}
        for attendee in self.attendees:
            organisation = attendee.contact.organisation
            if organisation.pk not in invited:
                seen.setdefault(organisation.pk, (organisation, []))[1].append(attendee)
        return sorted(seen.values(), key=lambda pair: pair[0].name)

    @property
    def speaker_roles(self) -> list[tuple[str, list[Attendee]]]:
        return [
            (_("Opened by"), self.opened_by),
            (_("Chaired by"), self.chaired_by),
            (_("Presented by"), self.presented_by),
        ]

    def attendees_with_role(self, role: str) -> list[Attendee]:
        return [a for a in self.attendees if a.role == role]

    @property
    def opened_by(self) -> list[Attendee]:
        return self.attendees_with_role(Attendee.Role.OPENED)

    @property
    def chaired_by(self) -> list[Attendee]:
        return self.attendees_with_role(Attendee.Role.CHAIR)

    @property
    def presented_by(self) -> list[Attendee]:
        return self.attendees_with_role(Attendee.Role.PRESENTED)


def meeting_record(meeting: Meeting) -> MeetingRecord:
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    attendees = list(
        Attendee.objects.filter(meeting=meeting)
        .select_related("contact__organisation")
        .order_by("contact__organisation__name", "contact__name", "contact__position")
    )
    feedback = list(
        Feedback.objects.filter(meeting=meeting)
        .select_related("organisation", "contact", "outcome")
        .order_by("pk")
    )
    actions = list(
        FollowUpAction.objects.filter(meeting=meeting)
        .select_related("owner", "owner_contact")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    people: dict[int, list[Attendee]] = defaultdict(list)
    for attendee in attendees:
        people[attendee.contact.organisation_id].append(attendee)
    return MeetingRecord(meeting, invitations, attendees, feedback, actions, dict(people))


# Allowed choices for the recording forms -------------------------------------------


def invitable_organisations() -> QuerySet[Organisation]:
    """Organisations are shared by every programme: any may be invited."""
    return Organisation.objects.annotate(kind_rank=kind_rank).order_by("kind_rank", "name")


GRID_LIMIT = 400


def attendance_candidates(
    meeting: Meeting, *, kind: str = "", search: str = "", everyone: bool = False
) -> tuple[list[Organisation], bool]:
    """The rows of the attendance grid, and whether there were more than it shows.

    By default the organisations the programme works with: invited to any of its
    meetings or taking part in it. A kind, a name or ``everyone`` searches every
    organisation. One query.
    """
    organisations = invitable_organisations()
    if kind:
        organisations = organisations.filter(kind=kind)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(acronym__icontains=search)
        )
    if not (kind or search or everyone):
        invited = Invitation.objects.filter(meeting__programme_id=meeting.programme_id)
        taking_part = Participation.objects.filter(programme_id=meeting.programme_id)
        organisations = organisations.filter(
            Q(pk__in=invited.values("organisation_id"))
            | Q(pk__in=taking_part.values("organisation_id"))
        )
    rows = list(organisations[: GRID_LIMIT + 1])
    return rows[:GRID_LIMIT], len(rows) > GRID_LIMIT


def meeting_organisations(meeting: Meeting) -> QuerySet[Organisation]:
    """Organisations that can speak or act for a meeting: those invited to it and
    the programme's own participants (the agencies that organise it)."""
    invited = Invitation.objects.filter(meeting=meeting).values("organisation_id")
    taking_part = Participation.objects.filter(programme_id=meeting.programme_id).values(
        "organisation_id"
    )
    return Organisation.objects.filter(Q(pk__in=invited) | Q(pk__in=taking_part)).order_by("name")


def meeting_contacts(meeting: Meeting) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(organisation__in=meeting_organisations(meeting))
        .select_related("organisation")
        .order_by("organisation__name", "name", "position")
    )


def programme_outcomes(programme_id: int) -> QuerySet[Outcome]:
    return Outcome.objects.filter(programme_id=programme_id).order_by("order", "code")


# Timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    end_date: date | None
    kind: str  # "meeting" or "milestone"
    phase: str
    obj: object


def _phase(programme: Programme, day: date) -> str:
    if programme.start_date and day < programme.start_date:
        return _("Development")
    if programme.end_date and day > programme.end_date:
        return _("After the programme")
    return _("Implementation") if programme.start_date else _("Development")


def timeline(programme: Programme, *, year: int | None = None) -> list[TimelineEntry]:
    """Meetings and milestones in date order, each in its phase of the programme
    (developed before its start date, carried forward after it). Two queries."""
    meetings = Meeting.objects.filter(programme=programme).annotate(
        invited_count=_count_per_meeting(Invitation),
        attended_count=_count_per_meeting(Invitation, attended=True),
    )
    milestones = Milestone.objects.filter(programme=programme).select_related("funded_by")
    if year is not None:
        meetings = meetings.filter(start_date__year=year)
        milestones = milestones.filter(
            Q(start_date__year=year) | Q(start_date__year__lt=year, end_date__year__gte=year)
        )
    entries = [
        TimelineEntry(m.start_date, m.end_date, "meeting", _phase(programme, m.start_date), m)
        for m in meetings
    ] + [
        TimelineEntry(s.start_date, s.end_date, "milestone", _phase(programme, s.start_date), s)
        for s in milestones
    ]
    # Milestones first on a shared day: a phase starts before its meetings.
    entries.sort(key=lambda e: (e.date, e.kind != "milestone", e.obj.pk))
    return entries


# Follow-up ----------------------------------------------------------------------------


def overdue_actions(programme: Programme, today: date, *, limit: int = 10) -> list[FollowUpAction]:
    """Open follow-up actions past their due date, most overdue first; at most
    ``limit``, each carrying ``overdue_total`` (all of them). One query."""
    return list(
        FollowUpAction.objects.filter(
            meeting__programme=programme,
            status=FollowUpAction.Status.OPEN,
            due_date__lt=today,
        )
        .select_related("meeting", "owner")
        .annotate(overdue_total=Window(Count("pk")))
        .order_by("due_date", "pk")[:limit]
    )


def action_list(programme: Programme, *, status: str = "open") -> QuerySet[FollowUpAction]:
    actions = FollowUpAction.objects.filter(meeting__programme=programme)
    if status:
        actions = actions.filter(status=status)
    return actions.select_related("meeting", "owner", "owner_contact").order_by(
        F("due_date").asc(nulls_last=True), "pk"
    )


# Engagement of organisations (read by the stakeholder directory) ---------------------


@dataclass
class EngagementCounts:
    invited: int = 0
    attended: int = 0
    feedback: int = 0
    feedback_answered: int = 0


def engagement_counts(
    programme: Programme, organisation_ids: list[int]
) -> dict[int, EngagementCounts]:
    """Per organisation, in the programme: meetings invited to; meetings attended
    (as an invited organisation, or through its people, as the organising agencies
    do); feedback given and answered. Three queries whatever the number."""
    counts: dict[int, EngagementCounts] = defaultdict(EngagementCounts)
    in_programme = {"meeting__programme": programme}
    invitations = (
        Invitation.objects.filter(organisation_id__in=organisation_ids, **in_programme)
        .values("organisation_id")
        .annotate(invited=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by()
    )
    for row in invitations:
        counts[row["organisation_id"]].invited = row["invited"]
        counts[row["organisation_id"]].attended = row["attended"]
    # Meetings its people were at without an attended invitation of the organisation.
    attended_invitation = Invitation.objects.filter(
        meeting=OuterRef("meeting"), organisation=OuterRef("contact__organisation"), attended=True
    )
    present = (
        Attendee.objects.filter(contact__organisation_id__in=organisation_ids, **in_programme)
        .filter(~Exists(attended_invitation))
        .values("contact__organisation_id")
        .annotate(meetings=Count("meeting", distinct=True))
        .order_by()
    )
    for row in present:
        counts[row["contact__organisation_id"]].attended += row["meetings"]
    feedback = (
        Feedback.objects.filter(organisation_id__in=organisation_ids, **in_programme)
        .values("organisation_id")
        .annotate(given=Count("pk"), answered=Count("pk", filter=~Q(status=Feedback.Status.OPEN)))
        .order_by()
    )
    for row in feedback:
        counts[row["organisation_id"]].feedback = row["given"]
        counts[row["organisation_id"]].feedback_answered = row["answered"]
    return dict(counts)


@dataclass
class OrganisationEngagement:
    invitations: list[Invitation]
    attendees: list[Attendee]
    feedback: list[Feedback]
    actions: list[FollowUpAction]

    @property
    def attended_count(self) -> int:
        """Meetings attended, as an invited organisation or through its people."""
        meetings = {i.meeting_id for i in self.invitations if i.attended}
        return len(meetings | {a.meeting_id for a in self.attendees})


def organisation_engagement(
    programme: Programme, organisation: Organisation
) -> OrganisationEngagement:
    """An organisation's part in the programme's meetings. Four queries."""
    in_programme = {"meeting__programme": programme}
    return OrganisationEngagement(
        invitations=list(
            Invitation.objects.filter(organisation=organisation, **in_programme)
            .select_related("meeting")
            .order_by("-meeting__start_date", "pk")
        ),
        attendees=list(
            Attendee.objects.filter(contact__organisation=organisation, **in_programme)
            .select_related("meeting", "contact")
            .order_by("-meeting__start_date", "contact__name")
        ),
        feedback=list(
            Feedback.objects.filter(organisation=organisation, **in_programme)
            .select_related("meeting", "outcome", "contact")
            .order_by("-meeting__start_date", "pk")
        ),
        actions=list(
            FollowUpAction.objects.filter(owner=organisation, **in_programme)
            .select_related("meeting", "owner_contact")
            .order_by(F("due_date").asc(nulls_last=True), "pk")
        ),
    )
