"""Approved results as files people take away: CSV and XLSX.

One row per figure: each result's total, then its parts, dimension by dimension.
Only approved results are exported. For donors, figures of sensitive indicators
are survivor-safe (``suppression``): a small count reads "< 5", a cell hidden so
that it cannot be worked out reads "hidden", and the number column stays empty.
Text a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stakeholders import xlsx
from stakeholders.spreadsheets import cell as spreadsheet_cell

from .models import (
    DisaggregationCategory,
    DisaggregationDimension,
    Indicator,
    Outcome,
    ReportingPeriod,
    Result,
    ResultBreakdown,
)
from .reporting_selectors import ApprovedResults
from .suppression import Figure, publish

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# In the language of the request that asks for the file, as the figures' labels.
HEADERS = [
    gettext_lazy("Outcome"),
    gettext_lazy("Indicator"),
    gettext_lazy("Indicator title"),
    gettext_lazy("Unit"),
    gettext_lazy("Sensitive"),
    gettext_lazy("Period"),
    gettext_lazy("Period locked"),
    gettext_lazy("Dimension"),
    gettext_lazy("Category"),
    gettext_lazy("Value"),
    gettext_lazy("Shown as"),
    gettext_lazy("Approved by"),
    gettext_lazy("Approved on"),
]


def _headers() -> list[str]:
    return [str(header) for header in HEADERS]


def export_rows(data: ApprovedResults, *, minimum: int, suppress: bool) -> list[list]:
    """The rows of the file, cells in the order of ``HEADERS``, from the flat rows
    of ``reporting_selectors.approved_results``; ``suppress`` for donors.

    Text cells come ready for a spreadsheet (``spreadsheet_cell``); the value is a
    Decimal or None and the approval a date or None, which each format writes in
    its own way. Words and texts shared by many rows are prepared once.
    """
    # Translated once for the whole file, not once per row.
    yes, no = spreadsheet_cell(_("yes")), spreadsheet_cell(_("no"))
    total, hidden = spreadsheet_cell(_("Total")), spreadsheet_cell(_("hidden"))

    def shown(figure: Figure) -> str:
        if figure.hidden and not figure.small:
            return hidden
        return spreadsheet_cell(figure.label)

    indicators = {
        pk: (
            [spreadsheet_cell(text) for text in (outcome, code, title, unit)],
            sensitive,
            [
                (spreadsheet_cell(name), [(pk, spreadsheet_cell(c)) for pk, c in categories])
                for name, categories in data.dimensions.get(pk, ())
            ],
        )
        for pk, (outcome, code, title, unit, sensitive) in data.indicators.items()
    }
    labels: dict[Decimal, str] = {}  # a figure's text, by value

    def label(value: Decimal | None) -> str:
        if value is None:
            return ""
        if value not in labels:
            labels[value] = spreadsheet_cell(_number(value))
        return labels[value]

    periods: dict[tuple, str] = {}
    approvers: dict[tuple, str] = {}
    rows = []
    for (
        result_id,
        indicator_id,
        value,
        period,
        locked_at,
        first,
        last,
        username,
        at,
    ) in data.results:
        texts, sensitive, dimensions = indicators[indicator_id]
        if period not in periods:
            periods[period] = spreadsheet_cell(period)
        person = (first, last, username)
        if person not in approvers:
            name = (f"{first} {last}".strip() or username) if username is not None else ""
            approvers[person] = spreadsheet_cell(name)
        head = [
            *texts,
            yes if sensitive else no,
            periods[period],
            no if locked_at is None else yes,
        ]
        tail = (approvers[person], at.date() if at else None)
        parts = data.parts.get(result_id, {})
        # The dimensions the result was broken down by, each category's part or None.
        cells = []
        for name, categories in dimensions:
            row = [(category, parts.get(pk)) for pk, category in categories]
            if any(part is not None for _category, part in row):
                cells.append((name, row))
        if suppress and sensitive:
            table = publish(value, cells, minimum=minimum, suppress=True)
            rows.append([*head, total, "", table.total.value, shown(table.total), *tail])
            for dimension in table.dimensions:
                for category, figure in dimension.cells:
                    rows.append(
                        [*head, dimension.name, category, figure.value, shown(figure), *tail]
                    )
        else:  # exact: every figure as it is, as ``publish`` would give it
            rows.append([*head, total, "", value, label(value), *tail])
            for name, row in cells:
                for category, part in row:
                    rows.append([*head, name, category, part, label(part), *tail])
    return rows


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def write_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    numbers: dict[Decimal | None, str] = {None: ""}
    days: dict[date | None, str] = {None: ""}
    for row in rows:
        value, day = row[9], row[12]
        if value not in numbers:
            numbers[value] = _number(value)
        if day not in days:
            days[day] = day.isoformat()
        row = row.copy()
        row[9], row[12] = numbers[value], days[day]
        writer.writerow(row)
    # A byte-order mark so spreadsheet programs read UTF-8 (Cyrillic, dashes) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[list]) -> bytes:
    """One sheet, the headers bold and frozen (``stakeholders.xlsx``: openpyxl
    takes seconds over the ten thousand rows of a large programme)."""
    sheet = xlsx.Sheet(title=_("Approved results")[:31], rows=[_headers(), *rows])
    return xlsx.workbook([sheet])


def filename(programme, today: date, kind: str) -> str:
    name = slugify(programme.short_title or programme.title)[:60] or "programme"
    return f"results-{name}-{today:%Y-%m-%d}.{kind}"


def write(rows: list[list], kind: str) -> bytes:
    return write_csv(rows) if kind == "csv" else write_xlsx(rows)


def sources() -> list:
    """The models the file is built from (for ``fingerprints.cached_content``); the
    approver is named on every row."""
    return [
        Outcome,
        Indicator,
        Indicator.dimensions.through,
        DisaggregationDimension,
        DisaggregationCategory,
        ReportingPeriod,
        Result,
        ResultBreakdown,
        get_user_model(),
    ]


def response(body: bytes, *, kind: str, filename: str) -> HttpResponse:
    resp = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
