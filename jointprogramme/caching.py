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

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)

from funding.models import ExchangeRate, Payment, Pledge
from jointprogramme.compiled_sql import compiled_once
from jointprogramme.fingerprints import cached, digest
from jointprogramme.models import Programme
from outcomes.models import Alignment, NapObjective, NationalActionPlan, OutcomeBudget

KEY_PREFIX = "dashboard-funding"
ALIGNMENT_KEY_PREFIX = "dashboard-alignment"
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)
RATE = DecimalField(max_digits=30, decimal_places=8)
INTEGER = IntegerField()
TEXT = CharField()

T = TypeVar("T")


def _row(queryset: QuerySet, **functions) -> QuerySet:
    """The one row of FUNCTION(expression) over the whole queryset, one column each
    (``name=("MAX", expression, output_field)``), read in one scan, no GROUP BY."""
    columns = {
        name: Func(expression, function=function, output_field=output_field)
        for name, (function, expression, output_field) in functions.items()
    }
    return queryset.order_by().annotate(**columns).values(*columns)[:1]


def _state(name: str, rows_for: Callable[[int], list[QuerySet]], pk: int) -> tuple:
    """The rows of ``rows_for(pk)`` side by side, as one row, in one query whose
    SQL is compiled once per process (``compiled_sql``): compiling these subqueries
    costs more than the database takes to answer them."""

    def build(pk: int) -> tuple[str, list]:
        parts, params = [], []
        for n, queryset in enumerate(rows_for(pk)):
            sql, part_params = queryset.query.sql_with_params()
            parts.append(f"({sql}) AS part{n}")
            params.extend(part_params)
        return "SELECT * FROM " + ", ".join(parts), params

    sql, params = compiled_once(("fingerprint", name), build, pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _funding_rows(pk: int) -> list[QuerySet]:
    committed = Case(
        When(status__in=[Pledge.Status.COMMITTED, Pledge.Status.PAID], then=Value(1)),
        default=Value(0),
    )
    return [
        _row(
            OutcomeBudget.objects.filter(outcome__programme=pk), budget=("SUM", F("amount"), MONEY)
        ),
        _row(
            Pledge.objects.filter(programme=pk),
            count=("COUNT", F("id"), INTEGER),
            max_id=("MAX", F("id"), INTEGER),
            amounts=("SUM", F("amount"), MONEY),
            versions=("SUM", F("version"), INTEGER),
            committed=("SUM", committed, INTEGER),
            donors=("SUM", F("donor_id"), INTEGER),
            currency_min=("MIN", F("currency"), TEXT),
            currency_max=("MAX", F("currency"), TEXT),
            first=("MIN", F("pledged_on"), DateField()),
            last=("MAX", F("pledged_on"), DateField()),
        ),
        _row(
            Pledge.history.model.objects.filter(programme_id=pk),
            newest=("MAX", F("history_id"), INTEGER),
        ),
        _row(
            Payment.objects.filter(pledge__programme=pk),
            count=("COUNT", F("id"), INTEGER),
            max_id=("MAX", F("id"), INTEGER),
            amounts=("SUM", F("amount"), MONEY),
        ),
        _row(
            ExchangeRate.objects.all(),
            count=("COUNT", F("id"), INTEGER),
            max_id=("MAX", F("id"), INTEGER),
            rates=("SUM", F("rate"), RATE),
            last=("MAX", F("rate_date"), DateField()),
        ),
    ]


def funding_fingerprint(programme: Programme) -> tuple[Decimal, str]:
    """The programme budget and a digest of every row its funding figures depend on.

    One query, whatever the data size."""
    row = _state("funding", _funding_rows, programme.pk)
    # The budget's sum as the database gives it: a Decimal, or a number on SQLite.
    budget = Decimal(str(row[0])).quantize(CENT) if row[0] is not None else Decimal(0)
    return budget, digest((*row, programme.currency))


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
    row = _state("alignment", _alignment_rows, plan.pk)
    return digest((*row, plan.pk, plan.version, plan.status))


def _alignment_rows(pk: int) -> list[QuerySet]:
    withdrawn = Case(When(status=NapObjective.Status.WITHDRAWN, then=Value(1)), default=Value(0))
    return [
        _row(
            NapObjective.objects.filter(plan=pk),
            count=("COUNT", F("id"), INTEGER),
            max_id=("MAX", F("id"), INTEGER),
            parents=("SUM", F("parent_id"), INTEGER),
            withdrawn=("SUM", withdrawn, INTEGER),
        ),
        _row(
            Alignment.objects.filter(objective__plan=pk),
            count=("COUNT", F("id"), INTEGER),
            max_id=("MAX", F("id"), INTEGER),
            versions=("SUM", F("version"), INTEGER),
        ),
        _row(
            Alignment.history.model.objects.filter(objective__plan=pk),
            newest=("MAX", F("history_id"), INTEGER),
        ),
    ]


def cached_alignment(plan: NationalActionPlan, compute: Callable[[], T]) -> T:
    """``compute()`` (the plan's coverage figures), cached until the plan's
    objectives or links change."""
    key = f"{ALIGNMENT_KEY_PREFIX}:{plan.pk}:{alignment_fingerprint(plan)}"
    return cached(key, compute, "alignment figures")
