"""Comparing a re-run with a stored run: per-indicator differences and tolerance verdicts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.results import provenance

COMPARED_PACKAGES = ("python", "mesa", "numpy", "numba", "pandas", "pyarrow", "scipy")


@dataclass(frozen=True)
class ColumnDiff:
    name: str
    max_abs: float
    max_rel: float
    n_differ: int
    within: bool


def compare_tables(ref: pd.DataFrame, new: pd.DataFrame, rtol: float,
                   atol: float) -> list[ColumnDiff]:
    """Per column of ``ref`` that differs in ``new`` (same shape assumed); within the
    tolerance when every value has ``|new - ref| <= atol + rtol * |ref|``."""
    out = []
    for name in ref.columns:
        a = ref[name].to_numpy()
        b = new[name].to_numpy()
        if a.dtype.kind == "M":
            a, b = a.view(np.int64).astype(float), b.view(np.int64).astype(float)
        a, b = a.astype(float), b.astype(float)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if same.all():
            continue
        diff = np.where(same, 0.0, np.abs(b - a))
        diff = np.where(np.isnan(diff), np.inf, diff)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(same, 0.0, diff / np.abs(a))
        rel = np.where(np.isnan(rel), np.inf, rel)
        within = bool(np.all(diff <= atol + rtol * np.abs(np.nan_to_num(a))))
        out.append(ColumnDiff(name, float(diff.max()), float(rel.max()),
                              int((~same).sum()), within))
    return out


def compare_maps(ref: dict[str, np.ndarray], new: dict[str, np.ndarray], rtol: float,
                 atol: float) -> list[ColumnDiff]:
    frames_ref = pd.DataFrame({k: v.ravel() for k, v in ref.items()})
    frames_new = pd.DataFrame({k: new[k].ravel() for k in ref})
    return [ColumnDiff(f"map {d.name}", d.max_abs, d.max_rel, d.n_differ, d.within)
            for d in compare_tables(frames_ref, frames_new, rtol, atol)]


def format_diffs(diffs: Iterable[ColumnDiff]) -> str:
    from tabulate import tabulate

    rows = [(d.name, f"{d.max_abs:.3g}", f"{d.max_rel:.3g}", d.n_differ,
             "yes" if d.within else "NO") for d in diffs]
    return tabulate(rows, headers=("indicator", "max abs diff", "max rel diff",
                                   "values differing", "within tolerance"))


def version_warnings(recorded: dict[str, str]) -> list[str]:
    """One line per package whose installed version differs from the recorded one."""
    installed = provenance.package_versions()
    return [f"{name} {recorded.get(name, '?')} recorded, {installed.get(name, '?')} installed"
            for name in COMPARED_PACKAGES if recorded.get(name) != installed.get(name)]
