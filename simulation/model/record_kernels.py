"""Compiled one-pass tallies for the monthly recorders (city indicators, kelurahan table).

Each kernel replaces several whole-array expressions (masks, gathers, ``bincount``) by one
loop over the rows that adds the same terms in the same order, so the numbers are
bit-identical to the array formulation; tests/test_kernels_equivalence.py keeps that
formulation and compares. Sums that numpy reduces pairwise (``sum``, ``mean``) are left to
numpy: a kernel hands it the same array it used to get. No config, no Mesa, no randomness.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.model.state import FORMAL, INFORMAL, UNEMPLOYED

# rows of home_sums' result (per kelurahan sums over households, by home)
HOME_SUMS = ("households", "members", "members_air", "above", "members_above", "health",
             "members_industrial", "affected")


@njit(cache=True)
def worker_tally(status, employer, household, firm_sector, informal_sector, is_manufacturing,
                 wage):
    """One pass over the workers: (int64[3] workers by status, workers in manufacturing,
    float64[n formal] the formal workers' wages in row order).

    In manufacturing: formal workers at a manufacturing firm and informal ones in a
    household industry (agent units). status: int[workers] UNEMPLOYED, INFORMAL or FORMAL;
    employer: int[workers] firm row if formal, else -1; household: int[workers];
    firm_sector: int[firms]; informal_sector: int[households]; is_manufacturing:
    bool[sectors]; wage: float64[workers]. Branch-free (statuses are mixed, so a branch
    per worker is mispredicted often): both look-ups are read, the status picks.
    """
    n = status.shape[0]
    wages = np.empty(n)
    n_formal = 0
    n_informal = 0
    n_mfg = 0
    for w in range(n):
        formal = np.int64(status[w] == FORMAL)
        informal = np.int64(status[w] == INFORMAL)
        wages[n_formal] = wage[w]  # kept only if formal: the next formal row overwrites it
        n_formal += formal
        n_informal += informal
        firm = max(employer[w], 0)  # -1 (no employer) reads firm 0, then counts 0 times
        n_mfg += (formal * np.int64(is_manufacturing[firm_sector[firm]])
                  + informal * np.int64(is_manufacturing[informal_sector[household[w]]]))
    counts = np.zeros(3, np.int64)
    counts[UNEMPLOYED] = n - n_informal - n_formal
    counts[INFORMAL] = n_informal
    counts[FORMAL] = n_formal
    return counts, n_mfg, wages[:n_formal]


@njit(cache=True)
def lorenz_terms(values, weights, order):
    """Trapezoid terms w_i (L_i + L_{i-1}) under the Lorenz curve of ``values`` weighted by
    ``weights`` (float64[n]) taken in ``order`` (int[n], ascending values), with the total
    weight and weighted total: (float64[n] terms, total_w, total_vw). The cumulative sums
    run in order, as ``np.cumsum`` does; no terms (empty array) when total_vw <= 0."""
    n = order.shape[0]
    terms = np.empty(n)
    total_w = 0.0
    total_vw = 0.0
    for i in range(n):
        j = order[i]
        total_w += weights[j]
        total_vw += values[j] * weights[j]
        terms[i] = total_vw  # cumulative value share, before scaling
    if not total_vw > 0:
        return terms[:0], total_w, total_vw
    prev = 0.0
    for i in range(n):
        lorenz = terms[i] / total_vw
        terms[i] = weights[order[i]] * (lorenz + prev)
        prev = lorenz
    return terms, total_w, total_vw


@njit(cache=True)
def sector_value_added(alive, sector, real_output, margin, n_sectors):
    """Real value added per sector (float64[n_sectors]) of live firms: real_output x
    margin[sector], summed in row order (dead firms add 0.0, as the masked bincount did)."""
    out = np.zeros(n_sectors)
    for f in range(alive.shape[0]):
        s = sector[f]
        out[s] += real_output[f] * margin[s] if alive[f] else 0.0
    return out


@njit(cache=True)
def home_sums(home, cell_kel, n_bins, members, air, health, industrial, above, affected):
    """Per-kelurahan sums over households by home, one pass: float64[len(HOME_SUMS), n_bins]
    (rows named by HOME_SUMS; bin n_bins - 1 = outside the city).

    home: int[households] flat cell; cell_kel: int[cells] kelurahan of a cell; members,
    air, health: per household. industrial, above, affected are this month's exposure
    arrays, which may be shorter than the households (households born after it count as
    0 / False)."""
    out = np.zeros((8, n_bins))
    for h in range(home.shape[0]):
        k = cell_kel[home[h]]
        p = float(members[h])
        is_above = h < above.shape[0] and above[h]
        ind = industrial[h] if h < industrial.shape[0] else 0.0
        out[0, k] += 1.0
        out[1, k] += p
        out[2, k] += p * air[h]
        out[3, k] += 1.0 if is_above else 0.0
        out[4, k] += p * (1.0 if is_above else 0.0)
        out[5, k] += health[h]
        out[6, k] += p * ind
        out[7, k] += 1.0 if h < affected.shape[0] and affected[h] else 0.0
    return out


@njit(cache=True)
def workers_by_home_status(household, home, cell_kel, status, n_bins):
    """Workers per (kelurahan of their household's home, status): int64[n_bins, 3]."""
    out = np.zeros((n_bins, 3), np.int64)
    for w in range(household.shape[0]):
        out[cell_kel[home[household[w]]], status[w]] += 1
    return out


@njit(cache=True)
def firm_sums(alive, cell, cell_kel, workers, count_weight, n_bins):
    """Per-kelurahan sums over live firms by site: float64[2, n_bins] (workers,
    count_weight), in row order."""
    out = np.zeros((2, n_bins))
    for f in range(alive.shape[0]):
        if alive[f]:
            k = cell_kel[cell[f]]
            out[0, k] += float(workers[f])
            out[1, k] += float(count_weight[f])
    return out


@njit(cache=True)
def cell_mean_max(grid, background, inside_cells, kel_of_inside, cells_by_kel, starts,
                  n_cells):
    """Mean and maximum of grid + background (float64[cells]) over each kelurahan's cells:
    (float64[n] mean, float64[n] max). A NaN cell makes its maximum NaN (np.maximum)."""
    n = n_cells.shape[0]
    total = np.zeros(n)
    for i in range(inside_cells.shape[0]):
        total[kel_of_inside[i]] += grid[inside_cells[i]] + background
    top = np.empty(n)
    for k in range(n):
        end = starts[k + 1] if k + 1 < n else cells_by_kel.shape[0]
        mx = grid[cells_by_kel[starts[k]]] + background
        for i in range(starts[k] + 1, end):
            v = grid[cells_by_kel[i]] + background
            if mx == mx and (v > mx or v != v):
                mx = v
        top[k] = mx
    return total / n_cells, top
