"""numpy's float minimum, maximum and clip as compiled scalar functions, for kernels that
replace array expressions and must give the same numbers bit for bit.

They keep numpy's rules where a plain ``min``/``max`` differs: a NaN argument gives NaN,
and of two equal arguments (such as 0.0 and -0.0) the second is returned.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def maximum(a, b):
    """np.maximum(a, b) for floats."""
    if a != a:
        return a
    return a if a > b else b


@njit(cache=True)
def minimum(a, b):
    """np.minimum(a, b) for floats."""
    if a != a:
        return a
    return a if a < b else b


@njit(cache=True)
def clip(x, lo, hi):
    """np.clip(x, lo, hi) for floats (NaN stays NaN)."""
    return minimum(maximum(x, lo), hi)
