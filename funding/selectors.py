"""Reads about pledges, payments and prospects, in flat rows for the reports.

Every function here costs a fixed number of queries, whatever the data size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace

from django.db.models import Q
from django.utils.translation import gettext as _

from jointprogramme.access import Role, membership_for, memberships
from jointprogramme.models import Participation, Pillar, Programme
from jointprogramme.transliteration import localized
from outcomes.models import Outcome, OutcomeBudget
from stakeholders.models import Organisation

from .currency import Rate, RateTable
from .models import ExchangeRate, Payment, Pledge, Prospect
from .reports import (
    BudgetLine,
    FundingData,
    FundingReport,
    OutcomeRow,
    PaymentRow,
    PillarRow,
    PledgeRow,
    ProspectRow,
    Viewer,
    funding_report,
)


def rate_table_for(*, currencies: Iterable[str], target: str) -> RateTable:
    """Every stored rate between ``target`` and the given currencies (one query)."""
    others = set(currencies) - {target}
    if not others:
        return RateTable([], target)
    rows = ExchangeRate.objects.filter(
        Q(base_currency__in=others, quote_currency=target)
        | Q(base_currency=target, quote_currency__in=others)
    ).values_list("base_currency", "quote_currency", "rate_date", "rate")
    return RateTable((Rate(*row) for row in rows), target)


def pledges_for_programme(programme):
    return Pledge.objects.filter(programme=programme).select_related("donor")


def viewer_for(user, programme: Programme) -> Viewer:
    """What ``user`` may see of the programme's funding (no query: memberships are cached)."""
    membership = membership_for(user, programme)
    donor_id = None
    if membership is not None and membership.role == Role.DONOR:
        donor_id = membership.organisation_id
    return Viewer(
        sees_all=user.has_perm("funding.view_all_pledges", programme),
        donor_id=donor_id,
        sees_pipeline=user.has_perm("funding.view_pipeline", programme),
    )


def _in_language(english: str | None, serbian: str | None) -> str:
    """A text people write in the active language (Serbian in the interface's
    script), else in the other one, as the pages show it (``localized``)."""
    return localized(SimpleNamespace(text_en=english, text_sr=serbian), "text")[0]


def _donor_name(name: str, acronym: str) -> str:
    return f"{name} ({acronym})" if acronym else name


