"""Meetings pages: list, timeline, one meeting's record, and recording it.

Every view finds the programme and asks the access rules; a meeting of a
programme the user does not belong to answers 404, a member without the right
(a donor) gets 403. Writes go through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jointprogramme.selectors import current_programme
from stakeholders.models import Organisation

from . import exports, selectors, services
from .forms import (
    ActionCloseForm,
    ActionForm,
    AttendanceForm,
    AttendeeForm,
    FeedbackAnswerForm,
    FeedbackForm,
    MeetingForm,
)
from .models import Attendee, Feedback, FollowUpAction, Meeting
from .reports import summarise_attendance

READ = "meetings.read_meeting"
RECORD = "meetings.record_meeting"
PAGE_SIZE = 25
EXPORT_TABLES = [
    ("attendance", gettext_lazy("Attendance")),
    ("feedback", gettext_lazy("Feedback")),
    ("actions", gettext_lazy("Follow-up actions")),
]


def _programme(request, perm: str):
    """The current programme, if the user may ``perm`` in it; 403 otherwise."""
    programme = current_programme(request)
    if programme is None or not request.user.has_perm(perm, programme):
        raise PermissionDenied("Meetings are open to the programme's agencies and coordinator.")
    return programme


def _meeting(request, pk: int, perm: str) -> Meeting:
    """The meeting, 404 unless the user belongs to its programme, 403 without ``perm``."""
    meeting = selectors.get_meeting(pk)
    if meeting is None:
        raise Http404("No such meeting.")
    _meeting_checked(request, meeting, perm)
    return meeting


def _child(request, model, pk: int, perm: str):
    """A feedback item, action or attendee, checked through its meeting."""
    obj = get_object_or_404(model.objects.select_related("meeting__programme"), pk=pk)
    _meeting_checked(request, obj.meeting, perm)
    return obj


def _meeting_checked(request, meeting: Meeting, perm: str) -> None:
    if not request.user.has_perm("jointprogramme.use_programme", meeting.programme):
        raise Http404("No such meeting.")
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied("You may not do this with meetings.")


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    """The list's filters from the query string; unknown values are ignored."""
    kind = request.GET.get("kind", "")
    audience = request.GET.get("audience", "")
    return {
        "kind": kind if kind in Meeting.Kind.values else "",
        "audience": audience if audience in Meeting.Audience.values else "",
        "organisation_id": _int_or_none(request.GET.get("organisation")),
        "year": _int_or_none(request.GET.get("year")),
    }


@login_required
@require_GET
def meeting_list(request):
    """The programme's meetings, upcoming first, filterable by kind, audience,
    organisation invited and year."""
    programme = _programme(request, READ)
    filters = _filters(request)
    today = timezone.localdate()
    meetings = selectors.meeting_list(programme, today=today, **filters)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "page": page,
        "filters": filters,
        "choices": selectors.meeting_filter_choices(programme),
        "kinds": Meeting.Kind.choices,
        "audiences": Meeting.Audience.choices,
        "query": query.urlencode(),
        "can_record": request.user.has_perm(RECORD, programme),
        "today": today,
    }
    return render(request, "meetings/list.html", context)


@login_required
@require_GET
def meeting_timeline(request):
    """How the programme was developed and carried forward, meeting by meeting."""
    programme = _programme(request, READ)
    years = selectors.meeting_years(programme)
    year = _int_or_none(request.GET.get("year"))
    entries = selectors.timeline(programme, year=year)
    context = {
        "programme": programme,
        "entries": entries,
        "years": years,
        "year": year,
        "can_record": request.user.has_perm(RECORD, programme),
    }
    return render(request, "meetings/timeline.html", context)


