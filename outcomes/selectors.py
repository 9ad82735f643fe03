"""Reads of the results framework and the National Action Plan."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Sum

from jointprogramme.models import Pillar

from .models import Outcome, OutcomeBudget


def pillars_with_outcomes(programme) -> list[Pillar]:
    """The programme's pillars, each with ``outcome_list`` (lead agency loaded). Two queries."""
    outcomes = Outcome.objects.filter(programme=programme).select_related("lead_agency")
    return list(
        Pillar.objects.filter(programme=programme).prefetch_related(
            Prefetch("outcomes", queryset=outcomes, to_attr="outcome_list")
        )
    )


def programme_budget(programme) -> Decimal:
    """The programme budget: the sum of every agency's share of every outcome."""
    total = OutcomeBudget.objects.filter(outcome__programme=programme).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal(0)
