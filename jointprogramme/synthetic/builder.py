"""Builds one synthetic data set with bulk inserts (see ``jointprogramme.synthetic``)."""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from simple_history.utils import bulk_create_with_history

from funding.models import ExchangeRate, Payment, Pledge, Prospect
from jointprogramme.models import Membership, Milestone, Participation, Pillar, Programme
from meetings.models import Attendee, Feedback, FollowUpAction, Invitation, Meeting
from outcomes.models import (
    Alignment,
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    NapObjective,
    NationalActionPlan,
    Outcome,
    OutcomeBudget,
    Output,
    PeriodLockEvent,
    ReportingPeriod,
    Result,
    ResultBreakdown,
)
from stakeholders.models import Contact, Organisation

from .spec import (
    ANCHOR,
    BATCH_SIZE,
    CENT,
    MARKER,
    PASSWORD,
    PREFIX,
    RATE_SOURCE,
    REVIEWED_AT,
    USER_PREFIX,
    Spec,
    spread,
)
from .vocabulary import (
    ACTIONS,
    AGENCIES,
    COUNTRIES,
    CSO_CAUSES,
    CSO_KINDS,
    DEVELOPMENT_AGENCIES,
    DIMENSIONS,
    DONOR_COUNTRIES,
    DONOR_KINDS,
    FEEDBACK,
    FIRST_NAMES,
    FUNDS,
    GROUPS,
    INDICATORS,
    INTERNATIONALS,
    KIND_WEIGHTS,
    LAST_NAMES,
    MEETING_TOPICS,
    MINISTRIES,
    OFFICES,
    OUTCOME_TITLES,
    OUTPUT_TITLES,
    PILLAR_LEAD,
    PILLARS,
    PLACES,
    POSITIONS,
    VENUES,
    WHO,
)

AUDITED = (Outcome, Output, Indicator, Result, ResultBreakdown, Alignment, Pledge)


@dataclass
class Step:
    label: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Report:
    scale: int
    seed: int
    spec: Spec
    with_history: bool
    deleted: dict[str, int] = field(default_factory=dict)
    delete_seconds: float = 0.0
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.steps)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "with_history": self.with_history,
            "spec": asdict(self.spec),
            "deleted_rows": sum(self.deleted.values()),
            "delete_seconds": round(self.delete_seconds, 3),
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "steps": [
                {
                    "model": s.label,
                    "rows": s.rows,
                    "seconds": round(s.seconds, 3),
                    "rows_per_second": round(s.rows_per_second, 1),
                }
                for s in self.steps
            ],
        }


Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def _money(rng: random.Random, low: int, high: int, step: int = 1000) -> Decimal:
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Whole, non-negative parts adding up to ``total`` (a count of people)."""
    weights = [rng.uniform(0.2, 1.0) for _ in range(parts)]
    values = [(total * Decimal(w / sum(weights))).quantize(Decimal(1), ROUND_DOWN) for w in weights]
    values[0] += total - sum(values)
    return values


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())[:20] or "org"


@dataclass
class _Org:
    """An organisation to create, and which programme's country it belongs to."""

    obj: Organisation
    home: int | None  # programme index; None for UN agencies and global funds


