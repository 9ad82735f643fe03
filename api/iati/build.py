"""From rows to IATI 2.03 activity XML: pure functions, no queries.

The export is the programme as the public sees it, which is what a donor sees on
the pages, no more:

- only approved results; figures of sensitive indicators (people) survivor-safe
  (``outcomes/suppression.py``): a withheld figure is left out (IATI wants a value
  on every actual and baseline), and the indicator's description says so;
- money as totals per donor: committed pledges become one incoming commitment
  (type 11) per donor and currency, payments one incoming funds transaction
  (type 1) per donor, currency and receiving agency, dated by the latest pledge or
  payment in it; donors who asked to be anonymous are pooled as "Anonymous donor";
- only confirmed links to NAP objectives, as result references.

Every problem met on the way (missing or unusable data) is a ``Problem`` in plain
words; errors mean the XML must not be published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

import pycountry
from lxml import etree

from outcomes.suppression import Figure, publish

from .data import IatiData, IndicatorRow, Org, PeriodRow, ResultRow, Text

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ERROR, WARNING = "error", "warning"

# Programme status → IATI ActivityStatus: 1 pipeline/identification,
# 2 implementation, 4 closed.
ACTIVITY_STATUS = {"design": "1", "fundraising": "1", "implementation": "2", "closed": "4"}
# Organisation kind → IATI OrganisationType.
ORGANISATION_TYPE = {
    "un_agency": "40",  # multilateral
    "ministry": "10",  # government
    "government_office": "10",
    "embassy": "10",
    "development_agency": "10",
    "fund": "40",  # pooled funds and initiatives such as UN.GIFT are multilateral
    "international": "40",  # intergovernmental (e.g. the OSCE)
    "civil_society": "22",  # national NGO; international when based abroad (below)
}
# IATI OrganisationRole.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
# Participation role → IATI roles.
PARTICIPATION_ROLES = {
    "participating_agency": (EXTENDING, IMPLEMENTING),
    "government_counterpart": (ACCOUNTABLE,),
    "funding_framework": (FUNDING,),
    "implementing_partner": (IMPLEMENTING,),
}
# Pillar code → OECD DAC 5-digit purpose code; other pillars go to OTHER_SECTOR.
PILLAR_SECTORS = {
    "prevention": "15190",  # facilitation of orderly, safe, regular migration and mobility
    "prosecution": "15130",  # legal and judicial development
    "protection": "15180",  # ending violence against women and girls
}
OTHER_SECTOR = "15160"  # human rights
SECTOR_NAMES = {
    "15130": "Legal and judicial development",
    "15160": "Human rights",
    "15180": "Ending violence against women and girls",
    "15190": "Facilitation of orderly, safe, regular and responsible migration and mobility",
}
# SDG targets (IATI TagVocabulary 3) of work against trafficking.
SDG_TARGETS = (
    ("5.2", "Eliminate all forms of violence against all women and girls, including trafficking"),
    ("8.7", "End forced labour, modern slavery and human trafficking"),
    ("16.2", "End abuse, exploitation, trafficking and violence against children"),
)
COMMITTED = frozenset({"committed", "paid"})
ANONYMOUS = "Anonymous donor"
TARGET_COMMENT = "End-of-programme target"


@dataclass(frozen=True)
class Problem:
    """Something the manager must know before publishing, in plain words."""

    level: str  # ERROR: the export must not be published; WARNING: it may, knowingly
    message: str
    where: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{self.level.capitalize()} — {prefix}{self.message}"


@dataclass(frozen=True)
class IatiConfig:
    """What the installation decides (settings ``IATI_*``, README "Open data")."""

    organisation_refs: Mapping[str, str] = field(default_factory=dict)
    reporting_organisation: str = ""  # acronym or name; empty: the lead agency
    placeholder_prefix: str = "XI-IATI-JPM"
    pillar_sectors: Mapping[str, str] = field(default_factory=lambda: dict(PILLAR_SECTORS))
    other_sector: str = OTHER_SECTOR
    sdg_targets: Sequence[tuple[str, str]] = SDG_TARGETS
    nap_vocabulary_uri: str = ""  # where the NAP objectives' codes are listed

    def ref_of(self, org: Org) -> str | None:
        """The organisation's known IATI identifier, by acronym or name (any case)."""
        wanted = {
            key.strip().casefold(): ref.strip() for key, ref in self.organisation_refs.items()
        }
        for key in (org.acronym, org.name):
            if key and key.casefold() in wanted:
                return wanted[key.casefold()]
        return None

    def placeholder_ref(self, org: Org) -> str:
        token = re.sub(r"[^A-Za-z0-9]", "", org.acronym or "") or f"ORG{org.id}"
        return f"{self.placeholder_prefix}-{token.upper()}"


