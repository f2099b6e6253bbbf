"""The month's air field as the exact steady state of advection, diffusion and loss.

Discretised on the grid (dx = 1 cell) with a 5-point Laplacian, first-order upwind advection
and zero concentration beyond the grid's edge, the steady state of

    dc/dt = D lap(c) - u.grad(c) - k c + s

is the sparse linear system A c = s, where A has (4D + k + |u| + |v|) on the diagonal and
-(D + inflow wind) towards each of the four neighbours. A is an M-matrix (diagonally dominant
with non-positive neighbours), so the solution exists, is unique and is non-negative for
non-negative sources. This is the steady state that ``kernels.air_step`` (the explicit
time-marching scheme with the same stencil) approaches; it is reached here exactly, to
round-off, instead of by marching a fixed time towards it.

The weather has a few distinct states (three by default), so A is factorised once per state
and process (SuperLU with a minimum-degree ordering of A + A^T: ~50 ms and ~12 MB for the
165 x 143 city grid) and each month costs one pair of sparse triangular solves (~1.3 ms).
Factors are looked up by their parameters (``_factor``, cached) rather than held by the
caller, so model objects stay deep-copyable (a SuperLU object cannot be copied).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

__all__ = ["AirOperator", "steady_operator", "steady_field", "air_losses"]


@dataclass(frozen=True)
class AirOperator:
    """Grid shape and rates of one weather state: diffusion D [cells^2/s], loss k [1/s],
    wind_u [cells/s, + = towards increasing column], wind_v [cells/s, + = towards increasing
    row]. Hashable: it is the key of the cached factorisation."""

    rows: int
    cols: int
    diffusion: float
    decay: float
    wind_u: float
    wind_v: float

    def __post_init__(self) -> None:
        if self.rows < 1 or self.cols < 1:
            raise ValueError(f"grid must have rows, cols >= 1, got {self.rows} x {self.cols}")
        for name in ("diffusion", "decay"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0.0):
                raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
        for name in ("wind_u", "wind_v"):
            if not np.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)!r}")
        if self.diffusion == 0.0 and self.decay == 0.0 and self.wind_u == self.wind_v == 0.0:
            raise ValueError("a steady air field needs diffusion, decay or wind > 0 "
                             "(otherwise nothing removes what the sources add)")

    @property
    def weights(self) -> tuple[float, float, float, float, float]:
        """(centre, from north, from south, from west, from east): the stencil's rates."""
        d, u, v = self.diffusion, self.wind_u, self.wind_v
        centre = 4.0 * d + self.decay + abs(u) + abs(v)
        # wind towards +row carries air from the row above (north), and so on
        return centre, d + max(v, 0.0), d + max(-v, 0.0), d + max(u, 0.0), d + max(-u, 0.0)


def steady_operator(op: AirOperator) -> sp.csc_array:
    """The matrix A of A c = s over the flattened grid (flat index row * cols + col)."""
    rows, cols = op.rows, op.cols
    centre, north, south, west, east = op.weights
    idx = np.arange(rows * cols).reshape(rows, cols)
    # (this cell, its neighbour, weight): row i reads row i - 1 (north) with weight `north`
    pairs = [
        (idx[1:], idx[:-1], north),
        (idx[:-1], idx[1:], south),
        (idx[:, 1:], idx[:, :-1], west),
        (idx[:, :-1], idx[:, 1:], east),
    ]
    i = [idx.ravel()] + [a.ravel() for a, _, _ in pairs]
    j = [idx.ravel()] + [b.ravel() for _, b, _ in pairs]
    w = [np.full(rows * cols, centre)] + [np.full(a.size, -wt) for a, _, wt in pairs]
    return sp.csc_array((np.concatenate(w), (np.concatenate(i), np.concatenate(j))),
                        shape=(rows * cols, rows * cols))


@lru_cache(maxsize=8)
def _factor(op: AirOperator):  # noqa: ANN202 (scipy's SuperLU has no public type)
    # No pivoting is needed (A is diagonally dominant); MMD on A + A^T keeps the fill lowest
    # of SuperLU's orderings on this grid (measured: 1.0 M vs 1.7-1.9 M non-zeros for the
    # others, solve 1.3 vs 2-4 ms).
    return splu(steady_operator(op), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                options={"SymmetricMode": True})


def steady_field(op: AirOperator, sources: np.ndarray, out: np.ndarray) -> None:
    """Write the steady field of ``sources`` (concentration per second per cell, shape
    (rows, cols)) into ``out`` (same shape, may be a Mesa layer's array)."""
    if sources.shape != (op.rows, op.cols) or out.shape != sources.shape:
        raise ValueError(f"sources and out must have shape {(op.rows, op.cols)}, got "
                         f"{sources.shape} and {out.shape}")
    out[...] = _factor(op).solve(np.ascontiguousarray(sources, dtype=np.float64).ravel()
                                 ).reshape(out.shape)


def air_losses(op: AirOperator, field: np.ndarray) -> tuple[float, float]:
    """(lost to decay, carried out across the grid's edge) per second by a field, in
    concentration x cells. For a steady field they add up to what its sources add."""
    _, north, south, west, east = op.weights
    decayed = op.decay * float(field.sum())
    # a boundary row/column sends out what its missing neighbour would have drawn from it
    left = (south * float(field[0].sum()) + north * float(field[-1].sum())
            + east * float(field[:, 0].sum()) + west * float(field[:, -1].sum()))
    return decayed, left
