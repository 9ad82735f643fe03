"""The funding tables as files people take away: CSV and XLSX.

Both carry the page's tables cell for cell. Money is written exactly (to the cent, no
further rounding), dates as ISO dates in CSV and real dates in XLSX. Text that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
is prefixed with an apostrophe, so an organisation named "=HYPERLINK(...)" stays text,
and control characters an XLSX file cannot hold are replaced
(``stakeholders.spreadsheets``, the rule every export follows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import slugify

from jointprogramme.models import Participation, Pillar, Programme
from outcomes.models import Outcome, OutcomeBudget
from stakeholders import xlsx
from stakeholders.models import Organisation
from stakeholders.spreadsheets import cell as safe_cell
from stakeholders.spreadsheets import neutralise

from .models import ExchangeRate, Payment, Pledge, Prospect
from .tables import DATE, MONEY, PERCENT, TEXT, Table

NUMBER_FORMATS = {MONEY: "#,##0.00", PERCENT: "0.0", DATE: "yyyy-mm-dd"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == PERCENT:
        return f"{value:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    if kind == TEXT or isinstance(value, str):
        return neutralise(str(value))
    return str(value)


def write_csv(tables: Iterable[Table]) -> bytes:
    """Tables one after another: a title line, the headers, the rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([_plain(cell.value, cell.kind) for cell in row.cells])
        writer.writerow([])
    # A byte-order mark so spreadsheet programs read UTF-8 (→, Cyrillic) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, n = base, 2
    while name in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def write_xlsx(tables: Iterable[Table]) -> bytes:
    """A sheet per table: headers in bold, money as numbers with two decimals,
    totals in bold (``stakeholders.xlsx``: openpyxl's cell objects took most of a
    second for the tables of a large programme)."""
    taken: set[str] = set()
    sheets = []
    for table in tables:
        rows: list[list] = [[_xlsx_value(h) for h in table.headers]]
        for row in table.rows:
            rows.append(
                [
                    xlsx.Styled(_xlsx_value(c.value), NUMBER_FORMATS.get(c.kind), row.is_total)
                    if row.is_total or c.kind in NUMBER_FORMATS
                    else _xlsx_value(c.value)
                    for c in row.cells
                ]
            )
        sheets.append(
            xlsx.Sheet(
                title=_sheet_title(str(table.title), taken),
                rows=rows,
                widths={
                    index: max(12, min(len(str(header)), 40))
                    for index, header in enumerate(table.headers, start=1)
                },
            )
        )
    return xlsx.workbook(sheets)


def _xlsx_value(value):
    """Translated words (lazy) as text; text made safe (``safe_cell``)."""
    return safe_cell(str(value) if isinstance(value, Promise) else value)


def filename(programme, today: date, kind: str) -> str:
    name = slugify(programme.short_title or programme.title)[:60] or "programme"
    return f"funding-{name}-{today:%Y-%m-%d}.{kind}"


def write(tables: list[Table], kind: str) -> bytes:
    return write_csv(tables) if kind == "csv" else write_xlsx(tables)


def sources() -> list:
    """The models a programme's funding report is built from (for
    ``fingerprints.cached_content``): no user is named in it."""
    return [
        Programme,
        Pillar,
        Participation,
        Organisation,
        Outcome,
        OutcomeBudget,
        Pledge,
        Payment,
        Prospect,
        ExchangeRate,
    ]


def response(body: bytes, *, kind: str, filename: str) -> HttpResponse:
    resp = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
