"""The project's URLs plus a page that fails, for the logging tests."""

from django.urls import path

from jointprogramme.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    email = request.POST.get("email", "")
    raise ValueError(f"Could not notify {email} about the roundtable")


urlpatterns = [path("boom/", failing_view), *project_urlpatterns]