def funding_data(programmes: list[Programme], *, with_prospects: bool) -> dict[int, FundingData]:
    """Flat rows for the report of each programme: seven queries for any number of them."""
    ids = [p.pk for p in programmes]
    pillars = defaultdict(list)
    for programme_id, pk, code, name_en, name_sr in Pillar.objects.filter(
        programme__in=ids
    ).values_list("programme_id", "id", "code", "name_en", "name_sr"):
        pillars[programme_id].append(PillarRow(pk, code, _in_language(name_en, name_sr)))
    outcomes = defaultdict(list)
    for programme_id, pk, code, title_en, title_sr, pillar_id in Outcome.objects.filter(
        programme__in=ids
    ).values_list("programme_id", "id", "code", "title_en", "title_sr", "pillar_id"):
        outcomes[programme_id].append(
            OutcomeRow(pk, code, _in_language(title_en, title_sr), pillar_id)
        )
    agencies: dict[int, str] = {}
    budget_lines = defaultdict(list)
    for programme_id, outcome_id, agency_id, name, acronym, amount in (
        OutcomeBudget.objects.filter(outcome__programme__in=ids)
        .order_by()
        .values_list(
            "outcome__programme_id",
            "outcome_id",
            "agency_id",
            "agency__name",
            "agency__acronym",
            "amount",
        )
    ):
        budget_lines[programme_id].append(BudgetLine(outcome_id, agency_id, amount))
        agencies[agency_id] = acronym or name
    participating = defaultdict(list)
    for programme_id, agency_id, name, acronym in Participation.objects.filter(
        programme__in=ids, role=Participation.Role.PARTICIPATING_AGENCY
    ).values_list("programme_id", "organisation_id", "organisation__name", "organisation__acronym"):
        participating[programme_id].append(agency_id)
        agencies[agency_id] = acronym or name
    pledges = defaultdict(list)
    for row in (
        Pledge.objects.filter(programme__in=ids)
        .order_by()
        .values_list(
            "programme_id",
            "amount",
            "currency",
            "pledged_on",
            "status",
            "id",
            "donor_id",
            "donor__name",
            "donor__acronym",
            "earmark_pillar_id",
            "earmark_outcome_id",
            "earmark_agency_id",
            "earmark_agency__name",
            "earmark_agency__acronym",
            "is_anonymous",
            "reference",
        )
    ):
        (
            programme_id,
            amount,
            currency,
            on,
            status,
            pk,
            donor_id,
            donor,
            donor_acronym,
            pillar_id,
            outcome_id,
            agency_id,
            agency,
            agency_acronym,
            anonymous,
            reference,
        ) = row
        pledges[programme_id].append(
            PledgeRow(
                amount=amount,
                currency=currency,
                pledged_on=on,
                status=status,
                id=pk,
                donor_id=donor_id,
                donor_name=_donor_name(donor, donor_acronym),
                earmark_pillar_id=pillar_id,
                earmark_outcome_id=outcome_id,
                earmark_agency_id=agency_id,
                is_anonymous=anonymous,
                reference=reference,
            )
        )
        if agency_id is not None:
            agencies[agency_id] = agency_acronym or agency
    payments = defaultdict(list)
    for row in (
        Payment.objects.filter(pledge__programme__in=ids)
        .order_by()
        .values_list(
            "pledge__programme_id",
            "id",
            "pledge_id",
            "amount",
            "currency",
            "received_on",
            "received_by_id",
            "reference",
            "received_by__name",
            "received_by__acronym",
        )
    ):
        payments[row[0]].append(PaymentRow(*row[1:8]))
        agencies[row[6]] = row[9] or row[8]
    prospects = defaultdict(list)
    if with_prospects:
        for row in (
            Prospect.objects.filter(programme__in=ids)
            .order_by()
            .values_list(
                "programme_id",
                "id",
                "donor__name",
                "donor__acronym",
                "amount_hoped",
                "currency",
                "stage",
                "next_step",
                "owner_agency_id",
                "date",
                "owner_agency__name",
                "owner_agency__acronym",
            )
        ):
            (
                programme_id,
                pk,
                donor,
                donor_acronym,
                amount,
                currency,
                stage,
                next_step,
                owner_id,
                on,
                owner,
                owner_acronym,
            ) = row
            prospects[programme_id].append(
                ProspectRow(
                    pk,
                    _donor_name(donor, donor_acronym),
                    amount,
                    currency,
                    stage,
                    next_step,
                    owner_id,
                    on,
                )
            )
            agencies[owner_id] = owner_acronym or owner
    return {
        p.pk: FundingData(
            currency=p.currency,
            pillars=pillars[p.pk],
            outcomes=outcomes[p.pk],
            budget_lines=budget_lines[p.pk],
            agencies=agencies,
            pledges=pledges[p.pk],
            payments=payments[p.pk],
            prospects=prospects[p.pk],
            participating_agency_ids=tuple(participating[p.pk]),
        )
        for p in programmes
    }


def rate_tables_for(data: Iterable[FundingData]) -> dict[str, RateTable]:
    """A rate table into each programme currency, for every currency in use (one query)."""
    data = list(data)
    targets = {d.currency for d in data}
    used = set()
    for d in data:
        used |= {p.currency for p in d.pledges}
        used |= {p.currency for p in d.payments}
        used |= {p.currency for p in d.prospects}
    others = used | targets
    rows = []
    if used - targets or len(targets) > 1:
        rows = [
            Rate(*row)
            for row in ExchangeRate.objects.filter(
                Q(base_currency__in=others, quote_currency__in=targets)
                | Q(base_currency__in=targets, quote_currency__in=others)
            ).values_list("base_currency", "quote_currency", "rate_date", "rate")
        ]
    return {target: RateTable(rows, target) for target in targets}


def funding_report_for(*, programme: Programme, user) -> FundingReport:
    """The funding report of ``programme`` as ``user`` may see it (eight queries at most)."""
    viewer = viewer_for(user, programme)
    data = funding_data([programme], with_prospects=viewer.sees_pipeline)[programme.pk]
    rates = rate_tables_for([data])[programme.currency]
    return funding_report(data=data, rates=rates, viewer=viewer)


def programmes_for_installation_view(user) -> list[Programme]:
    """Every programme for a superuser; the programmes a manager manages otherwise."""
    if user.is_superuser:
        return list(Programme.objects.order_by("title"))
    managed = [pid for pid, m in memberships(user).items() if m.role == Role.MANAGER]
    return list(Programme.objects.filter(pk__in=managed).order_by("title"))


