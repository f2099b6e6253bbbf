"""Batch experiments: declarative studies, streaming resumable sweeps, analysis.

A *study* (``experiments/studies/NAME.toml``) declares a base scenario, lever axes or
ranges, a design (full factorial, Latin hypercube, Sobol, Morris) and replications. The
sweep maps one pure function, :func:`simulation.sweep.worker.execute_task` (a run of
(config, seed) returning tables), over the design on a swappable executor (in-process,
local process pool or Dask) and streams every finished run to disk. See docs/sweeps.md.
"""

from __future__ import annotations

from simulation.sweep.study import Study, StudyError, load_study
from simulation.sweep.sweeper import SweepSummary, run_sweep

__all__ = ["Study", "StudyError", "SweepSummary", "load_study", "run_sweep"]
