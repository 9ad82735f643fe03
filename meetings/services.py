"""Writes about meetings. Each use case is one function in one transaction, with
keyword-only arguments; none hides in ``save()`` or a signal.

Edits carry a *fingerprint* of what the editor saw: when the record changed in the
meantime the write is refused with ``EditConflict`` and nothing is saved, so the
second of two people editing the same record is told instead of silently
overwriting the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from jointprogramme.models import Programme
from outcomes.models import Outcome
from stakeholders.models import Contact, Organisation

from .models import Attendee, Feedback, FollowUpAction, Invitation, Meeting

MEETING_FIELDS = (
    "kind",
    "title",
    "title_sr",
    "purpose_sr",
    "audience",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "place",
    "purpose",
)


class EditConflict(Exception):
    """The record changed since the editor loaded it."""


class ActionAlreadyClosed(Exception):
    pass


def fingerprint(*values) -> str:
    """A short digest of the values an editor was shown."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


def meeting_fingerprint(meeting: Meeting) -> str:
    return fingerprint(*(getattr(meeting, name) for name in MEETING_FIELDS))


def feedback_fingerprint(feedback: Feedback) -> str:
    return fingerprint(feedback.response, feedback.status)


def attendance_fingerprint(invitations: Iterable[Invitation]) -> str:
    return fingerprint(*sorted((i.organisation_id, i.attended) for i in invitations))


_CONFLICTS = {
    "meeting": gettext_lazy(
        "Someone else changed this meeting while you were editing it. "
        "Nothing was saved: look at the current version and make your change again."
    ),
    "attendance": gettext_lazy(
        "Someone else changed the attendance of this meeting while you were editing it. "
        "Nothing was saved: look at the current version and make your change again."
    ),
    "answer": gettext_lazy(
        "Someone else changed the answer to this feedback while you were editing it. "
        "Nothing was saved: look at the current version and make your change again."
    ),
}


def _check(expected: str | None, actual: str, what: str) -> None:
    """``what``: a key of ``_CONFLICTS``, the record the editor was shown."""
    if expected is not None and expected != actual:
        raise EditConflict(str(_CONFLICTS[what]))


@transaction.atomic
def meeting_create(
    *,
    programme: Programme,
    kind: str,
    title: str,
    start_date: date,
    start_time: time | None = None,
    end_date: date | None = None,
    end_time: time | None = None,
    place: str = "",
    purpose: str = "",
    audience: str = "",
    title_sr: str | None = None,
    purpose_sr: str | None = None,
) -> Meeting:
    """A new meeting; ``title`` and ``purpose`` in English, ``*_sr`` in Serbian."""
    meeting = Meeting(
        programme=programme,
        kind=kind,
        title=title,
        title_en=title,
        title_sr=title_sr or None,
        purpose_en=purpose,
        purpose_sr=purpose_sr or None,
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        place=place,
        purpose=purpose,
        audience=audience,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, expected: str | None = None, **changes) -> Meeting:
    """Change a meeting's description; ``expected`` is the fingerprint the editor saw."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Not a meeting field: {', '.join(sorted(unknown))}")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check(expected, meeting_fingerprint(locked), "meeting")
    for name, value in changes.items():
        # The plain names are the English texts (the Serbian ones have their own).
        setattr(locked, f"{name}_en" if name in ("title", "purpose") else name, value)
    locked.full_clean()
    locked.save()
    return locked


@dataclass(frozen=True)
class AttendanceChange:
    invited: int
    uninvited: int
    updated: int


@transaction.atomic
def meeting_record_attendance(
    *,
    meeting: Meeting,
    rows: Iterable[int],
    invited: Iterable[int],
    attended: Iterable[int],
    today: date,
    expected: str | None = None,
) -> AttendanceChange:
    """Set invitations and attendance for many organisations at once.

    ``rows`` are the organisations the form showed; only they change. An
    organisation ticked as attended is invited too. For a meeting that has begun,
    an invited organisation not ticked as attended is recorded as absent; for one
    still to come its attendance stays unknown.
    """
    rows, invited, attended = set(rows), set(invited), set(attended)
    if not (invited | attended) <= rows:
        raise ValueError("Only organisations shown in the form can be ticked.")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one writer at a time
    existing = {
        i.organisation_id: i
        for i in Invitation.objects.filter(meeting=meeting, organisation_id__in=rows)
    }
    _check(expected, attendance_fingerprint(existing.values()), "attendance")
    not_came = False if meeting.start_date <= today else None
    wanted = invited | attended
    created, changed = [], []
    for organisation_id in sorted(wanted):
        value = True if organisation_id in attended else not_came
        invitation = existing.get(organisation_id)
        if invitation is None:
            created.append(
                Invitation(meeting=meeting, organisation_id=organisation_id, attended=value)
            )
        elif invitation.attended != value:
            invitation.attended = value
            changed.append(invitation)
    removed = [i.pk for org, i in existing.items() if org not in wanted]
    Invitation.objects.bulk_create(created)
    Invitation.objects.bulk_update(changed, ["attended"])
    Invitation.objects.filter(pk__in=removed).delete()
    return AttendanceChange(invited=len(created), uninvited=len(removed), updated=len(changed))


@transaction.atomic
def attendee_add(*, meeting: Meeting, contact: Contact, role: str) -> Attendee:
    """Record a person at the meeting, or change the part they played."""
    attendee, _ = Attendee.objects.update_or_create(
        meeting=meeting, contact=contact, defaults={"role": role}
    )
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee) -> None:
    attendee.delete()


@transaction.atomic
def feedback_create(
    *,
    meeting: Meeting,
    text: str,
    organisation: Organisation | None = None,
    contact: Contact | None = None,
    outcome: Outcome | None = None,
    response: str = "",
    status: str = Feedback.Status.OPEN,
) -> Feedback:
    if contact is not None and organisation is None:
        organisation = contact.organisation
    if outcome is not None and outcome.programme_id != meeting.programme_id:
        raise ValueError("Feedback can only be about an outcome of the meeting's programme.")
    feedback = Feedback(
        meeting=meeting,
        organisation=organisation,
        contact=contact,
        outcome=outcome,
        text=text,
        response=response,
        status=status,
    )
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_answer(
    *,
    feedback: Feedback,
    response: str,
    status: str,
    outcome: Outcome | None = None,
    expected: str | None = None,
) -> Feedback:
    """Record how the programme answered a view: the answer and its status."""
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    _check(expected, feedback_fingerprint(locked), "answer")
    locked.response = response
    locked.status = status
    locked.outcome = outcome
    locked.full_clean()
    locked.save(update_fields=["response", "status", "outcome"])
    return locked


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    description: str,
    owner: Organisation,
    owner_contact: Contact | None = None,
    due_date: date | None = None,
) -> FollowUpAction:
    action = FollowUpAction(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_contact=owner_contact,
        due_date=due_date,
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_close(*, action: FollowUpAction, status: str, today: date) -> FollowUpAction:
    """Mark an open action done (dated today) or cancelled."""
    if status not in (FollowUpAction.Status.DONE, FollowUpAction.Status.CANCELLED):
        raise ValueError("An action is closed as done or cancelled.")
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if locked.status != FollowUpAction.Status.OPEN:
        raise ActionAlreadyClosed(
            gettext("This action is already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = status
    locked.completed_on = today if status == FollowUpAction.Status.DONE else None
    locked.save(update_fields=["status", "completed_on"])
    return locked