@login_required
@require_GET
def meeting_detail(request, pk: int):
    """One meeting: purpose, attendance, who spoke, feedback and follow-up."""
    meeting = _meeting(request, pk, READ)
    record = selectors.meeting_record(meeting)
    context = {
        "meeting": meeting,
        "record": record,
        "attendance": summarise_attendance(record.invitations),
        "speaker_roles": record.speaker_roles,
        "organiser_people": record.organiser_people,
        "export_tables": EXPORT_TABLES,
        "can_record": request.user.has_perm(RECORD, meeting),
        "close_form": ActionCloseForm(),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    programme = _programme(request, RECORD)
    form = MeetingForm(request.POST or None, submit_label=_("Create meeting"))
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(programme=programme, **form.service_fields())
        messages.success(request, _("Meeting created. Now tick who was invited and who came."))
        return redirect("meetings:attendance", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "title": _("New meeting")})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, RECORD)
    initial = {"fingerprint": services.meeting_fingerprint(meeting)}
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                expected=form.cleaned_data["fingerprint"] or None,
                **form.service_fields(),
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
    context = {
        "form": form,
        "title": _("Edit %(meeting)s") % {"meeting": meeting.title},
        "meeting": meeting,
    }
    return render(request, "meetings/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk: int):
    """Invitations and attendance of many organisations at once: one POST, one
    transaction. The grid can be narrowed by kind or name; only rows shown change."""
    meeting = _meeting(request, pk, RECORD)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organisation.Kind.values else ""
    search = request.GET.get("q", "").strip()[:100]
    everyone = request.GET.get("all") == "1"
    organisations, truncated = selectors.attendance_candidates(
        meeting, kind=kind, search=search, everyone=everyone
    )
    invitations = {i.organisation_id: i for i in meeting.invitations.all()}
    shown = [invitations[o.pk] for o in organisations if o.pk in invitations]
    fingerprint = services.attendance_fingerprint(shown)
    form = AttendanceForm(
        request.POST or None,
        organisations=organisations,
        initial={
            "rows": [o.pk for o in organisations],
            "invited": list(invitations),
            "attended": [org for org, i in invitations.items() if i.attended],
            "fingerprint": fingerprint,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = services.meeting_record_attendance(
                meeting=meeting,
                rows=form.cleaned_data["rows"],
                invited=form.cleaned_data["invited"],
                attended=form.cleaned_data["attended"],
                today=timezone.localdate(),
                expected=form.cleaned_data["fingerprint"] or None,
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(
                request,
                _(
                    "Attendance saved: %(invited)s invited, %(updated)s changed, "
                    "%(uninvited)s no longer invited."
                )
                % {
                    "invited": change.invited,
                    "updated": change.updated,
                    "uninvited": change.uninvited,
                },
            )
            return redirect(meeting)
    if form.is_bound:
        invited_ids = {_int_or_none(v) for v in request.POST.getlist("invited")}
        attended_ids = {_int_or_none(v) for v in request.POST.getlist("attended")}
    else:
        invited_ids = set(invitations)
        attended_ids = {org for org, i in invitations.items() if i.attended}
    rows = [
        {
            "organisation": o,
            "invited": o.pk in invited_ids or o.pk in attended_ids,
            "attended": o.pk in attended_ids,
            "recorded": invitations.get(o.pk),
        }
        for o in organisations
    ]
    context = {
        "meeting": meeting,
        "form": form,
        "rows": rows,
        "kind": kind,
        "search": search,
        "kinds": Organisation.Kind.choices,
        "everyone": everyone,
        "truncated": truncated,
        "grid_limit": selectors.GRID_LIMIT,
        "fingerprint": fingerprint,
        "has_started": meeting.start_date <= timezone.localdate(),
    }
    return render(request, "meetings/attendance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attendee_add(request, pk: int):
    """Record a person at the meeting and the part they played (opened, chaired...)."""
    meeting = _meeting(request, pk, RECORD)
    form = AttendeeForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.attendee_add(meeting=meeting, **form.cleaned_data)
        messages.success(
            request, _("%(person)s recorded.") % {"person": form.cleaned_data["contact"]}
        )
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#people")
    context = {"form": form, "title": _("Add a person"), "meeting": meeting}
    return render(request, "meetings/form.html", context)


@login_required
@require_POST
def attendee_remove(request, pk: int):
    attendee = _child(request, Attendee, pk, RECORD)
    services.attendee_remove(attendee=attendee)
    messages.success(
        request, _("%(person)s removed from the meeting.") % {"person": attendee.contact}
    )
    return redirect(reverse("meetings:detail", args=[attendee.meeting_id]) + "#people")


@login_required
@require_http_methods(["GET", "POST"])
def feedback_create(request, pk: int):
    """Capture a view given at the meeting, optionally on an outcome."""
    meeting = _meeting(request, pk, RECORD)
    form = FeedbackForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.feedback_create(meeting=meeting, **form.service_fields())
        messages.success(request, _("Feedback recorded."))
        if "add_another" in request.POST:
            return redirect("meetings:feedback_create", pk=meeting.pk)
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#feedback")
    context = {"form": form, "title": _("Add feedback"), "meeting": meeting, "add_another": True}
    return render(request, "meetings/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_answer(request, pk: int):
    """How the programme answered a view: the answer, and open / taken in / declined."""
    feedback = _child(request, Feedback, pk, RECORD)
    initial = {"fingerprint": services.feedback_fingerprint(feedback)}
    form = FeedbackAnswerForm(request.POST or None, instance=feedback, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(
                feedback=feedback,
                response=form.cleaned_data["response"],
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                expected=form.cleaned_data["fingerprint"] or None,
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, _("Answer saved."))
            return redirect(reverse("meetings:detail", args=[feedback.meeting_id]) + "#feedback")
    context = {
        "form": form,
        "title": _("Answer feedback"),
        "meeting": feedback.meeting,
        "feedback": feedback,
    }
    return render(request, "meetings/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk: int):
    meeting = _meeting(request, pk, RECORD)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.action_create(meeting=meeting, **form.service_fields())
        messages.success(request, _("Follow-up action added."))
        if "add_another" in request.POST:
            return redirect("meetings:action_create", pk=meeting.pk)
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#actions")
    context = {
        "form": form,
        "title": _("Add a follow-up action"),
        "meeting": meeting,
        "add_another": True,
    }
    return render(request, "meetings/form.html", context)


@login_required
@require_POST
def action_close(request, pk: int):
    """Close an open action as done (dated today) or cancelled."""
    action = _child(request, FollowUpAction, pk, RECORD)
    form = ActionCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the action was done or cancelled."))
    else:
        try:
            services.action_close(
                action=action, status=form.cleaned_data["status"], today=timezone.localdate()
            )
        except services.ActionAlreadyClosed as closed:
            messages.warning(request, str(closed))
        else:
            messages.success(request, _("Action closed."))
    next_url = request.POST.get("next", "")
    if next_url == "actions":
        return redirect("meetings:actions")
    return redirect(reverse("meetings:detail", args=[action.meeting_id]) + "#actions")


@login_required
@require_GET
def action_list(request):
    """Follow-up actions across the programme's meetings, open ones by due date."""
    programme = _programme(request, READ)
    status = request.GET.get("status", FollowUpAction.Status.OPEN)
    if status not in FollowUpAction.Status.values and status != "all":
        status = FollowUpAction.Status.OPEN
    actions = selectors.action_list(programme, status="" if status == "all" else status)
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": FollowUpAction.Status.choices,
        "can_record": request.user.has_perm(RECORD, programme),
        "close_form": ActionCloseForm(),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/actions.html", context)


# Take-away ------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def meeting_ics(request, pk: int):
    """The meeting as an iCalendar event."""
    meeting = _meeting(request, pk, READ)
    content = exports.calendar_ics(
        [meeting],
        name=meeting.title,
        time_zone=settings.TIME_ZONE,
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    return _ics_response(content, f"meeting-{meeting.pk}.ics")


@login_required
@require_GET
def calendar_feed(request):
    """All the programme's meetings as an iCalendar feed."""
    programme = _programme(request, READ)
    meetings = selectors.meeting_list(programme, today=timezone.localdate(), **_filters(request))
    content = exports.calendar_ics(
        meetings,
        name=f"{programme} — meetings",
        time_zone=settings.TIME_ZONE,
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    return _ics_response(content, f"{slugify(str(programme)) or 'programme'}-meetings.ics")


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def meeting_export(request, pk: int, table: str, fmt: str):
    """Attendance, feedback or follow-up actions of a meeting as CSV or XLSX."""
    if table not in exports.TABLES or fmt not in EXPORT_TYPES:
        raise Http404("No such export.")
    meeting = _meeting(request, pk, READ)
    dataset = exports.TABLES[table](selectors.meeting_record(meeting))
    response = HttpResponse(dataset.export(fmt), content_type=EXPORT_TYPES[fmt])
    filename = f"meeting-{meeting.pk}-{table}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
