"""The joint programme's results framework, the National Action Plan, and the
links between them.

Layer 3: depends on ``stakeholders`` and ``jointprogramme``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from jointprogramme.models import Pillar, Programme
from stakeholders.models import Organisation, SampleDataMixin

CODE_HELP = "Numbering as in the document, e.g. 1, 1.2 or P.1.3."


class OutcomeQuerySet(models.QuerySet):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def involving_agency(self, agency):
        """Outcomes an agency leads or takes part in."""
        return self.filter(Q(lead_agency=agency) | Q(participating_agencies=agency)).distinct()


class Outcome(SampleDataMixin):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        ACHIEVED = "achieved", "Achieved"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="outcomes")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="outcomes")
    code = models.CharField(max_length=20, help_text=CODE_HELP)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_outcomes"
    )
    participating_agencies = models.ManyToManyField(
        Organisation, blank=True, related_name="participating_outcomes"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    order = models.PositiveIntegerField(default=0)
    # Optimistic locking: every save through the services bumps it, and a save
    # based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="outcome_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=[self.pk])


class OutcomeBudget(models.Model):
    """The share of an outcome's budget an agency is responsible for."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="budgets")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["outcome", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "agency"], name="outcome_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="outcome_budget_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code} — {self.agency.short_name}: {self.amount}"


class Output(SampleDataMixin):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="outputs")
    code = models.CharField(max_length=20, help_text=CODE_HELP)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="output_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(SampleDataMixin):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    output = models.ForeignKey(
        Output,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="Leave empty for an outcome-level indicator.",
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP)
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=50, help_text='e.g. "victims identified", "%"')
    baseline = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    means_of_verification = models.CharField(max_length=300, blank=True)
    is_sensitive = models.BooleanField(
        default=False,
        help_text="Counts people (victims, survivors): shown to donors only above a minimum size.",
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ReportingPeriod(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    name = models.CharField(max_length=50, help_text='e.g. "2010 Q1" or "2010 H1"')
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="period_name_unique"),
            models.UniqueConstraint(
                fields=["programme", "start_date", "end_date"], name="period_dates_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="period_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    """A value reported for an indicator in one reporting period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="results")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    evidence_url = models.URLField("evidence link", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["reported_at"])

    class Meta:
        ordering = ["indicator", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="result_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class NationalActionPlan(SampleDataMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"
        SUPERSEDED = "superseded", "Superseded"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="action_plans")
    title = models.CharField(max_length=300)
    version = models.CharField(max_length=30, default="1")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["programme", "-period_start", "title"]
        verbose_name = "National Action Plan"
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="nap_version_unique"),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="nap_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version}, {self.get_status_display().lower()})"


class NapObjective(SampleDataMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        # Kept in a new version of the plan, with its links, so that the links are
        # reviewed rather than lost; it counts for no coverage.
        WITHDRAWN = "withdrawn", "Withdrawn"

    plan = models.ForeignKey(
        NationalActionPlan, on_delete=models.CASCADE, related_name="objectives"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP)
    title = models.CharField(max_length=400)
    description = models.TextField(blank=True)
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, null=True, blank=True, related_name="nap_objectives"
    )
    responsible_ministries = models.ManyToManyField(
        Organisation, blank=True, related_name="nap_objectives"
    )
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = "NAP objective"
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="nap_objective_code_unique"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="nap_objective_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Alignment(SampleDataMixin):
    """One link between a JP outcome and a NAP objective, and its review."""

    class Degree(models.TextChoices):
        FULL = "full", "Full"
        PARTIAL = "partial", "Partial"

    class ReviewStatus(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        QUERIED = "queried", "Queried"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="alignments")
    objective = models.ForeignKey(NapObjective, on_delete=models.CASCADE, related_name="alignments")
    degree = models.CharField(max_length=10, choices=Degree.choices)
    rationale = models.TextField(blank=True)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "objective"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "objective"], name="alignment_unique_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code} ↔ NAP {self.objective.code} ({self.get_degree_display()})"
