"""Executors: map the run function over tasks, yielding outcomes as they finish.

All three share one small interface, ``imap_unordered(fn, tasks)``, so the sweep does
not know where runs execute:

* :class:`InProcessExecutor` - in the calling process (``--workers 1``; easy to debug);
* :class:`LocalExecutor` - a :class:`~concurrent.futures.ProcessPoolExecutor` whose
  workers fork from a "forkserver" that has already imported the model and loaded its
  compiled kernels (:mod:`simulation.sweep.warm`; measured: faster
  start than "spawn", and no forking of a parent that may hold threads);
* :class:`DaskExecutor` - a :mod:`distributed` cluster (``--scheduler ADDRESS``).

At most ``2 x workers`` tasks are in flight, so neither the task queue nor finished
results pile up in memory. An infrastructure error (a worker process killed, a lost
Dask worker) becomes a failed outcome of the tasks it hit; the sweep goes on.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from simulation.sweep.study import RunTask
from simulation.sweep.worker import RunOutcome, failed_outcome

RunFn = Callable[[RunTask], RunOutcome]
PRELOAD = ["simulation.sweep.warm"]  # imports the worker and loads its kernels


class Executor(Protocol):
    workers: int

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]
                       ) -> Iterator[RunOutcome]: ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class InProcessExecutor:
    """Runs tasks one after another in this process."""

    workers = 1

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]) -> Iterator[RunOutcome]:
        for task in tasks:
            try:
                yield fn(task)
            except Exception as exc:  # noqa: BLE001 - a run function that raises anyway
                yield failed_outcome(task, exc)

    def describe(self) -> dict[str, Any]:
        return {"kind": "in-process", "workers": 1}

    def close(self) -> None:
        pass


class LocalExecutor:
    """A local process pool of ``workers`` processes (forkserver context)."""

    def __init__(self, workers: int, context: str = "forkserver") -> None:
        self.workers = workers
        self.context = context
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = mp.get_context(self.context)
        if self.context == "forkserver":
            ctx.set_forkserver_preload(PRELOAD)
        return ProcessPoolExecutor(self.workers, mp_context=ctx)

    def start(self) -> None:
        if self._pool is None:
            self._pool = self._new_pool()

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]) -> Iterator[RunOutcome]:
        self.start()
        todo = iter(tasks)
        pending: dict[Future, RunTask] = {}
        window = 2 * self.workers
        while True:
            while len(pending) < window:
                task = next(todo, None)
                if task is None:
                    break
                try:
                    pending[self._pool.submit(fn, task)] = task
                except BrokenProcessPool as exc:
                    yield failed_outcome(task, exc)
                    self._restart()
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool as exc:
                    broken = True
                    yield failed_outcome(task, exc)
                except Exception as exc:  # noqa: BLE001
                    yield failed_outcome(task, exc)
            if broken:  # a worker died: every pending task of the old pool is lost
                for fut, task in list(pending.items()):
                    pending.pop(fut)
                    yield failed_outcome(task, BrokenProcessPool(
                        "a worker process died while this run was queued or running"))
                self._restart()

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def describe(self) -> dict[str, Any]:
        return {"kind": "process-pool", "workers": self.workers, "context": self.context}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask distributed cluster, by scheduler address or an existing ``Client``."""

    def __init__(self, scheduler: str | None = None, client: Any = None) -> None:
        from distributed import Client

        self._own = client is None
        self.client = client if client is not None else Client(scheduler, timeout="30s")
        self.address = self.client.scheduler.address
        threads = self.client.nthreads()
        self.workers = max(sum(threads.values()), 1)

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]) -> Iterator[RunOutcome]:
        from distributed import as_completed

        todo = iter(tasks)
        window = 2 * self.workers
        futures = {}

        def submit(task: RunTask) -> Any:
            fut = self.client.submit(fn, task, key=f"run-{task.run_id}", pure=False)
            futures[fut.key] = task
            return fut

        initial = [submit(t) for t in (next(todo, None) for _ in range(window)) if t]
        queue = as_completed(initial)
        for fut in queue:
            task = futures.pop(fut.key)
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker
                yield failed_outcome(task, exc)
            fut.release()
            nxt = next(todo, None)
            if nxt is not None:
                queue.add(submit(nxt))

    def describe(self) -> dict[str, Any]:
        return {"kind": "dask", "scheduler": self.address, "workers": self.workers}

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(workers: int = 1, scheduler: str | None = None) -> Executor:
    """The executor for ``--workers N`` / ``--scheduler ADDRESS``."""
    if scheduler:
        return DaskExecutor(scheduler)
    if workers <= 1:
        return InProcessExecutor()
    return LocalExecutor(workers)
