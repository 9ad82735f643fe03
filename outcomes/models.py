"""The joint programme's results framework, the National Action Plan, and the
links between them.

Layer 3: depends on ``stakeholders`` and ``jointprogramme``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jointprogramme.models import Pillar, Programme
from stakeholders.models import Organisation, SampleDataMixin

CODE_HELP = _("Numbering as in the document, e.g. 1, 1.2 or P.1.3.")


class OutcomeQuerySet(models.QuerySet):
    def for_programme(self, programme):
        return self.filter(programme=programme)

    def involving_agency(self, agency):
        """Outcomes an agency leads or takes part in."""
        return self.filter(Q(lead_agency=agency) | Q(participating_agencies=agency)).distinct()


class Outcome(SampleDataMixin):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        ACHIEVED = "achieved", _("Achieved")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("programme")
    )
    pillar = models.ForeignKey(
        Pillar, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("pillar")
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP, verbose_name=_("code"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    lead_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_outcomes",
        verbose_name=_("lead agency"),
    )
    participating_agencies = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="participating_outcomes",
        verbose_name=_("participating agencies"),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNED, verbose_name=_("status")
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    # Optimistic locking: every save through the services bumps it, and a save
    # based on an older version is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = OutcomeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
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

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("outcome")
    )
    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], verbose_name=_("amount")
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("outcome budget")
        verbose_name_plural = _("outcome budgets")
        ordering = ["outcome", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "agency"], name="outcome_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="outcome_budget_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code} — {self.agency.short_name}: {self.amount}"


class Output(SampleDataMixin):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("outcome")
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP, verbose_name=_("code"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["outcome", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="output_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(SampleDataMixin):
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("outcome")
    )
    output = models.ForeignKey(
        Output,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("Leave empty for an outcome-level indicator."),
        verbose_name=_("output"),
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP, verbose_name=_("code"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    unit = models.CharField(
        max_length=50, help_text=_('e.g. "victims identified", "%"'), verbose_name=_("unit")
    )
    baseline = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, verbose_name=_("baseline")
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("target"))
    means_of_verification = models.CharField(
        max_length=300, blank=True, verbose_name=_("means of verification")
    )
    is_sensitive = models.BooleanField(
        default=False,
        help_text=_(
            "Counts people (victims, survivors): shown to donors only above a minimum size."
        ),
        verbose_name=_("is sensitive"),
    )
    dimensions = models.ManyToManyField(
        "DisaggregationDimension",
        blank=True,
        related_name="indicators",
        help_text=_("Results are broken down by these, e.g. sex and age group."),
        verbose_name=_("dimensions"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["outcome", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ReportingPeriod(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("programme"),
    )
    name = models.CharField(
        max_length=50, help_text=_('e.g. "2010 Q1" or "2010 H1"'), verbose_name=_("name")
    )
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    due_date = models.DateField(null=True, blank=True, verbose_name=_("due date"))
    # Locked once the period's report has gone out: its results no longer change
    # until a manager unlocks it (each lock and unlock is in PeriodLockEvent).
    locked_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("locked at")
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("locked by"),
    )
    lock_reason = models.TextField(blank=True, editable=False, verbose_name=_("lock reason"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
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

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class PeriodLockEvent(models.Model):
    """A period locked or unlocked: who, when and why."""

    class Action(models.TextChoices):
        LOCKED = "locked", _("Locked")
        UNLOCKED = "unlocked", _("Unlocked")

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="lock_events",
        verbose_name=_("period"),
    )
    action = models.CharField(max_length=10, choices=Action.choices, verbose_name=_("action"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))

    class Meta:
        verbose_name = _("period lock event")
        verbose_name_plural = _("period lock events")
        ordering = ["period", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.get_action_display().lower()} {self.at:%Y-%m-%d}"


def _user_fk(verbose_name: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Result(models.Model):
    """A value reported for an indicator in one reporting period, and where it
    stands in the reporting cycle: draft → submitted → approved or returned.

    Only approved results count on the pages and in the exports. The history
    keeps every value and every step, with who took it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="results", verbose_name=_("period")
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("value"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    reported_by = _user_fk(_("entered by"))
    reported_at = models.DateTimeField(_("entered at"), default=timezone.now)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    submitted_by = _user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_for = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agency the submitter acted for (none for a manager)."),
        verbose_name=_("submitted for"),
    )
    reviewed_by = _user_fk(_("reviewed by"))
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_comment = models.TextField(blank=True, verbose_name=_("review comment"))
    # Optimistic locking: every write claims the next version, so a form or a
    # button based on an older one is refused instead of acting on unseen values.
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords(excluded_fields=["reported_at"])

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["indicator", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="result_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class DisaggregationDimension(models.Model):
    """A way the programme breaks results down, e.g. sex, age group, nationality."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="disaggregation_dimensions",
        verbose_name=_("programme"),
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("disaggregation dimension")
        verbose_name_plural = _("disaggregation dimensions")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="dimension_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DisaggregationCategory(models.Model):
    """One value of a dimension, e.g. "Female" of sex. Together they cover everyone:
    add "Not recorded" where data may be missing."""

    dimension = models.ForeignKey(
        DisaggregationDimension,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("dimension"),
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("disaggregation category")
        ordering = ["dimension", "order", "name"]
        verbose_name_plural = _("disaggregation categories")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "name"], name="category_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.name}: {self.name}"


class ResultBreakdown(models.Model):
    """The part of a result in one category; the parts of a dimension add up to the result."""

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="breakdowns", verbose_name=_("result")
    )
    category = models.ForeignKey(
        DisaggregationCategory,
        on_delete=models.PROTECT,
        related_name="breakdowns",
        verbose_name=_("category"),
    )
    value = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("value"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result breakdown")
        verbose_name_plural = _("result breakdowns")
        ordering = ["result", "category__dimension__order", "category__order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "category"], name="breakdown_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="breakdown_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.value}"


class SentReminder(models.Model):
    """A reminder e-mailed to one person about one period: never sent twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_14", _("Due within 14 days")
        DUE_VERY_SOON = "due_3", _("Due within 3 days")
        OVERDUE = "overdue", _("Overdue")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("period")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))
    indicator_count = models.PositiveIntegerField(default=0, verbose_name=_("indicator count"))

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "kind"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.period} to {self.user}"


