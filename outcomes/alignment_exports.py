"""The alignment report as files people take away: CSV and XLSX.

One table per view of the page (summary, coverage by objective, the outcome
walk, the matrix), built from the same report the page renders, so the figures
are the page's: counts, and percentages as the same whole numbers. Pure
functions over the report; no queries. Text a spreadsheet would run as a formula
is neutralised, and control characters an XLSX file cannot hold are made printable
(``stakeholders.spreadsheets.cell``, the rule every export follows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jointprogramme.models import Pillar, Programme
from jointprogramme.transliteration import localized
from stakeholders import xlsx
from stakeholders.models import Organisation
from stakeholders.spreadsheets import cell as safe_cell

from .alignment_reports import AlignmentReport, Coverage, Figures, LinkRow
from .models import Alignment, NapObjective, NationalActionPlan, Outcome

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Words and headers in the language of the request (lazy: read when written out).
DEGREE = {"full": _("Full"), "partial": _("Partial")}
STATUS = {"proposed": _("Proposed"), "confirmed": _("Confirmed"), "queried": _("Queried")}
MARK = {"confirmed": "✓", "queried": "?", "proposed": "·"}
CHANGE = {"new": _("New"), "changed": _("Text changed"), "withdrawn": _("Withdrawn")}


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    total_rows: int = 0  # how many rows at the end are totals (bold in XLSX)

    def in_active_language(self) -> Table:
        """Lazy translated words made plain text in the active language."""

        def plain(value):
            return str(value) if isinstance(value, Promise) else value

        return Table(
            title=str(self.title),
            headers=tuple(str(h) for h in self.headers),
            rows=tuple(tuple(plain(v) for v in row) for row in self.rows),
            total_rows=self.total_rows,
        )


SUMMARY_HEADERS = (
    _("Pillar"),
    _("NAP objectives counted"),
    _("Fully covered"),
    _("Fully covered %"),
    _("Partly covered"),
    _("Partly covered %"),
    _("Not covered"),
    _("Not covered %"),
    _("Links"),
    _("Links confirmed"),
    _("Links confirmed %"),
    _("Links queried"),
    _("Links awaiting review"),
)


def summary_row(label: str, figures: Figures) -> tuple:
    return (
        label,
        figures.objectives,
        figures.full,
        figures.full_pct,
        figures.partial,
        figures.partial_pct,
        figures.none,
        figures.none_pct,
        figures.links,
        figures.confirmed,
        figures.confirmed_pct,
        figures.queried,
        figures.proposed,
    )


def cell_text(link: LinkRow) -> str:
    """A matrix cell as the page shows it: F or P and the review mark."""
    return f"{'F' if link.degree == 'full' else 'P'}{MARK[link.review_status]}"


def report_tables(plan, report: AlignmentReport) -> list[Table]:
    outcome_codes = {w.outcome.id: w.outcome.code for w in report.walk}
    # Each pillar, objective and outcome appears in several tables, and each coverage
    # on hundreds of rows: their texts are looked up (and transliterated) once.
    texts: dict[tuple[int, str], str] = {}

    def text(row, field: str) -> str:
        key = (id(row), field)
        if key not in texts:
            texts[key] = written(row, field)
        return texts[key]

    coverage_labels = {coverage: coverage.label for coverage in Coverage}
    summary = Table(
        title=_("Summary"),
        headers=SUMMARY_HEADERS,
        rows=(
            *(summary_row(text(s.pillar, "name"), s.figures) for s in report.sections),
            summary_row(_("All pillars"), report.overall),
        ),
        total_rows=1,
    )
    coverage_rows = []
    for section in report.sections:
        for entry in section.objectives:
            coverage_rows.append(
                (
                    text(section.pillar, "name"),
                    entry.objective.code,
                    text(entry.objective, "title"),
                    entry.path,
                    _("Withdrawn") if entry.coverage is None else coverage_labels[entry.coverage],
                    _("yes") if entry.is_gap else "",
                    CHANGE.get(entry.change, ""),
                    "; ".join(
                        f"{outcome_codes[link.outcome_id]} ({str(DEGREE[link.degree]).lower()}, "
                        f"{str(STATUS[link.review_status]).lower()})"
                        for link in entry.links
                    ),
                )
            )
    coverage = Table(
        title=_("Coverage by objective"),
        headers=(
            _("Pillar"),
            _("Code"),
            _("NAP objective"),
            _("Place in the plan"),
            _("Coverage"),
            _("Gap"),
            _("Change from previous version"),
            _("JP outcomes (degree, review)"),
        ),
        rows=tuple(coverage_rows),
    )
    walk_rows = []
    for walk in report.walk:
        head = (
            text(walk.pillar, "name"),
            walk.outcome.code,
            text(walk.outcome, "title"),
            walk.outcome.lead_agency,
        )
        if not walk.links:
            walk_rows.append(
                (*head, "", _("Linked to no NAP objective"), "", "", "", "", "", None, "")
            )
        for wl in walk.links:
            link = wl.link
            walk_rows.append(
                (
                    *head,
                    wl.objective.objective.code,
                    text(wl.objective.objective, "title"),
                    DEGREE[link.degree],
                    STATUS[link.review_status],
                    link.rationale,
                    link.review_comment,
                    link.reviewed_by,
                    _local(link.reviewed_at),
                    wl.needs_review,
                )
            )
    outcome_walk = Table(
        title=_("Outcome by outcome"),
        headers=(
            _("Pillar"),
            _("Outcome"),
            _("JP outcome"),
            _("Lead agency"),
            _("NAP objective"),
            _("NAP objective title"),
            _("Degree"),
            _("Review"),
            _("Rationale"),
            _("Latest comment"),
            _("Reviewed by"),
            _("Reviewed at"),
            _("Needs review"),
        ),
        rows=tuple(walk_rows),
    )
    outcomes = [w.outcome for w in report.walk]
    matrix_rows = []
    for section in report.sections:
        for entry in section.objectives:
            by_outcome = {link.outcome_id: link for link in entry.links}
            matrix_rows.append(
                (
                    text(section.pillar, "name"),
                    entry.objective.code,
                    text(entry.objective, "title"),
                    _("Withdrawn") if entry.coverage is None else coverage_labels[entry.coverage],
                    *(cell_text(by_outcome[o.id]) if o.id in by_outcome else "" for o in outcomes),
                )
            )
    matrix = Table(
        title=_("Matrix"),
        headers=(
            _("Pillar"),
            _("Code"),
            _("NAP objective"),
            _("Coverage"),
            *(gettext("Outcome %(code)s") % {"code": o.code} for o in outcomes),
        ),
        rows=tuple(matrix_rows),
    )
    return [t.in_active_language() for t in (summary, coverage, outcome_walk, matrix)]


def written(row, field: str) -> str:
    """A written text in the active language (Serbian in its script), as the page
    shows it, without the page's 'not translated' marker."""
    return localized(row, field)[0]


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    texts: dict[str, str] = {}  # each distinct text made safe once
    for row in rows:
        cells = []
        for value in row:
            if type(value) is str:
                if value not in texts:
                    texts[value] = safe_cell(value)
                cells.append(texts[value])
            else:
                cells.append(_plain(value))
        writer.writerow(cells)
    # A byte-order mark so spreadsheet programs read UTF-8 (✓, Cyrillic) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_csv(tables: Iterable[Table]) -> bytes:
    """Tables one after another: a title line, the headers, the rows, a blank line."""
    rows: list[Sequence] = []
    for table in tables:
        rows += [(table.title,), table.headers, *table.rows, ()]
    return csv_bytes(rows)


