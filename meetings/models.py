"""Meetings with stakeholders: who was invited, who came, what they said, and
what was to be done afterwards.

Layer 4: depends on ``stakeholders``, ``jointprogramme`` and ``outcomes``.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jointprogramme.models import Programme
from outcomes.models import Outcome
from stakeholders.models import Contact, Organisation, SampleDataMixin


class Meeting(SampleDataMixin):
    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        BILATERAL = "bilateral", _("Bilateral meeting")
        FIELD_MISSION = "field_mission", _("Field mission")
        DESK_REVIEW = "desk_review", _("Desk review")
        WORKSHOP = "workshop", _("Workshop")
        STAKEHOLDER_MEETING = "stakeholder_meeting", _("Stakeholder meeting")

    class Audience(models.TextChoices):
        NATIONAL = "national", _("National counterparts")
        DONORS = "donors", _("Donors")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        INTERNATIONAL = "international", _("International organisations")
        AGENCIES = "agencies", _("UN agencies")
        MIXED = "mixed", _("Mixed")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("programme")
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    start_date = models.DateField(verbose_name=_("start date"))
    # Times are local to the installation's time zone (settings.TIME_ZONE); a
    # meeting without a start time is an all-day event.
    start_time = models.TimeField(null=True, blank=True, verbose_name=_("start time"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    end_time = models.TimeField(null=True, blank=True, verbose_name=_("end time"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    purpose = models.TextField(blank=True, verbose_name=_("purpose"))
    audience = models.CharField(
        max_length=20, choices=Audience.choices, blank=True, verbose_name=_("audience")
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["programme", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])


class Invitation(SampleDataMixin):
    """An organisation invited to a meeting, and whether it came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    attended = models.BooleanField(
        null=True, blank=True, help_text=_("Empty while not known."), verbose_name=_("attended")
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} at {self.meeting}"


class Attendee(SampleDataMixin):
    """A person at a meeting and the part they played."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        OPENED = "opened", _("Opened the meeting")
        PRESENTED = "presented", _("Presented")
        PARTICIPANT = "participant", _("Participant")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("contact")
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.PARTICIPANT, verbose_name=_("role")
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "role", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contact"], name="attendee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_role_display()}"


class Feedback(SampleDataMixin):
    """A view collected at a meeting, and how the programme answered it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        INCORPORATED = "incorporated", _("Taken into the programme")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("outcome"),
    )
    text = models.TextField(verbose_name=_("text"))
    response = models.TextField(blank=True, verbose_name=_("response"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, verbose_name=_("status")
    )

    class Meta:
        verbose_name = _("feedback")
        ordering = ["meeting", "id"]
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        source = self.organisation.short_name if self.organisation else "Unattributed"
        return f"{source}: {self.text[:60]}"


class FollowUpAction(SampleDataMixin):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    description = models.TextField(verbose_name=_("description"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
        verbose_name=_("owner"),
    )
    owner_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner contact"),
    )
    due_date = models.DateField(null=True, blank=True, verbose_name=_("due date"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, verbose_name=_("status")
    )
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))

    class Meta:
        verbose_name_plural = _("follow-up actions")
        ordering = ["meeting", "due_date", "id"]
        verbose_name = _("follow-up action")
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="done"),
                name="action_completed_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
