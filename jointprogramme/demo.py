"""The demo programme: Serbia, 2009, as the source article tells it.

``shared/context/serbia-joint-programme-roundtables-2009.txt`` states the
agencies, the people who opened the roundtables, the eight ministries, the
National Coordinator, the development timeline and the two March 2009
roundtables. It states no outcomes, NAP objectives, donors, pledges, dates of the
early steps or which ministries attended; those are invented to make the product
show something, and every such record carries ``is_sample=True``. The text of a
record says when one of its facts (a day, an end date) is approximate.

``demo_load`` is idempotent: each record is looked up by its natural key and
created only when missing. Existing records are left as they are, so a second run
writes nothing, and whatever someone changed while exploring the demo survives
``bin/run`` (which loads the demo on every start). The one exception is the demo
accounts: their password, role and organisation are put back when they differ,
because the command promises that they sign in as documented.

Only for demonstration: the accounts share a published password.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils import timezone
from modeltranslation.translator import translator

from funding.models import ExchangeRate, Payment, Pledge, Prospect
from jointprogramme.demo_sr import SERBIAN
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

Kind = Organisation.Kind
D = Decimal
date = dt.date

DEMO_PASSWORD = "demo12345"
MANAGERS_GROUP = "Programme managers"
LOCAL_APPS = ("stakeholders", "jointprogramme", "outcomes", "meetings", "funding")
CHANGE_REASON = "Demo data (load_demo)"

# --------------------------------------------------------------------------
# What the article states
# --------------------------------------------------------------------------

PROGRAMME = {
    "title": "Joint Programme in the area of Anti-Human Trafficking in Serbia",
    "short_title": "Serbia anti-trafficking JP",
    "country": "Serbia",
    "framework": "UN.GIFT",
    "status": Programme.Status.FUNDRAISING,
    "currency": "USD",
    "summary": (
        "Developed by UNODC, UNHCR and IOM under the UN Global Initiative to Fight "
        "Human Trafficking (UN.GIFT), in line with the international legal instruments "
        "signed and ratified by the Government of Serbia, particularly the UN Protocol "
        "to Prevent, Suppress and Punish Trafficking in Persons, especially Women and "
        "Children. It aims at operationalising the newly drafted national action plan, "
        "and is the first integrated and comprehensive framework in the area of "
        "anti-human trafficking in Serbia, following the structure of the 3 P's "
        "(prevention, prosecution and protection), with the three agencies working "
        "together according to their own respective mandates. Presented to national "
        "counterparts on 23 March 2009 and to donors on 25 March 2009 in Belgrade; the "
        "three agencies continue to fundraise jointly to start implementation."
    ),
}

PILLARS = [
    ("prevention", "Prevention", 1, "Preventing trafficking in human beings."),
    ("prosecution", "Prosecution", 2, "Prosecuting traffickers."),
    ("protection", "Protection", 3, "Protecting and assisting victims of trafficking."),
]

# key: (name, acronym, description, mandate). Mandates summarise each agency's
# remit; the article says only that they work "according to their own respective
# mandates".
AGENCIES = {
    "unodc": (
        "United Nations Office on Drugs and Crime",
        "UNODC",
        "Regional Programme Office for South Eastern Europe (RPOSEE).",
        "Custodian of the UN Protocol to Prevent, Suppress and Punish Trafficking in "
        "Persons; criminal justice response: police, prosecutors and courts.",
    ),
    "unhcr": (
        "Office of the United Nations High Commissioner for Refugees",
        "UNHCR",
        "UNHCR Mission to Serbia.",
        "International protection of refugees, asylum seekers, internally displaced "
        "and stateless persons, including those at risk of or affected by trafficking.",
    ),
    "iom": (
        "International Organization for Migration",
        "IOM",
        "IOM Mission to Serbia.",
        "Safe migration: prevention of trafficking and direct assistance, return and "
        "reintegration of victims.",
    ),
}

# The eight invited to the roundtable of 23 March 2009, in the article's order.
MINISTRIES = [
    ("Ministry of Interior", Kind.MINISTRY),
    ("Ministry of Justice", Kind.MINISTRY),
    ("Ministry of Labour and Social Welfare", Kind.MINISTRY),
    ("Ministry of Education", Kind.MINISTRY),
    ("Ministry of Human and Minority Rights", Kind.MINISTRY),
    ("Commissariat for Refugees", Kind.GOVERNMENT_OFFICE),
    ("Deputy Prime Minister's Office", Kind.GOVERNMENT_OFFICE),
    ("Ministry of Foreign Affairs", Kind.MINISTRY),
]
NATIONAL_COORDINATOR = "Anti-Human Trafficking National Coordinator"
UN_GIFT = "UN.GIFT — United Nations Global Initiative to Fight Human Trafficking"

# key: (agency key, name, position): the three who opened both roundtables.
HEADS = {
    "unhcr": ("unhcr", "Lennart Kotsalainen", "UNHCR Representative in Serbia"),
    "unodc": (
        "unodc",
        "Carla Ciavarella",
        "UNODC Regional Programme Coordinator for South Eastern Europe",
    ),
    "iom": ("iom", "Gregoire Goodstein", "IOM Chief of Mission to Serbia"),
}
CONSULTANT_POSITION = "Joint programme consultant (UN.GIFT)"

ROUNDTABLE_NATIONAL = "Roundtable with state secretaries on the joint programme"
ROUNDTABLE_DONORS = "Donor roundtable on the joint programme"

# --------------------------------------------------------------------------
# Illustrative content (the article gives none): all is_sample=True
# --------------------------------------------------------------------------

SAMPLE_CSO = "Anti-trafficking NGO network (sample civil-society organisation)"
SAMPLE_IO = "OSCE Mission to Serbia (sample international organisation)"

# key: (name, acronym, kind, country)
DONORS = {
    "norway": (
        "Embassy of the Kingdom of Norway (sample donor)",
        "",
        Kind.EMBASSY,
        "Norway",
    ),
    "sida": (
        "Swedish International Development Cooperation Agency (sample donor)",
        "Sida",
        Kind.DEVELOPMENT_AGENCY,
        "Sweden",
    ),
    "ec": (
        "Delegation of the European Commission (sample donor)",
        "",
        Kind.DEVELOPMENT_AGENCY,
        "",
    ),
    "usa": (
        "Embassy of the United States of America (sample donor)",
        "",
        Kind.EMBASSY,
        "United States",
    ),
    "netherlands": (
        "Embassy of the Kingdom of the Netherlands (sample donor)",
        "",
        Kind.EMBASSY,
        "Netherlands",
    ),
}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    output: str | None = None  # output code; None for an outcome-level indicator
    sensitive: bool = False
    verification: str = ""


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    pillar: str
    title: str
    lead: str
    participants: tuple[str, ...]
    budgets: dict[str, Decimal]
    outputs: tuple[tuple[str, str], ...]
    indicators: tuple[IndicatorSpec, ...]
    status: str = Outcome.Status.PLANNED


OUTCOMES = [
    OutcomeSpec(
        code="1.1",
        pillar="prevention",
        title="Public awareness of trafficking risks raised among groups at risk",
        lead="iom",
        participants=("unhcr",),
        budgets={"iom": D("450000"), "unhcr": D("150000")},
        outputs=(
            ("1.1.1", "Awareness campaigns reach young people and communities at risk"),
            ("1.1.2", "Refugees, returnees and IDPs informed about trafficking and safe migration"),
        ),
        indicators=(
            IndicatorSpec(
                "1.1.a",
                "People reached by awareness-raising activities",
                "people",
                D("0"),
                D("50000"),
                output="1.1.1",
                verification="Activity reports of the implementing partners",
            ),
            IndicatorSpec(
                "1.1.b",
                "Young people in surveyed communities who can name a trafficking risk",
                "%",
                D("35"),
                D("60"),
                verification="Baseline and end-line survey",
            ),
        ),
        status=Outcome.Status.ON_TRACK,
    ),
    OutcomeSpec(
        code="1.2",
        pillar="prevention",
        title="Schools and social services prevent trafficking of children",
        lead="iom",
        participants=(),
        budgets={"iom": D("350000")},
        outputs=(("1.2.1", "Teachers and social workers trained to recognise children at risk"),),
        indicators=(
            IndicatorSpec(
                "1.2.a",
                "Teachers and social workers trained",
                "people",
                D("0"),
                D("1200"),
                output="1.2.1",
                verification="Training attendance lists",
            ),
            IndicatorSpec(
                "1.2.b",
                "Schools with a child-trafficking prevention plan",
                "schools",
                D("0"),
                D("150"),
                verification="Ministry of Education records",
            ),
        ),
    ),
    OutcomeSpec(
        code="2.1",
        pillar="prosecution",
        title="Police and prosecutors identify and prosecute trafficking cases effectively",
        lead="unodc",
        participants=(),  # UNODC only
        budgets={"unodc": D("700000")},
        outputs=(
            ("2.1.1", "Police officers and prosecutors trained to investigate trafficking"),
            ("2.1.2", "Standard operating procedures for proactive investigations adopted"),
        ),
        indicators=(
            IndicatorSpec(
                "2.1.a",
                "Police officers and prosecutors trained",
                "people",
                D("0"),
                D("400"),
                output="2.1.1",
                verification="Training records",
            ),
            IndicatorSpec(
                "2.1.b",
                "Trafficking cases brought to prosecution per year",
                "cases",
                D("50"),
                D("80"),
                verification="Public Prosecutor's Office statistics",
            ),
        ),
    ),
    OutcomeSpec(
        code="2.2",
        pillar="prosecution",
        title="Judges apply the anti-trafficking law consistently",
        lead="unodc",
        participants=("iom",),
        budgets={"unodc": D("400000"), "iom": D("100000")},
        outputs=(
            ("2.2.1", "Judges trained on the anti-trafficking provisions of the Criminal Code"),
        ),
        indicators=(
            IndicatorSpec(
                "2.2.a",
                "Judges trained",
                "judges",
                D("0"),
                D("150"),
                output="2.2.1",
                verification="Judicial training records",
            ),
            IndicatorSpec(
                "2.2.b",
                "Trafficking judgments reviewed that apply the law consistently",
                "%",
                D("60"),
                D("90"),
                verification="Annual review of a sample of judgments",
            ),
        ),
    ),
    OutcomeSpec(
        code="3.1",
        pillar="protection",
        title=(
            "Victims, including refugees, asylum seekers and internally displaced persons, "
            "are identified and referred"
        ),
        lead="unhcr",
        participants=("iom", "unodc"),
        budgets={"unhcr": D("500000"), "iom": D("250000"), "unodc": D("150000")},
        outputs=(
            (
                "3.1.1",
                "The referral mechanism covers refugees, asylum seekers and displaced persons",
            ),
            ("3.1.2", "Frontline staff trained to identify victims"),
        ),
        indicators=(
            IndicatorSpec(
                "3.1.a",
                "Victims of trafficking identified",
                "victims identified",
                D("60"),
                D("120"),
                sensitive=True,
                verification="Agency for Coordination of Protection of Victims records",
            ),
            IndicatorSpec(
                "3.1.b",
                "Victims identified among refugees, asylum seekers and displaced persons",
                "victims identified",
                D("2"),
                D("15"),
                output="3.1.1",
                sensitive=True,
                verification="UNHCR case records",
            ),
            IndicatorSpec(
                "3.1.c",
                "Frontline staff trained in identification",
                "people",
                D("0"),
                D("600"),
                output="3.1.2",
                verification="Training records",
            ),
        ),
    ),
    OutcomeSpec(
        code="3.2",
        pillar="protection",
        title="Survivors receive assistance and reintegration support",
        lead="iom",
        participants=("unhcr",),
        budgets={"iom": D("650000"), "unhcr": D("200000")},
        outputs=(
            ("3.2.1", "Shelters and case management provide assistance to survivors"),
            ("3.2.2", "Survivors receive vocational training and reintegration grants"),
        ),
        indicators=(
            IndicatorSpec(
                "3.2.a",
                "Survivors receiving assistance",
                "survivors assisted",
                D("40"),
                D("100"),
                output="3.2.1",
                sensitive=True,
                verification="Case management records",
            ),
            IndicatorSpec(
                "3.2.b",
                "Survivors who complete a reintegration plan",
                "survivors",
                D("10"),
                D("60"),
                output="3.2.2",
                sensitive=True,
                verification="Case management records",
            ),
        ),
    ),
]

# (name, start, end, due)
REPORTING_PERIODS = [
    ("2010 H1", date(2010, 1, 1), date(2010, 6, 30), date(2010, 7, 31)),
    ("2010 H2", date(2010, 7, 1), date(2010, 12, 31), date(2011, 1, 31)),
    ("2011 H1", date(2011, 1, 1), date(2011, 6, 30), date(2011, 7, 31)),
    ("2011 H2", date(2011, 7, 1), date(2011, 12, 31), date(2012, 1, 31)),
]
# (outcome code, indicator code, value): reported for 2010 H1 by the lead agency,
# approved by the manager; the period is locked since its report went out.
RESULTS_2010_H1 = [
    ("1.1", "1.1.a", D("12500")),
    ("1.2", "1.2.a", D("230")),
    ("2.1", "2.1.a", D("85")),
    ("3.1", "3.1.a", D("38")),
    ("3.2", "3.2.a", D("4")),
]
H1_2010_LOCK_REASON = "Semi-annual report sent to the donors (sample)"
# 2010 H2 is under way: (outcome, indicator, value, status, review comment).
RESULTS_2010_H2 = [
    ("1.1", "1.1.a", D("21000"), "draft", ""),
    ("2.2", "2.2.a", D("48"), "submitted", ""),
    (
        "3.1",
        "3.1.a",
        D("45"),
        "returned",
        "Please check the 'other forms' figure against the Agency's case records.",
    ),
]
# How results are broken down (sample): dimension → categories, and which indicators.
DIMENSIONS = {
    "Sex": ["Female", "Male"],
    "Age group": ["Children (under 18)", "Adults"],
    "Form of exploitation": ["Sexual", "Labour", "Other forms"],
}
INDICATOR_DIMENSIONS = {
    "3.1.a": ["Sex", "Age group", "Form of exploitation"],
    "3.1.b": ["Sex"],
    "3.2.a": ["Sex", "Age group"],
}
# (indicator, period) → parts by category; each dimension adds up to the result.
BREAKDOWNS = {
    ("3.1.a", "2010 H1"): {
        "Female": D("27"),
        "Male": D("11"),
        "Children (under 18)": D("9"),
        "Adults": D("29"),
        "Sexual": D("21"),
        "Labour": D("13"),
        "Other forms": D("4"),
    },
    ("3.2.a", "2010 H1"): {
        "Female": D("3"),
        "Male": D("1"),
        "Children (under 18)": D("1"),
        "Adults": D("3"),
    },
    ("3.1.a", "2010 H2"): {
        "Female": D("30"),
        "Male": D("15"),
        "Children (under 18)": D("12"),
        "Adults": D("33"),
        "Sexual": D("25"),
        "Labour": D("15"),
        "Other forms": D("5"),
    },
}
# Agency staff who approve other agencies' results (the manager always may).
DEMO_APPROVERS = {"unhcr"}

NAP = {
    "title": "National Action Plan for Combating Trafficking in Human Beings",
    "version": "draft-2009",
    "status": NationalActionPlan.Status.DRAFT,
}
# (code, parent code, pillar, title, responsible ministries)
NAP_OBJECTIVES = [
    (
        "1",
        None,
        "prevention",
        "Prevention of trafficking in human beings",
        ["Ministry of Education", "Ministry of Labour and Social Welfare"],
    ),
    (
        "1.1",
        "1",
        "prevention",
        "Raise public awareness of trafficking, especially among groups at risk",
        ["Ministry of Human and Minority Rights", "Ministry of Foreign Affairs"],
    ),
    (
        "1.2",
        "1",
        "prevention",
        "Prevent trafficking of children through the education and social welfare systems",
        ["Ministry of Education", "Ministry of Labour and Social Welfare"],
    ),
    (
        "2",
        None,
        "prosecution",
        "Effective prosecution of traffickers",
        ["Ministry of Interior", "Ministry of Justice", "Deputy Prime Minister's Office"],
    ),
    (
        "2.1",
        "2",
        "prosecution",
        "Strengthen the capacity of police and prosecutors to investigate trafficking",
        ["Ministry of Interior", "Ministry of Justice"],
    ),
    (
        "2.2",
        "2",
        "prosecution",
        "Ensure the courts apply the anti-trafficking legislation consistently",
        ["Ministry of Justice"],
    ),
    (
        "2.3",
        "2",
        "prosecution",
        "Compensation for victims and seizure of traffickers' assets",
        ["Ministry of Justice", "Ministry of Interior"],
    ),
    (
        "3",
        None,
        "protection",
        "Protection and assistance of victims",
        ["Ministry of Labour and Social Welfare", "Commissariat for Refugees"],
    ),
    (
        "3.1",
        "3",
        "protection",
        "Identify and refer all victims, including refugees, asylum seekers and "
        "internally displaced persons",
        [
            "Ministry of Interior",
            "Ministry of Labour and Social Welfare",
            "Commissariat for Refugees",
        ],
    ),
    (
        "3.2",
        "3",
        "protection",
        "Provide assistance and sustainable reintegration to victims",
        ["Ministry of Labour and Social Welfare"],
    ),
]
# No outcome serves it: the alignment report shows it as a gap.
UNCOVERED_NAP_OBJECTIVE = "2.3"

ALIGN_CONFIRMED = Alignment.ReviewStatus.CONFIRMED
ALIGN_QUERIED = Alignment.ReviewStatus.QUERIED
ALIGN_PROPOSED = Alignment.ReviewStatus.PROPOSED
# (outcome, NAP objective, degree, review status, rationale, review comment)
ALIGNMENTS = [
    ("1.1", "1.1", "full", ALIGN_CONFIRMED, "The outcome is the objective's awareness work.", ""),
    ("1.2", "1.2", "full", ALIGN_PROPOSED, "Works through schools and social services.", ""),
    ("2.1", "2.1", "full", ALIGN_CONFIRMED, "Trains and equips police and prosecutors.", ""),
    (
        "2.2",
        "2.2",
        "partial",
        ALIGN_QUERIED,
        "Covers training of judges, not the review of sentencing practice.",
        "The Ministry of Justice asks whether the Judicial Academy's curriculum is covered.",
    ),
    ("3.1", "3.1", "full", ALIGN_CONFIRMED, "Identification and referral of all victims.", ""),
    (
        "3.1",
        "2.1",
        "partial",
        ALIGN_PROPOSED,
        "Identified victims are witnesses in investigations.",
        "",
    ),
    ("3.2", "3.2", "full", ALIGN_CONFIRMED, "Assistance and reintegration of survivors.", ""),
]

# Approximate 2009–2010 market rates into USD, for the demo only.
EXCHANGE_RATES = [
    ("EUR", date(2009, 3, 2), D("1.26180000")),
    ("EUR", date(2009, 7, 1), D("1.41250000")),
    ("EUR", date(2010, 1, 4), D("1.44130000")),
    ("NOK", date(2009, 3, 2), D("0.14170000")),
    ("NOK", date(2009, 7, 1), D("0.15700000")),
    ("NOK", date(2010, 1, 4), D("0.17420000")),
    ("SEK", date(2009, 3, 2), D("0.10940000")),
    ("SEK", date(2009, 7, 1), D("0.13000000")),
    ("SEK", date(2010, 1, 4), D("0.14100000")),
]
RATE_SOURCE = "Sample rate for the demo (approximate)"


@dataclass(frozen=True)
class PledgeSpec:
    reference: str
    donor: str
    amount: Decimal
    currency: str
    pledged_on: dt.date
    status: str
    earmark_pillar: str | None = None
    earmark_outcome: str | None = None
    earmark_agency: str | None = None
    anonymous: bool = False
    # (reference, amount, received on, agency key)
    payments: tuple[tuple[str, Decimal, dt.date, str], ...] = ()


PLEDGES = [
    PledgeSpec(
        "DEMO-NOR-1",
        "norway",
        D("2000000"),
        "NOK",
        date(2009, 4, 20),
        Pledge.Status.PAID,
        earmark_pillar="protection",
        payments=(
            ("DEMO-NOR-1-UNHCR", D("1200000"), date(2009, 7, 15), "unhcr"),
            ("DEMO-NOR-1-IOM", D("800000"), date(2009, 7, 15), "iom"),
        ),
    ),
    PledgeSpec(
        "DEMO-NOR-2", "norway", D("1000000"), "NOK", date(2010, 2, 1), Pledge.Status.PLEDGED
    ),
    PledgeSpec(
        "DEMO-SIDA-1",
        "sida",
        D("4000000"),
        "SEK",
        date(2009, 6, 10),
        Pledge.Status.COMMITTED,
        earmark_agency="unodc",
        payments=(("DEMO-SIDA-1-A", D("1500000"), date(2009, 11, 2), "unodc"),),
    ),
    PledgeSpec(
        "DEMO-EC-1",
        "ec",
        D("500000"),
        "EUR",
        date(2009, 9, 15),
        Pledge.Status.COMMITTED,
        earmark_outcome="2.1",
        payments=(("DEMO-EC-1-A", D("200000"), date(2010, 1, 20), "unodc"),),
    ),
    PledgeSpec(
        "DEMO-EC-2",
        "ec",
        D("250000"),
        "EUR",
        date(2010, 3, 1),
        Pledge.Status.PLEDGED,
        earmark_outcome="1.1",
    ),
    PledgeSpec(
        "DEMO-USA-1",
        "usa",
        D("300000"),
        "USD",
        date(2009, 5, 5),
        Pledge.Status.COMMITTED,
        earmark_pillar="prosecution",
        anonymous=True,
        payments=(("DEMO-USA-1-A", D("100000"), date(2009, 8, 10), "unodc"),),
    ),
]

# The fundraising pipeline after the donor roundtable:
# (donor key, amount hoped, currency, stage, owner agency key, date, next step)
PROSPECTS = [
    (
        "netherlands",
        D("300000"),
        "EUR",
        Prospect.Stage.APPROACHED,
        "unhcr",
        date(2009, 4, 15),
        "Send the protection outcomes (3.1, 3.2) with their budgets.",
    ),
    (
        "sida",
        D("2000000"),
        "SEK",
        Prospect.Stage.INTERESTED,
        "iom",
        date(2009, 10, 5),
        "Meet the embassy's programme officer on a second contribution for prevention.",
    ),
]

# username: (last name, role, agency or donor key)
DEMO_USERS = {
    "manager": ("Manager", Membership.Role.MANAGER, None),
    "unodc": ("UNODC staff", Membership.Role.AGENCY_STAFF, "unodc"),
    "unhcr": ("UNHCR staff", Membership.Role.AGENCY_STAFF, "unhcr"),
    "iom": ("IOM staff", Membership.Role.AGENCY_STAFF, "iom"),
    "coordinator": ("Coordinator", Membership.Role.COORDINATOR, None),
    "donor": ("Donor", Membership.Role.DONOR, "norway"),
}


# --------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------


@dataclass
class DemoSummary:
    programme: Programme
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    accounts_updated: list[str] = field(default_factory=list)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def existing_total(self) -> int:
        return sum(self.existing.values())

    @property
    def changed_anything(self) -> bool:
        return bool(self.created_total or self.accounts_updated)


@transaction.atomic
def in_both_languages(model: type[models.Model], values: dict) -> dict:
    """The English and Serbian columns of a demo record's translated texts (content
    in two languages, django-modeltranslation): English as written here, Serbian
    from demo_sr where it has one. Explicit, so the language active while loading
    does not matter."""
    if model not in translator.get_registered_models():
        return {}
    columns = {}
    for name in translator.get_options_for_model(model).fields:
        text = values.get(name)
        if isinstance(text, str):
            columns[f"{name}_en"] = text
            if text in SERBIAN:
                columns[f"{name}_sr"] = SERBIAN[text]
    return columns


def demo_load(*, today: dt.date | None = None) -> DemoSummary:
    """Build (or complete) the Serbia demo programme; return what was created.

    ``today`` dates the one follow-up action that must lie in the future; it is
    read only when that action is first created.
    """
    return _Builder(today=today or timezone.localdate()).build()


class _Builder:
    def __init__(self, *, today: dt.date):
        self.today = today
        self.created: Counter = Counter()
        self.existing: Counter = Counter()
        self.accounts_updated: list[str] = []

    # -- one record ---------------------------------------------------------

    def ensure(self, model: type[models.Model], defaults: dict | None = None, **lookup):
        """The record matching ``lookup``, created from ``lookup`` and ``defaults``
        when missing; an existing record is returned untouched."""
        obj = model._default_manager.filter(**lookup).first()
        label = str(model._meta.verbose_name_plural)
        if obj is not None:
            self.existing[label] += 1
            self.add_missing_serbian(obj)
            return obj, False
        values = {k: v for k, v in lookup.items() if "__" not in k}
        values.update(defaults or {})
        values.update(in_both_languages(model, values))
        m2m = {
            name: values.pop(name)
            for name in list(values)
            if isinstance(model._meta.get_field(name), models.ManyToManyField)
        }
        obj = model(**values)
        obj._change_reason = CHANGE_REASON  # shown in the audit history
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        for name, related in m2m.items():
            getattr(obj, name).set(related)
        self.created[label] += 1
        return obj, True

    def add_missing_serbian(self, obj: models.Model) -> None:
        """Serbian texts for demo records loaded before there were any (an update of
        those columns only: no other change, nothing when they are there)."""
        model = type(obj)
        if model not in translator.get_registered_models():
            return
        english = {
            name: getattr(obj, f"{name}_en", None)
            for name in translator.get_options_for_model(model).fields
        }
        missing = {
            f"{name}_sr": SERBIAN[text]
            for name, text in english.items()
            if text in SERBIAN and not getattr(obj, f"{name}_sr", None)
        }
        if missing:
            changed = dict(missing)
            if any(field.name == "updated_at" for field in model._meta.concrete_fields):
                changed["updated_at"] = timezone.now()  # as a save would: caches see it
            model._default_manager.filter(pk=obj.pk).update(**changed)
            for column, text in missing.items():
                setattr(obj, column, text)

    # -- the whole programme --------------------------------------------------

    def build(self) -> DemoSummary:
        self.programme, _ = self.ensure(
            Programme,
            title=PROGRAMME["title"],
            defaults={k: v for k, v in PROGRAMME.items() if k != "title"},
        )
        self.pillars = {
            code: self.ensure(
                Pillar,
                programme=self.programme,
                code=code,
                defaults={"name": name, "order": order, "description": description},
            )[0]
            for code, name, order, description in PILLARS
        }
        self.build_organisations()
        self.build_contacts()
        self.build_milestones()
        self.build_outcomes()
        self.build_action_plan()
        self.users = self.build_accounts()
        self.build_results()
        self.build_alignments()
        self.build_timeline()
        self.build_roundtables()
        self.build_funding()
        return DemoSummary(
            programme=self.programme,
            created=self.created,
            existing=self.existing,
            accounts_updated=self.accounts_updated,
        )

    def organisation(self, name: str, **defaults) -> Organisation:
        return self.ensure(Organisation, name__iexact=name, defaults={"name": name, **defaults})[0]

    def participation(self, organisation: Organisation, role: str, mandate: str = "") -> None:
        self.ensure(
            Participation,
            programme=self.programme,
            organisation=organisation,
            defaults={"role": role, "mandate": mandate},
        )

    def build_organisations(self) -> None:
        Role = Participation.Role
        self.agencies = {}
        for key, (name, acronym, description, mandate) in AGENCIES.items():
            agency = self.organisation(
                name,
                acronym=acronym,
                kind=Kind.UN_AGENCY,
                country="Serbia",
                description=description,
            )
            self.participation(agency, Role.PARTICIPATING_AGENCY, mandate)
            self.agencies[key] = agency
        self.ministries = {}
        for name, kind in MINISTRIES:
            ministry = self.organisation(name, kind=kind, country="Serbia")
            self.participation(ministry, Role.GOVERNMENT_COUNTERPART)
            self.ministries[name] = ministry
        self.coordinator_office = self.organisation(
            NATIONAL_COORDINATOR,
            kind=Kind.GOVERNMENT_OFFICE,
            country="Serbia",
            description=(
                "Co-presented the joint programme at both March 2009 roundtables, showing "
                "outcome by outcome its consistency with the national action plan."
            ),
        )
        self.participation(
            self.coordinator_office,
            Role.GOVERNMENT_COUNTERPART,
            "Coordinates the national response and the National Action Plan.",
        )
        self.un_gift = self.organisation(
            UN_GIFT,
            acronym="UN.GIFT",
            kind=Kind.FUND,
            description="Funded the three-month consultancy that developed the programme.",
        )
        self.participation(
            self.un_gift,
            Role.FUNDING_FRAMEWORK,
            "The programme was developed under UN.GIFT, which funded the consultancy.",
        )
        self.sample_cso = self.organisation(
            SAMPLE_CSO, kind=Kind.CIVIL_SOCIETY, country="Serbia", is_sample=True
        )
        self.sample_io = self.organisation(SAMPLE_IO, kind=Kind.INTERNATIONAL, is_sample=True)
        self.donors = {
            key: self.organisation(
                name, acronym=acronym, kind=kind, country=country, is_sample=True
            )
            for key, (name, acronym, kind, country) in DONORS.items()
        }

    def build_contacts(self) -> None:
        self.heads = {
            key: self.ensure(
                Contact, organisation=self.agencies[agency], name=name, position=position
            )[0]
            for key, (agency, name, position) in HEADS.items()
        }
        self.consultant, _ = self.ensure(
            Contact, organisation=self.un_gift, name="", position=CONSULTANT_POSITION
        )
        self.coordinator_contact, _ = self.ensure(
            Contact,
            organisation=self.coordinator_office,
            name="",
            position=NATIONAL_COORDINATOR,
        )

    def build_milestones(self) -> None:
        for title, start, end, description, funded_by in [
            (
                "Three-month consultancy funded by UN.GIFT for the development of the programme",
                date(2008, 12, 1),
                date(2009, 2, 28),
                "The article states a three-month consultancy funded by UN.GIFT and a start "
                "at the beginning of December; the exact start and end days are approximate.",
                self.un_gift,
            ),
            (
                "Roundtable with state secretaries",
                date(2009, 3, 23),
                None,
                "The joint programme shared with national counterparts in Belgrade.",
                None,
            ),
            (
                "Donor roundtable",
                date(2009, 3, 25),
                None,
                "The finalized joint programme presented to the donor community in Belgrade.",
                None,
            ),
            (
                "Joint fundraising by the three agencies",
                date(2009, 3, 26),
                None,
                "Further to the donor roundtable, UNODC, UNHCR and IOM continue to fundraise "
                "jointly, hoping to start implementation as soon as possible. The start day "
                "is approximate: the article gives none.",
                None,
            ),
        ]:
            self.ensure(
                Milestone,
                programme=self.programme,
                title=title,
                defaults={
                    "start_date": start,
                    "end_date": end,
                    "description": description,
                    "funded_by": funded_by,
                },
            )

    def build_outcomes(self) -> None:
        self.outcomes = {}
        self.indicators = {}
        for order, spec in enumerate(OUTCOMES, start=1):
            outcome, _ = self.ensure(
                Outcome,
                programme=self.programme,
                code=spec.code,
                defaults={
                    "pillar": self.pillars[spec.pillar],
                    "title": spec.title,
                    "description": "Illustrative outcome: the article lists none.",
                    "lead_agency": self.agencies[spec.lead],
                    "participating_agencies": [self.agencies[k] for k in spec.participants],
                    "status": spec.status,
                    "order": order,
                    "is_sample": True,
                },
            )
            self.outcomes[spec.code] = outcome
            for agency_key, amount in spec.budgets.items():
                self.ensure(
                    OutcomeBudget,
                    outcome=outcome,
                    agency=self.agencies[agency_key],
                    defaults={"amount": amount},
                )
            outputs = {}
            for position, (code, title) in enumerate(spec.outputs, start=1):
                outputs[code], _ = self.ensure(
                    Output,
                    outcome=outcome,
                    code=code,
                    defaults={"title": title, "order": position, "is_sample": True},
                )
            for position, ind in enumerate(spec.indicators, start=1):
                self.indicators[ind.code], _ = self.ensure(
                    Indicator,
                    outcome=outcome,
                    code=ind.code,
                    defaults={
                        "output": outputs[ind.output] if ind.output else None,
                        "title": ind.title,
                        "unit": ind.unit,
                        "baseline": ind.baseline,
                        "target": ind.target,
                        "means_of_verification": ind.verification,
                        "is_sensitive": ind.sensitive,
                        "order": position,
                        "is_sample": True,
                    },
                )

    def build_action_plan(self) -> None:
        self.plan, _ = self.ensure(
            NationalActionPlan,
            programme=self.programme,
            version=NAP["version"],
            defaults={"title": NAP["title"], "status": NAP["status"]},
        )
        self.objectives = {}
        for order, (code, parent, pillar, title, ministries) in enumerate(NAP_OBJECTIVES, 1):
            self.objectives[code], _ = self.ensure(
                NapObjective,
                plan=self.plan,
                code=code,
                defaults={
                    "parent": self.objectives[parent] if parent else None,
                    "pillar": self.pillars[pillar],
                    "title": title,
                    "description": "Illustrative objective: the article does not quote the "
                    "plan's text.",
                    "responsible_ministries": [self.ministries[m] for m in ministries],
                    "order": order,
                    "is_sample": True,
                },
            )

    def build_accounts(self) -> dict:
        User = get_user_model()
        group, _ = self.ensure(Group, name=MANAGERS_GROUP)
        wanted = set(
            Permission.objects.filter(content_type__app_label__in=LOCAL_APPS).values_list(
                "pk", flat=True
            )
        )
        missing = wanted - set(group.permissions.values_list("pk", flat=True))
        if missing:
            group.permissions.add(*missing)
        # Hashing or checking a password takes about a second, so the six accounts
        # share one hash (the password is published anyway): a run hashes at most
        # once and checks each distinct stored hash once.
        demo_hash = None
        checked_hashes = set()
        users = {}
        for username, (last_name, role, org_key) in DEMO_USERS.items():
            user, created = self.ensure(
                User,
                username=username,
                defaults={
                    "first_name": "Demo",
                    "last_name": last_name,
                    "email": f"{username}@example.org",
                    "is_staff": role == Membership.Role.MANAGER,
                    "password": make_password(None),  # unusable until set below
                },
            )
            changed = []
            if role == Membership.Role.MANAGER and not (user.is_staff and user.is_active):
                user.is_staff = user.is_active = True
                changed += ["is_staff", "is_active"]
            if user.password not in checked_hashes:
                if user.check_password(DEMO_PASSWORD):
                    checked_hashes.add(user.password)
                else:
                    if demo_hash is None:
                        demo_hash = make_password(DEMO_PASSWORD)
                        checked_hashes.add(demo_hash)
                    user.password = demo_hash
                    changed.append("password")
            if changed:
                user.save(update_fields=changed)
                if not created:
                    self.accounts_updated.append(username)
            if role == Membership.Role.MANAGER and not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
            organisation = None
            if org_key:
                organisation = self.agencies.get(org_key) or self.donors[org_key]
            membership, _ = self.ensure(
                Membership,
                user=user,
                programme=self.programme,
                defaults={
                    "role": role,
                    "organisation": organisation,
                    "can_approve": username in DEMO_APPROVERS,
                },
            )
            if membership.role != role or membership.organisation_id != getattr(
                organisation, "pk", None
            ):
                membership.role, membership.organisation = role, organisation
                membership.save(update_fields=["role", "organisation"])
                self.accounts_updated.append(username)
            users[username] = user
        return users

    def build_results(self) -> None:
        """Periods with due dates; 2010 H1 approved and locked, 2010 H2 under way
        (a draft, one submitted, one returned); sensitive indicators broken down."""
        periods = {}
        for name, start, end, due in REPORTING_PERIODS:
            locked = name == "2010 H1"
            periods[name], created = self.ensure(
                ReportingPeriod,
                programme=self.programme,
                name=name,
                defaults={
                    "start_date": start,
                    "end_date": end,
                    "due_date": due,
                    "locked_at": self.at(due + dt.timedelta(days=5)) if locked else None,
                    "locked_by": self.users["manager"] if locked else None,
                    "lock_reason": H1_2010_LOCK_REASON if locked else "",
                },
            )
            if locked and created:
                self.ensure(
                    PeriodLockEvent,
                    period=periods[name],
                    action=PeriodLockEvent.Action.LOCKED,
                    defaults={
                        "reason": H1_2010_LOCK_REASON,
                        "by": self.users["manager"],
                        "at": self.at(due + dt.timedelta(days=5)),
                    },
                )
        categories = self.build_dimensions()
        entries = [
            (outcome, indicator, "2010 H1", value, Result.Status.APPROVED, "")
            for outcome, indicator, value in RESULTS_2010_H1
        ] + [
            (outcome, indicator, "2010 H2", value, status, comment)
            for outcome, indicator, value, status, comment in RESULTS_2010_H2
        ]
        for outcome_code, indicator_code, period_name, value, status, comment in entries:
            lead = next(s.lead for s in OUTCOMES if s.code == outcome_code)
            period = periods[period_name]
            entered = self.at(period.end_date + dt.timedelta(days=10))
            submitted = status != Result.Status.DRAFT
            reviewed = status in (Result.Status.APPROVED, Result.Status.RETURNED)
            result, _ = self.ensure(
                Result,
                indicator=self.indicators[indicator_code],
                period=period,
                defaults={
                    "value": value,
                    "note": "Sample result for the demo.",
                    "reported_by": self.users[lead],
                    "reported_at": entered,
                    "status": status,
                    "submitted_by": self.users[lead] if submitted else None,
                    "submitted_at": entered if submitted else None,
                    "submitted_for": self.agencies[lead] if submitted else None,
                    "reviewed_by": self.users["manager"] if reviewed else None,
                    "reviewed_at": self.at(period.due_date) if reviewed else None,
                    "review_comment": comment,
                },
            )
            for category_name, part in BREAKDOWNS.get((indicator_code, period_name), {}).items():
                self.ensure(
                    ResultBreakdown,
                    result=result,
                    category=categories[category_name],
                    defaults={"value": part},
                )

    def build_dimensions(self) -> dict:
        """The programme's disaggregation dimensions, given to the sensitive indicators
        when first created. Returns the categories by name."""
        categories = {}
        dimensions = {}
        for order, (name, names) in enumerate(DIMENSIONS.items()):
            dimension, created = self.ensure(
                DisaggregationDimension,
                programme=self.programme,
                name=name,
                defaults={"order": order},
            )
            dimensions[name] = (dimension, created)
            for position, category_name in enumerate(names):
                categories[category_name], _ = self.ensure(
                    DisaggregationCategory,
                    dimension=dimension,
                    name=category_name,
                    defaults={"order": position},
                )
        for indicator_code, names in INDICATOR_DIMENSIONS.items():
            new = [dimensions[n][0] for n in names if dimensions[n][1]]
            if new:
                self.indicators[indicator_code].dimensions.add(*new)
        return categories

    @staticmethod
    def at(day: dt.date) -> dt.datetime:
        """Noon on ``day``, in the installation's time zone."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))

    def build_alignments(self) -> None:
        # Reviewed at the first roundtable, where the National Coordinator went
        # through the programme outcome by outcome (the review itself is sample).
        reviewed_at = timezone.make_aware(dt.datetime(2009, 3, 23, 13, 0))
        for outcome, objective, degree, status, rationale, comment in ALIGNMENTS:
            reviewed = status != ALIGN_PROPOSED
            self.ensure(
                Alignment,
                outcome=self.outcomes[outcome],
                objective=self.objectives[objective],
                defaults={
                    "degree": degree,
                    "rationale": rationale,
                    "review_status": status,
                    "review_comment": comment,
                    "reviewed_by": self.users["coordinator"] if reviewed else None,
                    "reviewed_at": reviewed_at if reviewed else None,
                    "proposed_by": self.users["manager"],
                    "is_sample": True,
                },
            )

    def meeting(self, kind: str, title: str, **defaults) -> Meeting:
        return self.ensure(
            Meeting, programme=self.programme, kind=kind, title=title, defaults=defaults
        )[0]

    def invite(self, meeting: Meeting, organisation: Organisation, attended, sample: bool):
        self.ensure(
            Invitation,
            meeting=meeting,
            organisation=organisation,
            defaults={"attended": attended, "is_sample": sample},
        )

    def build_timeline(self) -> None:
        """The development steps before the roundtables, from December 2008."""
        self.meeting(
            Meeting.Kind.DESK_REVIEW,
            "Desk review",
            start_date=date(2008, 12, 1),
            audience=Meeting.Audience.AGENCIES,
            purpose=(
                "First step in developing the joint programme: review of the existing "
                "documents on trafficking in Serbia. The article says the development "
                "started at the beginning of December (2008); the day, 1 December, is "
                "approximate."
            ),
        )
        self.meeting(
            Meeting.Kind.STAKEHOLDER_MEETING,
            "Meeting with all relevant national stakeholders",
            start_date=date(2009, 1, 15),
            place="Belgrade",
            audience=Meeting.Audience.NATIONAL,
            purpose=(
                "Consult all relevant national stakeholders after the desk review. The "
                "article states the meeting but not its date or place: both are sample."
            ),
            is_sample=True,
        )
        self.meeting(
            Meeting.Kind.FIELD_MISSION,
            "One-week field mission throughout Serbia",
            start_date=date(2009, 1, 26),
            end_date=date(2009, 2, 1),
            place="Throughout Serbia",
            audience=Meeting.Audience.MIXED,
            purpose=(
                "A one-week field mission throughout Serbia. The article states the week, "
                "not the dates: they are sample."
            ),
            is_sample=True,
        )
        bilateral = self.meeting(
            Meeting.Kind.BILATERAL,
            "Bilateral meetings with line ministries, civil society and other "
            "international organisations",
            start_date=date(2009, 2, 2),
            end_date=date(2009, 2, 20),
            place="Belgrade",
            audience=Meeting.Audience.MIXED,
            purpose=(
                "Individual meetings with line ministries, civil society and other relevant "
                "international organisations. The dates and the organisations met are sample."
            ),
            is_sample=True,
        )
        for organisation in [*self.ministries.values(), self.sample_cso, self.sample_io]:
            self.invite(bilateral, organisation, attended=True, sample=True)

    def build_roundtables(self) -> None:
        national = self.meeting(
            Meeting.Kind.ROUNDTABLE,
            ROUNDTABLE_NATIONAL,
            start_date=date(2009, 3, 23),
            place="Belgrade",
            audience=Meeting.Audience.NATIONAL,
            purpose=(
                "To share the joint programme with national counterparts and collect their "
                "views and feedback on the document. All relevant ministries were invited "
                "and the majority of them participated; which ones did is sample data."
            ),
        )
        donors = self.meeting(
            Meeting.Kind.ROUNDTABLE,
            ROUNDTABLE_DONORS,
            start_date=date(2009, 3, 25),
            place="Belgrade",
            audience=Meeting.Audience.DONORS,
            purpose=(
                "To present the finalized joint programme document to the donor community "
                "in Serbia, with representatives of embassies and cooperation and "
                "development agencies. The donors listed are sample."
            ),
        )
        # "The majority of them participated": which ones is not said.
        absent = {"Deputy Prime Minister's Office", "Ministry of Foreign Affairs"}
        for name, ministry in self.ministries.items():
            self.invite(national, ministry, attended=name not in absent, sample=True)
        for donor in self.donors.values():
            self.invite(donors, donor, attended=True, sample=True)
        for meeting in (national, donors):
            for head in self.heads.values():
                self.ensure(Attendee, meeting=meeting, contact=head, defaults={"role": "opened"})
            for presenter in (self.consultant, self.coordinator_contact):
                self.ensure(
                    Attendee, meeting=meeting, contact=presenter, defaults={"role": "presented"}
                )
        self.build_feedback(national, donors)

    def build_feedback(self, national: Meeting, donors: Meeting) -> None:
        Status = Feedback.Status
        for meeting, organisation, outcome, text, response, status in [
            (
                national,
                self.ministries["Ministry of Interior"],
                "2.1",
                "Include the border police in the training of police officers.",
                "Border police added to the trainees of output 2.1.1.",
                Status.INCORPORATED,
            ),
            (
                national,
                self.ministries["Ministry of Labour and Social Welfare"],
                "3.2",
                "Reintegration support should go through the centres for social work.",
                "Agreed: assistance under outcome 3.2 is delivered with the centres.",
                Status.INCORPORATED,
            ),
            (
                national,
                self.ministries["Commissariat for Refugees"],
                "3.1",
                "Cover internally displaced persons living in collective centres.",
                "",
                Status.OPEN,
            ),
            (
                national,
                self.ministries["Ministry of Education"],
                "1.2",
                "Extend the school programme to all secondary vocational schools.",
                "Beyond the programme's budget; kept for the next review of the plan.",
                Status.DECLINED,
            ),
            (
                donors,
                self.donors["norway"],
                None,
                "Show the budget of each outcome broken down by agency.",
                "The budget table now shows each agency's share.",
                Status.INCORPORATED,
            ),
        ]:
            self.ensure(
                Feedback,
                meeting=meeting,
                organisation=organisation,
                text=text,
                defaults={
                    "outcome": self.outcomes[outcome] if outcome else None,
                    "response": response,
                    "status": status,
                    "is_sample": True,
                },
            )
        Action = FollowUpAction.Status
        for meeting, description, owner, contact, due, status, completed in [
            (
                national,
                "Circulate the revised joint programme document to all ministries before the "
                "donor roundtable.",
                self.un_gift,
                self.consultant,
                date(2009, 3, 24),
                Action.DONE,
                date(2009, 3, 24),
            ),
            (
                national,
                "Agree the referral procedure for refugees and displaced persons with the "
                "Commissariat for Refugees.",
                self.agencies["unhcr"],
                self.heads["unhcr"],
                date(2009, 5, 29),  # long past and still open: shows as overdue
                Action.OPEN,
                None,
            ),
            (
                national,
                "Report to the state secretaries on the programme's funding and start.",
                self.agencies["iom"],
                self.heads["iom"],
                self.today + dt.timedelta(days=60),  # in the future when first loaded
                Action.OPEN,
                None,
            ),
            (
                donors,
                "Send the donors the budget broken down by outcome and agency.",
                self.agencies["unodc"],
                self.heads["unodc"],
                date(2009, 4, 3),
                Action.DONE,
                date(2009, 4, 1),
            ),
        ]:
            self.ensure(
                FollowUpAction,
                meeting=meeting,
                description=description,
                defaults={
                    "owner": owner,
                    "owner_contact": contact,
                    "due_date": due,
                    "status": status,
                    "completed_on": completed,
                    "is_sample": True,
                },
            )

    def build_funding(self) -> None:
        for currency, on, rate in EXCHANGE_RATES:
            self.ensure(
                ExchangeRate,
                base_currency=currency,
                quote_currency="USD",
                rate_date=on,
                defaults={"rate": rate, "source": RATE_SOURCE},
            )
        for spec in PLEDGES:
            pledge, _ = self.ensure(
                Pledge,
                programme=self.programme,
                donor=self.donors[spec.donor],
                reference=spec.reference,
                defaults={
                    "amount": spec.amount,
                    "currency": spec.currency,
                    "pledged_on": spec.pledged_on,
                    "status": spec.status,
                    "earmark_pillar": self.pillars.get(spec.earmark_pillar),
                    "earmark_outcome": self.outcomes.get(spec.earmark_outcome),
                    "earmark_agency": self.agencies.get(spec.earmark_agency),
                    "note": "Sample pledge for the demo: the article names no donor.",
                    "is_anonymous": spec.anonymous,
                    "is_sample": True,
                },
            )
            for reference, amount, received_on, agency in spec.payments:
                self.ensure(
                    Payment,
                    pledge=pledge,
                    reference=reference,
                    defaults={
                        "amount": amount,
                        "currency": spec.currency,
                        "received_on": received_on,
                        "received_by": self.agencies[agency],
                    },
                )
        for donor, amount, currency, stage, owner, on, next_step in PROSPECTS:
            self.ensure(
                Prospect,
                programme=self.programme,
                donor=self.donors[donor],
                defaults={
                    "amount_hoped": amount,
                    "currency": currency,
                    "stage": stage,
                    "owner_agency": self.agencies[owner],
                    "date": on,
                    "next_step": next_step,
                    "is_sample": True,
                },
            )
