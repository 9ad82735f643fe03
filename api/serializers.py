"""How each record reads in the API. Read-only: nothing here writes.

Figures of indicators (baselines, results and their parts) are published objects:
``{"value": "38", "withheld": false, "label": "38"}``; a figure a donor may not
see (survivor-safe suppression, ``outcomes/suppression.py``) has no value and
says why: ``{"value": null, "withheld": true, "label": "< 5"}``.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding.models import Payment, Pledge
from jointprogramme.models import Pillar, Programme
from meetings.models import Meeting
from outcomes.models import Alignment, Indicator, NapObjective, Outcome, Result
from outcomes.suppression import Figure
from stakeholders.models import Organisation


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "kind", "country", "website", "description"]


class FigureSerializer(serializers.Serializer):
    """A published figure: withheld figures carry no value."""

    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    withheld = serializers.BooleanField()
    label = serializers.CharField(help_text='The figure as shown: "38", "< 5" or "hidden".')

    def to_representation(self, figure: Figure):
        return {
            "value": None if figure.hidden or figure.value is None else str(figure.value),
            "withheld": figure.hidden,
            "label": figure.label,
        }


class ProgrammeSerializer(serializers.ModelSerializer):
    iati_url = serializers.SerializerMethodField(help_text="The programme's IATI 2.03 XML.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "title",
            "short_title",
            "country",
            "framework",
            "status",
            "start_date",
            "end_date",
            "currency",
            "summary",
            "min_cell_size",
            "iati_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_iati_url(self, programme: Programme) -> str:
        path = reverse("iati:activity", args=[programme.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PillarSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "programme", "code", "name", "description", "order"]


class PillarBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "code", "name"]


class OutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()


class BudgetShareSerializer(serializers.Serializer):
    agency = OrganisationBriefSerializer()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class OutcomeSerializer(serializers.ModelSerializer):
    pillar = PillarBriefSerializer()
    lead_agency = OrganisationBriefSerializer()
    participating_agencies = OrganisationBriefSerializer(many=True, source="agency_list")
    budgets = BudgetShareSerializer(
        many=True,
        source="budget_list",
        help_text="Each agency's share of the outcome's budget, in the programme currency.",
    )
    outputs = OutputSerializer(many=True, source="output_list")

    class Meta:
        model = Outcome
        fields = [
            "id",
            "programme",
            "code",
            "title",
            "description",
            "status",
            "pillar",
            "lead_agency",
            "participating_agencies",
            "budgets",
            "outputs",
        ]


class DimensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    categories = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_categories(self, dimension) -> list[str]:
        return [c.name for c in dimension.category_list]


class IndicatorSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="outcome.programme_id")
    baseline = FigureSerializer(
        source="baseline_figure", help_text="Withheld for donors when it is a small count."
    )
    dimensions = DimensionSerializer(many=True, source="dimension_list")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "programme",
            "outcome",
            "output",
            "code",
            "title",
            "unit",
            "baseline",
            "target",
            "means_of_verification",
            "is_sensitive",
            "dimensions",
        ]


class PeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class CellSerializer(serializers.Serializer):
    category = serializers.CharField()
    figure = FigureSerializer()


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="name")
    cells = serializers.SerializerMethodField()

    @extend_schema_field(CellSerializer(many=True))
    def get_cells(self, dimension) -> list[dict]:
        return CellSerializer(
            [{"category": name, "figure": figure} for name, figure in dimension.cells], many=True
        ).data


class ResultSerializer(serializers.ModelSerializer):
    """An approved result as the reader may see it."""

    programme = serializers.IntegerField(source="indicator.outcome.programme_id")
    outcome = serializers.IntegerField(source="indicator.outcome_id")
    period = PeriodSerializer()
    value = FigureSerializer(source="figures.total")
    breakdowns = BreakdownSerializer(many=True, source="figures.dimensions")
    approved_at = serializers.DateTimeField(source="reviewed_at")

    class Meta:
        model = Result
        fields = [
            "id",
            "programme",
            "outcome",
            "indicator",
            "period",
            "value",
            "breakdowns",
            "note",
            "evidence_url",
            "approved_at",
        ]


class PlanBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.CharField()
    status = serializers.CharField()


class NapObjectiveSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="plan.programme_id")
    plan = PlanBriefSerializer()
    pillar = PillarBriefSerializer(allow_null=True)
    responsible_ministries = OrganisationBriefSerializer(many=True, source="ministry_list")

    class Meta:
        model = NapObjective
        fields = [
            "id",
            "programme",
            "plan",
            "code",
            "title",
            "description",
            "parent",
            "pillar",
            "status",
            "responsible_ministries",
        ]


class AlignmentSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="outcome.programme_id")
    outcome_code = serializers.CharField(source="outcome.code")
    objective_code = serializers.CharField(source="objective.code")
    plan = serializers.IntegerField(source="objective.plan_id")

    class Meta:
        model = Alignment
        fields = [
            "id",
            "programme",
            "outcome",
            "outcome_code",
            "objective",
            "objective_code",
            "plan",
            "degree",
            "rationale",
            "review_status",
            "review_comment",
            "reviewed_at",
        ]


class InvitationSerializer(serializers.Serializer):
    organisation = OrganisationBriefSerializer()
    attended = serializers.BooleanField(allow_null=True)


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact.name")
    position = serializers.CharField(source="contact.position")
    organisation = OrganisationBriefSerializer(source="contact.organisation")
    role = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    organisation = OrganisationBriefSerializer(allow_null=True)
    outcome = serializers.IntegerField(source="outcome_id", allow_null=True)
    text = serializers.CharField()
    response = serializers.CharField()
    status = serializers.CharField()


class FollowUpActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = OrganisationBriefSerializer()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)


class MeetingSerializer(serializers.ModelSerializer):
    invitations = InvitationSerializer(many=True, source="invitation_list")
    attendees = AttendeeSerializer(many=True, source="attendee_list")
    feedback = FeedbackSerializer(many=True, source="feedback_list")
    follow_up_actions = FollowUpActionSerializer(many=True, source="action_list")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "programme",
            "kind",
            "title",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "place",
            "purpose",
            "audience",
            "invitations",
            "attendees",
            "feedback",
            "follow_up_actions",
        ]


class EarmarkSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["programme", "pillar", "outcome", "agency"])
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


class PledgeSerializer(serializers.ModelSerializer):
    donor = OrganisationBriefSerializer()
    earmark = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "programme",
            "donor",
            "amount",
            "currency",
            "pledged_on",
            "status",
            "earmark",
            "is_anonymous",
            "reference",
            "note",
        ]

    @extend_schema_field(EarmarkSerializer)
    def get_earmark(self, pledge: Pledge) -> dict:
        if pledge.earmark_outcome is not None:
            o = pledge.earmark_outcome
            return {"level": "outcome", "id": o.pk, "label": f"{o.code} {o.title}"}
        if pledge.earmark_pillar is not None:
            return {
                "level": "pillar",
                "id": pledge.earmark_pillar_id,
                "label": pledge.earmark_pillar.name,
            }
        if pledge.earmark_agency is not None:
            return {
                "level": "agency",
                "id": pledge.earmark_agency_id,
                "label": pledge.earmark_agency.short_name,
            }
        return {"level": "programme", "id": None, "label": "Whole programme"}


class PaymentSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="pledge.programme_id")
    received_by = OrganisationBriefSerializer()

    class Meta:
        model = Payment
        fields = [
            "id",
            "programme",
            "pledge",
            "amount",
            "currency",
            "received_on",
            "received_by",
            "reference",
        ]


# The funding summary: the funding page's figures, as the reader may see them -----

_money = {"max_digits": 16, "decimal_places": 2}


class FiguresSerializer(serializers.Serializer):
    budget = serializers.DecimalField(allow_null=True, **_money)
    pledged = serializers.DecimalField(**_money)
    committed = serializers.DecimalField(**_money)
    paid = serializers.DecimalField(**_money)
    gap = serializers.DecimalField(allow_null=True, **_money)
    percent_funded = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    incomplete = serializers.BooleanField(
        help_text="Some amount was left out for want of an exchange rate."
    )


class LineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField()
    is_bucket = serializers.BooleanField(
        help_text="Money this cut cannot place on one of its rows (e.g. not earmarked)."
    )
    figures = FiguresSerializer()


class FundingSummarySerializer(serializers.Serializer):
    """The funding page as the reader sees it: donors see other donors by name and
    totals only, and "Anonymous donor" for those who asked for it."""

    programme = serializers.IntegerField()
    currency = serializers.CharField()
    headline = FiguresSerializer()
    by_pillar = LineSerializer(many=True)
    by_outcome = LineSerializer(many=True)
    by_agency = LineSerializer(many=True)
    by_donor = LineSerializer(many=True)
    missing_rates = serializers.ListField(
        child=serializers.CharField(),
        help_text="Amounts left out of the totals: no exchange rate on their date.",
    )
