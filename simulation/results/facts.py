"""Stylized-facts check (design brief section 7): paired policy arms on common seeds.

Each fact (:mod:`simulation.results.fact_rules`) names its arms (lever settings over the
default scenario), the outcome measured (:mod:`simulation.results.fact_outcomes`) and a
verdict rule fixed *before* looking at results. Every arm runs on the same seeds, so an
effect is the mean of per-seed paired differences, with a t-interval. The report states
the measured effect, its 95 % interval and whether the fact holds; where it does not,
that is reported, not tuned away. Runs go to a local process pool (``workers``); results
do not depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulation.model import BlitarModel, settled
from simulation.results.fact_outcomes import run_and_measure
from simulation.results.stats import paired_difference
from simulation.scenarios import load_config

Arms = dict[str, dict[str, Any]]
Verdict = tuple[str, float, float, float, bool]
SEED_BASE = 1000  # seeds 1000, 1001, ... (common to every arm)


@dataclass(frozen=True)
class Fact:
    name: str
    claim: str
    arms: Arms                           # arm name -> {"policy.x": value, ...}
    rule: str                            # the verdict rule, in words
    judge: Callable[[dict[str, np.ndarray]], Verdict]
    emergent: bool = False               # a pattern, not a policy effect
    extra: dict[str, Any] = field(default_factory=dict)


def paired(a: np.ndarray, b: np.ndarray | float) -> tuple[float, float, float]:
    """Mean of per-seed differences a - b with a 95 % t-interval (results/stats.py); seeds
    whose statistic is undefined (NaN) are left out."""
    d = np.asarray(a, float) - np.asarray(b, float)
    d = d[np.isfinite(d)]
    diff = paired_difference(d, np.zeros_like(d), 0.95)
    return float(diff.mean), float(diff.low), float(diff.high)


def rel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(a, float) / np.asarray(b, float) - 1.0


def _arm_values(levers: dict[str, Any], mid: int) -> dict[str, Any]:
    """Lever values of an arm; None stands for 'a third into the horizon' (dated levers)."""
    return {k: (mid if v is None else v) for k, v in levers.items()}


def _distinct_runs(facts: list[Fact], seeds: int, mid: int) -> list[tuple[tuple, int]]:
    runs = []
    for fact in facts:
        for levers in fact.arms.values():
            key = tuple(sorted(_arm_values(levers, mid).items()))
            for s in range(seeds):
                if (key, s) not in runs:
                    runs.append((key, s))
    return runs


def count_runs(seeds: int, facts: list[Fact] | None = None) -> int:
    """Distinct simulations run_facts performs (arms shared between facts run once)."""
    from simulation.results.fact_rules import FACTS
    return len(_distinct_runs(facts or FACTS, seeds, 0))


def _simulate(task: tuple[tuple, int, int, int, int]) -> dict[str, Any]:
    key, seed, scale, end_year, window = task
    settled.enable(4)  # arms on a common seed share the burn-in
    cfg = load_config("blitar", [f"scenario.scale={scale}", f"scenario.end_year={end_year}",
                                 f"scenario.seed={SEED_BASE + seed}"], **dict(key))
    return run_and_measure(BlitarModel(cfg), window)


def run_facts(seeds: int = 5, scale: int = 10, end_year: int = 2040,
              facts: list[Fact] | None = None, progress: Callable[[str], None] | None = None,
              workers: int = 1) -> pd.DataFrame:
    """Run every fact's arms on ``seeds`` common seeds; one row per fact."""
    from simulation.results.fact_rules import FACTS
    facts = facts or FACTS
    start = load_config("blitar").scenario.start_year
    window = 12 * min(5, end_year - start)
    mid = start + (end_year - start) // 3  # dated levers start a third into the horizon
    runs = sorted(_distinct_runs(facts, seeds, mid), key=lambda r: r[1])  # seed by seed
    tasks = [(key, s, scale, end_year, window) for key, s in runs]
    results: dict[tuple[tuple, int], dict[str, Any]] = {}
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            for (key, s), out in zip(runs, pool.map(_simulate, tasks), strict=True):
                results[(key, s)] = out
                if progress:
                    progress(f"seed {s}")
    else:
        for (key, s), task in zip(runs, tasks, strict=True):
            results[(key, s)] = _simulate(task)
            if progress:
                progress(f"seed {s}")
    rows = []
    for fact in facts:
        outcomes: dict[str, list[Any]] = {}
        for arm, levers in fact.arms.items():
            key = tuple(sorted(_arm_values(levers, mid).items()))
            for s in range(seeds):
                for name, value in results[(key, s)].items():
                    outcomes.setdefault(f"{arm}:{name}", []).append(value)
        arrays = {k: np.array(v) for k, v in outcomes.items()}
        note, effect, lo, hi, holds = fact.judge(arrays)
        rows.append({"fact": fact.name, "kind": "emergent" if fact.emergent else "policy",
                     "claim": fact.claim, "rule": fact.rule, "effect": effect, "ci_low": lo,
                     "ci_high": hi, "holds": bool(holds), "measured": note, "seeds": seeds,
                     "scale": scale, "end_year": end_year})
    return pd.DataFrame(rows)
