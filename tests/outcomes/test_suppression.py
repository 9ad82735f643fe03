"""Survivor-safe figures, as pure functions: no small count is shown, and none can
be worked out by subtraction from totals or other cells. No database."""

from decimal import Decimal
from itertools import product

import pytest

from outcomes.suppression import hidden_cells, is_small, publish, publish_single

N = 5  # the default minimum cell size


def D(*values):
    return [Decimal(v) for v in values]


def hide(total, *dimensions, minimum=N):
    return hidden_cells(Decimal(total), [D(*cells) for cells in dimensions], minimum=minimum)


# Primary suppression -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "small"), [(0, False), (1, True), (4, True), (5, False), (120, False)]
)
def test_counts_from_one_to_n_minus_one_are_small_zero_is_not(value, small):
    assert is_small(Decimal(value), N) == small


def test_a_small_total_is_shown_as_less_than_n_to_donors_and_exactly_to_staff():
    donor = publish_single(Decimal(3), minimum=N, suppress=True)
    staff = publish_single(Decimal(3), minimum=N, suppress=False)
    assert (donor.hidden, donor.value, donor.label) == (True, None, "< 5")
    assert (staff.hidden, staff.value, staff.label) == (False, Decimal(3), "3")


def test_nothing_is_hidden_when_every_cell_is_large_or_zero():
    assert hide(50, [20, 30], [0, 50]) == (False, [[False, False], [False, False]])


def test_the_minimum_is_the_programmes():
    assert hide(30, [7, 23], minimum=10) == (False, [[True, True]])
    assert hide(30, [7, 23], minimum=5) == (False, [[False, False]])


# Secondary suppression -----------------------------------------------------------


def test_one_small_cell_beside_a_shown_total_takes_the_next_smallest_with_it():
    # Female 3, male 40, total 43: "< 5" alone would be 43 - 40.
    assert hide(43, [3, 40]) == (False, [[True, True]])
    # With a third cell the smallest other one goes, the largest stays.
    assert hide(53, [3, 10, 40]) == (False, [[True, True, False]])


def test_zeros_are_not_hidden_to_protect_a_cell():
    # The zero protects nothing (it adds nothing to the hidden sum): 40 goes instead.
    assert hide(43, [0, 3, 40]) == (False, [[False, True, True]])


def test_two_small_cells_that_add_up_to_a_small_count_take_a_third():
    # 2 + 2 = 4 would be known from 64 - 60.
    assert hide(64, [2, 2, 60]) == (False, [[True, True, True]])


def test_two_small_cells_whose_sum_pins_them_take_a_third():
    # 4 + 4 = 8 and both below 5: each must be 4.
    assert hide(68, [4, 4, 60]) == (False, [[True, True, True]])
    # 1 + 4 = 5 leaves each anything from 1 to 4: enough.
    assert hide(55, [1, 4, 50]) == (False, [[True, True, False]])


def test_a_hidden_cell_of_exactly_n_does_not_pin_a_small_one():
    # 1 and 5 hidden: 6 = a + b with a < 5 and b >= 5 gives a = 1. A third goes.
    assert hide(56, [1, 5, 50]) == (False, [[True, True, True]])


def test_each_dimension_is_protected_on_its_own_when_the_total_is_shown():
    total_hidden, cells = hide(38, [27, 11], [9, 29], [21, 13, 4])
    assert not total_hidden
    assert cells == [[False, False], [False, False], [False, True, True]]


def test_a_small_total_hides_every_non_zero_cell_of_every_dimension():
    assert hide(4, [3, 1], [4, 0], [0, 0, 4]) == (
        True,
        [[True, True], [True, False], [False, False, True]],
    )


def test_a_dimension_that_cannot_be_protected_hides_the_total_and_everything():
    # Two cells of 4 and nothing else: shown total 8 would give both away.
    total_hidden, cells = hide(8, [4, 4], [8, 0])
    assert total_hidden
    assert cells == [[True, True], [True, False]]


def test_cells_not_reported_are_neither_shown_nor_counted_on():
    cells = [Decimal(3), None, Decimal(40)]
    assert hidden_cells(Decimal(43), [cells], minimum=N) == (False, [[True, False, True]])


def test_published_table_labels_small_and_secondary_cells_differently():
    table = publish(
        Decimal(53),
        [("Form of exploitation", [("Sexual", Decimal(40)), ("Labour", Decimal(10)),
                                   ("Other", Decimal(3))])],
        minimum=N,
        suppress=True,
    )  # fmt: skip
    assert table.total.label == "53"
    labels = [(name, figure.label) for name, figure in table.dimensions[0].cells]
    assert labels == [("Sexual", "40"), ("Labour", "hidden"), ("Other", "< 5")]
    assert table.any_hidden
    exact = publish(Decimal(53), [("Form", [("Other", Decimal(3))])], minimum=N, suppress=False)
    assert exact.dimensions[0].cells[0][1].label == "3"
    assert not exact.any_hidden


# Nothing can be recovered ----------------------------------------------------------


def _feasible(cells, hidden, total, total_hidden, minimum):
    """Every value a reader could give each hidden cell of one dimension: a "< n"
    cell is 1..n-1, another hidden one n or more, the shown ones are known, and the
    cells add up to the total (any total of n or more when it is hidden)."""
    small = [is_small(c, minimum) for c in cells]
    ranges = []
    for c, h, s in zip(cells, hidden, small, strict=True):
        if not h:
            ranges.append([int(c)])
        elif s:
            ranges.append(list(range(1, minimum)))
        else:
            ranges.append(list(range(minimum, int(sum(cells)) + minimum + 1)))
    seen = [set() for _ in cells]
    for combination in product(*ranges):
        total_ok = (
            sum(combination) >= minimum and not is_small(Decimal(sum(combination)), minimum)
            if total_hidden
            else sum(combination) == total
        )
        if total_ok:
            for i, value in enumerate(combination):
                seen[i].add(value)
    return seen


@pytest.mark.parametrize(
    "cells",
    [
        [1, 4, 50],
        [3, 40],
        [4, 4, 60],
        [1, 5, 50],
        [2, 2, 2, 30],
        [0, 3, 40],
        [3, 10, 40],
        [1, 1, 1, 1, 20],
        [4, 6, 7],
        [1, 2],
    ],
)
def test_no_small_cell_can_be_narrowed_down_from_what_is_shown(cells):
    """Brute force over what a reader could try: each "< 5" cell could still be
    any of 1 to 4."""
    values = D(*cells)
    total = sum(values)
    total_hidden, (hidden,) = hidden_cells(total, [values], minimum=N)
    if total_hidden:
        return  # everything non-zero is hidden; nothing adds up to a known total
    feasible = _feasible(values, hidden, total, total_hidden, N)
    for value, h, possible in zip(values, hidden, feasible, strict=True):
        if is_small(value, N):
            assert h
            assert possible == {1, 2, 3, 4}, (cells, hidden, possible)
