"""Admin for meetings: invitations, attendance, feedback and follow-up actions
are edited inside their meeting and also listed on their own."""

from django.contrib import admin

from jointprogramme.admin_scoping import (
    ManagedProgrammeFilter,
    ScopedAdmin,
    ScopedStackedInline,
    ScopedTabularInline,
)

from .models import Attendee, Feedback, FollowUpAction, Invitation, Meeting

meeting_programme_filter = ("meeting__programme", ManagedProgrammeFilter)


class InvitationInline(ScopedTabularInline):
    model = Invitation
    fields = ("organisation", "attended", "is_sample")
    autocomplete_fields = ("organisation",)


class AttendeeInline(ScopedTabularInline):
    model = Attendee
    fields = ("contact", "role", "is_sample")
    autocomplete_fields = ("contact",)


class FeedbackInline(ScopedStackedInline):
    model = Feedback
    fields = (("organisation", "contact", "outcome"), "text", ("response", "status"), "is_sample")
    autocomplete_fields = ("organisation", "contact")


class FollowUpActionInline(ScopedTabularInline):
    model = FollowUpAction
    fields = ("description", "owner", "owner_contact", "due_date", "status", "completed_on")
    autocomplete_fields = ("owner", "owner_contact")


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("title", "kind", "start_date", "place", "audience", "programme", "is_sample")
    list_filter = (("programme", ManagedProgrammeFilter), "kind", "audience")
    list_select_related = ("programme",)
    search_fields = ("title", "place", "purpose")
    date_hierarchy = "start_date"
    inlines = [InvitationInline, AttendeeInline, FeedbackInline, FollowUpActionInline]


@admin.register(Invitation)
class InvitationAdmin(ScopedAdmin):
    programme_path = "meeting__programme"
    list_display = ("organisation", "meeting", "attended")
    list_filter = (meeting_programme_filter, "attended")
    # Newest first: the model's ordering (by meeting, then programme, then title)
    # joins and sorts every invitation before the first page.
    ordering = ("-pk",)
    list_select_related = ("organisation", "meeting")
    search_fields = ("organisation__name", "organisation__acronym", "meeting__title")
    autocomplete_fields = ("organisation",)


@admin.register(Attendee)
class AttendeeAdmin(ScopedAdmin):
    programme_path = "meeting__programme"
    list_display = ("contact", "role", "meeting")
    list_filter = (meeting_programme_filter, "role")
    ordering = ("-pk",)  # as invitations: the model's ordering cascades
    list_select_related = ("contact", "meeting")
    search_fields = ("contact__name", "contact__position", "meeting__title")
    autocomplete_fields = ("contact",)


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdmin):
    programme_path = "meeting__programme"
    list_display = ("__str__", "meeting", "outcome", "status")
    list_filter = (meeting_programme_filter, "status")
    list_select_related = ("organisation", "meeting", "outcome")
    search_fields = ("text", "response", "organisation__name", "meeting__title")
    autocomplete_fields = ("organisation", "contact")


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ScopedAdmin):
    programme_path = "meeting__programme"
    list_display = ("__str__", "owner", "due_date", "status", "meeting")
    list_filter = (meeting_programme_filter, "status")
    list_select_related = ("owner", "meeting")
    search_fields = ("description", "owner__name", "owner__acronym", "meeting__title")
    autocomplete_fields = ("owner", "owner_contact")
    date_hierarchy = "due_date"
