"""Programmes, their pillars, who takes part and who may use them.

Layer 2: depends only on ``stakeholders``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation, SampleDataMixin


class ProgrammeQuerySet(models.QuerySet):
    def for_user(self, user):
        """Programmes the user has been given (all of them for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()


class Programme(models.Model):
    class Status(models.TextChoices):
        DESIGN = "design", _("Design")
        FUNDRAISING = "fundraising", _("Fundraising")
        IMPLEMENTATION = "implementation", _("Implementation")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=300, verbose_name=_("title"))
    short_title = models.CharField(max_length=100, blank=True, verbose_name=_("short title"))
    country = models.CharField(max_length=100, verbose_name=_("country"))
    framework = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Global framework it was developed under, e.g. UN.GIFT."),
        verbose_name=_("framework"),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DESIGN, verbose_name=_("status")
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    currency = models.CharField(
        max_length=3,
        default="USD",
        help_text=_("ISO 4217 code all figures are reported in."),
        verbose_name=_("currency"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum cell size"),
        default=5,
        help_text=(
            _(
                "Figures of sensitive indicators (people) below this are shown to donors as "
                '"< n", with other cells hidden so that they cannot be worked out.'
            )
        ),
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="programme_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="programme_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        """The short title in the active language (Serbian in the interface's script),
        else the full title in it, else whichever of the two exists."""
        from .transliteration import localized

        short, short_fallback = localized(self, "short_title")
        if short and short_fallback is None:
            return short
        title, title_fallback = localized(self, "title")
        if title and title_fallback is None:
            return title
        return short or title

    def get_absolute_url(self) -> str:
        return reverse("dashboard")


class Pillar(models.Model):
    """One of the P's (prevention, prosecution, protection, maybe partnership)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="pillars", verbose_name=_("programme")
    )
    code = models.SlugField(max_length=30, verbose_name=_("code"))
    name = models.CharField(max_length=100, verbose_name=_("name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="pillar_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """An organisation's part in a programme: the agencies and their mandates."""

    class Role(models.TextChoices):
        PARTICIPATING_AGENCY = "participating_agency", _("Participating UN agency")
        GOVERNMENT_COUNTERPART = "government_counterpart", _("Government counterpart")
        FUNDING_FRAMEWORK = "funding_framework", _("Funding framework")
        IMPLEMENTING_PARTNER = "implementing_partner", _("Implementing partner")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(max_length=30, choices=Role.choices, verbose_name=_("role"))
    mandate = models.TextField(
        blank=True,
        help_text=_("What the organisation brings, by mandate."),
        verbose_name=_("mandate"),
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["programme", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="participation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name} in {self.programme}: {self.get_role_display()}"


class Milestone(SampleDataMixin):
    """A step in the programme's life: desk review, consultancy, launch."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("programme")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    funded_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funded by"),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["programme", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="milestone_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    """A user's role in one programme: the basis of every permission."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Programme manager")
        AGENCY_STAFF = "agency_staff", _("Agency staff")
        COORDINATOR = "coordinator", _("National coordinator")
        DONOR = "donor", _("Donor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("programme")
    )
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name=_("role"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("The agency of agency staff, the donor organisation of a donor."),
        verbose_name=_("organisation"),
    )
    can_approve = models.BooleanField(
        _("approves results"),
        default=False,
        help_text=(
            _(
                "Agency staff only: may approve or return results submitted by other agencies "
                "(never their own agency's). Programme managers always may."
            )
        ),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["programme", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "coordinator"]) | Q(organisation__isnull=False),
                name="membership_staff_and_donors_have_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.programme}"
