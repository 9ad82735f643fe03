"""Synthetic programmes shaped like real installations, for benchmarks and scale tests.

``generate(scale=..., seed=...)`` builds programmes with outcomes, outputs,
indicators and reported results, a nested National Action Plan with alignment
links, meetings with invitations, pledges and payments in three currencies,
organisations and contacts, and one signed-in user per role and programme. The
same seed always gives the same rows (only primary keys and ``auto_now``
timestamps differ), so benchmark runs compare like with like.

Every generated record is marked so it can be found and replaced:

* programmes, organisations (and so their contacts) have titles or names that
  start with ``"Synthetic "`` and, where the model has the field, ``is_sample``;
* users are called ``bench_…`` and share the published password ``bench12345``;
* exchange rates carry ``source = "Synthetic (generate_synthetic)"``.

Running it again first deletes the previously generated set, inside the same
transaction, then builds the new one: there is only ever one synthetic set.

Rows are written with ``bulk_create`` in batches. That skips the audit history of
the audited models (Outcome, Output, Indicator, Result, Alignment, Pledge): a
synthetic initial load is like a data migration, and history starts with the
first edit. ``with_history=True`` writes an initial "+" history row for each
audited record through ``simple_history.utils.bulk_create_with_history`` instead,
when the benchmark should include history tables of realistic size.

Scales: ``1`` is about the size of the demo (one programme, six outcomes);
``20`` ("large") is the size the benchmark targets (issue 7): 20 programmes,
each with 50 outcomes, 4 outputs and 14 indicators per outcome, 8 results per
indicator, 300 NAP objectives, 400 alignments, 100 meetings of 25 invitations,
300 pledges and 600 payments; 3,000 organisations and 10,000 contacts in all.
Scales in between interpolate the per-programme sizes; scales beyond 20 add
programmes (and organisations in proportion) of the large shape.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from simple_history.models import HistoricalChanges

from funding.models import ExchangeRate, Payment, Pledge, Prospect
from jointprogramme.models import Programme
from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from outcomes.models import (
    Alignment,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    ReportingPeriod,
    Result,
    ResultBreakdown,
)
from stakeholders.models import Contact, Organisation

from .builder import AUDITED, Log, Report, Step, _Generator, _quiet
from .spec import (
    ANCHOR,
    DEMO,
    LARGE,
    LARGE_SCALE,
    MARKER,
    PASSWORD,
    PREFIX,
    RATE_SOURCE,
    USER_PREFIX,
    Spec,
    expected_counts,
    parse_scale,
    spec_for_scale,
    spread,
)

__all__ = [
    "ANCHOR", "AUDITED", "DEMO", "LARGE", "LARGE_SCALE", "MARKER", "PASSWORD", "PREFIX",
    "RATE_SOURCE", "USER_PREFIX", "Log", "Report", "Spec", "Step", "current_set",
    "delete_synthetic", "expected_counts", "generate", "parse_scale", "spec_for_scale",
    "spread", "synthetic_counts", "synthetic_digest", "synthetic_organisations",
    "synthetic_programmes", "synthetic_users", "_quiet",
]  # fmt: skip


def synthetic_programmes():
    return Programme.objects.filter(title__startswith=PREFIX)


def synthetic_organisations():
    return Organisation.objects.filter(name__startswith=PREFIX, is_sample=True)


def synthetic_users():
    return get_user_model().objects.filter(username__startswith=USER_PREFIX)


def _reverse_relations(model: type[models.Model]) -> list:
    """Relations from other tables to ``model`` (M2M tables included), history aside."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created
        and not f.concrete
        and (f.one_to_many or f.one_to_one)
        and not issubclass(f.related_model, HistoricalChanges)
    ]


def _delete_rows(queryset, done: set) -> int:
    """Delete ``queryset``; in one statement when every table pointing at it is done.

    The ORM's ``delete()`` loads every row and writes a "deleted" audit record
    for each audited one, which takes minutes at the large scale. A single
    ``DELETE`` is safe once the rows pointing at these are gone; a model added
    later that points here and is not in the list below falls back to the ORM.
    """
    model = queryset.model
    pending = [r for r in _reverse_relations(model) if r.related_model not in done | {model}]
    done.add(model)
    if pending:
        return queryset.delete()[0]
    return queryset._raw_delete(queryset.db)


