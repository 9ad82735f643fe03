"""Presentation of the funding tables. None of it queries.

A table row is rendered here rather than cell by cell in the template: a page of two
thousand pledges has tens of thousands of cells, and template logic per cell made it
take seconds to draw.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from funding.tables import DATE, MONEY, PERCENT, Cell
from jointprogramme.numbers import grouped

register = template.Library()


def cell_text(cell: Cell) -> str:
    """A cell's content as safe HTML: money to the cent, grouped; percentages to 0.1."""
    value = cell.value
    if value is None:
        return "—"
    if cell.pledge_id is not None:
        url = reverse("funding:pledge", args=[cell.pledge_id])
        return f'<a href="{url}">#{escape(str(value))}</a>'
    if cell.kind == MONEY:
        return grouped(value, 2)
    if cell.kind == PERCENT:
        return grouped(value, 1) + "%"
    if cell.kind == DATE:
        return date_format(value, "DATE_FORMAT")
    return escape(str(value))


@register.filter
def row_cells(row) -> str:
    """The <th>/<td> cells of a table row: the first is the row's header."""
    parts = []
    for index, cell in enumerate(row.cells):
        tag = "td" if index else 'th scope="row"'
        end = "td" if index else "th"
        numeric = ' class="num"' if cell.is_numeric else ""
        parts.append(f"<{tag}{numeric}>{cell_text(cell)}</{end}>")
    return mark_safe("".join(parts))  # every value above is escaped or ours


@register.simple_tag(takes_context=True)
def page_url(context, parameter: str, number: int) -> str:
    """The current page's address with ``parameter`` set to ``number`` (the other
    tables' pages and any other parameter kept)."""
    query = context["request"].GET.copy()
    query[parameter] = number
    return "?" + query.urlencode()
