"""Evaluate a function of the home cell once per occupied cell instead of once per row.

Households share cells (about seven per occupied cell at full scale), so a quantity that
depends only on the home cell (working capacity at that cell's pollution) is computed on
one row per cell and copied to the others: elementwise numpy functions give each element
the same bits whatever the array, so the result is that of the per-row evaluation.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _first_rows(cell, n_cells):
    slot_of_cell = np.full(n_cells, -1, np.int64)
    first = np.empty(cell.shape[0], np.int64)
    slot = np.empty(cell.shape[0], np.int64)
    k = 0
    for r in range(cell.shape[0]):
        c = cell[r]
        if slot_of_cell[c] < 0:
            slot_of_cell[c] = k
            first[k] = r
            k += 1
        slot[r] = slot_of_cell[c]
    return first[:k], slot


def one_row_per_cell(cell: np.ndarray, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, slot) for rows at flat cells ``cell`` (int[rows], 0 <= cell < n_cells):
    ``first`` (int64[occupied cells]) the first row in each occupied cell, in order of
    first appearance; ``slot`` (int64[rows]) each row's index into ``first``. So
    ``f(x[first])[slot]`` equals ``f(x)`` for any elementwise ``f`` and any ``x`` that is
    the same for all rows of a cell."""
    return _first_rows(np.asarray(cell), int(n_cells))
