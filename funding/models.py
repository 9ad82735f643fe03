"""Donors' pledges, the payments that follow, and exchange rates.

Layer 4: depends on ``stakeholders``, ``jointprogramme`` and ``outcomes``.
Pledges point at pillars and outcomes, which is why they are not in
``stakeholders``.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jointprogramme.models import Pillar, Programme
from outcomes.models import Outcome
from stakeholders.models import Organisation, SampleDataMixin

currency_validator = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")


class ExchangeRate(models.Model):
    """How many units of ``quote_currency`` one unit of ``base_currency`` buys on a date."""

    base_currency = models.CharField(
        max_length=3, validators=[currency_validator], verbose_name=_("base currency")
    )
    quote_currency = models.CharField(
        max_length=3, validators=[currency_validator], verbose_name=_("quote currency")
    )
    rate_date = models.DateField(verbose_name=_("rate date"))
    rate = models.DecimalField(max_digits=18, decimal_places=8, verbose_name=_("rate"))
    source = models.CharField(max_length=100, blank=True, verbose_name=_("source"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["base_currency", "quote_currency", "-rate_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["base_currency", "quote_currency", "rate_date"],
                name="exchange_rate_unique_per_day",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~Q(base_currency=models.F("quote_currency")),
                name="exchange_rate_two_currencies",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_currency} = {self.rate} {self.quote_currency} on {self.rate_date}"


class Pledge(SampleDataMixin):
    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        COMMITTED = "committed", _("Committed")
        PAID = "paid", _("Paid")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("programme")
    )
    donor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor")
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], verbose_name=_("amount")
    )
    currency = models.CharField(
        max_length=3, validators=[currency_validator], verbose_name=_("currency")
    )
    pledged_on = models.DateField(verbose_name=_("pledged on"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLEDGED, verbose_name=_("status")
    )
    # Earmarking: at most one of these; none means the whole programme.
    earmark_pillar = models.ForeignKey(
        Pillar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("earmark pillar"),
    )
    earmark_outcome = models.ForeignKey(
        Outcome,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("earmark outcome"),
    )
    earmark_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="earmarked_pledges",
        verbose_name=_("earmark agency"),
    )
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("reference"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    is_anonymous = models.BooleanField(
        _("anonymous to other donors"),
        default=False,
        help_text=_("The donor asked to appear to other donors as an anonymous donor."),
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["programme", "-pledged_on"]
        indexes = [
            # The admin's list, newest first: its first page without sorting them all.
            models.Index(fields=["-pledged_on", "-id"], name="pledge_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="pledge_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="pledge_currency_iso"
            ),
            models.CheckConstraint(
                condition=(
                    Q(earmark_pillar__isnull=True, earmark_outcome__isnull=True)
                    | Q(earmark_pillar__isnull=True, earmark_agency__isnull=True)
                    | Q(earmark_outcome__isnull=True, earmark_agency__isnull=True)
                ),
                name="pledge_earmarked_at_most_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor.short_name}: {self.amount} {self.currency} ({self.pledged_on})"

    @property
    def earmark(self):
        """What the money is earmarked to, or None for the whole programme."""
        return self.earmark_outcome or self.earmark_pillar or self.earmark_agency

    earmark.fget.short_description = _("Earmarked to")  # the admin's column


class Payment(models.Model):
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="payments", verbose_name=_("pledge")
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], verbose_name=_("amount")
    )
    currency = models.CharField(
        max_length=3, validators=[currency_validator], verbose_name=_("currency")
    )
    received_on = models.DateField(verbose_name=_("received on"))
    received_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="payments_received",
        verbose_name=_("received by"),
    )
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("reference"))
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["pledge", "received_on"]
        indexes = [
            # The admin's list, latest first: its first page without sorting them all.
            models.Index(fields=["-received_on", "-id"], name="payment_latest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payment_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.received_on}"


class Prospect(SampleDataMixin):
    """A donor the agencies are courting: the fundraising pipeline (not shown to donors)."""

    class Stage(models.TextChoices):
        APPROACHED = "approached", _("Approached")
        INTERESTED = "interested", _("Interested")
        PLEDGED = "pledged", _("Pledged")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="prospects", verbose_name=_("programme")
    )
    donor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="prospects", verbose_name=_("donor")
    )
    amount_hoped = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        verbose_name=_("amount hoped"),
    )
    currency = models.CharField(
        max_length=3, validators=[currency_validator], verbose_name=_("currency")
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.APPROACHED, verbose_name=_("stage")
    )
    next_step = models.CharField(max_length=300, blank=True, verbose_name=_("next step"))
    owner_agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_prospects",
        verbose_name=_("owner agency"),
    )
    date = models.DateField(
        help_text=_("When the prospect reached its stage or was last contacted."),
        verbose_name=_("date"),
    )
    # Set by every save: cached exports see the change (jointprogramme/fingerprints.py).
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["programme", "-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_hoped__gte=0), name="prospect_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="prospect_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor.short_name}: {self.amount_hoped} {self.currency} ({self.stage})"
