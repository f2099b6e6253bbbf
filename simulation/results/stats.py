"""Ensemble statistics shared by every comparison of runs over several seeds.

Runs of a stochastic model differ from seed to seed, so a single run against a single
baseline can show a "difference" that is only noise. The helpers here summarise an
ensemble (one row per seed) and compare two ensembles run on *common seeds* (row i of the
scenario and row i of the baseline share seed i, so their difference removes most of the
seed-to-seed variation):

- :func:`band`: mean and a central percentile band (5-95 % by default) over seeds;
- :func:`paired_difference`: the mean per-seed difference ``a - b`` with a two-sided
  t-interval (95 % by default);
- :func:`verdict`: whether that difference is distinguishable from noise (the interval
  excludes 0), within noise, identical (every seed gives the same value), or undetermined
  (fewer than two seeds).

Arrays are ``(n_seeds, ...)``: the statistics are taken over axis 0, element-wise over the
remaining axes (e.g. months), so one call handles a whole time series. NaN marks a
missing value and is left out seed by seed. Used by the stylised-facts check
(:func:`simulation.results.facts.paired`) and the browser view's bands and verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as sps

Verdict = Literal["distinguishable", "within_noise", "identical", "undetermined"]


@dataclass(frozen=True)
class Band:
    """Mean and percentile band over seeds; ``n`` seeds with a value (per element)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray


@dataclass(frozen=True)
class PairedDifference:
    """Mean of per-seed differences with its t-interval (NaN where ``n < 2``)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray
    spread: np.ndarray  # standard deviation of the per-seed differences (ddof=1)


def _seeds_first(x: ArrayLike) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        raise ValueError("an ensemble needs one value per seed (an array), got a scalar")
    return a


def band(samples: ArrayLike, low_pct: float = 5.0, high_pct: float = 95.0) -> Band:
    """Mean and the ``low_pct``-``high_pct`` percentile band of ``samples`` over seeds
    (axis 0), ignoring NaN. With one seed the band is that seed's value."""
    a = _seeds_first(samples)
    if not 0.0 <= low_pct <= high_pct <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 <= low <= high <= 100, got "
                         f"{low_pct}, {high_pct}")
    n = np.sum(np.isfinite(a), axis=0)
    # seeds missing as a whole (a run not computed yet) are dropped first: the plain
    # percentile is much faster than the NaN-aware one, which stays for scattered NaN
    rest = tuple(range(1, a.ndim))
    a = a[~np.isnan(a).all(axis=rest)] if rest else a[~np.isnan(a)]
    if a.size == 0:  # no seeds or no elements: empty statistics of the right shape
        empty = np.full(n.shape, np.nan)
        return Band(empty, empty.copy(), empty.copy(), n)
    with np.errstate(all="ignore"), _quiet_all_nan():
        if np.isnan(a).any():
            mean = np.nanmean(a, axis=0)
            low, high = np.nanpercentile(a, [low_pct, high_pct], axis=0)
        else:
            mean = a.mean(axis=0)
            low, high = np.percentile(a, [low_pct, high_pct], axis=0)
    return Band(np.asarray(mean), np.asarray(low), np.asarray(high), np.asarray(n))


def paired_difference(a: ArrayLike, b: ArrayLike, confidence: float = 0.95) -> PairedDifference:
    """Mean of the per-seed differences ``a - b`` (row i of each = seed i) with a
    two-sided t-interval at ``confidence``; seeds where either value is NaN are left out.

    For a single column this is the textbook paired t-interval:
    ``mean +- t(1 - alpha/2, n - 1) * sd / sqrt(n)``."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.ndim == 0:
        raise ValueError("an ensemble needs one value per seed (an array), got a scalar")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    ok = np.isfinite(d)
    n = ok.sum(axis=0)
    t = t_quantiles((1.0 + confidence) / 2.0, np.maximum(n - 1, 1))
    if d.shape[0] >= 2 and ok.all():  # the common case, in the plain textbook arithmetic
        mean, sd = d.mean(axis=0), d.std(axis=0, ddof=1)
        half = t * sd / np.sqrt(n)
    else:  # missing values or one seed: NaN-aware, silently NaN where nothing is known
        with np.errstate(all="ignore"), _quiet_all_nan():
            mean, sd = np.nanmean(d, axis=0), np.nanstd(d, axis=0, ddof=1)
            half = np.where(n >= 2, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
    mean, sd = np.asarray(mean), np.asarray(sd)
    return PairedDifference(mean, mean - half, mean + half, np.asarray(n), sd)


@lru_cache(maxsize=512)
def _t_quantile(q: float, dof: int) -> float:
    return float(sps.t.ppf(q, dof))


def t_quantiles(q: float, dof: ArrayLike) -> np.ndarray:
    """Student-t quantile ``q`` for each (integer) degrees of freedom in ``dof``, the same
    values as ``scipy.stats.t.ppf(q, dof)``. Cached per (q, dof): a browser card asks for
    the same few quantiles every month, and scipy's distribution machinery costs ~0.2 ms
    a call, more than the rest of a paired difference."""
    dof = np.asarray(dof)
    if not np.issubdtype(dof.dtype, np.integer):
        return np.asarray(sps.t.ppf(q, dof))
    uniq, inverse = np.unique(dof, return_inverse=True)
    return np.array([_t_quantile(q, int(d)) for d in uniq])[inverse].reshape(dof.shape)


def verdict(diff: PairedDifference) -> np.ndarray:
    """Per element: "identical" (every seed's difference is 0), "undetermined" (fewer
    than two seeds), "distinguishable" (the interval excludes 0) or "within_noise"."""
    identical = (diff.n >= 1) & (diff.mean == 0) & ~(diff.spread > 0)
    excludes = (diff.low > 0) | (diff.high < 0)
    out = np.where(excludes, "distinguishable", "within_noise").astype(object)
    out = np.where(diff.n < 2, "undetermined", out)
    return np.where(identical, "identical", out)


class _quiet_all_nan:
    """Silence numpy's "mean of empty slice" / "all-NaN slice" warnings: an element with
    no finite value is reported as NaN, which is the answer."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)


quiet_all_nan = _quiet_all_nan  # public name for callers outside this module
