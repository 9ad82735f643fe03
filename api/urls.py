"""The read API, included at /api/: the endpoints, the OpenAPI 3 document at
/api/schema/ and its Swagger UI at /api/docs/ (served from this site, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("pillars", views.PillarViewSet, basename="pillar")
router.register("outcomes", views.OutcomeViewSet, basename="outcome")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("results", views.ResultViewSet, basename="result")
router.register("nap-objectives", views.NapObjectiveViewSet, basename="napobjective")
router.register("alignments", views.AlignmentViewSet, basename="alignment")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
