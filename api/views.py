"""The read-only API: every list and record a page shows, with the page's rules.

Each viewset names the permission its page asks. Lists answer for the programmes
where the user holds it (``?programme=<id>`` narrows to one: 404 when the user is
not a member of it, 403 when they are but may not read these records); a record
of a programme the user is not a member of is a 404, and a member without the
right gets a 403. Donors see what they see on the pages: no meetings and no
directory, their own pledges and payments only (other donors as totals in the
funding summary), approved results only, and sensitive figures survivor-safe.
"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from funding.selectors import funding_report_for
from jointprogramme.access import Role, memberships
from outcomes.selectors import breakdown_cells
from outcomes.suppression import publish, publish_single

from . import selectors
from . import serializers as s
from .access import check_record, list_scope, member_programme_ids, programme_ids_with

PROGRAMME_FILTER = OpenApiParameter(
    "programme",
    int,
    description="Only this programme's records (404 if you are not a member of it).",
)


def _listed(description: str, *parameters: OpenApiParameter):
    return extend_schema_view(
        list=extend_schema(parameters=[PROGRAMME_FILTER, *parameters], description=description),
        retrieve=extend_schema(description=description),
    )


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and record, scoped by ``perm`` on the record's programme."""

    perm: str = ""
    lookup_value_regex = r"[0-9]+"

    def programme_ids(self) -> frozenset[int]:
        """The programmes this request answers for (raises 403/404 as the pages do)."""
        if not hasattr(self, "_programme_ids"):
            if self.action == "list":
                scope = list_scope(
                    self.request.user, self.perm, self.request.query_params.get("programme")
                )
                self._programme_ids = scope.programme_ids
            else:
                # One record: looked up among every programme the user belongs to,
                # then checked against the permission (403 rather than 404).
                self._programme_ids = frozenset(member_programme_ids(self.request.user))
        return self._programme_ids

    def programme_of(self, obj) -> int | None:
        return obj.programme_id

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        check_record(request.user, self.perm, self.programme_of(obj))


@_listed("Programmes you are a member of.")
class ProgrammeViewSet(ScopedViewSet):
    perm = "jointprogramme.use_programme"
    serializer_class = s.ProgrammeSerializer

    def get_queryset(self):
        return selectors.programmes(self.programme_ids())

    def programme_of(self, obj) -> int | None:
        return obj.pk

    @extend_schema(
        responses=s.FundingSummarySerializer,
        description=(
            "The funding page's figures in the programme currency, as you may see them: "
            "budget, pledged, committed, paid and gap by pillar, outcome, agency and donor."
        ),
    )
    @action(detail=True, methods=["get"], url_path="funding")
    def funding(self, request, pk=None):
        programme = self.get_object()
        check_record(request.user, "funding.view_funding", programme.pk)
        report = funding_report_for(programme=programme, user=request.user)
        data = {
            "programme": programme.pk,
            "currency": report.currency,
            "headline": report.headline,
            "by_pillar": report.by_pillar,
            "by_outcome": report.by_outcome,
            "by_agency": report.by_agency,
            "by_donor": report.by_donor,
            "missing_rates": [str(item) for item in report.missing],
        }
        return Response(s.FundingSummarySerializer(data).data)


@_listed("The pillars (prevention, prosecution, protection...) of your programmes.")
class PillarViewSet(ScopedViewSet):
    perm = "outcomes.read_outcome"
    serializer_class = s.PillarSerializer

    def get_queryset(self):
        return selectors.pillars(self.programme_ids())


@_listed("Outcomes of the results framework with their outputs, agencies and budget shares.")
class OutcomeViewSet(ScopedViewSet):
    perm = "outcomes.read_outcome"
    serializer_class = s.OutcomeSerializer

    def get_queryset(self):
        return selectors.outcomes(self.programme_ids())


class FiguresMixin:
    """Survivor-safe figures for readers who may not see exact ones (donors)."""

    def suppressed_in(self) -> set[int]:
        """Programmes where the reader sees sensitive figures suppressed."""
        if not hasattr(self, "_suppressed_in"):
            user = self.request.user
            ids = set(self.programme_ids())
            self._suppressed_in = ids - programme_ids_with(user, "outcomes.view_exact_figures", ids)
        return self._suppressed_in

    def suppress(self, programme_id: int, indicator) -> bool:
        return indicator.is_sensitive and programme_id in self.suppressed_in()


@_listed(
    "Indicators with unit, baseline, target and dimensions. Baselines of sensitive "
    "indicators below the programme's minimum cell size are withheld from donors."
)
class IndicatorViewSet(FiguresMixin, ScopedViewSet):
    perm = "outcomes.read_outcome"
    serializer_class = s.IndicatorSerializer

    def get_queryset(self):
        return selectors.indicators(self.programme_ids())

    def programme_of(self, obj) -> int | None:
        return obj.outcome.programme_id

    def prepare(self, indicators):
        for indicator in indicators:
            programme = indicator.outcome.programme
            indicator.baseline_figure = publish_single(
                indicator.baseline,
                minimum=programme.min_cell_size,
                suppress=self.suppress(programme.pk, indicator),
            )
        return indicators

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            many = kwargs.get("many", False)
            self.prepare(instance if many else [instance])
        return super().get_serializer(instance, *args, **kwargs)


