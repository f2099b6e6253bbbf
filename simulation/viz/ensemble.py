"""Seed ensembles for the browser view: whole runs computed in a background process.

The cards' "beda nyata / dalam batas acak" verdicts and the charts' noise bands need the
chosen scenario and its baseline run on several seeds. A run is fixed by its resolved
config and seed, so each is computed once per server, in a separate low-priority process
(the page's own process keeps serving), and kept for every tab that asks again: the
presets' ensembles are shared by all tabs. The result of a run is its monthly indicator
table (:data:`simulation.model.indicators.COLUMNS`) and its per-kelurahan table
(``"kel.<column>"``, float32); nothing mutable is shared.

Runs that share a burn-in (same seed and structure, other policy levers: a seed's
scenario and baseline) go to a worker together, which keeps settled states
(:mod:`simulation.model.settled`), so the second restores the first one's burn-in.

Jobs run in the order of their priority (0 first): a tab asks for the baseline of the
seed it is watching first (the comparison line), then the other seeds of scenario and
baseline alternately. A tab that changes its settings withdraws what it no longer needs.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from simulation.config import Config
from simulation.model import BlitarModel, settled
from simulation.model.indicators import COLUMNS
from simulation.viz import kelurahan
from simulation.viz.levers import same_run

log = logging.getLogger(__name__)

Series = dict[str, np.ndarray]
DEFAULT_SEEDS = 8
WORKER_SETTLED = 2  # settled states a worker keeps (its recent seeds)
BATCH = 4  # at most this many runs sharing a burn-in go to a worker at once
MAX_KEPT = 200  # runs kept (about 0.4 MB each with the per-kelurahan table)


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        log.warning("%s=%r is not a whole number; using %d", name, os.environ[name], default)
        return default


def n_seeds() -> int:
    """Seeds per ensemble (``BLITAR_VIZ_SEEDS``, default 8; at least 2 for an interval)."""
    return max(2, _env_int("BLITAR_VIZ_SEEDS", DEFAULT_SEEDS))


def seeds(first: int, n: int) -> list[int]:
    """The ensemble's seeds: ``first`` (the interactive run's) and the next ``n - 1``."""
    return [(first + i) % 2**63 for i in range(n)]


def with_seed(cfg: Config, seed: int) -> Config:
    return cfg.model_copy(update={"scenario": cfg.scenario.model_copy(update={"seed": seed})})


def run_key(cfg: Config) -> str:
    """Identity of a run: its resolved config (seed included) without names and texts."""
    return hashlib.sha256(same_run(cfg).encode()).hexdigest()[:32]


def run_series(cfg_json: str) -> Series:
    """Run a whole horizon and return its monthly indicators and per-kelurahan table
    (executed in a worker)."""
    model = BlitarModel(Config.model_validate_json(cfg_json))
    model.run()
    out = {name: np.asarray(values, dtype=float)
           for name, values in model.recorder.data.items() if name in COLUMNS}
    return out | kelurahan.series(model)


def run_batch(cfg_jsons: list[str]) -> list[Series]:
    """Run several horizons one after the other (they share a burn-in)."""
    return [run_series(j) for j in cfg_jsons]


def burn_in_key(cfg: Config) -> str:
    """Runs with the same key share a settled state (:func:`simulation.model.settled.key`)."""
    return settled.key(cfg)


def _worker_start() -> None:
    """Worker set-up: lower priority than the page, settled states kept, and exit with
    the server."""
    settled.enable(WORKER_SETTLED)
    try:
        os.nice(10)
    except OSError:
        pass
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def process_pool(workers: int) -> Executor:
    """Worker processes started fresh (spawn): the server has threads, so no fork."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_start,
                               mp_context=multiprocessing.get_context("spawn"))


@dataclass
class _Job:
    priority: int
    order: int
    cfg_json: str
    burn_in: str                      # runs with the same burn_in go to a worker together
    owners: set[int] = field(default_factory=set)


