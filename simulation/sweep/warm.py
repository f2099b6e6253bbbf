"""Imported by the local pool's fork server: load the model and its compiled kernels once.

Importing this module runs a tiny simulation (1:100 scale, 12 months, ~0.1 s once the
kernels are loaded). Numba loads each cached kernel on its first call, ~1 s in all;
doing it here, in the fork server, means every worker process forked from it starts
with the kernels loaded instead of paying that second on its first run.
"""

from __future__ import annotations

from simulation.sweep.study import RunTask
from simulation.sweep.worker import simulate_task


def warm_up() -> None:
    simulate_task(RunTask("warm-up", 0, 0, 1, "blitar",
                          (("scenario.end_year", 2026), ("scenario.scale", 100))))


try:
    warm_up()
except Exception:  # noqa: BLE001 - a broken warm-up must not break the pool; runs report it
    pass
