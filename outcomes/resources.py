"""Import and export of outcomes, indicators, NAP objectives and alignments.

Rows name what they belong to by natural keys: the programme by its title, a
plan by its version, outcomes, outputs, pillars and objectives by their codes
within it. When an import is run by a signed-in user (the admin passes ``user``)
only the programmes that user manages can be named. The rules shared by every
import (create only, all or nothing, plain row errors) are in
``stakeholders.resources``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F
from import_export.fields import Field

from jointprogramme.admin_scoping import managed_programme_ids, scope_to_managed
from jointprogramme.models import Pillar, Programme
from stakeholders.resources import (
    NaturalKeyResource,
    NaturalKeyWidget,
    OrganisationsWidget,
    OrganisationWidget,
    cell_text,
)

from .models import Alignment, Indicator, NapObjective, NationalActionPlan, Outcome, Output


def programmes_for(user):
    """Programmes an import run by ``user`` may name (all of them without a user)."""
    programmes = Programme.objects.all()
    return programmes if user is None else scope_to_managed(programmes, "pk", user)


def _unknown_programme(title: str, user) -> str | None:
    if programmes_for(user).filter(title=title).exists():
        return None
    scoped = user is not None and managed_programme_ids(user) is not None
    return f"no programme titled {title!r}" + (" among those you manage" if scoped else "")


class ProgrammeWidget(NaturalKeyWidget):
    """A programme by its title."""

    def __init__(self, **kwargs):
        super().__init__(Programme, "title", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return programmes_for(kwargs.get("user"))

    def not_found_message(self, value, row, **kwargs) -> str:
        return _unknown_programme(value, kwargs.get("user")) or f"no programme titled {value!r}"


class InProgrammeWidget(NaturalKeyWidget):
    """A record found by its code within the programme named in the row's
    ``programme`` column and, optionally, within a parent named in another column
    (an output within its outcome, an objective within its plan)."""

    def __init__(
        self,
        model,
        field="code",
        *,
        noun: str,
        programme_path: str = "programme",
        parent_column: str | None = None,
        parent_lookup: str | None = None,
        parent_noun: str | None = None,
        **kwargs,
    ):
        super().__init__(model, field, **kwargs)
        self.noun = noun
        self.programme_path = programme_path
        self.parent_column = parent_column
        self.parent_lookup = parent_lookup
        self.parent_noun = parent_noun

    def cache_key(self, text: str, row, **kwargs) -> tuple:
        parent = cell_text(row.get(self.parent_column)) if self.parent_column else None
        return (*super().cache_key(text, row, **kwargs), cell_text(row.get("programme")), parent)

    known: dict | None = None
    programme_ids: dict[str, list[int]] | None = None

    def start_import(self, dataset, *, column: str, user) -> None:
        """Read, in a query per programme the file names and one for the records,
        every record of those programmes the column may name."""
        super().start_import(dataset, column=column, user=user)
        self.known = self.programme_ids = None
        headers = dataset.headers or ()
        if column not in headers or "programme" not in headers:
            return
        titles = {cell_text(title) for title in dataset["programme"]} - {""}
        self.programme_ids = {
            title: list(programmes_for(user).filter(title=title).values_list("pk", flat=True))
            for title in titles
        }
        ids = {pks[0] for pks in self.programme_ids.values() if len(pks) == 1}
        records = self.model.objects.filter(**{f"{self.programme_path}__in": ids}).annotate(
            jp_programme_id=F(f"{self.programme_path}_id"),
            **({"jp_parent": F(self.parent_lookup)} if self.parent_column else {}),
        )
        self.known = {}
        for record in records:
            parent = str(record.jp_parent) if self.parent_column else None
            key = (str(getattr(record, self.field)), record.jp_programme_id, parent)
            self.known.setdefault(key, []).append(record)

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        """From the records read at the start; what they cannot settle (a record
        made earlier in this file, none or several matching) from the database."""
        if self.known is not None:
            pks = self.programme_ids.get(cell_text(row.get("programme")), [])
            parent = cell_text(row.get(self.parent_column)) if self.parent_column else None
            found = self.known.get((value, pks[0], parent), []) if len(pks) == 1 else []
            if len(found) == 1:
                return found[0]
        return super().get_instance_by_lookup_fields(value, row, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        filters = {
            f"{self.programme_path}__in": programmes_for(kwargs.get("user")),
            f"{self.programme_path}__title": cell_text(row.get("programme")),
        }
        if self.parent_column:
            filters[self.parent_lookup] = cell_text(row.get(self.parent_column))
        return self.model.objects.filter(**filters)

    def not_found_message(self, value, row, **kwargs) -> str:
        title = cell_text(row.get("programme"))
        unknown = _unknown_programme(title, kwargs.get("user"))
        if unknown:
            return unknown
        where = f"programme {title!r}"
        if self.parent_column:
            where = f"{self.parent_noun} {cell_text(row.get(self.parent_column))!r} of {where}"
        return f"{where} has no {self.noun} {value!r}"


def pillar_widget():
    return InProgrammeWidget(Pillar, noun="pillar with code")


def outcome_widget():
    return InProgrammeWidget(Outcome, noun="outcome with code")


def user_widget():
    return NaturalKeyWidget(get_user_model(), "username")


class OutcomeResource(NaturalKeyResource):
    natural_key = ("programme", "code")

    programme = Field(attribute="programme", column_name="programme", widget=ProgrammeWidget())
    pillar = Field(attribute="pillar", column_name="pillar", widget=pillar_widget())
    lead_agency = Field(
        attribute="lead_agency", column_name="lead_agency", widget=OrganisationWidget()
    )
    participating_agencies = Field(
        attribute="participating_agencies",
        column_name="participating_agencies",
        widget=OrganisationsWidget(),
    )

    class Meta:
        model = Outcome
        fields = (
            "programme",
            "code",
            "title",
            "description",
            "pillar",
            "lead_agency",
            "participating_agencies",
            "status",
            "order",
            "is_sample",
        )
        export_order = fields

    export_select_related = ("programme", "pillar", "lead_agency")
    export_prefetch_related = ("participating_agencies",)


class IndicatorResource(NaturalKeyResource):
    natural_key = ("outcome", "code")
    context_columns = ("programme",)

    programme = Field(attribute="outcome__programme__title", column_name="programme", readonly=True)
    outcome = Field(attribute="outcome", column_name="outcome", widget=outcome_widget())
    output = Field(
        attribute="output",
        column_name="output",
        widget=InProgrammeWidget(
            Output,
            noun="output with code",
            programme_path="outcome__programme",
            parent_column="outcome",
            parent_lookup="outcome__code",
            parent_noun="outcome",
        ),
    )

    class Meta:
        model = Indicator
        fields = (
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
            "order",
            "is_sample",
        )
        export_order = fields

    export_select_related = ("outcome__programme", "output")

    def after_save_instance(self, instance, row, **kwargs):
        # A new indicator changes its outcome: an outcome form opened before is told.
        Outcome.objects.filter(pk=instance.outcome_id).update(version=F("version") + 1)


class NapObjectiveResource(NaturalKeyResource):
    natural_key = ("plan", "code")
    context_columns = ("programme",)

    programme = Field(attribute="plan__programme__title", column_name="programme", readonly=True)
    plan = Field(
        attribute="plan",
        column_name="plan_version",
        widget=InProgrammeWidget(
            NationalActionPlan, "version", noun="National Action Plan with version"
        ),
    )
    parent = Field(
        attribute="parent",
        column_name="parent",
        widget=InProgrammeWidget(
            NapObjective,
            noun="objective with code",
            programme_path="plan__programme",
            parent_column="plan_version",
            parent_lookup="plan__version",
            parent_noun="National Action Plan version",
        ),
    )
    pillar = Field(attribute="pillar", column_name="pillar", widget=pillar_widget())
    responsible_ministries = Field(
        attribute="responsible_ministries",
        column_name="responsible_ministries",
        widget=OrganisationsWidget(),
    )

    class Meta:
        model = NapObjective
        fields = (
            "programme",
            "plan",
            "code",
            "parent",
            "title",
            "description",
            "pillar",
            "responsible_ministries",
            "order",
            "is_sample",
        )
        export_order = fields

    export_select_related = ("plan__programme", "parent", "pillar")
    export_prefetch_related = ("responsible_ministries",)

    def iter_queryset(self, queryset):
        """Parents before their children, so the file imports in one pass."""
        objectives = list(queryset)
        by_id = {objective.pk: objective for objective in objectives}
        written: set[int] = set()
        for objective in objectives:
            lineage = []
            node = objective
            while node is not None and node.pk not in written and node not in lineage:
                lineage.append(node)
                node = by_id.get(node.parent_id)
            for ancestor in reversed(lineage):
                written.add(ancestor.pk)
                yield ancestor


class AlignmentResource(NaturalKeyResource):
    natural_key = ("outcome", "objective")
    context_columns = ("programme", "plan_version")

    programme = Field(attribute="outcome__programme__title", column_name="programme", readonly=True)
    outcome = Field(attribute="outcome", column_name="outcome", widget=outcome_widget())
    plan_version = Field(
        attribute="objective__plan__version", column_name="plan_version", readonly=True
    )
    objective = Field(
        attribute="objective",
        column_name="objective",
        widget=InProgrammeWidget(
            NapObjective,
            noun="objective with code",
            programme_path="plan__programme",
            parent_column="plan_version",
            parent_lookup="plan__version",
            parent_noun="National Action Plan version",
        ),
    )
    reviewed_by = Field(attribute="reviewed_by", column_name="reviewed_by", widget=user_widget())
    proposed_by = Field(attribute="proposed_by", column_name="proposed_by", widget=user_widget())

    class Meta:
        model = Alignment
        fields = (
            "programme",
            "outcome",
            "plan_version",
            "objective",
            "degree",
            "rationale",
            "review_status",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
            "proposed_by",
            "is_sample",
        )
        export_order = fields

    export_select_related = (
        "outcome__programme",
        "objective__plan",
        "reviewed_by",
        "proposed_by",
    )
