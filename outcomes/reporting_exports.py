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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from stakeholders.spreadsheets import cell as spreadsheet_cell

from .selectors import breakdown_cells
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


@dataclass(frozen=True)
class ExportRow:
    outcome: str
    indicator: str
    indicator_title: str
    unit: str
    sensitive: bool
    period: str
    period_locked: bool
    dimension: str
    category: str
    figure: Figure
    approved_by: str
    approved_on: date | None

    def cells(self) -> list:
        return [
            self.outcome,
            self.indicator,
            self.indicator_title,
            self.unit,
            _("yes") if self.sensitive else _("no"),
            self.period,
            _("yes") if self.period_locked else _("no"),
            self.dimension,
            self.category,
            self.figure.value,  # None when hidden
            _figure_label(self.figure),
            self.approved_by,
            self.approved_on,
        ]


def export_rows(results: Iterable, *, minimum: int, suppress: bool) -> list[ExportRow]:
    """The rows of the file from approved results (as ``approved_results`` loads
    them); ``suppress`` for donors."""
    rows = []
    for result in results:
        indicator = result.indicator
        table = publish(
            result.value,
            breakdown_cells(indicator, result),
            minimum=minimum,
            suppress=suppress and indicator.is_sensitive,
        )
        reviewer = result.reviewed_by
        common = {
            "outcome": indicator.outcome.code,
            "indicator": indicator.code,
            "indicator_title": indicator.title,
            "unit": indicator.unit,
            "sensitive": indicator.is_sensitive,
            "period": result.period.name,
            "period_locked": result.period.is_locked,
            "approved_by": (reviewer.get_full_name() or reviewer.username) if reviewer else "",
            "approved_on": result.reviewed_at.date() if result.reviewed_at else None,
        }
        rows.append(ExportRow(dimension=_("Total"), category="", figure=table.total, **common))
        for dimension in table.dimensions:
            for category, figure in dimension.cells:
                rows.append(
                    ExportRow(dimension=dimension.name, category=category, figure=figure, **common)
                )
    return rows


def _figure_label(figure: Figure) -> str:
    """The figure as text, as ``Figure.label`` but in the active language."""
    if figure.hidden and not figure.small:
        return _("hidden")
    return figure.label


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_cell(str(value))


def write_csv(rows: list[ExportRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row.cells()])
    # A byte-order mark so spreadsheet programs read UTF-8 (Cyrillic, dashes) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[ExportRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Approved results")[:31]  # Excel's limit for a sheet's name
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_cell(value) for value in row.cells()])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(programme, today: date, kind: str) -> str:
    name = slugify(programme.short_title or programme.title)[:60] or "programme"
    return f"results-{name}-{today:%Y-%m-%d}.{kind}"


def response(rows: list[ExportRow], *, kind: str, filename: str) -> HttpResponse:
    body = write_csv(rows) if kind == "csv" else write_xlsx(rows)
    resp = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
