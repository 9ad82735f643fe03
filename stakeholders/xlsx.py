"""XLSX workbooks of big plain tables, written directly as SpreadsheetML.

openpyxl builds a cell object per value and writes it through an XML library: some
30 µs a cell, eight seconds for the results export of a large programme (10,000 rows
of 13 columns). A table needs far less: text, numbers, dates and booleans, a bold
header or total row, number formats, column widths and a frozen header. This writes
exactly that, each distinct text escaped once, in a few milliseconds per thousand
rows: the minimal parts of an Office Open XML workbook, strings inline, cells in
order. openpyxl reads the files back to the values, formats and fonts it would have
written itself (tests/stakeholders/test_xlsx.py).

Text is written as it is given, but for the control characters XLSX cannot hold
(``spreadsheets.printable``): callers neutralise formulas first (``spreadsheets.cell``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from .spreadsheets import printable

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"  # openpyxl's for a datetime without a format
_EPOCH = dt.datetime(1899, 12, 30)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Styled(NamedTuple):
    """A value with its own number format or bold, whatever its row and column say:
    the format applies even to text or an empty cell, as openpyxl applies it."""

    value: Any
    number_format: str | None = None
    bold: bool = False


@dataclass
class Sheet:
    """A sheet: rows of values (str, int, float, Decimal, date, datetime, bool,
    None or ``Styled``), the first ``bold_rows`` and the last ``bold_last`` rows in
    bold."""

    title: str
    rows: Iterable[Sequence]
    bold_rows: int = 1
    bold_last: int = 0
    freeze_header: bool = True
    widths: dict[int, float] = field(default_factory=dict)  # column (from 1) → width
    # column (from 1) → number format of its numbers and dates (dates otherwise
    # DATE_FORMAT, datetimes ``datetime_format``, numbers General)
    number_formats: dict[int, str] = field(default_factory=dict)
    datetime_format: str = DATETIME_FORMAT


class _Styles:
    """The cell formats used, each (number format, bold) once, as styles.xml."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}
        self.xfs: dict[tuple[str | None, bool], int] = {(None, False): 0}

    def index(self, number_format: str | None, bold: bool) -> int:
        key = (number_format, bold)
        if key not in self.xfs:
            if number_format is not None and number_format not in self.formats:
                self.formats[number_format] = 164 + len(self.formats)
            self.xfs[key] = len(self.xfs)
        return self.xfs[key]

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{n}" formatCode={quoteattr(code)}/>'
            for code, n in self.formats.items()
        )
        xfs = []
        for number_format, bold in self.xfs:
            n = self.formats[number_format] if number_format else 0
            applied = (' applyNumberFormat="1"' if n else "") + (' applyFont="1"' if bold else "")
            xfs.append(
                f'<xf numFmtId="{n}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0"'
                f"{applied}/>"
            )
        if formats:
            formats = f'<numFmts count="{len(self.formats)}">{formats}</numFmts>'
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">{formats}'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        )


def _text(value: str, style: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() else ""
    # A control character would make the file unreadable: never one, whatever the caller.
    return f'<c t="inlineStr"{style}><is><t{space}>{escape(printable(value))}</t></is></c>'


def _sheet_xml(sheet: Sheet, styles: _Styles) -> str:
    rows = list(sheet.rows)
    first_bold_last = len(rows) - sheet.bold_last
    texts: dict[tuple, str] = {}  # each distinct text (and style) escaped once
    parts = []
    for number, row in enumerate(rows):
        bold = number < sheet.bold_rows or number >= first_bold_last
        cells = []
        for column, value in enumerate(row, start=1):
            if type(value) is Styled:
                value, fmt, b, explicit = value.value, value.number_format, bold or value.bold, True
            else:
                fmt, b, explicit = sheet.number_formats.get(column), bold, False
            if value is None or value == "":  # no value, as openpyxl writes them
                s = styles.index(fmt if explicit else None, b)
                cells.append(f'<c s="{s}"/>' if s else "<c/>")
            elif isinstance(value, str):
                key = (value, fmt if explicit else None, b)
                if key not in texts:
                    s = styles.index(key[1], b)
                    texts[key] = _text(value, f' s="{s}"' if s else "")
                cells.append(texts[key])
            elif isinstance(value, bool):
                s = styles.index(fmt if explicit else None, b)
                cells.append(f'<c t="b" s="{s}"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    raise ValueError("Excel holds no time zone: give a naive local datetime")
                s = styles.index(fmt or sheet.datetime_format, b)
                serial = (value - _EPOCH).total_seconds() / 86400
                cells.append(f'<c s="{s}"><v>{serial!r}</v></c>')
            elif isinstance(value, dt.date):
                s = styles.index(fmt or DATE_FORMAT, b)
                cells.append(f'<c s="{s}"><v>{(value - _EPOCH.date()).days}</v></c>')
            else:  # int, float, Decimal: as openpyxl writes them
                s = styles.index(fmt, b)
                cells.append(f'<c s="{s}"><v>{float(value):.16g}</v></c>')
        parts.append(f"<row>{''.join(cells)}</row>")
    view = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if sheet.freeze_header
        else ""
    )
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
        for c, w in sorted(sheet.widths.items())
    )
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"{f'<cols>{cols}</cols>' if cols else ''}"
        f"<sheetData>{''.join(parts)}</sheetData></worksheet>"
    )


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes: one sheet per ``Sheet``, in order."""
    styles = _Styles()
    names = [sheet.title[:31] for sheet in sheets]
    sheet_parts = [_sheet_xml(sheet, styles) for sheet in sheets]
    count = range(1, len(sheets) + 1)
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in count
        )
        + "</Types>"
    )
    root_rels = (
        f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook_xml = (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
            for n, name in zip(count, names, strict=True)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{_HEAD}<Relationships xmlns="{_RELS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in count
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_DOC_RELS}/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    out = io.BytesIO()
    # The fastest compression: the sheets are long and repetitive, and a file
    # made quickly matters more here than a few more kilobytes saved.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook_xml)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", styles.xml())
        for n, part in zip(count, sheet_parts, strict=True):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", part)
    return out.getvalue()
