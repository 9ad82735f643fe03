"""XLSX workbooks of big plain tables, written with XlsxWriter.

openpyxl builds a cell object per value and writes it through an XML library: some
30 µs a cell, eight seconds for the results export of a large programme (10,000 rows
of 13 columns). XlsxWriter is a well-kept, pure-Python writer made for this (write
only, row after row, in memory): that table takes about 2.0 s, against 3.4 s with
openpyxl's write-only mode and 0.4 s with the SpreadsheetML writer this module held
before. Fast enough for a download, and the file format itself — shared strings,
styles, escaping, the parts of the package — is kept right by a library that every
spreadsheet program's quirks have been reported to, not by us. A table here needs
only text, numbers, dates and booleans, a bold header or total row, number formats,
column widths and a frozen header; openpyxl reads the files back to the values,
formats and fonts it would have written itself (tests/stakeholders/test_xlsx.py).

Text is written as it is given (never as a formula or a link), but for the control
characters XLSX cannot hold (``spreadsheets.printable``): callers neutralise formulas
first (``spreadsheets.cell``). Lazily translated text is written as its ``str()``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import xlsxwriter
from django.utils.functional import Promise
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .spreadsheets import printable

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"  # openpyxl's for a datetime without a format
# Pixels per unit of column width in the default font (Calibri 11): a width given in
# pixels is stored as the width itself, as openpyxl stores it.
_PIXELS_PER_WIDTH = 7


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


_Style = Callable[[str | None, bool], Format | None]


def _write_sheet(worksheet: Worksheet, sheet: Sheet, style: _Style) -> None:
    for column, width in sorted(sheet.widths.items()):
        # In pixels: XlsxWriter would add the cell padding to a width in characters.
        pixels = round(width * _PIXELS_PER_WIDTH)
        worksheet.set_column_pixels(column - 1, column - 1, pixels)
    if sheet.freeze_header:
        worksheet.freeze_panes(1, 0)
    rows = list(sheet.rows)
    first_bold_last = len(rows) - sheet.bold_last
    texts: dict[str, str] = {}  # each distinct text made printable once
    for number, row in enumerate(rows):
        bold = number < sheet.bold_rows or number >= first_bold_last
        for column, value in enumerate(row):
            if type(value) is Styled:
                value, fmt, b, explicit = value.value, value.number_format, bold or value.bold, True
            else:
                fmt, b, explicit = sheet.number_formats.get(column + 1), bold, False
            if isinstance(value, Promise):
                value = str(value)
            if value is None or value == "":  # no value, styled as openpyxl writes them
                cell_format = style(fmt if explicit else None, b)
                if cell_format is not None:
                    worksheet.write_blank(number, column, None, cell_format)
            elif isinstance(value, str):
                text = texts.get(value)
                if text is None:
                    # A control character would make the file unreadable: never one.
                    text = texts[value] = printable(value)
                worksheet.write_string(number, column, text, style(fmt if explicit else None, b))
            elif isinstance(value, bool):
                worksheet.write_boolean(number, column, value, style(fmt if explicit else None, b))
            elif isinstance(value, dt.datetime):
                if value.tzinfo is not None:
                    raise ValueError("Excel holds no time zone: give a naive local datetime")
                worksheet.write_datetime(
                    number, column, value, style(fmt or sheet.datetime_format, b)
                )
            elif isinstance(value, dt.date):
                worksheet.write_datetime(number, column, value, style(fmt or DATE_FORMAT, b))
            else:  # int, float, Decimal: a number, as openpyxl writes them
                if type(value) is not int and type(value) is not float:
                    value = float(value)
                worksheet.write_number(number, column, value, style(fmt, b))


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes: one sheet per ``Sheet``, in order."""
    out = io.BytesIO()
    # In memory: no temporary files. Text stays text: never read as a formula or link.
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    formats: dict[tuple[str | None, bool], Format | None] = {}

    def style(number_format: str | None, bold: bool) -> Format | None:
        """The cell format of a number format and bold, each made once."""
        key = (number_format, bold)
        if key not in formats:
            properties: dict[str, Any] = {}
            if number_format:
                properties["num_format"] = number_format
            if bold:
                properties["bold"] = True
            formats[key] = book.add_format(properties) if properties else None
        return formats[key]

    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet.title[:31]), sheet, style)
    book.close()
    return out.getvalue()