def delete_synthetic(log: Log = _quiet) -> dict[str, int]:
    """Remove every generated record, and the audit history of generated records."""
    progs = synthetic_programmes()
    outcomes = Outcome.objects.filter(programme__in=progs)
    indicators = Indicator.objects.filter(outcome__in=outcomes)
    pledges = Pledge.objects.filter(programme__in=progs)
    meetings = Meeting.objects.filter(programme__in=progs)
    objectives = NapObjective.objects.filter(plan__programme__in=progs)
    audited = {
        ResultBreakdown: ResultBreakdown.objects.filter(result__indicator__in=indicators),
        Result: Result.objects.filter(indicator__in=indicators),
        Indicator: indicators,
        Output: Output.objects.filter(outcome__in=outcomes),
        Alignment: Alignment.objects.filter(outcome__in=outcomes),
        Pledge: pledges,
        Outcome: outcomes,
    }
    deleted: dict[str, int] = {}
    # History first: it is found through the live rows.
    for model, queryset in audited.items():
        history = model.history.model.objects.filter(id__in=queryset.values("id"))
        deleted[f"{model.__name__} history"] = history._raw_delete(history.db)
    # The big tables, children before parents, one statement each.
    ordered = [
        Payment.objects.filter(pledge__in=pledges),
        pledges,
        Prospect.objects.filter(programme__in=progs),
        Attendee.objects.filter(meeting__in=meetings),
        Invitation.objects.filter(meeting__in=meetings),
        Feedback.objects.filter(meeting__in=meetings),
        FollowUpAction.objects.filter(meeting__in=meetings),
        meetings,
        audited[Alignment],
        NapObjective.responsible_ministries.through.objects.filter(napobjective__in=objectives),
        objectives,
        audited[ResultBreakdown],
        audited[Result],
        Indicator.dimensions.through.objects.filter(indicator__in=indicators),
        indicators,
        audited[Output],
        OutcomeBudget.objects.filter(outcome__in=outcomes),
        Outcome.participating_agencies.through.objects.filter(outcome__in=outcomes),
        outcomes,
        ExchangeRate.objects.filter(source=RATE_SOURCE),
    ]
    done: set = set()
    for queryset in ordered:
        deleted[queryset.model._meta.label] = _delete_rows(queryset, done)
    # The rest through the ORM: few rows, anything added to the model since is
    # followed, and it refuses clearly (ProtectedError) if real records have come
    # to point at synthetic organisations.
    deleted["programmes and the rest of their records"] = progs.delete()[0]
    deleted["users"] = synthetic_users().delete()[0]
    deleted["organisations and contacts"] = synthetic_organisations().delete()[0]
    total = sum(deleted.values())
    if total:
        log(f"  removed {total:,} rows of an earlier synthetic set")
    return deleted


def generate(
    *, scale: int | str = 1, seed: int = 42, with_history: bool = False, log: Log = _quiet
) -> Report:
    """Replace the synthetic set with a new one of ``scale``; all or nothing."""
    scale = parse_scale(scale)
    spec = spec_for_scale(scale)
    report = Report(scale=scale, seed=seed, spec=spec, with_history=with_history)
    started = time.perf_counter()
    with transaction.atomic():
        report.deleted = delete_synthetic(log)
        report.delete_seconds = time.perf_counter() - started
        generator = _Generator(
            scale=scale, spec=spec, seed=seed, with_history=with_history, log=log
        )
        started = time.perf_counter()
        generator.run()
        report.steps = generator.steps
    # A real installation's tables have planner statistics; freshly bulk-loaded ones
    # do not until autovacuum comes round, and the benchmark would measure bad plans.
    analysed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generator.record("ANALYZE (planner statistics)", 0, analysed)
    report.seconds = time.perf_counter() - started
    return report


def current_set() -> dict | None:
    """The scale and seed of the synthetic set in the database, if it is complete."""
    first = synthetic_programmes().order_by("title").values_list("summary", flat=True).first()
    found = re.search(r"\[generate_synthetic scale=(\d+) seed=(-?\d+)\]", first or "")
    if not found:
        return None
    scale, seed = int(found[1]), int(found[2])
    if synthetic_programmes().count() != spec_for_scale(scale).programmes:
        return None
    return {"scale": scale, "seed": seed}