class NationalActionPlan(SampleDataMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("programme"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    version = models.CharField(max_length=30, default="1", verbose_name=_("version"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    period_start = models.DateField(null=True, blank=True, verbose_name=_("period start"))
    period_end = models.DateField(null=True, blank=True, verbose_name=_("period end"))
    adopted_on = models.DateField(null=True, blank=True, verbose_name=_("adopted on"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name_plural = _("National Action Plans")
        ordering = ["programme", "-period_start", "title"]
        verbose_name = _("National Action Plan")
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
        ACTIVE = "active", _("Active")
        # Kept in a new version of the plan, with its links, so that the links are
        # reviewed rather than lost; it counts for no coverage.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    plan = models.ForeignKey(
        NationalActionPlan,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("plan"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(max_length=20, help_text=CODE_HELP, verbose_name=_("code"))
    title = models.CharField(max_length=400, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    pillar = models.ForeignKey(
        Pillar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nap_objectives",
        verbose_name=_("pillar"),
    )
    responsible_ministries = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="nap_objectives",
        verbose_name=_("responsible ministries"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ACTIVE, verbose_name=_("status")
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name_plural = _("NAP objectives")
        ordering = ["plan", "order", "code"]
        verbose_name = _("NAP objective")
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
        FULL = "full", _("Full")
        PARTIAL = "partial", _("Partial")

    class ReviewStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        QUERIED = "queried", _("Queried")

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("outcome")
    )
    objective = models.ForeignKey(
        NapObjective,
        on_delete=models.CASCADE,
        related_name="alignments",
        verbose_name=_("objective"),
    )
    degree = models.CharField(max_length=10, choices=Degree.choices, verbose_name=_("degree"))
    rationale = models.TextField(blank=True, verbose_name=_("rationale"))
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PROPOSED,
        verbose_name=_("review status"),
    )
    review_comment = models.TextField(blank=True, verbose_name=_("review comment"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["outcome", "objective"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "objective"], name="alignment_unique_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code} ↔ NAP {self.objective.code} ({self.get_degree_display()})"
