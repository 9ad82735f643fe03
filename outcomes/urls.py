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

# The alignment report and its review (outcomes/alignment_views.py): /alignment/...
from . import alignment_views  # noqa: E402

urlpatterns += [
    path("alignment/", alignment_views.alignment_report, name="alignment"),
    path(
        "alignment/export.csv",
        alignment_views.alignment_export,
        {"kind": "csv"},
        name="alignment_csv",
    ),
    path(
        "alignment/export.xlsx",
        alignment_views.alignment_export,
        {"kind": "xlsx"},
        name="alignment_xlsx",
    ),
    path("alignment/links/<int:pk>/", alignment_views.alignment_link, name="alignment_link"),
    path(
        "alignment/links/<int:pk>/review/",
        alignment_views.alignment_review_view,
        name="alignment_review",
    ),
    path(
        "alignment/links/<int:pk>/answer/",
        alignment_views.alignment_answer_view,
        name="alignment_answer",
    ),
    path(
        "alignment/links/<int:pk>/remove/",
        alignment_views.alignment_remove_view,
        name="alignment_remove",
    ),
    path("alignment/propose/", alignment_views.alignment_propose_view, name="alignment_propose"),
    path("alignment/plans/", alignment_views.plan_list, name="alignment_plans"),
    path("alignment/plans/new/", alignment_views.plan_new, name="alignment_plan_new"),
    path(
        "alignment/plans/<int:pk>/adopt/",
        alignment_views.plan_adopt_view,
        name="alignment_plan_adopt",
    ),
    path(
        "alignment/plans/<int:pk>/revise/",
        alignment_views.plan_revise_view,
        name="alignment_plan_revise",
    ),
    path("alignment/import/", alignment_views.objectives_import_view, name="alignment_import"),
    path(
        "alignment/import/template.csv",
        alignment_views.import_template,
        name="alignment_import_template",
    ),
]

# The reporting cycle (outcomes/reporting_views.py): result steps, the reporting
# status page with period locks, approved results as files.
from . import reporting_views  # noqa: E402

urlpatterns += [
    path(
        "outcomes/<int:pk>/results/<int:result_pk>/<slug:step>/",
        reporting_views.result_step_view,
        name="result_step",
    ),
    path("outcomes/reporting/", reporting_views.reporting_status_view, name="reporting_status"),
    path(
        "outcomes/reporting/periods/<int:period_pk>/<str:action>/",
        reporting_views.period_lock_view,
        name="period_lock",
    ),
    path(
        "outcomes/results.csv", reporting_views.results_export, {"kind": "csv"}, name="results_csv"
    ),
    path(
        "outcomes/results.xlsx",
        reporting_views.results_export,
        {"kind": "xlsx"},
        name="results_xlsx",
    ),
]
