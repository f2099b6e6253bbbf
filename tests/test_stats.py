"""Ensemble statistics (simulation/results/stats.py): bands, paired intervals, verdicts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from simulation.results.facts import paired
from simulation.results.stats import band, paired_difference, verdict


def test_band_is_mean_and_percentiles_over_seeds() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(9, 5))
    b = band(x)
    np.testing.assert_allclose(b.mean, x.mean(axis=0))
    np.testing.assert_allclose(b.low, np.percentile(x, 5, axis=0))
    np.testing.assert_allclose(b.high, np.percentile(x, 95, axis=0))
    assert (b.n == 9).all()


def test_band_leaves_out_missing_seeds() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0], [np.nan, np.nan], [5.0, np.nan]])
    b = band(x, 0, 100)
    np.testing.assert_allclose(b.mean, [3.0, 3.0])
    np.testing.assert_allclose(b.low, [1.0, 2.0])
    np.testing.assert_allclose(b.high, [5.0, 4.0])
    np.testing.assert_array_equal(b.n, [3, 2])
    assert band(np.full((3, 0), np.nan)).low.shape == (0,)


def test_paired_interval_is_the_textbook_t_interval() -> None:
    rng = np.random.default_rng(7)
    a, b = rng.normal(1.0, 1.0, 8), rng.normal(0.0, 1.0, 8)
    d = paired_difference(a, b)
    ref = sps.t.interval(0.95, 7, loc=(a - b).mean(), scale=sps.sem(a - b))
    assert float(d.low) == pytest.approx(ref[0]) and float(d.high) == pytest.approx(ref[1])
    assert paired(a, b) == (float(d.mean), float(d.low), float(d.high))  # facts reuses it


def test_verdicts() -> None:
    same = paired_difference(np.ones(5), np.ones(5))
    assert verdict(same) == "identical"
    big = paired_difference(np.array([10.0, 11, 12, 10.5]), np.array([1.0, 1.2, 0.9, 1.1]))
    assert verdict(big) == "distinguishable"
    noise = paired_difference(np.array([1.0, -1.0, 0.5, -0.4]), np.zeros(4))
    assert verdict(noise) == "within_noise"
    one = paired_difference(np.array([1.0, np.nan]), np.array([0.0, 0.0]))
    assert verdict(one) == "undetermined" and np.isnan(one.low)
    # element-wise over months
    a = np.array([[1.0, 5.0], [1.0, 6.0], [1.0, 7.0]])
    v = verdict(paired_difference(a, np.ones((3, 2))))
    assert list(v) == ["identical", "distinguishable"]


def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="one value per seed"):
        paired_difference(1.0, 2.0)
    with pytest.raises(ValueError, match="confidence"):
        paired_difference([1.0, 2.0], [0.0, 0.0], confidence=1.5)
    with pytest.raises(ValueError, match="percentiles"):
        band([1.0, 2.0], 90, 10)


def test_cached_t_quantiles_are_scipys_values():
    from simulation.results.stats import t_quantiles

    for dof in (np.int64(4), np.array([1, 2, 9, 9, 30]), np.array([[4, 4], [7, 1]]),
                np.array([2.5, 3.0])):  # non-integer degrees of freedom go to scipy
        np.testing.assert_array_equal(t_quantiles(0.975, dof), sps.t.ppf(0.975, dof))
        assert np.shape(t_quantiles(0.975, dof)) == np.shape(dof)
