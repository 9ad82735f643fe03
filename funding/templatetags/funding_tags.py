"""Presentation of the funding tables. None of it queries.

A table row is rendered here rather than cell by cell in the template: a page of two
thousand pledges has tens of thousands of cells, and template logic per cell made it
take seconds to draw.
"""

from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.safestring import mark_safe

from funding.tables import DATE, MONEY, PERCENT, Cell

register = template.Library()


def separators() -> tuple[str, str]:
    """The active language's decimal and thousands separators."""
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


def grouped(value: Decimal, places: int, seps: tuple[str, str] = (".", ",")) -> str:
    """``value`` with ``places`` decimals and thousands grouped (the value is already
    rounded: this only formats)."""
    text = f"{value:,.{places}f}"
    if seps == (".", ","):
        return text
    decimal, thousand = seps
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousand)


def cell_text(cell: Cell, seps: tuple[str, str] = (".", ",")) -> str:
    """A cell's content as safe HTML: money to the cent, grouped; percentages to 0.1."""
    value = cell.value
    if value is None:
        return "—"
    if cell.pledge_id is not None:
        url = reverse("funding:pledge", args=[cell.pledge_id])
        return f'<a href="{url}">#{escape(str(value))}</a>'
    if cell.kind == MONEY:
        return grouped(value, 2, seps)
    if cell.kind == PERCENT:
        return grouped(value, 1, seps) + "%"
    if cell.kind == DATE:
        return date_format(value, "DATE_FORMAT")
    return escape(str(value))


@register.filter
def row_cells(row) -> str:
    """The <th>/<td> cells of a table row: the first is the row's header."""
    parts, seps = [], separators()
    for index, cell in enumerate(row.cells):
        tag = "td" if index else 'th scope="row"'
        end = "td" if index else "th"
        numeric = ' class="num"' if cell.is_numeric else ""
        parts.append(f"<{tag}{numeric}>{cell_text(cell, seps)}</{end}>")
    return mark_safe("".join(parts))  # every value above is escaped or ours


@register.simple_tag(takes_context=True)
def page_url(context, parameter: str, number: int) -> str:
    """The current page's address with ``parameter`` set to ``number`` (the other
    tables' pages and any other parameter kept)."""
    query = context["request"].GET.copy()
    query[parameter] = number
    return "?" + query.urlencode()
