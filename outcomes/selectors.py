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


# Read by the stakeholder directory -------------------------------------------


def objectives_by_ministry(programme, organisation_ids) -> dict[int, list]:
    """NAP objectives of the programme's action plans, per responsible organisation
    among ``organisation_ids``. One query."""
    from .models import NapObjective

    links = (
        NapObjective.responsible_ministries.through.objects.filter(
            organisation_id__in=list(organisation_ids), napobjective__plan__programme=programme
        )
        .select_related("napobjective__plan", "napobjective__pillar")
        .order_by("napobjective__plan__period_start", "napobjective__order", "napobjective__code")
    )
    objectives: dict[int, list] = {}
    for link in links:
        objectives.setdefault(link.organisation_id, []).append(link.napobjective)
    return objectives
