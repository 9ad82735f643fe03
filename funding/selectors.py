"""Reads about pledges and payments, in flat rows for the reports."""

from __future__ import annotations

from django.db.models import Q

from .currency import Rate, RateTable
from .models import ExchangeRate, Pledge


def rate_table_for(*, currencies: set[str], target: str) -> RateTable:
    """Every stored rate between ``target`` and the given currencies (one query)."""
    others = currencies - {target}
    if not others:
        return RateTable([], target)
    rows = ExchangeRate.objects.filter(
        Q(base_currency__in=others, quote_currency=target)
        | Q(base_currency=target, quote_currency__in=others)
    ).values_list("base_currency", "quote_currency", "rate_date", "rate")
    return RateTable((Rate(*row) for row in rows), target)


def pledges_for_programme(programme):
    return Pledge.objects.filter(programme=programme).select_related("donor")


def pledges_by_donor(programme, organisation_ids) -> dict[int, list[Pledge]]:
    """The programme's pledges of each donor among ``organisation_ids``, latest
    first, with what they are earmarked to. One query (read by the directory)."""
    pledges = (
        Pledge.objects.filter(programme=programme, donor_id__in=list(organisation_ids))
        .select_related("earmark_pillar", "earmark_outcome", "earmark_agency")
        .order_by("-pledged_on", "pk")
    )
    by_donor: dict[int, list[Pledge]] = {}
    for pledge in pledges:
        by_donor.setdefault(pledge.donor_id, []).append(pledge)
    return by_donor