@_listed(
    "Approved results only, per indicator and reporting period, with their breakdowns. "
    "Donors see sensitive figures survivor-safe: small counts and the cells that would "
    'reveal them are withheld ("< 5", "hidden").',
    OpenApiParameter("indicator", int, description="Only this indicator's results."),
)
class ResultViewSet(FiguresMixin, ScopedViewSet):
    perm = "outcomes.read_outcome"
    serializer_class = s.ResultSerializer

    def get_queryset(self):
        results = selectors.approved_results(self.programme_ids())
        indicator = self.request.query_params.get("indicator")
        if self.action == "list" and indicator:
            if not indicator.isdigit():
                raise ValidationError({"indicator": ["Give an indicator id (a whole number)."]})
            results = results.filter(indicator_id=int(indicator))
        return results

    def programme_of(self, obj) -> int | None:
        return obj.indicator.outcome.programme_id

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            results = instance if kwargs.get("many", False) else [instance]
            for result in results:
                indicator = result.indicator
                programme = indicator.outcome.programme
                result.figures = publish(
                    result.value,
                    breakdown_cells(indicator, result),
                    minimum=programme.min_cell_size,
                    suppress=self.suppress(programme.pk, indicator),
                )
        return super().get_serializer(instance, *args, **kwargs)


@_listed("Objectives of the National Action Plans, with their responsible ministries.")
class NapObjectiveViewSet(ScopedViewSet):
    perm = "outcomes.view_alignment_report"
    serializer_class = s.NapObjectiveSerializer

    def get_queryset(self):
        return selectors.nap_objectives(self.programme_ids())

    def programme_of(self, obj) -> int | None:
        return obj.plan.programme_id


@_listed("Links between outcomes and NAP objectives, with the coordinator's review.")
class AlignmentViewSet(ScopedViewSet):
    perm = "outcomes.view_alignment_report"
    serializer_class = s.AlignmentSerializer

    def get_queryset(self):
        return selectors.alignments(self.programme_ids())

    def programme_of(self, obj) -> int | None:
        return obj.outcome.programme_id


@_listed(
    "Organisations (shared by every programme), for the programme team; with "
    "?programme=<id>, those taking part in that programme. Not open to donors."
)
class OrganisationViewSet(ScopedViewSet):
    perm = "jointprogramme.view_directory"
    serializer_class = s.OrganisationSerializer

    def get_queryset(self):
        scope = list_scope(
            self.request.user,
            self.perm,
            self.request.query_params.get("programme") if self.action == "list" else None,
        )
        filtered = self.action == "list" and self.request.query_params.get("programme")
        return selectors.organisations(programme_ids=scope.programme_ids if filtered else None)

    def check_object_permissions(self, request, obj):
        # Organisations belong to no programme: the directory's rule (any programme
        # where the user may open it) was checked by get_queryset.
        pass


@_listed(
    "Meetings with invitations, attendance, feedback and follow-up actions. Not open "
    "to donors: they hold views given in confidence."
)
class MeetingViewSet(ScopedViewSet):
    perm = "meetings.read_meeting"
    serializer_class = s.MeetingSerializer

    def get_queryset(self):
        return selectors.meetings(self.programme_ids())


class FundingViewSet(ScopedViewSet):
    """Pledges and payments: everyone on the team sees every one; a donor its own."""

    perm = "funding.view_funding"
    detail_perm = "funding.view_pledge_details"

    def visible(self, prefix: str = "") -> Q:
        """Pledges (or, with ``prefix="pledge__"``, payments) the reader may see in a
        list. One record is looked up among all of the user's programmes, so that
        another donor's pledge is refused (403) rather than hidden."""
        user = self.request.user
        ids = set(self.programme_ids())
        if self.action != "list":
            return Q(**{f"{prefix}programme__in": sorted(ids)})
        everything = programme_ids_with(user, "funding.view_all_pledges", ids)
        visible = Q(**{f"{prefix}programme__in": sorted(everything)})
        if not user.is_superuser:
            for programme_id in sorted(ids - everything):
                membership = memberships(user).get(programme_id)
                if membership and membership.role == Role.DONOR and membership.organisation_id:
                    visible |= Q(
                        **{
                            f"{prefix}programme": programme_id,
                            f"{prefix}donor": membership.organisation_id,
                        }
                    )
        return visible

    def pledge_of(self, obj):
        return obj

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        pledge = self.pledge_of(obj)
        if not request.user.has_perm(self.detail_perm, pledge):
            raise PermissionDenied("You may see the details of your own pledges only.")


@_listed(
    "Pledges in detail: the programme team sees every pledge, a donor its own "
    "(other donors appear in the programme's funding summary as totals)."
)
class PledgeViewSet(FundingViewSet):
    serializer_class = s.PledgeSerializer

    def get_queryset(self):
        return selectors.pledges(self.visible())


@_listed("Payments received against pledges, by the receiving agency; a donor sees its own.")
class PaymentViewSet(FundingViewSet):
    serializer_class = s.PaymentSerializer

    def get_queryset(self):
        return selectors.payments(self.visible("pledge__"))

    def programme_of(self, obj) -> int | None:
        return obj.pledge.programme_id

    def pledge_of(self, obj):
        return obj.pledge
