"""Admin for the results framework, the National Action Plan and alignment.

Outcomes, outputs, indicators, results and alignments keep an audit history
(SimpleHistoryAdmin shows it); outcomes, indicators, NAP objectives and
alignments import and export as CSV or XLSX.
"""

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from jointprogramme.admin_scoping import (
    ManagedProgrammeFilter,
    ScopedAdmin,
    ScopedAdminMixin,
    ScopedImportExportMixin,
    ScopedTabularInline,
    VersionCheckedForm,
)

from .models import (
    Alignment,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    PeriodLockEvent,
    ReportingPeriod,
    Result,
    ResultBreakdown,
    SentReminder,
)
from .resources import AlignmentResource, IndicatorResource, NapObjectiveResource, OutcomeResource

programme_filter = ("programme", admin.RelatedOnlyFieldListFilter)
outcome_programme_filter = ("outcome__programme", ManagedProgrammeFilter)


class PartOfOutcomeMixin:
    """Editing an output, indicator or budget line on its own moves its outcome's
    version on, as the outcome services do, so an outcome form opened before is told."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Outcome.objects.filter(pk=obj.outcome_id).update(version=F("version") + 1)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Outcome.objects.filter(pk=obj.outcome_id).update(version=F("version") + 1)


class OutputInline(ScopedTabularInline):
    model = Output
    fields = ("order", "code", "title", "is_sample")


class IndicatorInline(ScopedTabularInline):
    model = Indicator
    fields = ("order", "code", "title", "output", "unit", "baseline", "target", "is_sensitive")


class OutcomeBudgetInline(ScopedTabularInline):
    model = OutcomeBudget
    fields = ("agency", "amount")
    autocomplete_fields = ("agency",)


@admin.register(Outcome)
class OutcomeAdmin(ScopedImportExportMixin, SimpleHistoryAdmin):
    programme_path = "programme"
    resource_classes = [OutcomeResource]
    form = VersionCheckedForm
    list_display = ("code", "title", "programme", "pillar", "lead_agency", "status", "is_sample")
    list_display_links = ("code", "title")
    list_filter = (programme_filter, "status", "pillar__code", "is_sample")
    list_select_related = ("programme", "pillar", "lead_agency")
    search_fields = ("code", "title", "description", "lead_agency__name", "lead_agency__acronym")
    autocomplete_fields = ("lead_agency", "participating_agencies")
    readonly_fields = ("version", "updated_at")
    inlines = [OutputInline, IndicatorInline, OutcomeBudgetInline]


@admin.register(OutcomeBudget)
class OutcomeBudgetAdmin(PartOfOutcomeMixin, ScopedAdmin):
    programme_path = "outcome__programme"
    list_display = ("outcome", "agency", "amount")
    list_filter = (outcome_programme_filter,)
    list_select_related = ("outcome", "agency")
    search_fields = ("outcome__code", "outcome__title", "agency__name", "agency__acronym")
    autocomplete_fields = ("agency",)


@admin.register(Output)
class OutputAdmin(PartOfOutcomeMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    programme_path = "outcome__programme"
    list_display = ("code", "title", "outcome", "is_sample")
    list_display_links = ("code", "title")
    list_filter = (outcome_programme_filter, "is_sample")
    list_select_related = ("outcome",)
    search_fields = ("code", "title", "outcome__code", "outcome__title")


@admin.register(Indicator)
class IndicatorAdmin(PartOfOutcomeMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    programme_path = "outcome__programme"
    resource_classes = [IndicatorResource]
    list_display = ("code", "title", "outcome", "unit", "baseline", "target", "is_sensitive")
    list_display_links = ("code", "title")
    list_filter = (outcome_programme_filter, "is_sensitive", "is_sample")
    ordering = ("-pk",)  # the model's ordering cascades through outcome and programme
    list_select_related = ("outcome",)
    search_fields = ("code", "title", "outcome__code", "outcome__title")


class RecordOnlyMixin:
    """Records of the reporting cycle that change only through it (the outcome
    pages, the reporting status page, the reminders): managers look at them here;
    only a superuser may correct one, and SimpleHistoryAdmin keeps that change."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PeriodLockEventInline(ScopedTabularInline):
    model = PeriodLockEvent
    fields = ("at", "action", "by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedAdmin):
    """Periods and their due dates. Locking is done on the reporting status page,
    where the reason is asked for; here the lock and its history are shown."""

    programme_path = "programme"
    list_display = ("name", "programme", "start_date", "end_date", "due_date", "locked_at")
    list_filter = (programme_filter,)
    list_select_related = ("programme",)
    search_fields = ("name",)
    readonly_fields = ("locked_at", "locked_by", "lock_reason")
    inlines = [PeriodLockEventInline]


class ResultBreakdownInline(ScopedTabularInline):
    model = ResultBreakdown
    fields = ("category", "value")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(RecordOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Results to look at, with their history. They change through the reporting
    cycle on the outcome pages (draft, submit, approve or return, locked periods),
    not here."""

    programme_path = "indicator__outcome__programme"
    list_display = ("indicator", "period", "value", "status", "reported_by", "reviewed_by")
    list_filter = (
        ("indicator__outcome__programme", ManagedProgrammeFilter),
        "status",
    )
    # Newest first, by the primary key: the model's ordering (by indicator, whose
    # ordering is by outcome, then programme...) joins five tables and sorts every
    # result before the first page can be shown.
    ordering = ("-pk",)
    list_select_related = ("indicator", "period", "reported_by", "reviewed_by")
    search_fields = ("indicator__code", "indicator__title", "period__name", "note")
    inlines = [ResultBreakdownInline]


class DisaggregationCategoryInline(ScopedTabularInline):
    model = DisaggregationCategory
    fields = ("order", "name")
    extra = 2


@admin.register(DisaggregationDimension)
class DisaggregationDimensionAdmin(ScopedAdmin):
    """How the programme breaks results down (sex, age group...); indicators choose
    their dimensions on their own admin page."""

    programme_path = "programme"
    list_display = ("name", "programme", "order")
    list_filter = (programme_filter,)
    list_select_related = ("programme",)
    search_fields = ("name", "categories__name")
    inlines = [DisaggregationCategoryInline]


class NapObjectiveInline(ScopedTabularInline):
    model = NapObjective
    fk_name = "plan"
    fields = ("order", "code", "title", "parent", "pillar", "is_sample")


@admin.register(NationalActionPlan)
class NationalActionPlanAdmin(ScopedAdmin):
    programme_path = "programme"
    list_display = ("title", "version", "programme", "status", "period_start", "period_end")
    list_filter = (programme_filter, "status")
    list_select_related = ("programme",)
    search_fields = ("title", "version")
    inlines = [NapObjectiveInline]


@admin.register(NapObjective)
class NapObjectiveAdmin(ScopedImportExportMixin, admin.ModelAdmin):
    programme_path = "plan__programme"
    resource_classes = [NapObjectiveResource]
    list_display = ("code", "title", "plan", "parent", "pillar", "is_sample")
    list_display_links = ("code", "title")
    list_filter = (("plan", admin.RelatedOnlyFieldListFilter), "pillar__code", "is_sample")
    list_select_related = ("plan", "parent", "pillar")
    search_fields = ("code", "title", "description")
    autocomplete_fields = ("responsible_ministries",)


@admin.register(Alignment)
class AlignmentAdmin(ScopedImportExportMixin, SimpleHistoryAdmin):
    programme_path = "outcome__programme"
    resource_classes = [AlignmentResource]
    form = VersionCheckedForm
    list_display = ("outcome", "objective", "degree", "review_status", "reviewed_by", "is_sample")
    list_filter = (outcome_programme_filter, "degree", "review_status", "is_sample")
    ordering = ("-pk",)  # the model's ordering cascades through outcome and objective
    list_select_related = ("outcome", "objective", "reviewed_by")
    search_fields = ("outcome__code", "outcome__title", "objective__code", "objective__title")
    readonly_fields = ("version",)


@admin.register(DisaggregationCategory)
class DisaggregationCategoryAdmin(ScopedAdmin):
    programme_path = "dimension__programme"
    list_display = ("name", "dimension", "order")
    list_filter = (("dimension__programme", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("dimension", "dimension__programme")
    search_fields = ("name", "dimension__name")


@admin.register(ResultBreakdown)
class ResultBreakdownAdmin(RecordOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    programme_path = "result__indicator__outcome__programme"
    list_display = ("result", "category", "value")
    list_select_related = ("result__indicator", "result__period", "category__dimension")
    search_fields = ("result__indicator__code", "category__name")


@admin.register(PeriodLockEvent)
class PeriodLockEventAdmin(RecordOnlyMixin, ScopedAdmin):
    programme_path = "period__programme"
    list_display = ("period", "action", "by", "at", "reason")
    list_filter = ("action",)
    list_select_related = ("period", "by")
    search_fields = ("period__name", "reason")


@admin.register(SentReminder)
class SentReminderAdmin(RecordOnlyMixin, ScopedAdmin):
    programme_path = "period__programme"
    list_display = ("user", "period", "kind", "indicator_count", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("user", "period")
    search_fields = ("user__username", "user__email", "period__name")
