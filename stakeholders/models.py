"""Organisations and the people who speak for them.

The lowest layer: it knows nothing of programmes, outcomes or money, so every
other app can point at an organisation without a dependency cycle.
"""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SampleDataMixin(models.Model):
    """Marks records that illustrate the product but are not stated by a source."""

    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Illustrative record, not taken from a source document."),
    )

    class Meta:
        abstract = True


class Organisation(SampleDataMixin):
    class Kind(models.TextChoices):
        UN_AGENCY = "un_agency", _("UN agency")
        MINISTRY = "ministry", _("Ministry")
        GOVERNMENT_OFFICE = "government_office", _("Government office")
        EMBASSY = "embassy", _("Embassy")
        DEVELOPMENT_AGENCY = "development_agency", _("Development agency")
        FUND = "fund", _("Fund or initiative")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        INTERNATIONAL = "international", _("International organisation")

    name = models.CharField(max_length=200, verbose_name=_("name"))
    acronym = models.CharField(max_length=30, blank=True, verbose_name=_("acronym"))
    kind = models.CharField(max_length=30, choices=Kind.choices, verbose_name=_("kind"))
    country = models.CharField(max_length=100, blank=True, verbose_name=_("country"))
    website = models.URLField(blank=True, verbose_name=_("website"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organisation", args=[self.pk])

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    @property
    def is_agency(self) -> bool:
        return self.kind == self.Kind.UN_AGENCY


class Contact(SampleDataMixin):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Leave blank when the source names the role but not the person."),
        verbose_name=_("name"),
    )
    position = models.CharField(
        max_length=200,
        help_text=_('e.g. "UNHCR Representative in Serbia"'),
        verbose_name=_("position"),
    )
    email = models.EmailField(blank=True, verbose_name=_("email"))
    phone = models.CharField(max_length=50, blank=True, verbose_name=_("phone"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["organisation__name", "name", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "position"], name="contact_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.position}" if self.name else self.position
