"""URLs of the stakeholder directory (views in ``directory``: they read every app)."""

from django.urls import path

from . import directory

app_name = "stakeholders"

urlpatterns = [
    path("", directory.organisation_list, name="list"),
    path("<int:pk>/", directory.organisation_detail, name="organisation"),
]
