"""The pure run function mapped over a study: (config, seed) -> tables.

:func:`execute_task` never raises for a model error: it returns a :class:`RunOutcome`
with the traceback, so a failing run is recorded and the sweep goes on, whatever the
executor. It is a module-level function of picklable arguments, importable in pool and
Dask worker processes. Importing this module imports (and loads the compiled kernels
of) the model, which is why the local pool preloads it in its fork server.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.model import BlitarModel
from simulation.scenarios import load_config
from simulation.sweep.kelurahan import kelurahan_outcomes
from simulation.sweep.outcomes import summarise
from simulation.sweep.study import RunTask


@dataclass
class RunOutcome:
    """What a worker sends back: tables on success, error and traceback on failure."""

    task: RunTask
    ok: bool
    timeseries: pd.DataFrame | None = None
    summary: dict[str, float] | None = None
    maps: dict[str, np.ndarray] | None = None
    error: str | None = None
    traceback: str | None = None
    seconds: float = 0.0
    worker: dict[str, str | int] = field(default_factory=dict)


def worker_info() -> dict[str, str | int]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def simulate_task(task: RunTask) -> tuple[pd.DataFrame, dict[str, np.ndarray] | None,
                                          dict[str, float]]:
    """Run the model for one task; returns the monthly table, (optionally) the maps and
    the per-kelurahan outcomes (:mod:`simulation.sweep.kelurahan`)."""
    cfg = load_config(task.base, **task.params())
    model = BlitarModel(cfg)
    model.run()
    return (model.timeseries(), (model.maps() if task.maps else None),
            kelurahan_outcomes(model.kelurahan_recorder))


def execute_task(task: RunTask) -> RunOutcome:
    """Run one task; a model error becomes a failed outcome with its traceback."""
    t0 = time.perf_counter()
    try:
        timeseries, maps, by_kelurahan = simulate_task(task)
        return RunOutcome(task, True, timeseries, summarise(timeseries) | by_kelurahan, maps,
                          seconds=time.perf_counter() - t0, worker=worker_info())
    except Exception as exc:  # noqa: BLE001 - failure isolation is the point
        return failed_outcome(task, exc, time.perf_counter() - t0)


def failed_outcome(task: RunTask, exc: BaseException, seconds: float = 0.0,
                   tb: str | None = None) -> RunOutcome:
    """A failed outcome for ``exc`` (also used by executors when a worker process dies)."""
    text = tb or "".join(traceback.format_exception(exc))
    return RunOutcome(task, False, error=f"{type(exc).__name__}: {exc}", traceback=text,
                      seconds=seconds, worker=worker_info())