def installation_reports(user) -> list[tuple[Programme, FundingReport]]:
    """The report of every programme the user may sum, as a manager sees it (nine queries)."""
    programmes = programmes_for_installation_view(user)
    data = funding_data(programmes, with_prospects=False)
    rates = rate_tables_for(data.values())
    staff = Viewer(sees_all=True)
    return [
        (p, funding_report(data=data[p.pk], rates=rates[p.currency], viewer=staff))
        for p in programmes
    ]


def pledge_for_page(pk: int) -> Pledge | None:
    """One pledge with what its page shows (one query; payments are read separately)."""
    return (
        Pledge.objects.select_related(
            "programme", "donor", "earmark_pillar", "earmark_outcome", "earmark_agency"
        )
        .filter(pk=pk)
        .first()
    )


def payments_of(pledge: Pledge) -> list[Payment]:
    return list(pledge.payments.select_related("received_by").order_by("received_on", "pk"))


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


def pledge_data(pledge: Pledge, payments: list[Payment]) -> FundingData:
    """One pledge and its payments as report rows, to convert them like the report does."""
    programme = pledge.programme
    pillars, outcomes, agencies = [], [], {}
    if pledge.earmark_outcome is not None:
        outcome = pledge.earmark_outcome
        title = localized(outcome, "title")[0]
        outcomes.append(OutcomeRow(outcome.pk, outcome.code, title, outcome.pillar_id))
    if pledge.earmark_pillar is not None:
        pillar = pledge.earmark_pillar
        pillars.append(PillarRow(pillar.pk, pillar.code, localized(pillar, "name")[0]))
    if pledge.earmark_agency is not None:
        agencies[pledge.earmark_agency_id] = pledge.earmark_agency.short_name
    for payment in payments:
        agencies[payment.received_by_id] = payment.received_by.short_name
    row = PledgeRow(
        amount=pledge.amount,
        currency=pledge.currency,
        pledged_on=pledge.pledged_on,
        status=pledge.status,
        id=pledge.pk,
        donor_id=pledge.donor_id,
        donor_name=str(pledge.donor),
        earmark_pillar_id=pledge.earmark_pillar_id,
        earmark_outcome_id=pledge.earmark_outcome_id,
        earmark_agency_id=pledge.earmark_agency_id,
        is_anonymous=pledge.is_anonymous,
        reference=pledge.reference,
    )
    return FundingData(
        currency=programme.currency,
        pillars=pillars,
        outcomes=outcomes,
        budget_lines=[],
        agencies=agencies,
        pledges=[row],
        payments=[
            PaymentRow(
                p.pk, pledge.pk, p.amount, p.currency, p.received_on, p.received_by_id, p.reference
            )
            for p in payments
        ],
    )


def earmark_choices(programme: Programme) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a pledge may be earmarked to, grouped for a select (three queries)."""
    pillars = [
        (pk, _in_language(en, sr))
        for pk, en, sr in Pillar.objects.filter(programme=programme).values_list(
            "id", "name_en", "name_sr"
        )
    ]
    outcomes = [
        (pk, code, _in_language(en, sr))
        for pk, code, en, sr in Outcome.objects.filter(programme=programme).values_list(
            "id", "code", "title_en", "title_sr"
        )
    ]
    agencies = participating_agencies(programme)
    return [
        (_("Whole programme"), [("programme", _("Not earmarked (whole programme)"))]),
        (_("Pillar"), [(f"pillar:{pk}", name) for pk, name in pillars]),
        (_("Outcome"), [(f"outcome:{pk}", f"{code} {title}") for pk, code, title in outcomes]),
        (_("Agency"), [(f"agency:{a.pk}", a.short_name) for a in agencies]),
    ]


def participating_agencies(programme: Programme):
    """The programme's UN agencies, as a queryset (form choices need one)."""
    return Organisation.objects.filter(
        participations__programme=programme,
        participations__role=Participation.Role.PARTICIPATING_AGENCY,
    ).order_by("name")


def donor_candidates():
    """Organisations that may pledge: any but the UN agencies themselves."""
    return Organisation.objects.exclude(kind=Organisation.Kind.UN_AGENCY).order_by("name")
