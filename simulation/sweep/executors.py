"""Executors: map the run function over tasks, yielding outcomes as they finish.

All three share one small interface, ``imap_unordered(fn, tasks)``, so the sweep does
not know where runs execute:

* :class:`InProcessExecutor` - in the calling process (``--workers 1``; easy to debug);
* :class:`LocalExecutor` - a :class:`~concurrent.futures.ProcessPoolExecutor`. On Linux,
  when the parent is single-threaded, workers are plain forks of the (warm) parent:
  measured on 16 runs at scale 10, 2 workers were 1.92x faster than 1 with "fork" and
  1.67x with the forkserver (benchmarks/bench_sweep.py). Otherwise they fork from a
  "forkserver" that has already imported the model and loaded its compiled kernels
  (:mod:`simulation.sweep.warm`), since forking a process that holds threads can deadlock;
* :class:`DaskExecutor` - a :mod:`distributed` cluster (``--scheduler ADDRESS``).

At most ``2 x workers`` tasks are in flight, so neither the task queue nor finished
results pile up in memory. An infrastructure error (a worker process killed, a lost
Dask worker) becomes a failed outcome of the tasks it hit; the sweep goes on. Tasks may
repeat (each submission is its own job). A scheduler that cannot be reached within
:data:`CONNECT_TIMEOUT` seconds is a :class:`ConfigError` naming the address.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from simulation.scenarios import ConfigError
from simulation.sweep.study import RunTask
from simulation.sweep.worker import RunOutcome, failed_outcome

RunFn = Callable[[RunTask], RunOutcome]
PRELOAD = ["simulation.sweep.warm"]  # imports the worker and loads its kernels
CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before giving up


class Executor(Protocol):
    workers: int

    def start(self) -> None: ...

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

    def start(self) -> None:
        pass

    def describe(self) -> dict[str, Any]:
        return {"kind": "in-process", "workers": 1}

    def close(self) -> None:
        pass


class LocalExecutor:
    """A local process pool of ``workers`` processes ("fork" when safe, else forkserver)."""

    def __init__(self, workers: int, context: str | None = None) -> None:
        self.workers = workers
        self.context = context
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        if self.context is None:  # decided when the pool starts: fork needs one thread
            single = threading.active_count() == 1
            self.context = "fork" if sys.platform == "linux" and single else "forkserver"
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
                outcome, lost = _collect(fut, pending.pop(fut))
                broken |= lost
                yield outcome
            if broken:  # a worker died: the old pool's unfinished tasks are lost, but
                # futures that finished meanwhile keep their results
                for fut, task in list(pending.items()):
                    pending.pop(fut)
                    if fut.done():
                        yield _collect(fut, task)[0]
                    else:
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


def _collect(fut: Future, task: RunTask) -> tuple[RunOutcome, bool]:
    """The outcome of a finished future, and whether it failed because the pool broke."""
    try:
        return fut.result(), False
    except BrokenProcessPool as exc:
        return failed_outcome(task, exc), True
    except Exception as exc:  # noqa: BLE001 - a run function that raises anyway
        return failed_outcome(task, exc), False


class DaskExecutor:
    """A Dask distributed cluster, by scheduler address or an existing ``Client``."""

    def __init__(self, scheduler: str | None = None, client: Any = None,
                 timeout: float | None = None) -> None:
        from distributed import Client

        self._own = client is None
        if client is None:
            timeout = CONNECT_TIMEOUT if timeout is None else timeout
            try:
                client = Client(scheduler, timeout=f"{timeout}s")
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"--scheduler {scheduler}: cannot connect to a Dask "
                                  f"scheduler within {timeout:g} s ({exc})") from None
        self.client = client
        self.address = self.client.scheduler.address
        threads = self.client.nthreads()
        self.workers = max(sum(threads.values()), 1)

    def start(self) -> None:
        pass  # connected in the constructor

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]) -> Iterator[RunOutcome]:
        from distributed import as_completed

        todo = iter(tasks)
        window = 2 * self.workers
        futures = {}

        def submit(task: RunTask) -> Any:  # a unique key per submission: tasks may repeat
            fut = self.client.submit(fn, task, key=f"run-{task.run_id}-{uuid.uuid4().hex}",
                                     pure=False)
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


def make_executor(workers: int = 1, scheduler: str | None = None,
                  timeout: float | None = None) -> Executor:
    """The executor for ``--workers N`` / ``--scheduler ADDRESS``; an unreachable
    scheduler (within ``timeout`` s, default :data:`CONNECT_TIMEOUT`) is a ConfigError."""
    if scheduler:
        return DaskExecutor(scheduler, timeout=timeout)
    if workers <= 1:
        return InProcessExecutor()
    return LocalExecutor(workers)