def write_xlsx(tables: Iterable[Table]) -> bytes:
    """A sheet per table: headers in bold and frozen, totals in bold. Written
    directly (``stakeholders.xlsx``): a plan of hundreds of objectives makes a
    matrix of tens of thousands of cells, over a second through openpyxl."""
    sheets = []
    for table in tables:
        widths = {}
        for index, header in enumerate(table.headers, start=1):
            wide = "title" in header.lower() or "objective" in header.lower()
            widths[index] = 50 if wide else max(12, min(len(header), 40))
        sheets.append(
            xlsx.Sheet(
                title=table.title[:31],
                rows=[
                    [safe_cell(h) for h in table.headers],
                    *([safe_cell(value) for value in row] for row in table.rows),
                ],
                bold_last=table.total_rows,
                widths=widths,
                datetime_format="yyyy-mm-dd hh:mm",
            )
        )
    return xlsx.workbook(sheets)


def filename(programme, plan, today: date, kind: str) -> str:
    name = slugify(programme.short_title or programme.title)[:50] or "programme"
    version = slugify(plan.version)[:20] or str(plan.pk)
    return f"alignment-{name}-nap-{version}-{today:%Y-%m-%d}.{kind}"


def write(tables: list[Table], kind: str) -> bytes:
    return write_csv(tables) if kind == "csv" else write_xlsx(tables)


def sources() -> list:
    """The models the report is built from (for ``fingerprints.cached_content``);
    proposers and reviewers are named."""
    return [
        Programme,
        Pillar,
        Organisation,
        NationalActionPlan,
        NapObjective,
        NapObjective.responsible_ministries.through,
        Outcome,
        Outcome.participating_agencies.through,
        Alignment,
        get_user_model(),
    ]


def response(body: bytes, *, kind: str, filename: str) -> HttpResponse:
    resp = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
