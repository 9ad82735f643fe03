"""The root URL map: it only includes. Paths are a contract (see DESIGN.md)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("programmes/select/", views.select_programme, name="select_programme"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # The language switcher in base.html posts here; the choice is kept in the
    # language cookie. Django's own view (django.conf.urls.i18n) at its usual path,
    # POST only: a GET would answer 204 without changing anything.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    # outcomes/ serves /outcomes/... and /alignment/
    path("", include("outcomes.urls")),
    path("funding/", include("funding.urls")),
    path("meetings/", include("meetings.urls")),
    path("stakeholders/", include("jointprogramme.directory_urls")),
    # Open data: the read API (/api/...) and each programme's IATI export
    path("api/", include("api.urls")),
    path("programmes/", include("api.iati_urls")),
]
