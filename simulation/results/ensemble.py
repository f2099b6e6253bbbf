"""Ensembles: a scenario (or several arms of a comparison) run on N seeds from one root seed.

**Seeds.** Member *i* of an N-member ensemble with root seed *r* runs with seed
``SeedSequence(r).spawn(N)[i]`` (63 bits; :func:`member_seeds`), the rule sweeps use for
their replications (:func:`simulation.sweep.design.replicate_seeds`): adding members keeps
the earlier ones, every arm of a comparison uses the same seeds (common random numbers),
and a sweep replicate with the same root seed is the same run. The root seed is the
scenario's ``scenario.seed`` (or ``--seed``); manifests record it and every member's seed.

**Where members run.** On the executors of sweeps (:mod:`simulation.sweep.executors`):
in this process, a local process pool or a Dask cluster. One task is one seed; it runs
every arm on that seed one after another, so arms that share the burn-in (same seed and
structure, only levers differ) restore the first arm's settled state instead of simulating
the burn-in again (:mod:`simulation.model.settled`; bit-identical). Each member is a pure
function of (config, seed) and the results are put back in member order, so the tables
are identical whatever the executor or number of workers (``tests/test_ensemble.py``).
A member that fails fails the ensemble (:class:`EnsembleFailed`, with the traceback).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulation.config import Config
from simulation.model import BlitarModel, settled
from simulation.results import stats
from simulation.sweep.design import replicate_seeds
from simulation.sweep.executors import Executor, make_executor
from simulation.sweep.worker import worker_info

SEED_RULE = ("member i of N: SeedSequence(root_seed).spawn(N)[i].generate_state(1, uint64)"
             " >> 1 (simulation.sweep.design.replicate_seeds)")
MAX_SEEDS = 1000


class EnsembleFailed(RuntimeError):
    """A member run raised: a bug in the model (the CLI reports it as an internal error)."""


def member_seeds(root_seed: int, n: int) -> list[int]:
    """The seeds of an ``n``-member ensemble with root seed ``root_seed``."""
    if not 1 <= n <= MAX_SEEDS:
        raise ValueError(f"an ensemble has 1-{MAX_SEEDS} members, got {n}")
    return replicate_seeds(root_seed, n)


def with_seed(cfg: Config, seed: int) -> Config:
    return cfg.model_copy(update={"scenario": cfg.scenario.model_copy(update={"seed": seed})})


# --- one seed, in a worker ------------------------------------------------------------------
@dataclass(frozen=True)
class SeedTask:
    """Every arm on one seed; picklable (configs as JSON), the worker's whole input."""

    index: int
    seed: int
    configs: tuple[str, ...]

    @property
    def run_id(self) -> str:  # named in the executors' failure messages
        return f"member {self.index} (seed {self.seed})"


@dataclass
class MemberRun:
    """One member of one arm: its monthly and per-kelurahan tables and end-of-run maps."""

    timeseries: pd.DataFrame
    kelurahan: pd.DataFrame
    maps: dict[str, np.ndarray]
    seconds: float


@dataclass
class SeedOutcome:
    task: SeedTask
    ok: bool
    runs: list[MemberRun]
    seconds: float
    worker: dict[str, Any] = field(default_factory=dict)


@contextmanager
def _shared_burn_in(arms: int) -> Iterator[None]:
    """Keep settled states while the arms of one seed run (restores the old capacity)."""
    before = getattr(settled, "_capacity", 0)
    if arms > 1 and before < 1:
        settled.enable(1)
    try:
        yield
    finally:
        if arms > 1 and before < 1:
            settled.enable(before)


def run_member(cfg: Config) -> MemberRun:
    t0 = time.perf_counter()
    model = BlitarModel(cfg)
    model.run()
    return MemberRun(model.timeseries(), model.kelurahan_recorder.frame(
        cfg.scenario.start_year), model.maps(), time.perf_counter() - t0)


def run_seed(task: SeedTask) -> SeedOutcome:
    """Run every arm of ``task`` on its seed (module level: pool and Dask workers import it)."""
    t0 = time.perf_counter()
    with _shared_burn_in(len(task.configs)):
        runs = [run_member(with_seed(Config.model_validate_json(c), task.seed))
                for c in task.configs]
    return SeedOutcome(task, True, runs, time.perf_counter() - t0, worker_info())


