from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("timeline/", views.meeting_timeline, name="timeline"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("actions/", views.action_list, name="actions"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/people/new/", views.attendee_add, name="attendee_add"),
    path("people/<int:pk>/remove/", views.attendee_remove, name="attendee_remove"),
    path("<int:pk>/feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/export/<slug:table>.<slug:fmt>", views.meeting_export, name="export"),
]