class _Generator:
    def __init__(self, *, scale: int, spec: Spec, seed: int, with_history: bool, log: Log):
        self.scale = scale
        self.spec = spec
        self.seed = seed
        self.with_history = with_history
        self.log = log
        self.steps: list[Step] = []
        self.password = _password_hash()

    def rng(self, *parts) -> random.Random:
        """An independent, reproducible stream for one part of the data."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def save(self, label: str, model: type[models.Model], objs: list, started: float) -> list:
        """bulk_create ``objs`` (built since ``started``) and report the step."""
        if self.with_history and model in AUDITED and objs:
            bulk_create_with_history(
                objs,
                model,
                batch_size=BATCH_SIZE,
                default_change_reason="generate_synthetic",
                default_date=REVIEWED_AT,
            )
        elif objs:
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        self.record(label, len(objs), started)
        return objs

    def record(self, label: str, rows: int, started: float) -> None:
        step = Step(label, rows, time.perf_counter() - started)
        self.steps.append(step)
        if rows:
            self.log(
                f"  {label:<34}{step.rows:>9,} rows {step.seconds:>7.2f} s "
                f"{step.rows_per_second:>10,.0f} rows/s"
            )
        else:
            self.log(f"  {label:<48} {step.seconds:>7.2f} s")

    # -- organisations and people ------------------------------------------------

    def organisations(self) -> None:
        started = time.perf_counter()
        spec = self.spec
        rng = self.rng("organisations")
        self.agencies: dict[str, Organisation] = {}
        orgs: list[_Org] = []
        for name, acronym in AGENCIES:
            org = Organisation(
                name=f"{PREFIX}{name}",
                acronym=acronym,
                kind=Organisation.Kind.UN_AGENCY,
                website=f"https://{acronym.lower()}.synthetic.example/",
                is_sample=True,
            )
            self.agencies[acronym] = org
            orgs.append(_Org(org, None))
        # Everyone else belongs to one programme's country, kinds in fixed shares so
        # that even the smallest programme has ministries, donors and NGOs.
        kinds = [k for k, _ in KIND_WEIGHTS]
        weights = [w for _, w in KIND_WEIGHTS]
        serial = 0
        for home, count in enumerate(spread(spec.organisations - len(AGENCIES), spec.programmes)):
            country, _capital = self.country(home)
            shares = [count * w / sum(weights) for w in weights]
            per_kind = [max(1, int(s)) for s in shares]
            while sum(per_kind) > count:
                per_kind[per_kind.index(max(per_kind))] -= 1
            while sum(per_kind) < count:
                per_kind[kinds.index(Organisation.Kind.CIVIL_SOCIETY)] += 1
            for kind, n in zip(kinds, per_kind, strict=True):
                for i in range(n):
                    serial += 1
                    base, acronym = self.org_name(kind, i, rng)
                    orgs.append(
                        _Org(
                            Organisation(
                                name=f"{PREFIX}{base}, {country} {serial:04d}",
                                acronym=acronym,
                                kind=kind,
                                country=country,
                                description="Generated by generate_synthetic.",
                                is_sample=True,
                            ),
                            home,
                        )
                    )
        self.save("Organisation", Organisation, [o.obj for o in orgs], started)
        self.orgs_by_home: dict[int, list[Organisation]] = {}
        for o in orgs:
            if o.home is not None:
                self.orgs_by_home.setdefault(o.home, []).append(o.obj)
        self.all_orgs = [o.obj for o in orgs]

    def org_name(self, kind: str, i: int, rng: random.Random) -> tuple[str, str]:
        K = Organisation.Kind
        if kind == K.MINISTRY:
            name = f"Ministry of {MINISTRIES[i % len(MINISTRIES)]}"
        elif kind == K.GOVERNMENT_OFFICE:
            name = OFFICES[i % len(OFFICES)]
        elif kind == K.EMBASSY:
            name = f"Embassy of {DONOR_COUNTRIES[i % len(DONOR_COUNTRIES)]}"
        elif kind == K.DEVELOPMENT_AGENCY:
            country = DONOR_COUNTRIES[(i * 3) % len(DONOR_COUNTRIES)]
            name = f"{DEVELOPMENT_AGENCIES[i % len(DEVELOPMENT_AGENCIES)]} of {country}"
        elif kind == K.FUND:
            name = FUNDS[i % len(FUNDS)]
        elif kind == K.INTERNATIONAL:
            name = INTERNATIONALS[i % len(INTERNATIONALS)]
        else:
            name = f"{rng.choice(CSO_KINDS)} for {rng.choice(CSO_CAUSES)}"
        acronym = "".join(w[0] for w in name.split() if w[0].isupper())[:8]
        return name, acronym

    def contacts(self) -> None:
        started = time.perf_counter()
        rng = self.rng("contacts")
        orgs = self.all_orgs
        # UN agencies have large offices; the rest one to a handful of people each.
        weights = [6 if o.kind == Organisation.Kind.UN_AGENCY else rng.randint(1, 5) for o in orgs]
        per_org = [0] * len(orgs)
        remaining = self.spec.contacts
        # Hand the contacts out in proportion to the weights, then round-robin the rest.
        total_weight = sum(weights)
        for i, w in enumerate(weights):
            per_org[i] = min(remaining, self.spec.contacts * w // total_weight)
            remaining -= per_org[i]
        i = 0
        while remaining > 0:
            per_org[i % len(orgs)] += 1
            remaining -= 1
            i += 1
        combos = len(FIRST_NAMES) * len(LAST_NAMES)
        contacts = []
        self.contacts_by_org: dict[int, list[Contact]] = {}
        for org, n in zip(orgs, per_org, strict=True):
            domain = f"{_slug(org.acronym or 'org')}.synthetic.example"
            picks = rng.sample(range(combos), min(n, combos))
            for j in range(n):
                pick = picks[j % len(picks)]
                first, last = (
                    FIRST_NAMES[pick % len(FIRST_NAMES)],
                    LAST_NAMES[pick // len(FIRST_NAMES)],
                )
                position = POSITIONS[j % len(POSITIONS)]
                if j >= len(POSITIONS):
                    position = f"{position} {j // len(POSITIONS) + 1}"
                contact = Contact(
                    organisation=org,
                    name=f"{first} {last}",
                    position=position,
                    email=f"{_slug(first)}.{_slug(last)}{j}@{domain}",
                    phone=f"+000 {rng.randrange(10, 99)} {rng.randrange(100000, 999999)}",
                    is_sample=True,
                )
                contacts.append(contact)
                self.contacts_by_org.setdefault(org.pk, []).append(contact)
        self.save("Contact", Contact, contacts, started)

    # -- programmes ---------------------------------------------------------------

    def country(self, index: int) -> tuple[str, str]:
        country, capital = COUNTRIES[index % len(COUNTRIES)]
        if index >= len(COUNTRIES):
            country = f"{country} {index // len(COUNTRIES) + 1}"
        return country, capital

    def programmes(self) -> None:
        started = time.perf_counter()
        self.progs: list[Programme] = []
        for p in range(self.spec.programmes):
            country, _ = self.country(p)
            start = dt.date(2018 + p % 8, 1, 1)
            end = dt.date(start.year + 4, 12, 31)
            self.progs.append(
                Programme(
                    title=(
                        f"{PREFIX}{p + 1:02d}: Joint Programme against Trafficking in "
                        f"Human Beings in {country}"
                    ),
                    short_title=f"{PREFIX}JP {p + 1:02d} {country}",
                    country=country,
                    framework="UN.GIFT",
                    status=(
                        Programme.Status.CLOSED
                        if end < ANCHOR
                        else Programme.Status.FUNDRAISING
                        if p % 5 == 2
                        else Programme.Status.IMPLEMENTATION
                    ),
                    start_date=start,
                    end_date=end,
                    # Most report in US dollars, every fourth in euros, so conversion
                    # runs both ways.
                    currency="EUR" if p % 4 == 1 else "USD",
                    summary=(
                        "Synthetic programme made by generate_synthetic for benchmarks: "
                        "every figure is invented. "
                        + MARKER.format(scale=self.scale, seed=self.seed)
                    ),
                )
            )
        self.save("Programme", Programme, self.progs, started)

        started = time.perf_counter()
        self.pillars: dict[int, list[Pillar]] = {}
        pillars = []
        for p, prog in enumerate(self.progs):
            count = 4 if p % 3 == 2 else 3
            self.pillars[p] = [
                Pillar(programme=prog, code=code, name=name, order=i)
                for i, (code, name) in enumerate(PILLARS[:count])
            ]
            pillars += self.pillars[p]
        self.save("Pillar", Pillar, pillars, started)

        started = time.perf_counter()
        self.prog_agencies: dict[int, list[Organisation]] = {}
        self.donors: dict[int, list[Organisation]] = {}
        self.ministries: dict[int, list[Organisation]] = {}
        participations = []
        extra = ["UNICEF", "UNDP", "UNWOMEN", "ILO", "UNFPA"]
        for p, prog in enumerate(self.progs):
            acronyms = ["UNODC", "UNHCR", "IOM"] + ([extra[p % len(extra)]] if p % 2 else [])
            agencies = [self.agencies[a] for a in acronyms]
            self.prog_agencies[p] = agencies
            home = self.orgs_by_home[p]
            self.donors[p] = [o for o in home if o.kind in DONOR_KINDS]
            self.ministries[p] = [
                o
                for o in home
                if o.kind in (Organisation.Kind.MINISTRY, Organisation.Kind.GOVERNMENT_OFFICE)
            ]
            for agency in agencies:
                participations.append(
                    Participation(
                        programme=prog,
                        organisation=agency,
                        role=Participation.Role.PARTICIPATING_AGENCY,
                        mandate=f"{agency.acronym}'s mandate in the fight against trafficking.",
                    )
                )
            for org in self.ministries[p][:2]:
                participations.append(
                    Participation(
                        programme=prog,
                        organisation=org,
                        role=Participation.Role.GOVERNMENT_COUNTERPART,
                    )
                )
            funds = [o for o in home if o.kind == Organisation.Kind.FUND]
            for org in funds[:1]:
                participations.append(
                    Participation(
                        programme=prog, organisation=org, role=Participation.Role.FUNDING_FRAMEWORK
                    )
                )
            csos = [o for o in home if o.kind == Organisation.Kind.CIVIL_SOCIETY]
            for org in csos[:2]:
                participations.append(
                    Participation(
                        programme=prog,
                        organisation=org,
                        role=Participation.Role.IMPLEMENTING_PARTNER,
                    )
                )
        self.save("Participation", Participation, participations, started)

        started = time.perf_counter()
        milestones = []
        for prog in self.progs:
            start = prog.start_date
            for months, title in [
                (-12, "Desk review of the trafficking situation"),
                (-8, "Consultancy to draft the programme document"),
                (-4, "Roundtables with national partners and donors"),
                (0, "Programme launch"),
            ]:
                milestones.append(
                    Milestone(
                        programme=prog,
                        title=title,
                        start_date=_add_months(start, months),
                        is_sample=True,
                    )
                )
        self.save("Milestone", Milestone, milestones, started)

    def reporting_periods(self) -> None:
        """Quarters from each programme's start. Those whose results are all approved
        are locked, as after the report to donors; the latest reported one is open."""
        started = time.perf_counter()
        periods = []
        self.periods: dict[int, list[ReportingPeriod]] = {}
        locked_before = self.spec.results_per_indicator - 1
        for p, prog in enumerate(self.progs):
            manager = self.role_users[p][Membership.Role.MANAGER]
            self.periods[p] = []
            for q in range(self.spec.reporting_periods):
                first = _add_months(prog.start_date, 3 * q)
                last = _add_months(first, 3) - dt.timedelta(days=1)
                locked = q < locked_before
                period = ReportingPeriod(
                    programme=prog,
                    name=f"{first.year} Q{(first.month - 1) // 3 + 1}",
                    start_date=first,
                    end_date=last,
                    due_date=last + dt.timedelta(days=30),
                    locked_at=_noon(last + dt.timedelta(days=60)) if locked else None,
                    locked_by=manager if locked else None,
                    lock_reason="Quarterly report sent to donors." if locked else "",
                )
                self.periods[p].append(period)
                periods.append(period)
        self.save("ReportingPeriod", ReportingPeriod, periods, started)

        started = time.perf_counter()
        events = [
            PeriodLockEvent(
                period=period,
                action=PeriodLockEvent.Action.LOCKED,
                reason=period.lock_reason,
                by=period.locked_by,
                at=period.locked_at,
            )
            for period in periods
            if period.locked_at
        ]
        self.save("PeriodLockEvent", PeriodLockEvent, events, started)

    def disaggregation(self) -> None:
        """Each programme breaks people-counting results down by sex and age group."""
        started = time.perf_counter()
        self.dimensions: dict[int, list[DisaggregationDimension]] = {}
        dimensions = []
        for p, prog in enumerate(self.progs):
            self.dimensions[p] = [
                DisaggregationDimension(programme=prog, name=name, order=i)
                for i, (name, _categories) in enumerate(DIMENSIONS)
            ]
            dimensions += self.dimensions[p]
        self.save("DisaggregationDimension", DisaggregationDimension, dimensions, started)
        started = time.perf_counter()
        self.categories: dict[int, list[DisaggregationCategory]] = {}
        categories = []
        for p in range(len(self.progs)):
            for dimension, (_name, names) in zip(self.dimensions[p], DIMENSIONS, strict=True):
                mine = [
                    DisaggregationCategory(dimension=dimension, name=name, order=i)
                    for i, name in enumerate(names)
                ]
                self.categories[id(dimension)] = mine
                categories += mine
        self.save("DisaggregationCategory", DisaggregationCategory, categories, started)

    def users(self) -> None:
        """One user per role and programme (``bench_p01_manager`` …) and ``bench_admin``."""
        User = get_user_model()
        started = time.perf_counter()
        users = [
            User(
                username=f"{USER_PREFIX}admin",
                email="bench_admin@synthetic.example",
                password=self.password,
                is_staff=True,
                is_superuser=True,
            )
        ]
        plan = []  # (programme index, role, organisation)
        Role = Membership.Role
        for p, prog in enumerate(self.progs):
            tag = f"{USER_PREFIX}p{p + 1:02d}_"
            roles = [("manager", Role.MANAGER, None)]
            roles += [(a.acronym.lower(), Role.AGENCY_STAFF, a) for a in self.prog_agencies[p]]
            roles += [("coordinator", Role.COORDINATOR, None)]
            roles += [("donor", Role.DONOR, self.donors[p][0])]
            for suffix, role, org in roles:
                user = User(
                    username=f"{tag}{suffix}",
                    email=f"{tag}{suffix}@synthetic.example",
                    first_name="Bench",
                    last_name=f"{suffix.title()} {p + 1:02d}",
                    password=self.password,
                    # Managers run the admin, so they are staff (the admin's own rules
                    # then narrow them to the programmes they manage).
                    is_staff=role == Role.MANAGER,
                )
                users.append(user)
                plan.append((prog, role, org, user))
        self.save("User", User, users, started)
        started = time.perf_counter()
        # The UNODC officer also approves other agencies' results (managers always may).
        memberships = [
            Membership(
                user=user,
                programme=prog,
                role=role,
                organisation=org,
                can_approve=role == Membership.Role.AGENCY_STAFF and org.acronym == "UNODC",
            )
            for prog, role, org, user in plan
        ]
        self.save("Membership", Membership, memberships, started)
        self.role_users: dict[int, dict[str, object]] = {}
        for prog, role, org, user in plan:
            index = self.progs.index(prog)
            key = org.acronym if role == Role.AGENCY_STAFF else role
            self.role_users.setdefault(index, {})[key] = user

    # -- results framework ----------------------------------------------------------

    def results_framework(self) -> None:
        spec = self.spec
        started = time.perf_counter()
        outcomes = []
        self.outcomes: dict[int, list[Outcome]] = {}
        self.outcome_meta: list[tuple[int, Outcome, list[Organisation]]] = []
        Status = Outcome.Status
        for p, prog in enumerate(self.progs):
            rng = self.rng("outcomes", p)
            pillars = self.pillars[p]
            agencies = self.prog_agencies[p]
            by_acronym = {a.acronym: a for a in agencies}
            self.outcomes[p] = []
            # Outcomes grouped by pillar, numbered 1..n through the whole framework.
            per_pillar = spread(spec.outcomes, len(pillars))
            k = 0
            for pillar, count in zip(pillars, per_pillar, strict=True):
                for _ in range(count):
                    k += 1
                    lead = by_acronym.get(PILLAR_LEAD.get(pillar.code, ""), agencies[k % 3])
                    if rng.random() < 0.25:
                        lead = rng.choice(agencies)
                    others = [a for a in agencies if a is not lead]
                    participating = rng.sample(others, rng.randint(0, min(2, len(others))))
                    template = rng.choice(OUTCOME_TITLES[pillar.code])
                    outcome = Outcome(
                        programme=prog,
                        pillar=pillar,
                        code=str(k),
                        title=template.format(group=rng.choice(GROUPS), place=rng.choice(PLACES)),
                        description="Invented for benchmarks.",
                        lead_agency=lead,
                        status=rng.choices(
                            [
                                Status.PLANNED,
                                Status.ON_TRACK,
                                Status.AT_RISK,
                                Status.OFF_TRACK,
                                Status.ACHIEVED,
                            ],
                            weights=[15, 45, 20, 8, 12],
                        )[0],
                        order=k,
                        is_sample=True,
                    )
                    outcomes.append(outcome)
                    self.outcomes[p].append(outcome)
                    self.outcome_meta.append((p, outcome, participating))
        self.save("Outcome", Outcome, outcomes, started)

        started = time.perf_counter()
        Through = Outcome.participating_agencies.through
        links = [
            Through(outcome_id=outcome.pk, organisation_id=agency.pk)
            for _p, outcome, participating in self.outcome_meta
            for agency in participating
        ]
        self.save("Outcome.participating_agencies", Through, links, started)

        started = time.perf_counter()
        budgets = []
        for p, outcome, participating in self.outcome_meta:
            rng = self.rng("budget", p, outcome.code)
            for agency in [outcome.lead_agency, *participating]:
                budgets.append(
                    OutcomeBudget(
                        outcome=outcome, agency=agency, amount=_money(rng, 50_000, 900_000)
                    )
                )
        self.save("OutcomeBudget", OutcomeBudget, budgets, started)

        started = time.perf_counter()
        outputs = []
        self.outputs: dict[int, list[Output]] = {}
        for p, outcome, _ in self.outcome_meta:
            rng = self.rng("outputs", p, outcome.code)
            mine = []
            for j in range(spec.outputs_per_outcome):
                mine.append(
                    Output(
                        outcome=outcome,
                        code=f"{outcome.code}.{j + 1}",
                        title=rng.choice(OUTPUT_TITLES).format(who=rng.choice(WHO)),
                        order=j + 1,
                        is_sample=True,
                    )
                )
            self.outputs[id(outcome)] = mine
            outputs += mine
        self.save("Output", Output, outputs, started)

        started = time.perf_counter()
        indicators = []
        self.indicator_meta: list[tuple[int, Outcome, Indicator]] = []
        for p, outcome, _ in self.outcome_meta:
            rng = self.rng("indicators", p, outcome.code)
            mine = self.outputs[id(outcome)]
            for m in range(spec.indicators_per_outcome):
                title, unit, sensitive = rng.choice(INDICATORS)
                # The first two measure the outcome itself; the rest one output each.
                output = mine[(m - 2) % len(mine)] if m >= 2 and mine else None
                if unit == "%":
                    baseline = Decimal(rng.randrange(0, 40))
                    target = Decimal(rng.randrange(60, 101))
                else:
                    baseline = Decimal(rng.randrange(0, 50))
                    target = baseline + Decimal(rng.randrange(20, 2000))
                indicator = Indicator(
                    outcome=outcome,
                    output=output,
                    code=f"{outcome.code}.{m + 1:02d}",
                    title=title.format(who=rng.choice(WHO)),
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    means_of_verification="Agency reports; police and court records",
                    is_sensitive=sensitive,
                    order=m + 1,
                    is_sample=True,
                )
                indicators.append(indicator)
                self.indicator_meta.append((p, outcome, indicator))
        self.save("Indicator", Indicator, indicators, started)

        # Indicators that count people are broken down by sex, half also by age.
        started = time.perf_counter()
        Through = Indicator.dimensions.through
        links = []
        self.indicator_dimensions: dict[int, list[DisaggregationDimension]] = {}
        for p, _outcome, indicator in self.indicator_meta:
            if not indicator.is_sensitive:
                continue
            sex, age = self.dimensions[p]
            mine = [sex, age] if indicator.order % 2 else [sex]
            self.indicator_dimensions[id(indicator)] = mine
            links += [
                Through(indicator_id=indicator.pk, disaggregationdimension_id=d.pk) for d in mine
            ]
        self.save("Indicator.dimensions", Through, links, started)

        started = time.perf_counter()
        results = []
        n = spec.results_per_indicator
        Status = Result.Status
        for p, outcome, indicator in self.indicator_meta:
            rng = self.rng("results", p, indicator.code)
            reporter = self.role_users[p].get(outcome.lead_agency.acronym)
            manager = self.role_users[p].get(Membership.Role.MANAGER)
            span = indicator.target - indicator.baseline
            for q, period in enumerate(self.periods[p][:n]):
                progress = Decimal(q + 1) / Decimal(n) * Decimal(rng.uniform(0.6, 1.15))
                value = (indicator.baseline + span * progress).quantize(Decimal(1))
                if indicator.unit == "%":
                    value = min(value, Decimal(100))
                # Earlier periods are approved; the latest is still in the reporting cycle.
                status = Status.APPROVED
                if q == n - 1:
                    status = rng.choices(
                        [Status.APPROVED, Status.SUBMITTED, Status.DRAFT, Status.RETURNED],
                        weights=[50, 20, 15, 15],
                    )[0]
                entered = dt.datetime.combine(
                    period.end_date + dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC
                )
                submitted = status != Status.DRAFT
                reviewed = status in (Status.APPROVED, Status.RETURNED)
                results.append(
                    Result(
                        indicator=indicator,
                        period=period,
                        value=value,
                        note="" if rng.random() < 0.8 else "Figures from the agency's records.",
                        reported_by=reporter,
                        reported_at=entered,
                        status=status,
                        submitted_by=reporter if submitted else None,
                        submitted_at=entered if submitted else None,
                        submitted_for=outcome.lead_agency if submitted else None,
                        reviewed_by=manager if reviewed else None,
                        reviewed_at=entered + dt.timedelta(days=5) if reviewed else None,
                        review_comment=(
                            "Please add the source of the figure."
                            if status == Status.RETURNED
                            else ""
                        ),
                    )
                )
        self.save("Result", Result, results, started)

        started = time.perf_counter()
        breakdowns = []
        for result in results:
            dimensions = self.indicator_dimensions.get(id(result.indicator))
            if not dimensions:
                continue
            rng = self.rng("breakdown", result.indicator.code, result.period.name)
            for dimension in dimensions:
                categories = self.categories[id(dimension)]
                for category, value in zip(
                    categories, _split(result.value, len(categories), rng), strict=True
                ):
                    breakdowns.append(
                        ResultBreakdown(result=result, category=category, value=value)
                    )
        self.save("ResultBreakdown", ResultBreakdown, breakdowns, started)

    # -- National Action Plan and alignment ---------------------------------------------

    def action_plans(self) -> None:
        spec = self.spec
        started = time.perf_counter()
        plans = []
        for prog in self.progs:
            year = prog.start_date.year - 1
            plans.append(
                NationalActionPlan(
                    programme=prog,
                    title=(
                        f"National Action Plan against Trafficking in Human Beings "
                        f"{year}–{year + 5}"
                    ),
                    version="1",
                    status=NationalActionPlan.Status.ADOPTED,
                    period_start=dt.date(year, 1, 1),
                    period_end=dt.date(year + 5, 12, 31),
                    adopted_on=dt.date(year - 1, 11, 15),
                    is_sample=True,
                )
            )
        self.save("NationalActionPlan", NationalActionPlan, plans, started)

        # Three levels: one general objective per pillar, specific objectives under
        # them, measures under those. Saved level by level so parents have keys.
        started = time.perf_counter()
        levels: list[list[NapObjective]] = [[], [], []]
        self.objectives: dict[int, list[NapObjective]] = {}
        for p, plan in enumerate(plans):
            pillars = self.pillars[p]
            tops_n = min(len(pillars), spec.nap_objectives)
            rest = spec.nap_objectives - tops_n
            mids_n = min(rest, max(tops_n, round(rest * 0.25)))
            leaves_n = rest - mids_n
            tops = [
                NapObjective(
                    plan=plan,
                    code=str(i + 1),
                    title=f"General objective: {pillar.name.lower()} of trafficking",
                    pillar=pillar,
                    order=i + 1,
                    is_sample=True,
                )
                for i, pillar in enumerate(pillars[:tops_n])
            ]
            mids = []
            for i, count in enumerate(spread(mids_n, tops_n)):
                top = tops[i]
                for j in range(count):
                    mids.append(
                        NapObjective(
                            plan=plan,
                            parent=top,
                            code=f"{top.code}.{j + 1}",
                            title=f"Specific objective {top.code}.{j + 1}: "
                            f"{rng_pick(self.rng('nap', p, i, j), GROUPS)} protected and served",
                            pillar=top.pillar,
                            order=j + 1,
                            is_sample=True,
                        )
                    )
            leaves = []
            for i, count in enumerate(spread(leaves_n, len(mids)) if mids else []):
                mid = mids[i]
                for j in range(count):
                    leaves.append(
                        NapObjective(
                            plan=plan,
                            parent=mid,
                            code=f"{mid.code}.{j + 1}",
                            title=f"Measure {mid.code}.{j + 1}: "
                            f"{measure_title(self.rng('nap', p, i, j, 'm'), j)}",
                            pillar=mid.pillar,
                            order=j + 1,
                            is_sample=True,
                        )
                    )
            levels[0] += tops
            levels[1] += mids
            levels[2] += leaves
            self.objectives[p] = tops + mids + leaves
        for level in levels:
            NapObjective.objects.bulk_create(level, batch_size=BATCH_SIZE)
        self.record("NapObjective (3 levels)", sum(len(level) for level in levels), started)

        started = time.perf_counter()
        Through = NapObjective.responsible_ministries.through
        links = []
        for p, objectives in self.objectives.items():
            rng = self.rng("ministries", p)
            ministries = self.ministries[p]
            for objective in objectives:
                for ministry in rng.sample(ministries, min(len(ministries), rng.randint(1, 2))):
                    links.append(Through(napobjective_id=objective.pk, organisation_id=ministry.pk))
        self.save("NapObjective.responsible_ministries", Through, links, started)

        started = time.perf_counter()
        alignments = []
        Review = Alignment.ReviewStatus
        for p, outcomes in self.outcomes.items():
            rng = self.rng("alignments", p)
            objectives = self.objectives[p]
            users = self.role_users[p]
            by_pillar: dict[int, list[NapObjective]] = {}
            for objective in objectives:
                by_pillar.setdefault(id(objective.pillar), []).append(objective)
            for outcome, count in zip(
                outcomes, spread(spec.alignments, len(outcomes)), strict=True
            ):
                same = by_pillar.get(id(outcome.pillar), [])
                chosen = rng.sample(same, min(count, len(same)))
                if len(chosen) < count:
                    left = [o for o in objectives if o not in chosen]
                    chosen += rng.sample(left, min(count - len(chosen), len(left)))
                for objective in chosen:
                    status = rng.choices(
                        [Review.PROPOSED, Review.CONFIRMED, Review.QUERIED], weights=[50, 35, 15]
                    )[0]
                    reviewed = status != Review.PROPOSED
                    alignments.append(
                        Alignment(
                            outcome=outcome,
                            objective=objective,
                            degree=rng.choice(list(Alignment.Degree)),
                            rationale=f"Outcome {outcome.code} serves NAP {objective.code}.",
                            review_status=status,
                            review_comment=(
                                "Please explain how the outcome reaches this objective."
                                if status == Review.QUERIED
                                else ""
                            ),
                            reviewed_by=users["coordinator"] if reviewed else None,
                            reviewed_at=REVIEWED_AT if reviewed else None,
                            proposed_by=users["manager"],
                            is_sample=True,
                        )
                    )
        self.save("Alignment", Alignment, alignments, started)

    # -- meetings -------------------------------------------------------------------------

    def meetings(self) -> None:
        spec = self.spec
        started = time.perf_counter()
        meetings = []
        self.meeting_meta: list[tuple[str, int, Meeting]] = []
        Kind, Audience = Meeting.Kind, Meeting.Audience
        for p, prog in enumerate(self.progs):
            rng = self.rng("meetings", p)
            _country, capital = self.country(p)
            first = _add_months(prog.start_date, -12)
            days = (prog.end_date - first).days
            for i in range(spec.meetings):
                kind = rng.choices(list(Kind), weights=[25, 30, 10, 5, 15, 15])[0]
                start = first + dt.timedelta(days=days * i // max(spec.meetings, 1))
                long = kind in (Kind.FIELD_MISSION, Kind.WORKSHOP)
                meeting = Meeting(
                    programme=prog,
                    kind=kind,
                    title=f"{Kind(kind).label} on {rng.choice(MEETING_TOPICS)}",
                    start_date=start,
                    start_time=None if long else dt.time(rng.choice([9, 10, 11, 14]), 0),
                    end_date=start + dt.timedelta(days=rng.randint(1, 3)) if long else None,
                    place=f"{capital}, {rng.choice(VENUES)}",
                    purpose="Invented for benchmarks.",
                    audience=rng.choice(list(Audience)),
                    is_sample=True,
                )
                meetings.append(meeting)
                self.meeting_meta.append((f"{p}:{i}", p, meeting))
        self.save("Meeting", Meeting, meetings, started)

        started = time.perf_counter()
        invitations = []
        attended_orgs: dict[int, list[Organisation]] = {}
        for key, p, meeting in self.meeting_meta:
            rng = self.rng("invitations", key)
            pool = self.prog_agencies[p] + self.orgs_by_home[p]
            past = meeting.start_date < ANCHOR
            chosen = rng.sample(pool, min(spec.invitations_per_meeting, len(pool)))
            attended_orgs[id(meeting)] = []
            for org in chosen:
                came = (rng.random() < 0.8) if past else None
                if came:
                    attended_orgs[id(meeting)].append(org)
                invitations.append(
                    Invitation(meeting=meeting, organisation=org, attended=came, is_sample=True)
                )
        self.save("Invitation", Invitation, invitations, started)

        started = time.perf_counter()
        attendees = []
        Role = Attendee.Role
        for _key, _p, meeting in self.meeting_meta:
            people = [
                self.contacts_by_org[org.pk][0]
                for org in attended_orgs[id(meeting)][:10]
                if self.contacts_by_org.get(org.pk)
            ]
            for i, contact in enumerate(people):
                role = Role.OPENED if i == 0 else Role.PRESENTED if i < 3 else Role.PARTICIPANT
                attendees.append(
                    Attendee(meeting=meeting, contact=contact, role=role, is_sample=True)
                )
        self.save("Attendee", Attendee, attendees, started)

        started = time.perf_counter()
        feedback = []
        FStatus = Feedback.Status
        for key, p, meeting in self.meeting_meta:
            came = attended_orgs[id(meeting)]
            if not came:
                continue
            rng = self.rng("feedback", key)
            for _ in range(2):
                org = rng.choice(came)
                people = self.contacts_by_org.get(org.pk) or [None]
                status = rng.choice(list(FStatus))
                feedback.append(
                    Feedback(
                        meeting=meeting,
                        organisation=org,
                        contact=people[0],
                        outcome=rng.choice(self.outcomes[p]),
                        text=rng.choice(FEEDBACK),
                        response="" if status == FStatus.OPEN else "Discussed with the agencies.",
                        status=status,
                        is_sample=True,
                    )
                )
        self.save("Feedback", Feedback, feedback, started)

        started = time.perf_counter()
        actions = []
        AStatus = FollowUpAction.Status
        for key, p, meeting in self.meeting_meta:
            rng = self.rng("actions", key)
            for _ in range(2):
                due = meeting.start_date + dt.timedelta(days=rng.randint(7, 45))
                status = AStatus.OPEN if due >= ANCHOR else rng.choice(list(AStatus))
                actions.append(
                    FollowUpAction(
                        meeting=meeting,
                        description=rng.choice(ACTIONS),
                        owner=rng.choice(self.prog_agencies[p]),
                        due_date=due,
                        status=status,
                        completed_on=due if status == AStatus.DONE else None,
                        is_sample=True,
                    )
                )
        self.save("FollowUpAction", FollowUpAction, actions, started)

    # -- money ---------------------------------------------------------------------------

    def exchange_rates(self) -> None:
        """Monthly rates among USD, EUR and GBP covering every programme's life."""
        started = time.perf_counter()
        rng = self.rng("rates")
        first = min(_add_months(p.start_date, -24) for p in self.progs)
        last = max(p.end_date for p in self.progs)
        rates = []
        month = first
        eur_usd, gbp_usd = 1.15, 1.30
        while month <= last:
            eur_usd = min(1.45, max(0.95, eur_usd + rng.uniform(-0.03, 0.03)))
            gbp_usd = min(1.60, max(1.10, gbp_usd + rng.uniform(-0.03, 0.03)))
            for base, quote, value in [
                ("EUR", "USD", eur_usd),
                ("GBP", "USD", gbp_usd),
                ("GBP", "EUR", gbp_usd / eur_usd),
            ]:
                rates.append(
                    ExchangeRate(
                        base_currency=base,
                        quote_currency=quote,
                        rate_date=month,
                        rate=Decimal(str(round(value, 6))),
                        source=RATE_SOURCE,
                    )
                )
            month = _add_months(month, 1)
        # Rates are shared by every programme: keep one that is already stored for a day.
        existing = set(
            ExchangeRate.objects.filter(rate_date__gte=first, rate_date__lte=last).values_list(
                "base_currency", "quote_currency", "rate_date"
            )
        )
        rates = [
            r for r in rates if (r.base_currency, r.quote_currency, r.rate_date) not in existing
        ]
        self.save("ExchangeRate", ExchangeRate, rates, started)

    def pledges(self) -> None:
        spec = self.spec
        started = time.perf_counter()
        pledges = []
        self.pledge_meta: list[tuple[int, Pledge]] = []
        Status = Pledge.Status
        for p, prog in enumerate(self.progs):
            rng = self.rng("pledges", p)
            donors = self.donors[p]
            last = min(prog.end_date, ANCHOR)
            days = max((last - prog.start_date).days, 1)
            for i in range(spec.pledges):
                # The first donor (the one with a bench_…_donor account) gives often.
                donor = donors[0] if i % 5 == 0 else rng.choice(donors)
                earmark = rng.choices(["none", "pillar", "outcome", "agency"], [50, 20, 20, 10])[0]
                pledge = Pledge(
                    programme=prog,
                    donor=donor,
                    amount=_money(rng, 20_000, 1_500_000),
                    currency=rng.choices(["USD", "EUR", "GBP"], weights=[45, 40, 15])[0],
                    pledged_on=prog.start_date
                    - dt.timedelta(days=180)
                    + dt.timedelta(days=rng.randrange(days + 180)),
                    status=rng.choices(list(Status), weights=[30, 35, 35])[0],
                    earmark_pillar=rng.choice(self.pillars[p]) if earmark == "pillar" else None,
                    earmark_outcome=rng.choice(self.outcomes[p]) if earmark == "outcome" else None,
                    earmark_agency=(
                        rng.choice(self.prog_agencies[p]) if earmark == "agency" else None
                    ),
                    reference=f"SYN-{p + 1:02d}-{i + 1:04d}",
                    is_anonymous=rng.random() < 0.05,
                    is_sample=True,
                )
                pledges.append(pledge)
                self.pledge_meta.append((p, pledge))
        self.save("Pledge", Pledge, pledges, started)

        started = time.perf_counter()
        payments = []
        for p in range(len(self.progs)):
            rng = self.rng("payments", p)
            mine = [pl for q, pl in self.pledge_meta if q == p]
            paying = [pl for pl in mine if pl.status != Status.PLEDGED] or mine
            counts = [0] * len(paying)
            for i in range(spec.payments):
                counts[i % len(paying)] += 1
            for pledge, count in zip(paying, counts, strict=True):
                if not count:
                    continue
                share = Decimal(1) if pledge.status == Status.PAID else Decimal("0.5")
                total = (pledge.amount * share).quantize(CENT)
                each = (total / count).quantize(CENT, rounding=ROUND_DOWN)
                agency = pledge.earmark_agency or (
                    pledge.earmark_outcome.lead_agency
                    if pledge.earmark_outcome
                    else rng.choice(self.prog_agencies[p])
                )
                for j in range(count):
                    amount = each if j < count - 1 else total - each * (count - 1)
                    payments.append(
                        Payment(
                            pledge=pledge,
                            amount=amount,
                            currency=pledge.currency,
                            received_on=pledge.pledged_on + dt.timedelta(days=45 * (j + 1)),
                            received_by=agency,
                            reference=f"{pledge.reference}/{j + 1}",
                        )
                    )
        self.save("Payment", Payment, payments, started)

        started = time.perf_counter()
        prospects = []
        Stage = Prospect.Stage
        for p, prog in enumerate(self.progs):
            rng = self.rng("prospects", p)
            for i in range(max(2, self.spec.pledges // 20)):
                prospects.append(
                    Prospect(
                        programme=prog,
                        donor=rng.choice(self.donors[p]),
                        amount_hoped=_money(rng, 50_000, 2_000_000),
                        currency=rng.choice(["USD", "EUR", "GBP"]),
                        stage=rng.choices(list(Stage), weights=[40, 30, 15, 15])[0],
                        next_step="Follow up after the donor roundtable.",
                        owner_agency=self.prog_agencies[p][i % len(self.prog_agencies[p])],
                        date=min(ANCHOR, prog.end_date) - dt.timedelta(days=rng.randrange(365)),
                        is_sample=True,
                    )
                )
        self.save("Prospect", Prospect, prospects, started)

    def run(self) -> None:
        self.organisations()
        self.contacts()
        self.programmes()
        self.users()
        self.reporting_periods()
        self.disaggregation()
        self.results_framework()
        self.action_plans()
        self.meetings()
        self.exchange_rates()
        self.pledges()


@functools.cache
def _password_hash() -> str:
    """Hashed once per process: a password hash is slow on purpose."""
    return make_password(PASSWORD)


def rng_pick(rng: random.Random, items: Sequence):
    return rng.choice(items)


def measure_title(rng: random.Random, j: int) -> str:
    return rng.choice(OUTPUT_TITLES).format(who=WHO[j % len(WHO)]).lower()
