"""Presentation helpers for meeting pages. None of them queries."""

from django import template
from django.urls import NoReverseMatch
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from meetings.models import Feedback, FollowUpAction, Meeting
from meetings.reports import attendance_rate

register = template.Library()

KIND_ICONS = {
    Meeting.Kind.ROUNDTABLE: "people-fill",
    Meeting.Kind.BILATERAL: "chat-left-text",
    Meeting.Kind.FIELD_MISSION: "geo-alt",
    Meeting.Kind.DESK_REVIEW: "journal-text",
    Meeting.Kind.WORKSHOP: "easel",
    Meeting.Kind.STAKEHOLDER_MEETING: "diagram-3",
}

FEEDBACK_BADGES = {
    Feedback.Status.OPEN: "text-bg-warning",
    Feedback.Status.INCORPORATED: "text-bg-success",
    Feedback.Status.DECLINED: "text-bg-secondary",
}

ACTION_BADGES = {
    FollowUpAction.Status.OPEN: "text-bg-primary",
    FollowUpAction.Status.DONE: "text-bg-success",
    FollowUpAction.Status.CANCELLED: "text-bg-secondary",
}


@register.filter
def link_to(obj) -> str:
    """The object's page, or "" while that page does not exist yet."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@register.simple_tag
def kind_icon(kind: str):
    return format_html(
        '<i class="bi bi-{}" aria-hidden="true"></i>', KIND_ICONS.get(kind, "calendar-event")
    )


@register.simple_tag
def feedback_status(feedback):
    return format_html(
        '<span class="badge {}">{}</span>',
        FEEDBACK_BADGES.get(feedback.status, "text-bg-light"),
        feedback.get_status_display(),
    )


@register.simple_tag
def action_status(action, today=None):
    open_ = action.status == FollowUpAction.Status.OPEN
    if open_ and today and action.due_date and action.due_date < today:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Overdue"))
    return format_html(
        '<span class="badge {}">{}</span>',
        ACTION_BADGES.get(action.status, "text-bg-light"),
        action.get_status_display(),
    )


@register.simple_tag
def attended_badge(value):
    if value is True:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Attended"))
    if value is False:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Did not come"))
    return format_html('<span class="badge text-bg-light">{}</span>', _("Not recorded"))


@register.filter
def meeting_when(meeting) -> str:
    """23 Mar 2009, 10:00–13:00 · or 1–5 Dec 2008 for several days (23. mart 2009. in
    Serbian)."""
    start, end = meeting.start_date, meeting.end_date
    # The active language's formats: "1–5 Dec 2008" / "1–5. decembar 2008.".
    if end and end != start:
        if (start.year, start.month) == (end.year, end.month):
            text = f"{start.day}–{date_format(end, 'DATE_FORMAT')}"
        elif start.year == end.year:
            text = f"{date_format(start, 'MONTH_DAY_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
        else:
            text = f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"
    else:
        text = date_format(start, "DATE_FORMAT")
    if meeting.start_time:
        text += f", {meeting.start_time:%H:%M}"
        if meeting.end_time:
            text += f"–{meeting.end_time:%H:%M}"
    return text


@register.filter
def rate_of(meeting) -> str:
    """The attendance rate of a meeting annotated with attended and absent counts."""
    rate = attendance_rate(attended=meeting.attended_count, absent=meeting.absent_count)
    return "" if rate is None else f"{rate}%"
