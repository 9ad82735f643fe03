"""The project's URLs plus a page that fails, for the logging tests."""

from django.db.utils import OperationalError
from django.urls import path

from jointprogramme.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    email = request.POST.get("email", "")
    raise ValueError(f"Could not notify {email} about the roundtable")


def database_down_view(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


urlpatterns = [
    path("boom/", failing_view),
    path("database-down/", database_down_view),
    *project_urlpatterns,
]
