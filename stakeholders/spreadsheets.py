"""Text in files people open in a spreadsheet: the one rule every export follows.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some spreadsheets skip before looking) is run as a formula when the
file is opened: an organisation named ``=HYPERLINK("http://…")`` would become a
link, ``=cmd|…`` worse. Such text is written with an apostrophe in front, which
spreadsheets read as "this is text". Imports drop that apostrophe again
(``unneutralise``), so a file exported here imports back unchanged.

XLSX cannot hold most control characters (openpyxl refuses them and the export
would fail): text pasted from a word processor often carries a vertical tab for a
line break. Those become line breaks, the others U+FFFD.

Here, in the lowest layer, so that the import base (``stakeholders.resources``)
and every app's exports use the same rule.
"""

from __future__ import annotations

import re

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 (and so XLSX) cannot hold: C0 controls but tab, LF and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def neutralise(text: str) -> str:
    """Text a spreadsheet would take for a formula, made inert with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """The text ``neutralise`` was given: an import reads an exported file back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def printable(text: str) -> str:
    """Text without the control characters an XLSX file cannot hold."""
    return _ILLEGAL.sub(lambda m: _LINE_BREAKS.get(m.group(), "\ufffd"), text)


def cell(value):
    """A value ready for a CSV or XLSX cell: text neutralised and printable,
    anything else (numbers, dates, None) as it is."""
    if isinstance(value, str):
        return neutralise(printable(value))
    return value


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` with every text cell and header made safe by ``cell``."""
    safe = tablib.Dataset(
        headers=[cell(h) for h in dataset.headers] if dataset.headers else None,
        title=dataset.title,
    )
    for row in dataset:
        safe.append([cell(value) for value in row])
    return safe
