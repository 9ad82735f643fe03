"""The IATI rules the 2.03 schema cannot express, checked on the XML itself.

The schema says which elements and attributes exist; these say what IATI's own
rulesets and the standard's documentation require of their values: the identifier
starts with the reporting organisation's, dates come in order and actual ones are
not in the future, every value has a currency, percentages add up to 100, budgets
span a year at most and do not overlap, organisations are named, and every actual
and baseline of a number indicator has a number. Each failure is a ``Problem`` in
plain words: they are read by a programme manager, not an XML expert.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from .build import ERROR, WARNING, Problem, is_currency

ACTIVITY_STATUSES = {"1", "2", "3", "4", "5", "6"}
DATE_NAMES = {"1": "planned start", "2": "actual start", "3": "planned end", "4": "actual end"}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _text(element) -> str:
    narratives = element.findall("narrative")
    return " ".join((n.text or "").strip() for n in narratives).strip()


def check_activity(activity, *, today: dt.date) -> list[Problem]:
    """Every rule on one ``<iati-activity>``; an empty list when it passes."""
    problems: list[Problem] = []

    def error(message: str, where: str) -> None:
        problems.append(Problem(ERROR, message, where))

    # Identifier -------------------------------------------------------------------
    identifier = (activity.findtext("iati-identifier") or "").strip()
    reporting = activity.find("reporting-org")
    reporting_ref = reporting.get("ref", "") if reporting is not None else ""
    if not identifier or any(c.isspace() for c in identifier):
        error("The activity identifier is empty or contains spaces.", "Identifier")
    elif reporting_ref and not identifier.startswith(reporting_ref + "-"):
        error(
            f'The activity identifier "{identifier}" must start with the reporting '
            f'organisation\'s identifier "{reporting_ref}".',
            "Identifier",
        )

    # Narratives: never empty -----------------------------------------------------------
    for narrative in activity.iter("narrative"):
        if not (narrative.text or "").strip():
            parent = narrative.getparent()
            error(f"A text in <{parent.tag}> is empty.", "Texts")

    # Status and dates ------------------------------------------------------------------
    status = activity.find("activity-status")
    if status is None or status.get("code") not in ACTIVITY_STATUSES:
        error("The activity status is not one of IATI's codes (1 to 6).", "Status")
    dates = {}
    for element in activity.findall("activity-date"):
        kind, value = element.get("type"), _date(element.get("iso-date"))
        if kind in dates:
            error(f"The {DATE_NAMES.get(kind, kind)} date is given twice.", "Dates")
        dates[kind] = value
    if "1" not in dates and "2" not in dates:
        error("The activity needs a planned or an actual start date.", "Dates")
    for start, end in (("1", "3"), ("2", "4"), ("2", "3")):
        if dates.get(start) and dates.get(end) and dates[end] < dates[start]:
            error(
                f"The {DATE_NAMES[end]} date ({dates[end]}) is before the {DATE_NAMES[start]} "
                f"date ({dates[start]}).",
                "Dates",
            )
    for kind in ("2", "4"):
        if dates.get(kind) and dates[kind] > today:
            error(
                f"The {DATE_NAMES[kind]} date ({dates[kind]}) is in the future: actual dates "
                "must have happened.",
                "Dates",
            )
    if status is not None and status.get("code") in {"2", "3", "4"} and "2" not in dates:
        problems.append(
            Problem(
                WARNING,
                "The activity is under way or over but has no actual start date.",
                "Dates",
            )
        )

    # Organisations ----------------------------------------------------------------------
    for element in activity.findall("participating-org"):
        if not element.get("ref") and not _text(element):
            error(
                "A participating organisation has neither an identifier nor a name.",
                "Organisations",
            )
    for tag in ("provider-org", "receiver-org"):
        for element in activity.iter(tag):
            if not element.get("ref") and not _text(element):
                error(
                    f"A transaction's {tag[:-4]} has neither an identifier nor a name.", "Funding"
                )

    # Currencies ---------------------------------------------------------------------------
    default_currency = activity.get("default-currency")
    if default_currency and not is_currency(default_currency):
        error(f'The default currency "{default_currency}" is not an ISO 4217 code.', "Currency")
    for value in activity.iter("value"):
        currency = value.get("currency")
        where = "Funding" if value.getparent().tag == "transaction" else "Budget"
        if not currency and not default_currency:
            error("A value has no currency and the activity has no default currency.", where)
        elif currency and not is_currency(currency):
            error(f'The currency "{currency}" is not an ISO 4217 code.', where)
        if not value.get("value-date"):
            error("A value has no value date.", where)
        if _decimal(value.text) is None:
            error(f'The amount "{value.text}" is not a number.', where)

    # Percentages ---------------------------------------------------------------------------
    by_vocabulary = defaultdict(list)
    for sector in activity.findall("sector"):
        by_vocabulary[sector.get("vocabulary", "1")].append(sector.get("percentage"))
    for vocabulary, shares in by_vocabulary.items():
        _check_percentages(shares, f"sectors (vocabulary {vocabulary})", "Sectors", error)
    places = [e.get("percentage") for e in activity.findall("recipient-country")]
    places += [e.get("percentage") for e in activity.findall("recipient-region")]
    if places:
        _check_percentages(places, "recipient countries and regions", "Countries", error)

    # Budgets -------------------------------------------------------------------------------
    spans = []
    for budget in activity.findall("budget"):
        start = _date(budget.find("period-start").get("iso-date"))
        end = _date(budget.find("period-end").get("iso-date"))
        if start and end:
            if end < start:
                error(f"A budget ends ({end}) before it starts ({start}).", "Budget")
            elif (end - start).days > 365:
                error(
                    f"A budget runs from {start} to {end}: IATI budgets span a year at most.",
                    "Budget",
                )
            spans.append((budget.get("type", "1"), start, end))
    spans.sort()
    for (type_a, _start_a, end_a), (type_b, start_b, _end_b) in zip(spans, spans[1:], strict=False):
        if type_a == type_b and start_b <= end_a:
            error(f"Two budgets overlap (one ends {end_a}, the next starts {start_b}).", "Budget")

    # Transactions ---------------------------------------------------------------------------
    for transaction in activity.findall("transaction"):
        on = _date(transaction.find("transaction-date").get("iso-date"))
        value_date = _date(transaction.find("value").get("value-date"))
        if on and on > today:
            error(
                f"A transaction is dated {on}, in the future: IATI transactions record what "
                "happened. Correct the pledge or payment date.",
                "Funding",
            )
        if value_date and value_date > today:
            error(f"A transaction's value date ({value_date}) is in the future.", "Funding")

    # Results --------------------------------------------------------------------------------
    for result in activity.findall("result"):
        title = _text(result.find("title")) if result.find("title") is not None else "?"
        where = f"Result {title[:60]}"
        for indicator in result.findall("indicator"):
            qualitative = indicator.get("measure") == "5"
            for baseline in indicator.findall("baseline"):
                _check_value(baseline, qualitative, "baseline", where, error)
            for period in indicator.findall("period"):
                start = _date(period.find("period-start").get("iso-date"))
                end = _date(period.find("period-end").get("iso-date"))
                if start and end and end < start:
                    error(f"A results period ends ({end}) before it starts ({start}).", where)
                for tag in ("target", "actual"):
                    for element in period.findall(tag):
                        _check_value(element, qualitative, tag, where, error)
        for reference in result.findall("reference"):
            if reference.get("vocabulary") in {"98", "99"} and not reference.get("code"):
                error("A reference to a NAP objective has no code.", where)
    return problems


def _check_percentages(shares, what: str, where: str, error) -> None:
    values = [_decimal(s) for s in shares]
    if len(values) > 1 and any(v is None for v in values):
        error(f"Each of the {what} needs a percentage when there are several.", where)
        return
    given = [v for v in values if v is not None]
    if any(v < 0 or v > 100 for v in given):
        error(f"A percentage of the {what} is outside 0–100.", where)
    if given and sum(given, Decimal(0)) != 100:
        error(f"The percentages of the {what} add up to {sum(given)}, not 100.", where)


def _check_value(element, qualitative: bool, what: str, where: str, error) -> None:
    value = element.get("value")
    if qualitative:
        return
    if value is None:
        error(f"A {what} of a number indicator has no value.", where)
    elif _decimal(value) is None:
        error(f'The {what} value "{value}" is not a number.', where)