# --- an ensemble, in the parent -------------------------------------------------------------
@dataclass
class Ensemble:
    """One arm on every seed (or a subset); ``members[k]`` is member ``indices[k]`` and
    ran with ``seeds[k]``."""

    config: Config                  # the arm's config with the root seed
    seeds: list[int]
    members: list[MemberRun]
    indices: list[int]              # member numbers (0..N-1; all of them unless a subset)

    @property
    def root_seed(self) -> int:
        return self.config.scenario.seed

    def timeseries(self) -> pd.DataFrame:
        """Every member's monthly table, stacked in member order, ``seed`` first."""
        return stack([m.timeseries for m in self.members], self.seeds)

    def kelurahan(self) -> pd.DataFrame:
        return stack([m.kelurahan for m in self.members], self.seeds)

    def mean_maps(self) -> dict[str, np.ndarray]:
        """End-of-run maps averaged over members (cells without residents in a member are
        left out of its exposure; NaN where nobody lives in any member)."""
        out = {}
        for name in self.members[0].maps:
            stacked = np.stack([m.maps[name] for m in self.members])
            with np.errstate(all="ignore"), stats.quiet_all_nan():
                out[name] = (np.nanmean(stacked, axis=0) if np.isnan(stacked).any()
                             else stacked.mean(axis=0))
        return out


def stack(tables: Sequence[pd.DataFrame], seeds: Sequence[int]) -> pd.DataFrame:
    """Tables of members stacked in order, with a ``seed`` column first (int64)."""
    parts = [t.assign(seed=np.int64(s)) for t, s in zip(tables, seeds, strict=True)]
    out = pd.concat(parts, ignore_index=True)
    return out[["seed", *[c for c in out.columns if c != "seed"]]]


def unstack(table: pd.DataFrame) -> tuple[list[int], list[pd.DataFrame]]:
    """The members of a stacked table, in stored order (inverse of :func:`stack`)."""
    seeds = list(dict.fromkeys(int(s) for s in table["seed"]))
    return seeds, [table[table["seed"] == s].drop(columns="seed").reset_index(drop=True)
                   for s in seeds]


@dataclass
class EnsembleRun:
    """The arms' ensembles and how they were computed (for the manifest)."""

    arms: list[Ensemble]
    executor: dict[str, Any]
    timing: dict[str, Any]


def run_ensembles(configs: Sequence[Config], n_seeds: int, root_seed: int | None = None, *,
                  members: Sequence[int] | None = None, workers: int = 1,
                  scheduler: str | None = None, executor: Executor | None = None,
                  progress: bool = False, label: str = "ensemble") -> EnsembleRun:
    """Run every config in ``configs`` (the arms) on the same ``n_seeds`` member seeds
    derived from ``root_seed`` (default: the first arm's ``scenario.seed``); ``members``:
    only these member indices (e.g. to re-check some members of a stored ensemble)."""
    root = configs[0].scenario.seed if root_seed is None else int(root_seed)
    all_seeds = member_seeds(root, n_seeds)
    chosen = list(range(n_seeds)) if members is None else sorted(set(members))
    if not chosen or not all(0 <= i < n_seeds for i in chosen):
        raise ValueError(f"members {members}: indices must lie in 0-{n_seeds - 1}")
    seeds = [all_seeds[i] for i in chosen]
    arms = [with_seed(c, root) for c in configs]
    payload = tuple(c.model_dump_json() for c in arms)
    tasks = [SeedTask(i, all_seeds[i], payload) for i in chosen]
    started, t0 = datetime.now(UTC), time.perf_counter()
    own = executor is None
    ex = executor if executor is not None else make_executor(workers, scheduler)
    done: dict[int, SeedOutcome] = {}
    compute = 0.0
    try:
        ex.start()
        with tqdm(total=len(tasks), desc=label, unit="seed", disable=not progress,
                  leave=False) as bar:
            for outcome in ex.imap_unordered(run_seed, tasks):
                if not outcome.ok:
                    raise EnsembleFailed(f"{outcome.task.run_id} failed: {outcome.error}\n"
                                         f"{outcome.traceback}")
                done[outcome.task.index] = outcome
                compute += outcome.seconds
                bar.update(1)
    except BaseException:  # Ctrl+C, SIGTERM, a lost cluster, a failed member
        ex.abort()
        raise
    finally:
        if own:
            ex.close()
    wall = time.perf_counter() - t0
    ensembles = [Ensemble(arm, seeds, [done[i].runs[k] for i in chosen], chosen)
                 for k, arm in enumerate(arms)]
    timing = {"started": started.isoformat(), "finished": datetime.now(UTC).isoformat(),
              "seconds_wall": round(wall, 3), "seconds_compute": round(compute, 3),
              "members": len(tasks), "arms": len(arms), "months": arms[0].n_steps}
    return EnsembleRun(ensembles, ex.describe(), timing)