def synthetic_counts() -> dict[str, int]:
    """Rows of the synthetic set, with the keys of ``expected_counts``."""
    progs = synthetic_programmes()
    outcomes = Outcome.objects.filter(programme__in=progs)
    meetings = Meeting.objects.filter(programme__in=progs)
    return {
        "programmes": progs.count(),
        "organisations": synthetic_organisations().count(),
        "contacts": Contact.objects.filter(organisation__in=synthetic_organisations()).count(),
        "reporting_periods": ReportingPeriod.objects.filter(programme__in=progs).count(),
        "outcomes": outcomes.count(),
        "outputs": Output.objects.filter(outcome__in=outcomes).count(),
        "indicators": Indicator.objects.filter(outcome__in=outcomes).count(),
        "results": Result.objects.filter(indicator__outcome__in=outcomes).count(),
        "action_plans": NationalActionPlan.objects.filter(programme__in=progs).count(),
        "nap_objectives": NapObjective.objects.filter(plan__programme__in=progs).count(),
        "alignments": Alignment.objects.filter(outcome__in=outcomes).count(),
        "meetings": meetings.count(),
        "invitations": Invitation.objects.filter(meeting__in=meetings).count(),
        "pledges": Pledge.objects.filter(programme__in=progs).count(),
        "payments": Payment.objects.filter(pledge__programme__in=progs).count(),
    }


def _digest_rows() -> Iterable[tuple]:
    """Key fields of the synthetic set by natural keys (never primary keys)."""
    progs = synthetic_programmes()
    yield from progs.order_by("title").values_list("title", "country", "currency", "start_date")
    yield from synthetic_organisations().order_by("name").values_list("name", "acronym", "kind")
    yield from (
        Contact.objects.filter(organisation__in=synthetic_organisations())
        .order_by("organisation__name", "name", "position")
        .values_list("organisation__name", "name", "position", "email")
    )
    yield from (
        Outcome.objects.filter(programme__in=progs)
        .order_by("programme__title", "code")
        .values_list(
            "programme__title", "code", "title", "pillar__code", "lead_agency__name", "status"
        )
    )
    yield from (
        OutcomeBudget.objects.filter(outcome__programme__in=progs)
        .order_by("outcome__programme__title", "outcome__code", "agency__name")
        .values_list("outcome__programme__title", "outcome__code", "agency__name", "amount")
    )
    yield from (
        Indicator.objects.filter(outcome__programme__in=progs)
        .order_by("outcome__programme__title", "code")
        .values_list(
            "outcome__programme__title", "code", "output__code", "unit", "baseline", "target"
        )
    )
    yield from (
        Result.objects.filter(indicator__outcome__programme__in=progs)
        .order_by("indicator__outcome__programme__title", "indicator__code", "period__start_date")
        .values_list(
            "indicator__outcome__programme__title",
            "indicator__code",
            "period__name",
            "value",
            "reported_by__username",
        )
    )
    yield from (
        NapObjective.objects.filter(plan__programme__in=progs)
        .order_by("plan__programme__title", "code")
        .values_list("plan__programme__title", "code", "parent__code", "pillar__code")
    )
    yield from (
        Alignment.objects.filter(outcome__programme__in=progs)
        .order_by("outcome__programme__title", "outcome__code", "objective__code")
        .values_list(
            "outcome__programme__title",
            "outcome__code",
            "objective__code",
            "degree",
            "review_status",
        )
    )
    yield from (
        Invitation.objects.filter(meeting__programme__in=progs)
        .order_by(
            "meeting__programme__title",
            "meeting__start_date",
            "meeting__title",
            "organisation__name",
        )
        .values_list(
            "meeting__programme__title", "meeting__start_date", "organisation__name", "attended"
        )
    )
    yield from (
        Pledge.objects.filter(programme__in=progs)
        .order_by("reference")
        .values_list(
            "reference", "donor__name", "amount", "currency", "pledged_on", "status",
            "earmark_outcome__code", "earmark_pillar__code", "earmark_agency__acronym",
        )
    )  # fmt: skip
    yield from (
        Payment.objects.filter(pledge__programme__in=progs)
        .order_by("reference")
        .values_list("reference", "amount", "currency", "received_on", "received_by__name")
    )


def synthetic_digest() -> str:
    """A SHA-256 over the key fields of the synthetic set: equal seeds give equal digests."""
    digest = hashlib.sha256()
    for row in _digest_rows():
        digest.update(repr(row).encode())
        digest.update(b"\n")
    return digest.hexdigest()
