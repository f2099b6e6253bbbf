"""Experimental designs (full factorial; Latin hypercube, Sobol, Morris via SALib) and
replicate seeds.

A design is a list of *points*, each a dict ``{lever key: value}`` of the levers that
vary. Sampling designs also return the raw SALib sample (before integer levers are
rounded; kept for provenance) and the SALib ``problem``. The indices are computed from
the points as run (integer levers rounded); rounded points may coincide, and then share
one run.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from simulation.sweep.study import Axis


def replicate_seeds(root_seed: int, replications: int) -> list[int]:
    """Seed of replicate r: derived from (root seed, r) only via numpy's SeedSequence, so
    every design point uses the same seeds (common random numbers) and adding
    replications keeps the earlier ones."""
    children = np.random.SeedSequence(root_seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def salib_problem(levers: Sequence[Axis]) -> dict[str, Any]:
    ranged = [lv for lv in levers if lv.kind == "range"]
    return {"num_vars": len(ranged), "names": [lv.key for lv in ranged],
            "bounds": [[lv.low, lv.high] for lv in ranged]}


def _value(lever: Axis, x: float) -> float | int:
    return int(round(float(x))) if lever.integer else float(x)


def make_design(name: str, levers: Sequence[Axis], samples: int | None = None,
                seed: int = 0, morris_levels: int = 4
                ) -> tuple[list[dict[str, Any]], list[list[float]] | None, dict | None]:
    """Points of the design ``name``; returns (points, raw sample or None, problem or None)."""
    if name == "full_factorial":
        axes = [lv for lv in levers if lv.kind == "axis"]
        combos = itertools.product(*(lv.values for lv in axes))
        return [{lv.key: v for lv, v in zip(axes, combo, strict=True)} for combo in combos], \
            None, None
    problem = salib_problem(levers)
    assert samples is not None
    salib_seed = int(seed % 2**32)
    if name == "lhs":
        from SALib.sample import latin
        x = latin.sample(problem, samples, seed=salib_seed)
    elif name == "sobol":
        from SALib.sample import sobol
        x = sobol.sample(problem, samples, calc_second_order=False, seed=salib_seed)
    elif name == "morris":
        from SALib.sample import morris
        x = morris.sample(problem, samples, num_levels=morris_levels, seed=salib_seed)
    else:
        raise ValueError(f"unknown design {name!r}")
    ranged = [lv for lv in levers if lv.kind == "range"]
    points = [{lv.key: _value(lv, v) for lv, v in zip(ranged, row, strict=True)} for row in x]
    return points, x.tolist(), problem
