"""Summaries of an ensemble's stacked tables (one block of rows per seed, ``seed`` column).

* :func:`monthly_summary`: per indicator and month, the mean over seeds and the 5-95 %
  band (:func:`simulation.results.stats.band`), long format;
* :func:`outcomes_by_seed` / :func:`outcome_summary`: the end-of-run outcomes of each seed
  (:func:`simulation.sweep.outcomes.summarise`: final-12-month means and run totals) and
  their mean, band and standard deviation over seeds;
* :func:`kelurahan_by_seed` / :func:`kelurahan_summary`: per kelurahan and column of the
  per-kelurahan table (:data:`simulation.model.kelurahan.KEL_COLUMNS`), the mean over the
  final 12 months of each seed, and their mean and band over seeds.

Every statistic is computed over members in stored order, so equal members give equal
summaries bit for bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model.indicators import COLUMNS
from simulation.model.kelurahan import KEL_UNITS
from simulation.results import stats
from simulation.results.ensemble import unstack
from simulation.sweep.outcomes import FINAL_MONTHS, OUTCOMES, summarise

INDICATORS = [name for name in COLUMNS if name != "step"]
LOW, HIGH = 5.0, 95.0  # the band's percentiles


def member_array(stacked: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """``(n_seeds, n_rows_per_member, n_columns)`` values of a stacked table."""
    seeds = stacked["seed"].to_numpy()
    n = len(dict.fromkeys(seeds.tolist()))
    values = stacked[columns].to_numpy(dtype=float)
    if values.shape[0] % n:
        raise ValueError("members of a stacked table differ in length")
    return values.reshape(n, values.shape[0] // n, len(columns))


def monthly_summary(stacked: pd.DataFrame) -> pd.DataFrame:
    """Long table: date, step, indicator, unit, mean, p05, p95, n (seeds)."""
    arr = member_array(stacked, INDICATORS)
    b = stats.band(arr, LOW, HIGH)
    _, members = unstack(stacked[["seed", "date", "step"]])
    first = members[0]
    n_months, n_ind = arr.shape[1], arr.shape[2]
    return pd.DataFrame({
        "date": np.repeat(first["date"].to_numpy(), n_ind),
        "step": np.repeat(first["step"].to_numpy(), n_ind),
        "indicator": np.tile(np.array(INDICATORS, dtype=object), n_months),
        "unit": np.tile(np.array([COLUMNS[c] for c in INDICATORS], dtype=object), n_months),
        "mean": b.mean.ravel(), "p05": b.low.ravel(), "p95": b.high.ravel(),
        "n": b.n.ravel().astype(np.int64)})


def outcomes_by_seed(stacked: pd.DataFrame) -> pd.DataFrame:
    """One row per seed: ``seed`` and every outcome of :data:`OUTCOMES`."""
    seeds, members = unstack(stacked)
    return pd.DataFrame([{"seed": s, **summarise(m)} for s, m in zip(seeds, members,
                                                                      strict=True)])


def band_rows(by_seed: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
    """Mean, 5-95 % band, standard deviation and n over the rows (seeds) of ``columns``."""
    arr = by_seed[columns].to_numpy(dtype=float)
    b = stats.band(arr, LOW, HIGH)
    with np.errstate(all="ignore"), stats.quiet_all_nan():
        sd = np.nanstd(arr, axis=0, ddof=1) if arr.shape[0] > 1 else np.full(len(columns),
                                                                              np.nan)
    return {"mean": b.mean, "p05": b.low, "p95": b.high, "sd": sd,
            "n": b.n.astype(np.int64)}


def outcome_summary(by_seed: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: unit, mean over seeds, 5-95 % band, standard deviation, n."""
    names = list(OUTCOMES)
    return pd.DataFrame({"outcome": names, "unit": [OUTCOMES[n] for n in names],
                         **band_rows(by_seed, names)})


def kelurahan_by_seed(stacked: pd.DataFrame) -> pd.DataFrame:
    """One row per seed and kelurahan: the final-12-month mean of each column."""
    cols = [c for c in KEL_UNITS if c in stacked.columns]
    rows = []
    for seed, member in zip(*unstack(stacked), strict=True):
        dates = member["date"].drop_duplicates().sort_values()
        tail = member[member["date"].isin(dates.iloc[-FINAL_MONTHS:])]
        with np.errstate(all="ignore"), stats.quiet_all_nan():
            means = tail.groupby(["kelurahan", "kecamatan"], sort=False)[cols].mean()
        rows.append(means.reset_index().assign(seed=np.int64(seed)))
    out = pd.concat(rows, ignore_index=True)
    return out[["seed", "kelurahan", "kecamatan", *cols]]


def kelurahan_wide(by_seed: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Per-seed kelurahan outcomes as one row per seed and one column per (kelurahan,
    column), in a fixed order; returns the table and the (kelurahan, kecamatan, column)
    of each column."""
    cols = [c for c in KEL_UNITS if c in by_seed.columns]
    first = by_seed[by_seed["seed"] == by_seed["seed"].iloc[0]]
    places = list(zip(first["kelurahan"], first["kecamatan"], strict=True))
    keys = [(k, kc, c) for k, kc in places for c in cols]
    seeds = list(dict.fromkeys(by_seed["seed"].tolist()))
    values = by_seed[cols].to_numpy(dtype=float).reshape(len(seeds), len(places) * len(cols))
    wide = pd.DataFrame(values, columns=[f"{k}|{c}" for k, _, c in keys])
    return wide.assign(seed=seeds), keys


def kelurahan_summary(by_seed: pd.DataFrame) -> pd.DataFrame:
    """Per kelurahan and column: unit and the mean, band, sd and n over seeds of the
    final-12-month means."""
    wide, keys = kelurahan_wide(by_seed)
    stats_ = band_rows(wide, [f"{k}|{c}" for k, _, c in keys])
    return pd.DataFrame({"kelurahan": [k for k, _, _ in keys],
                         "kecamatan": [kc for _, kc, _ in keys],
                         "column": [c for _, _, c in keys],
                         "unit": [KEL_UNITS[c] for _, _, c in keys], **stats_})
