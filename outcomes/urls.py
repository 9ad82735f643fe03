"""The results framework. Included at the root: these paths are /outcomes/..."""

from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("outcomes/", views.outcome_list, name="list"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="detail"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="edit"),
    path(
        "outcomes/<int:pk>/indicators/<int:indicator_pk>/report/",
        views.result_report_view,
        name="report_result",
    ),
]