class Ensembles:
    """Background runs keyed by :func:`run_key`, computed at most once.

    ``want(owner, jobs)`` states every run an owner (a tab) needs now; results appear in
    :meth:`get` and each arrival bumps :attr:`version` (:meth:`wait` blocks on it)."""

    def __init__(self, workers: int = 1,
                 executor: Callable[[int], Executor] = process_pool) -> None:
        self._cond = threading.Condition()
        self._results: OrderedDict[str, Series] = OrderedDict()
        self._failed: set[str] = set()
        self._pending: dict[str, _Job] = {}
        self._running: set[str] = set()
        self._batches = 0  # batches submitted and not finished (at most one per worker)
        self._order = itertools.count()
        self._workers = max(1, workers)
        self._make_executor = executor
        self._executor: Executor | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self.version = 0

    # --- asking ---------------------------------------------------------------------
    def want(self, owner: int, jobs: list[tuple[int, Config]]) -> list[str]:
        """Replace ``owner``'s wanted runs by ``jobs`` ((priority, config) pairs); return
        their keys in order. Runs already known are not queued again."""
        keys = []
        with self._cond:
            self._release(owner)
            for priority, cfg in jobs:
                key = run_key(cfg)
                keys.append(key)
                if key in self._results or key in self._running or key in self._failed:
                    continue
                job = self._pending.get(key)
                if job is None:
                    job = self._pending[key] = _Job(priority, next(self._order),
                                                    cfg.model_dump_json(), burn_in_key(cfg))
                job.priority = min(job.priority, priority)
                job.owners.add(owner)
            self._start()
            self._cond.notify_all()
        return keys

    def drop(self, owner: int) -> None:
        """``owner`` needs nothing any more (its tab closed)."""
        with self._cond:
            self._release(owner)

    def _release(self, owner: int) -> None:
        for key in [k for k, job in self._pending.items() if owner in job.owners]:
            job = self._pending[key]
            job.owners.discard(owner)
            if not job.owners:
                del self._pending[key]

    def get(self, key: str) -> Series | None:
        with self._cond:
            return self._results.get(key)

    def failed(self, key: str) -> bool:
        with self._cond:
            return key in self._failed

    def wait(self, seen: int, timeout: float) -> int:
        """Block until :attr:`version` differs from ``seen`` (or ``timeout`` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self._closed, timeout)
            return self.version

    def busy(self) -> int:
        """Runs queued or running."""
        with self._cond:
            return len(self._pending) + len(self._running)

    # --- running --------------------------------------------------------------------
    def _start(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._dispatch, name="viz-ensembles",
                                            daemon=True)
            self._thread.start()

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or (
                    self._pending and self._batches < self._workers))
                if self._closed:
                    return
                first = min(self._pending.values(), key=lambda j: (j.priority, j.order))
                batch = sorted((k for k, j in self._pending.items()
                                if j.burn_in == first.burn_in),
                               key=lambda k: (self._pending[k].priority,
                                              self._pending[k].order))[:BATCH]
                jobs = [self._pending.pop(k) for k in batch]
                self._running.update(batch)
                self._batches += 1
                if self._executor is None:
                    self._executor = self._make_executor(self._workers)
                executor = self._executor
            try:
                future = executor.submit(run_batch, [j.cfg_json for j in jobs])
            except RuntimeError as exc:  # shutting down
                log.warning("ensemble run not started: %s", exc)
                self._finish(batch, None)
                return
            future.add_done_callback(lambda f, keys=batch: self._finish(keys, f))

    def _finish(self, keys: list[str], future: Future | None) -> None:
        results: list[Series] | None = None
        if future is not None and not future.cancelled():
            exc = future.exception()
            if exc is None:
                results = future.result()
            else:
                log.warning("ensemble run failed: %s: %s", type(exc).__name__, exc)
        with self._cond:
            self._batches -= 1
            for i, key in enumerate(keys):
                self._running.discard(key)
                if results is None:
                    self._failed.add(key)
                else:
                    self._results[key] = results[i]
            while len(self._results) > MAX_KEPT:
                self._results.popitem(last=False)
            self.version += 1
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._pending.clear()
            self._cond.notify_all()
            executor = self._executor
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


_SHARED: Ensembles | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Ensembles:
    """The server's ensemble runner (one per process, created on first use)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Ensembles(_env_int("BLITAR_VIZ_WORKERS", max(1, (os.cpu_count() or 2) - 1)))
        return _SHARED