@dataclass
class Built:
    tree: etree._Element  # <iati-activities>
    problems: list[Problem]
    counts: dict[str, int]
    reporting_org: Org | None = None
    identifier: str = ""


def number(value: Decimal) -> str:
    """A decimal as IATI wants it: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def allocate(total: Decimal, weights: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` in steps of ``quantum``, the
    parts adding up to ``total`` exactly (largest remainders get the extra steps)."""
    whole = sum(weights, Decimal(0))
    if not weights:
        return []
    if whole == 0:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    raw = [total * w / whole for w in weights]
    parts = [r.quantize(quantum, rounding=ROUND_DOWN) for r in raw]
    steps = int(((total - sum(parts, Decimal(0))) / quantum).to_integral_value())
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in by_remainder[:steps]:
        parts[i] += quantum
    return parts


def calendar_years(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The programme's period cut at each new year: IATI budgets span a year at most."""
    spans = []
    year_start = start
    while year_start <= end:
        year_end = min(dt.date(year_start.year, 12, 31), end)
        spans.append((year_start, year_end))
        year_start = dt.date(year_start.year + 1, 1, 1)
    return spans


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name ("Serbia" → "RS"), or None."""
    name = (name or "").strip()
    if not name:
        return None
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code or "") is not None


# --- Elements ----------------------------------------------------------------------


# Characters XML 1.0 cannot hold (lxml refuses them): C0 controls but tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF. Pasted text brings them (a vertical tab
# from Word): page and form feeds become line breaks, the rest U+FFFD.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AS_LINE_BREAK = {"\x0b": "\n", "\x0c": "\n"}


def xml_safe(text: str) -> str:
    """``text`` with what XML cannot hold replaced (see ``_NOT_XML``)."""
    return _NOT_XML.sub(lambda m: _AS_LINE_BREAK.get(m.group(), "\ufffd"), text)


def _sub(parent, tag: str, attrs: Mapping[str, str | None] | None = None, text=None):
    element = etree.SubElement(
        parent, tag, {k: xml_safe(v) for k, v in (attrs or {}).items() if v is not None}
    )
    if text is not None:
        element.text = xml_safe(text)
    return element


DEFAULT_LANGUAGE = "en"  # the activity's xml:lang


def versions(text: Text) -> list[tuple[str | None, str]]:
    """A text's non-blank versions, the default language's first (no language
    attribute: it is the activity's), then the others with their language."""
    if isinstance(text, str):
        return [(None, text.strip())] if text.strip() else []
    found = [(lang, value.strip()) for lang, value in text.items() if value and value.strip()]
    default = [(None, value) for lang, value in found if lang == DEFAULT_LANGUAGE]
    others = [(lang, value) for lang, value in found if lang != DEFAULT_LANGUAGE]
    return default + [(lang, value) for lang, value in others if (None, value) not in default]


def is_blank(text: Text) -> bool:
    return not versions(text)


def prefixed(prefix: str, text: Text) -> Text:
    """ "1.2 Title" in every language the title is written in."""
    if isinstance(text, str):
        return f"{prefix} {text}".strip()
    return {lang: f"{prefix} {value}".strip() for lang, value in text.items() if value.strip()}


def plain(text: Text) -> str:
    """The text in the default language (or the first one written), for messages."""
    found = versions(text)
    return found[0][1] if found else ""


def _narrative(parent, text: str, lang: str | None = None):
    return _sub(parent, "narrative", {XML_LANG: lang}, text=text)


def _text_element(parent, tag: str, text: Text, attrs=None):
    """An element of narratives: one per language the text is written in."""
    element = _sub(parent, tag, attrs)
    for lang, value in versions(text) or [(None, "")]:
        _narrative(element, value, lang)
    return element


class _Builder:
    def __init__(self, data: IatiData, config: IatiConfig, *, today: dt.date):
        self.data = data
        self.config = config
        self.today = today
        self.programme = data.programme
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.orgs = data.organisations

    def error(self, message: str, where: str = "") -> None:
        self.problems.append(Problem(ERROR, message, where))

    def warning(self, message: str, where: str = "") -> None:
        self.problems.append(Problem(WARNING, message, where))

    # -- who -------------------------------------------------------------------

    def agencies(self) -> list[Org]:
        ids = [
            p.organisation_id for p in self.data.participations if p.role == "participating_agency"
        ]
        return [self.orgs[i] for i in ids]

    def reporting_org(self) -> Org | None:
        """The named reporting organisation, or the agency leading most outcomes
        (ties: the larger budget share, then the name)."""
        wanted = self.config.reporting_organisation.strip().casefold()
        taking_part = [self.orgs[p.organisation_id] for p in self.data.participations]
        if wanted:
            for org in taking_part:
                if wanted in {org.acronym.casefold(), org.name.casefold()}:
                    return org
            self.error(
                f'The reporting organisation is set to "{self.config.reporting_organisation}" '
                "(JP_IATI_REPORTING_ORGANISATION), but no organisation of that acronym or name "
                "takes part in this programme. Correct the setting or add the organisation's "
                "participation in the admin.",
                "Reporting organisation",
            )
            return None
        agencies = self.agencies()
        if not agencies:
            self.error(
                "The programme has no participating UN agency, and the export needs one as "
                "the organisation that reports it. Add the agencies under Participations in "
                "the admin.",
                "Reporting organisation",
            )
            return None
        led = defaultdict(int)
        for outcome in self.data.outcomes:
            led[outcome.lead_agency_id] += 1
        budget = defaultdict(Decimal)
        for line in self.data.budgets:
            budget[line.agency_id] += line.amount
        return min(agencies, key=lambda a: (-led[a.id], -budget[a.id], a.name.casefold()))

    def org_type(self, org: Org) -> str:
        abroad = org.country.casefold() != (self.programme.country or "").casefold()
        if org.kind == "civil_society" and org.country and abroad:
            return "21"  # international NGO
        return ORGANISATION_TYPE.get(org.kind, "90")

    def org_attrs(self, org: Org) -> dict:
        return {"ref": self.config.ref_of(org), "type": self.org_type(org)}

    # -- when --------------------------------------------------------------------

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The programme's start and end; the reporting periods' span when a date is
        missing (a warning), an error when there is nothing to take one from."""
        p = self.programme
        periods = self.data.periods
        start, end = p.start_date, p.end_date
        if start is None and periods:
            start = periods[0].start_date
            self.warning(
                f"The programme has no start date: the export gives the first reporting "
                f"period's start ({start:%d %b %Y}) as its planned start. Set the programme's "
                "dates in the admin to publish them exactly.",
                "Dates",
            )
        if end is None and periods:
            end = max(period.end_date for period in periods)
            self.warning(
                f"The programme has no end date: the export gives the last reporting "
                f"period's end ({end:%d %b %Y}) as its planned end. Set the programme's "
                "dates in the admin to publish them exactly.",
                "Dates",
            )
        if start is None:
            self.error(
                "The programme has no start date and no reporting periods to take one "
                "from. IATI needs at least a planned start: set the programme's start and "
                "end dates in the admin.",
                "Dates",
            )
        if end is None:
            self.error(
                "The programme has no end date and no reporting periods to take one from. "
                "Set the programme's end date in the admin: the budget is published per "
                "year of the programme.",
                "Dates",
            )
        if start and end and end < start:
            self.error(
                f"The programme ends ({end:%d %b %Y}) before it starts ({start:%d %b %Y}).",
                "Dates",
            )
            return None, None
        return start, end

    # -- the activity -------------------------------------------------------------

    def build(self) -> Built:
        p = self.programme
        root = etree.Element("iati-activities", {"version": IATI_VERSION})
        if not is_currency(p.currency):
            self.error(
                f'The programme currency "{p.currency}" is not an ISO 4217 currency code. '
                "Correct it in the admin (e.g. USD or EUR).",
                "Programme",
            )
        reporter = self.reporting_org()
        start, end = self.dates()
        country = country_code(p.country)
        if country is None:
            self.error(
                f'The programme\'s country "{p.country}" is not a country name the export '
                'recognises (ISO 3166). Write it as in the ISO list, e.g. "Serbia", in the admin.',
                "Programme",
            )
        activity = _sub(
            root,
            "iati-activity",
            {
                XML_LANG: "en",
                "default-currency": p.currency,
                "hierarchy": "1",
            },
        )
        reporting_ref = ""
        if reporter is not None:
            reporting_ref = self.config.ref_of(reporter) or ""
            if not reporting_ref:
                reporting_ref = self.config.placeholder_ref(reporter)
                self.warning(
                    f"{reporter.short_name} reports this activity but has no IATI organisation "
                    f"identifier in the settings, so the export uses the placeholder "
                    f'"{reporting_ref}" (and the activity identifier starts with it). Set the '
                    "real one (JP_IATI_ORGANISATION_REFS) before publishing to the IATI Registry.",
                    "Reporting organisation",
                )
        identifier = f"{reporting_ref}-JP{p.id}" if reporting_ref else f"JP{p.id}"
        _sub(activity, "iati-identifier", text=identifier)
        reporting = _sub(
            activity,
            "reporting-org",
            {
                "ref": reporting_ref or "UNKNOWN",
                "type": self.org_type(reporter) if reporter else "40",
            },
        )
        _narrative(reporting, reporter.name if reporter else "Unknown")
        _text_element(activity, "title", p.title)
        summary = p.summary
        if is_blank(summary):
            summary = self.fallback_description()
            self.warning(
                "The programme has no summary, so the export describes it by its title, "
                "country and framework only. Write a summary in the admin so that readers "
                "of IATI know what the programme does.",
                "Programme",
            )
        _text_element(activity, "description", summary, {"type": "1"})
        self.participating_orgs(activity)
        _sub(activity, "activity-status", {"code": ACTIVITY_STATUS.get(p.status, "1")})
        self.activity_dates(activity, start, end)
        _sub(activity, "activity-scope", {"code": "4"})  # national
        if country:
            _text_element(
                activity, "recipient-country", p.country, {"code": country, "percentage": "100"}
            )
        self.sectors(activity)
        for code, name in self.config.sdg_targets:
            _text_element(activity, "tag", name, {"vocabulary": "3", "code": code})
        self.budgets(activity, start, end)
        self.transactions(activity, reporter)
        self.results(activity, start, end)
        self.sample_warning()
        return Built(
            tree=root,
            problems=self.problems,
            counts=dict(self.counts),
            reporting_org=reporter,
            identifier=identifier,
        )

    def fallback_description(self) -> str:
        p = self.programme
        text = f"{plain(p.title)}: a joint programme in {p.country}"
        if p.framework:
            text += f", developed under {p.framework}"
        return text + "."

    def participating_orgs(self, activity) -> None:
        seen: set[tuple[int | str, str]] = set()

        def add(org: Org | None, role: str, name: str | None = None) -> None:
            key = (org.id if org else name or "", role)
            if key in seen:
                return
            seen.add(key)
            attrs = {"role": role, **(self.org_attrs(org) if org else {})}
            element = _sub(activity, "participating-org", attrs)
            _narrative(element, org.name if org else name)
            self.counts["participating organisations"] += 1

        for donor_id, anonymous in self.funders():
            if anonymous:
                add(None, FUNDING, ANONYMOUS)
            else:
                add(self.orgs[donor_id], FUNDING)
        order = [
            "funding_framework",
            "government_counterpart",
            "participating_agency",
            "implementing_partner",
        ]
        participations = sorted(
            self.data.participations,
            key=lambda p: (
                order.index(p.role) if p.role in order else 9,
                self.orgs[p.organisation_id].name.casefold(),
            ),
        )
        for role_order in (FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING):
            for participation in participations:
                if role_order in PARTICIPATION_ROLES.get(participation.role, ()):
                    add(self.orgs[participation.organisation_id], role_order)

    def funders(self) -> list[tuple[int | None, bool]]:
        """Donors with committed money, by name; anonymous ones once, pooled."""
        named: dict[int, str] = {}
        anonymous = False
        for pledge in self.data.pledges:
            if pledge.status not in COMMITTED:
                continue
            if pledge.is_anonymous:
                anonymous = True
            else:
                named[pledge.donor_id] = self.orgs[pledge.donor_id].name
        funders: list[tuple[int | None, bool]] = [
            (donor_id, False)
            for donor_id, _ in sorted(named.items(), key=lambda i: i[1].casefold())
        ]
        if anonymous:
            funders.append((None, True))
        return funders

    def activity_dates(self, activity, start, end) -> None:
        p = self.programme
        if start:
            _sub(activity, "activity-date", {"type": "1", "iso-date": start.isoformat()})
            if p.status in {"implementation", "closed"} and start <= self.today:
                _sub(activity, "activity-date", {"type": "2", "iso-date": start.isoformat()})
        if end:
            _sub(activity, "activity-date", {"type": "3", "iso-date": end.isoformat()})
            if p.status == "closed":
                if end <= self.today:
                    _sub(activity, "activity-date", {"type": "4", "iso-date": end.isoformat()})
                else:
                    self.warning(
                        f"The programme is closed but its end date ({end:%d %b %Y}) is still "
                        "to come, so no actual end date is published. Correct the end date in "
                        "the admin.",
                        "Dates",
                    )

    def sectors(self, activity) -> None:
        """One DAC sector per pillar's mapped code, in proportion to the pillars'
        budgets (equal shares when there is no budget), adding up to 100%."""
        budget_of_pillar: dict[int, Decimal] = defaultdict(Decimal)
        outcome_pillar = {o.id: o.pillar_id for o in self.data.outcomes}
        for line in self.data.budgets:
            budget_of_pillar[outcome_pillar[line.outcome_id]] += line.amount
        weights: dict[str, Decimal] = defaultdict(Decimal)
        pillars = [
            p for p in self.data.pillars if p.id in outcome_pillar.values()
        ] or self.data.pillars
        for pillar in pillars:
            code = self.config.pillar_sectors.get(pillar.code, self.config.other_sector)
            weights[code] += budget_of_pillar[pillar.id]
        if not weights:
            weights[self.config.other_sector] = Decimal(1)
            self.warning(
                f"The programme has no pillars, so it is published under one sector "
                f"({self.config.other_sector}, {SECTOR_NAMES.get(self.config.other_sector, '')}).",
                "Sectors",
            )
        if sum(weights.values(), Decimal(0)) > 0:
            weights = {code: w for code, w in weights.items() if w > 0}
        codes = sorted(weights)
        shares = allocate(Decimal(100), [weights[c] for c in codes], Decimal("0.01"))
        for code, share in zip(codes, shares, strict=True):
            _text_element(
                activity,
                "sector",
                SECTOR_NAMES.get(code, f"DAC {code}"),
                {"vocabulary": "1", "code": code, "percentage": number(share)},
            )

    def budgets(self, activity, start, end) -> None:
        """The outcomes' budgets, spread over the programme's calendar years in
        proportion to their days (indicative, original): IATI budgets span a year at
        most, and the programme's budget is not broken down by year."""
        total = sum((line.amount for line in self.data.budgets), Decimal(0))
        if total <= 0:
            self.warning(
                "No outcome has a budget, so the export has no budget. Enter each agency's "
                "share of the outcomes' budgets to publish one.",
                "Budget",
            )
            return
        if not (start and end):
            return
        years = calendar_years(start, end)
        amounts = allocate(
            total,
            [Decimal((y_end - y_start).days + 1) for y_start, y_end in years],
            Decimal("0.01"),
        )
        for (y_start, y_end), amount in zip(years, amounts, strict=True):
            budget = _sub(activity, "budget", {"type": "1", "status": "1"})
            _sub(budget, "period-start", {"iso-date": y_start.isoformat()})
            _sub(budget, "period-end", {"iso-date": y_end.isoformat()})
            _sub(budget, "value", {"value-date": y_start.isoformat()}, number(amount))
            self.counts["budget periods"] += 1
        if len(years) > 1:
            self.warning(
                f"The budget ({total:,.2f} {self.programme.currency}) is split over "
                f"{len(years)} calendar years in proportion to their days, as an indicative "
                "budget: the programme's budget is not broken down by year.",
                "Budget",
            )

    # -- money ----------------------------------------------------------------------

    def transactions(self, activity, reporter: Org | None) -> None:
        currency = self.programme.currency
        pledges = {p.id: p for p in self.data.pledges}
        bad = sorted(
            {p.currency for p in self.data.pledges} | {p.currency for p in self.data.payments}
        )
        for code in bad:
            if not is_currency(code):
                self.error(
                    f'Some pledges or payments are in "{code}", which is not an ISO 4217 '
                    "currency code. Correct them in the admin.",
                    "Funding",
                )
        commitments: dict[tuple, list] = defaultdict(list)
        for pledge in self.data.pledges:
            if pledge.status in COMMITTED:
                donor = None if pledge.is_anonymous else pledge.donor_id
                commitments[(donor, pledge.currency)].append((pledge.amount, pledge.pledged_on))
        funds: dict[tuple, list] = defaultdict(list)
        for payment in self.data.payments:
            pledge = pledges.get(payment.pledge_id)
            if pledge is None:
                continue
            donor = None if pledge.is_anonymous else pledge.donor_id
            funds[(donor, payment.currency, payment.received_by_id)].append(
                (payment.amount, payment.received_on)
            )

        def donor_name(donor_id):
            return ANONYMOUS if donor_id is None else self.orgs[donor_id].name

        def order(key):
            return (key[0] is None, donor_name(key[0]).casefold(), *key[1:])

        for key in sorted(commitments, key=order):
            donor_id, code = key
            amount = sum((a for a, _ in commitments[key]), Decimal(0))
            on = max(d for _, d in commitments[key])
            self.transaction(
                activity,
                type_code="11",
                on=on,
                amount=amount,
                currency=None if code == currency else code,
                description=f"Committed pledges of {donor_name(donor_id)} (total)",
                provider=donor_id,
                receiver=None,
            )
        for key in sorted(funds, key=order):
            donor_id, code, receiver_id = key
            amount = sum((a for a, _ in funds[key]), Decimal(0))
            on = max(d for _, d in funds[key])
            receiver = self.orgs[receiver_id]
            self.transaction(
                activity,
                type_code="1",
                on=on,
                amount=amount,
                currency=None if code == currency else code,
                description=(
                    f"Payments of {donor_name(donor_id)} received by {receiver.short_name} (total)"
                ),
                provider=donor_id,
                receiver=receiver,
            )

    def transaction(
        self, activity, *, type_code, on, amount, currency, description, provider, receiver
    ) -> None:
        element = _sub(activity, "transaction")
        _sub(element, "transaction-type", {"code": type_code})
        _sub(element, "transaction-date", {"iso-date": on.isoformat()})
        _sub(element, "value", {"currency": currency, "value-date": on.isoformat()}, number(amount))
        _text_element(element, "description", description)
        if provider is None:
            _text_element(element, "provider-org", ANONYMOUS)
        else:
            org = self.orgs[provider]
            _text_element(element, "provider-org", org.name, self.org_attrs(org))
        if receiver is not None:
            _text_element(element, "receiver-org", receiver.name, self.org_attrs(receiver))
        self.counts["transactions"] += 1

    # -- results --------------------------------------------------------------------

    def results(self, activity, start, end) -> None:
        data = self.data
        pillar_order = {p.id: (p.order, p.name) for p in data.pillars}
        outcomes = sorted(
            data.outcomes,
            key=lambda o: (pillar_order.get(o.pillar_id, (0, "")), o.order, o.code),
        )
        indicators_of: dict[tuple[int, int | None], list[IndicatorRow]] = defaultdict(list)
        for indicator in sorted(data.indicators, key=lambda i: (i.order, i.code)):
            indicators_of[(indicator.outcome_id, indicator.output_id)].append(indicator)
        outputs_of = defaultdict(list)
        for output in sorted(data.outputs, key=lambda o: (o.order, o.code)):
            outputs_of[output.outcome_id].append(output)
        links_of = defaultdict(list)
        for link in data.links:
            links_of[link.outcome_id].append(link)
        results_of: dict[int, dict[int, ResultRow]] = defaultdict(dict)
        for result in data.results:
            results_of[result.indicator_id][result.period_id] = result
        periods = sorted(data.periods, key=lambda p: p.start_date)
        target_period = (
            periods[-1]
            if periods
            else (PeriodRow(0, "programme", start, end) if start and end else None)
        )
        self.context = (results_of, {p.id: p for p in periods}, target_period, start)

        for outcome in outcomes:
            where = f"Outcome {outcome.code}"
            own = indicators_of.get((outcome.id, None), [])
            links = links_of.get(outcome.id, [])
            if own:
                self.result(
                    activity,
                    "2",
                    prefixed(outcome.code, outcome.title),
                    outcome.description,
                    own,
                    links,
                )
            else:
                extra = ""
                if links:
                    extra = " Its confirmed links to NAP objectives are given on its outputs."
                self.warning(
                    "The outcome has no outcome-level indicator, and IATI needs at least one "
                    f"per result: only its outputs are published.{extra}",
                    where,
                )
            for output in outputs_of.get(outcome.id, []):
                indicators = indicators_of.get((outcome.id, output.id), [])
                if not indicators:
                    self.warning(
                        f"Output {output.code} has no indicator, so it is left out of the "
                        "results (IATI needs at least one indicator per result).",
                        where,
                    )
                    continue
                self.result(
                    activity,
                    "1",
                    prefixed(output.code, output.title),
                    output.description,
                    indicators,
                    [] if own else links,
                )
            if not own and not outputs_of.get(outcome.id):
                self.warning("The outcome has no indicators: it is left out of the results.", where)
        # Indicators attached to an output of another outcome are not published.
        placed = {(o.outcome_id, o.id) for o in data.outputs} | {
            (o.id, None) for o in data.outcomes
        }
        for (outcome_id, output_id), indicators in indicators_of.items():
            if (outcome_id, output_id) not in placed:
                for indicator in indicators:
                    self.warning(
                        f"Indicator {indicator.code} belongs to an output of another outcome, "
                        "so it is left out of the results. Correct its output in the admin.",
                        "Results",
                    )

    def result(self, activity, type_code, title, description, indicators, links) -> None:
        result = _sub(activity, "result", {"type": type_code})
        _text_element(result, "title", title)
        if not is_blank(description):
            _text_element(result, "description", description)
        for link in links:
            _sub(
                result,
                "reference",
                {
                    "vocabulary": "99",
                    "code": f"NAP-{link.plan_version}-{link.objective_code}",
                    "vocabulary-uri": self.config.nap_vocabulary_uri or None,
                },
            )
            self.counts["NAP references"] += 1
        for indicator in indicators:
            self.indicator(result, indicator)
        self.counts["results"] += 1

    def indicator(self, result, row: IndicatorRow) -> None:
        results_of, periods, target_period, start = self.context
        minimum = self.programme.min_cell_size
        measure = "2" if row.unit.strip().lower() in {"%", "percent", "percentage"} else "1"
        element = _sub(
            result,
            "indicator",
            {"measure": measure, "ascending": "1" if row.target >= row.baseline else "0"},
        )
        _text_element(element, "title", prefixed(row.code, row.title))
        description = f"Unit: {row.unit}."
        if row.means_of_verification:
            description += f" Means of verification: {row.means_of_verification}."
        if row.is_sensitive:
            description += (
                f" Counts people: figures below {minimum}, and figures from which one could "
                "be worked out, are withheld to protect survivors."
            )
        _text_element(element, "description", description)
        self.counts["indicators"] += 1
        baseline = publish(row.baseline, minimum=minimum, suppress=row.is_sensitive).total
        if start is not None and not baseline.hidden:
            _sub(
                element,
                "baseline",
                {
                    "year": str(start.year),
                    "iso-date": start.isoformat(),
                    "value": number(row.baseline),
                },
            )
        elif baseline.hidden:
            self.counts["withheld figures"] += 1
        reported = results_of.get(row.id, {})
        period_ids = [pid for pid in reported if pid in periods]
        if target_period is not None and target_period.id not in period_ids:
            period_ids.append(target_period.id)
        period_ids.sort(
            key=lambda pid: periods[pid].start_date if pid in periods else target_period.start_date
        )
        for period_id in period_ids:
            period = periods.get(period_id) or target_period
            element_period = _sub(element, "period")
            _sub(element_period, "period-start", {"iso-date": period.start_date.isoformat()})
            _sub(element_period, "period-end", {"iso-date": period.end_date.isoformat()})
            if target_period is not None and period_id == target_period.id:
                target = _sub(element_period, "target", {"value": number(row.target)})
                _text_element(target, "comment", TARGET_COMMENT)
            if period_id in reported:
                self.actuals(element_period, row, reported[period_id], minimum)

    def actuals(self, period_element, row: IndicatorRow, result: ResultRow, minimum: int) -> None:
        cells = []
        for dimension in row.dimensions:
            values = [(name, result.parts.get(cid)) for cid, name in dimension.categories]
            if any(value is not None for _name, value in values):
                cells.append((dimension.name, values))
        table = publish(result.value, cells, minimum=minimum, suppress=row.is_sensitive)
        self.counts["actual values"] += 1
        total_shown = self.shown(table.total)
        if total_shown:
            _sub(period_element, "actual", {"value": number(table.total.value)})
        for dimension in table.dimensions:
            for category, figure in dimension.cells:
                # Nothing adds up to a withheld total: suppression then hides every cell.
                if not self.shown(figure) or not total_shown:
                    continue
                actual = _sub(period_element, "actual", {"value": number(figure.value)})
                _sub(actual, "dimension", {"name": dimension.name, "value": category})
                self.counts["disaggregated values"] += 1

    def shown(self, figure: Figure) -> bool:
        if figure.hidden:
            self.counts["withheld figures"] += 1
            return False
        return figure.value is not None

    def sample_warning(self) -> None:
        outcomes = sum(o.is_sample for o in self.data.outcomes)
        pledges = sum(p.is_sample for p in self.data.pledges)
        if outcomes or pledges:
            self.warning(
                f"The export holds sample data ({outcomes} illustrative outcomes and "
                f"{pledges} illustrative pledges): do not publish it as the programme's real "
                "data.",
                "Sample data",
            )


def build_activity(data: IatiData, config: IatiConfig, *, today: dt.date) -> Built:
    """The programme's IATI activity file and the problems met building it."""
    return _Builder(data, config, today=today).build()
