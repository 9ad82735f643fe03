"""Survivor-safe figures: what donors may see of a sensitive result.

Pure functions over numbers, unit-tested without a database.

A result of a sensitive indicator (victims identified, survivors assisted) is a
small table: its total and, for each dimension it is broken down by (sex, age
group...), one cell per category, the cells of a dimension adding up to the total.
Donors see it after

1. **primary suppression**: a count from 1 to n - 1, n being the programme's
   minimum cell size, is shown as "< n";
2. **secondary suppression**: other cells are hidden too ("hidden"), smallest
   non-zero first, until no small count can be worked out by subtraction.

What "cannot be worked out" means here: a reader knows the rules, the total and
the cells shown, so for each dimension they know the hidden cells' sum, that each
"< n" cell holds 1 to n - 1 and each "hidden" one at least n. Whatever they
combine, every "< n" cell must still be anything from 1 to n - 1 (``_protected``).
One hidden cell alone fails (it is the total minus the others); so do two cells of
4 when n is 5 (their sum, 8, leaves only 4 + 4).

The total is hidden when it is below n (every non-zero cell goes with it: nothing
may add up to it), or when some dimension cannot be protected even by hiding all
of it (two cells of 4 and nothing else); then the total and every non-zero cell
are hidden. Dimensions share only the total, so with the total shown each is
protected on its own, and with it hidden none can be subtracted from it.

A zero is shown: it discloses nobody. Staff, managers and the national coordinator
see every figure exactly; suppression applies to donors and donor exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """One published number: the value, or only "< minimum" (a small count) or
    "hidden" (hidden so that a small count cannot be worked out)."""

    value: Decimal | None
    hidden: bool = False
    small: bool = False  # hidden because it is below the minimum
    minimum: int = 0

    @property
    def label(self) -> str:
        """The figure as text, for files: "< 5", "hidden", "" when missing."""
        if self.hidden:
            return f"< {self.minimum}" if self.small else "hidden"
        if self.value is None:
            return ""
        return format(self.value.normalize(), "f") if self.value else "0"


@dataclass(frozen=True)
class PublishedDimension:
    name: str
    cells: tuple[tuple[str, Figure], ...]  # (category, figure) in the dimension's order


@dataclass(frozen=True)
class PublishedTable:
    """A result as one audience sees it: the total and its breakdowns."""

    total: Figure
    dimensions: tuple[PublishedDimension, ...] = ()

    @property
    def any_hidden(self) -> bool:
        return self.total.hidden or any(
            figure.hidden for d in self.dimensions for _name, figure in d.cells
        )


def is_small(value: Decimal | None, minimum: int) -> bool:
    """A count that must not be shown on its own: more than nobody, fewer than minimum."""
    return value is not None and 0 < value < minimum


def _protected(cells: Sequence[Decimal | None], hidden: Sequence[bool], minimum: int) -> bool:
    """Whether every small hidden cell of a dimension could still be anything from
    1 to minimum - 1, given the sum of the hidden cells (total minus those shown)."""
    chosen = [i for i, h in enumerate(hidden) if h]
    small = {i for i in chosen if is_small(cells[i], minimum)}
    total = sum((cells[i] for i in chosen), Decimal(0))
    for i in small:
        others = [j for j in chosen if j != i]
        # Largest the others can be: unbounded once one of them is "hidden" (>= n).
        bounded = all(j in small for j in others)
        if bounded and total - (minimum - 1) * len(others) > 1:
            return False  # the cell is at least 2: more than "< n" says
        # Smallest the others can be: 1 per "< n" cell, n per "hidden" one.
        least = sum((Decimal(1 if j in small else minimum) for j in others), Decimal(0))
        if total - least < minimum - 1:
            return False  # the cell is at most minimum - 2
    return True


def _protect_dimension(cells: Sequence[Decimal | None], hidden: list[bool], minimum: int) -> bool:
    """Hide more cells of one dimension (in ``hidden``, in place), smallest non-zero
    first, until it is protected. False if even hiding all of it is not enough."""
    while not _protected(cells, hidden, minimum):
        shown = [
            i for i, h in enumerate(hidden) if not h and cells[i] is not None and cells[i] != 0
        ]
        if not shown:
            return False
        hidden[min(shown, key=lambda i: (cells[i], i))] = True
    return True


def hidden_cells(
    total: Decimal, dimensions: Sequence[Sequence[Decimal | None]], *, minimum: int
) -> tuple[bool, list[list[bool]]]:
    """Which cells to hide: (is the total hidden, per dimension per cell hidden).

    ``dimensions`` holds each dimension's cells in order; ``None`` is a cell not
    reported (never shown, never counted on).
    """
    hide_total = is_small(total, minimum)
    result: list[list[bool]] = []
    if not hide_total:
        for cells in dimensions:
            hidden = [is_small(value, minimum) for value in cells]
            if not _protect_dimension(cells, hidden, minimum):
                hide_total = True
                break
            result.append(hidden)
    if hide_total:
        # Nothing may add up to a hidden total: every non-zero cell goes.
        result = [[value is not None and value != 0 for value in cells] for cells in dimensions]
    return hide_total, result


def publish(
    total: Decimal,
    dimensions: Sequence[tuple[str, Sequence[tuple[str, Decimal | None]]]] = (),
    *,
    minimum: int,
    suppress: bool,
) -> PublishedTable:
    """The table as its audience sees it: exact when ``suppress`` is false (staff,
    or an indicator that is not sensitive), survivor-safe for donors otherwise."""
    values = [[value for _category, value in cells] for _name, cells in dimensions]
    if suppress:
        hide_total, hidden = hidden_cells(total, values, minimum=minimum)
    else:
        hide_total, hidden = False, [[False] * len(cells) for cells in values]

    def figure(value: Decimal | None, hide: bool) -> Figure:
        if hide:
            return Figure(value=None, hidden=True, small=is_small(value, minimum), minimum=minimum)
        return Figure(value=value, minimum=minimum)

    return PublishedTable(
        total=figure(total, hide_total),
        dimensions=tuple(
            PublishedDimension(
                name=name,
                cells=tuple(
                    (category, figure(value, hide))
                    for (category, value), hide in zip(cells, hidden_row, strict=True)
                ),
            )
            for (name, cells), hidden_row in zip(dimensions, hidden, strict=True)
        ),
    )


def publish_single(value: Decimal | None, *, minimum: int, suppress: bool) -> Figure:
    """One figure with no breakdown (a baseline, a latest value on a list)."""
    if value is None:
        return Figure(value=None, minimum=minimum)
    if suppress and is_small(value, minimum):
        return Figure(value=None, hidden=True, small=True, minimum=minimum)
    return Figure(value=value, minimum=minimum)
