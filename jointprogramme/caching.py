"""The dashboard's funding and alignment figures, cached and shared by every app
server.

Layer 5 (used by the dashboard): reads funding and outcomes tables.

The cache key carries a *fingerprint* of every row the figures are computed from,
read in one query, so a cached value can never outlive the data behind it: a pledge,
payment, budget line or exchange rate added, changed or deleted — through any app
server, the admin, an import or a restore — gives a new key, and the old value is
simply never asked for again (it expires after ``fingerprints.TIMEOUT``). The same query returns
the programme budget, which the figures need anyway, so a page served from the cache
costs one query instead of three, and a page that misses costs what it did before.

What the fingerprint holds, and why that catches every change:

- pledges: count, highest id, sum of amounts, of versions and of donor ids,
  committed count, first and last dates and currencies, and the newest history
  entry — every save or delete through Django writes a history entry
  (django-simple-history), whatever field it changed;
- payments: count, highest id, sum of amounts;
- the budget total itself (the only budget figure used);
- exchange rates: count, highest id, sum of rates, newest date.

A change made in raw SQL that leaves all of these equal is not seen until the entry
expires, five minutes at most.

The alignment coverage figures (``cached_alignment``) work the same way over the
plan's objectives and links (``alignment_fingerprint``): computing them means
building the whole alignment report, hundreds of objectives and links.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from funding.models import ExchangeRate, Payment, Pledge
from jointprogramme.fingerprints import cached, digest
from jointprogramme.models import Programme
from outcomes.models import Alignment, NapObjective, NationalActionPlan, OutcomeBudget

KEY_PREFIX = "dashboard-funding"
ALIGNMENT_KEY_PREFIX = "dashboard-alignment"
MONEY = DecimalField(max_digits=20, decimal_places=2)
RATE = DecimalField(max_digits=30, decimal_places=8)
INTEGER = IntegerField()
TEXT = CharField()

T = TypeVar("T")


def _aggregate(queryset: QuerySet, function: str, expression, output_field) -> Subquery:
    """A scalar subquery: FUNCTION(expression) over the whole queryset, no GROUP BY."""
    return Subquery(
        queryset.order_by()
        .annotate(value=Func(expression, function=function, output_field=output_field))
        .values("value")[:1],
        output_field=output_field,
    )


def _fingerprint_columns() -> dict:
    pledges = Pledge.objects.filter(programme=OuterRef("pk"))
    history = Pledge.history.model.objects.filter(programme_id=OuterRef("pk"))
    payments = Payment.objects.filter(pledge__programme=OuterRef("pk"))
    budgets = OutcomeBudget.objects.filter(outcome__programme=OuterRef("pk"))
    rates = ExchangeRate.objects.all()
    committed = Func(
        Case(
            When(status__in=[Pledge.Status.COMMITTED, Pledge.Status.PAID], then=Value(1)),
            default=Value(0),
        ),
        function="SUM",
        output_field=INTEGER,
    )
    return {
        "budget": _aggregate(budgets, "SUM", F("amount"), MONEY),
        "pledge_count": _aggregate(pledges, "COUNT", F("id"), INTEGER),
        "pledge_max_id": _aggregate(pledges, "MAX", F("id"), INTEGER),
        "pledge_amounts": _aggregate(pledges, "SUM", F("amount"), MONEY),
        "pledge_versions": _aggregate(pledges, "SUM", F("version"), INTEGER),
        "pledge_committed": Subquery(
            pledges.order_by().annotate(value=committed).values("value")[:1],
            output_field=INTEGER,
        ),
        "pledge_donors": _aggregate(pledges, "SUM", F("donor_id"), INTEGER),
        "pledge_currency_min": _aggregate(pledges, "MIN", F("currency"), TEXT),
        "pledge_currency_max": _aggregate(pledges, "MAX", F("currency"), TEXT),
        "pledge_first": _aggregate(pledges, "MIN", F("pledged_on"), DateField()),
        "pledge_last": _aggregate(pledges, "MAX", F("pledged_on"), DateField()),
        "pledge_history": _aggregate(history, "MAX", F("history_id"), INTEGER),
        "payment_count": _aggregate(payments, "COUNT", F("id"), INTEGER),
        "payment_max_id": _aggregate(payments, "MAX", F("id"), INTEGER),
        "payment_amounts": _aggregate(payments, "SUM", F("amount"), MONEY),
        "rate_count": _aggregate(rates, "COUNT", F("id"), INTEGER),
        "rate_max_id": _aggregate(rates, "MAX", F("id"), INTEGER),
        "rate_sum": _aggregate(rates, "SUM", F("rate"), RATE),
        "rate_last": _aggregate(rates, "MAX", F("rate_date"), DateField()),
    }


def funding_fingerprint(programme: Programme) -> tuple[Decimal, str]:
    """The programme budget and a digest of every row its funding figures depend on.

    One query, whatever the data size."""
    columns = _fingerprint_columns()
    row = (
        Programme.objects.filter(pk=programme.pk)
        .annotate(**columns)
        .values(*columns, "currency")
        .get()
    )
    budget = row["budget"] or Decimal(0)
    return budget, digest(row)


def cached_funding(programme: Programme, compute: Callable[[Decimal], T]) -> T:
    """``compute(budget)``, cached for the programme until its funding data change."""
    budget, digest = funding_fingerprint(programme)
    key = f"{KEY_PREFIX}:{programme.pk}:{digest}"
    return cached(key, lambda: compute(budget), "funding figures")


def alignment_fingerprint(plan: NationalActionPlan) -> str:
    """A digest of everything a plan's coverage figures depend on. One query.

    - the plan: id, version and status (read with it, not queried here);
    - its objectives: count, highest id, sum of parent ids and the number
      withdrawn (the figures count the most specific active objectives, so the
      tree and the withdrawals are what matter, not codes or titles);
    - its links: count, highest id, sum of versions (every save through the
      pages counts up), and the newest history entry (any save or delete through
      Django, the admin and imports included)."""
    objectives = NapObjective.objects.filter(plan=OuterRef("pk"))
    links = Alignment.objects.filter(objective__plan=OuterRef("pk"))
    history = Alignment.history.model.objects.filter(objective__plan=OuterRef("pk"))
    withdrawn = objectives.filter(status=NapObjective.Status.WITHDRAWN)
    columns = {
        "objective_count": _aggregate(objectives, "COUNT", F("id"), INTEGER),
        "objective_max_id": _aggregate(objectives, "MAX", F("id"), INTEGER),
        "objective_parents": _aggregate(objectives, "SUM", F("parent_id"), INTEGER),
        "objective_withdrawn": _aggregate(withdrawn, "COUNT", F("id"), INTEGER),
        "link_count": _aggregate(links, "COUNT", F("id"), INTEGER),
        "link_max_id": _aggregate(links, "MAX", F("id"), INTEGER),
        "link_versions": _aggregate(links, "SUM", F("version"), INTEGER),
        "link_history": _aggregate(history, "MAX", F("history_id"), INTEGER),
    }
    row = NationalActionPlan.objects.filter(pk=plan.pk).annotate(**columns).values(*columns).get()
    row.update(plan=plan.pk, version=plan.version, status=plan.status)
    return digest(row)


def cached_alignment(plan: NationalActionPlan, compute: Callable[[], T]) -> T:
    """``compute()`` (the plan's coverage figures), cached until the plan's
    objectives or links change."""
    key = f"{ALIGNMENT_KEY_PREFIX}:{plan.pk}:{alignment_fingerprint(plan)}"
    return cached(key, compute, "alignment figures")
