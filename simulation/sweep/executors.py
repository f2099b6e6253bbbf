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
Dask worker whose tasks Dask gives up on) becomes a failed outcome of the tasks it hit;
the sweep goes on. Tasks may repeat (each submission is its own job). A scheduler that
cannot be reached within :data:`CONNECT_TIMEOUT` seconds is a :class:`ConfigError`
naming the address.

Faults that end a sweep: losing the connection to the Dask scheduler, or a cluster
without any worker for :data:`LOST_TIMEOUT` seconds while runs wait, raises
:class:`~simulation.results.errors.ClusterLost` at once (exit status 6); runs already
committed stay, and a rerun resumes. Pool workers never outlive the sweep: each asks
the kernel to kill it when its parent dies (Linux ``PR_SET_PDEATHSIG``; elsewhere a
thread watches the parent PID) and ignores Ctrl+C, which the parent handles by
terminating the pool (:meth:`LocalExecutor.abort`): runs in flight are discarded.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from simulation.results.errors import ClusterLost
from simulation.scenarios import ConfigError
from simulation.sweep.study import RunTask
from simulation.sweep.worker import RunOutcome, failed_outcome

RunFn = Callable[[RunTask], RunOutcome]
PRELOAD = ["simulation.sweep.warm"]  # imports the worker and loads its kernels
CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler before giving up
LOST_TIMEOUT = 30.0  # seconds a Dask cluster may have no worker while runs wait
POLL = 1.0  # seconds between liveness checks while waiting for Dask results
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None) -> None:
    """Make this process end when its parent does: the kernel's parent-death signal on
    Linux, else a daemon thread polling the parent PID. ``parent_pid``: the expected
    parent (None: do not check; e.g. the parent is a fork server)."""
    armed = False
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    ppid = os.getppid()
    if parent_pid is not None and ppid != parent_pid:
        os._exit(1)  # the parent died before the signal was armed
    if not armed:
        def watch() -> None:
            while os.getppid() == ppid:
                time.sleep(1.0)
            os._exit(1)
        threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _worker_init(parent_pid: int | None) -> None:
    """Pool worker set-up: Ctrl+C is the parent's to handle; die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)


class Executor(Protocol):
    workers: int

    def start(self) -> None: ...

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]
                       ) -> Iterator[RunOutcome]: ...

    def describe(self) -> dict[str, Any]: ...

    def abort(self) -> None: ...

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

    def abort(self) -> None:
        pass

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
        # a forked worker's parent is this process; a forkserver's child's is the server
        # (which exits when this process does)
        parent = os.getpid() if self.context == "fork" else None
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_init,
                                   initargs=(parent,))

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

    def abort(self) -> None:
        """Stop at once (Ctrl+C, SIGTERM, a write error): kill the workers, drop their runs."""
        if self._pool is None:
            return
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

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
        self.lost_timeout = LOST_TIMEOUT
        self._pending: dict[Any, RunTask] = {}
        if client is None:
            timeout = CONNECT_TIMEOUT if timeout is None else timeout
            try:
                client = Client(scheduler, timeout=f"{timeout}s")
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"--scheduler {scheduler}: cannot connect to a Dask "
                                  f"scheduler within {timeout:g} s ({exc})") from None
            except Exception as exc:  # noqa: BLE001 - e.g. ValueError for a bad scheme
                raise ConfigError(f"--scheduler {scheduler}: not a usable Dask scheduler "
                                  f"address ({type(exc).__name__}: {exc}); expected e.g. "
                                  "tcp://HOST:8786") from None
        if self._own:  # our message says it when the cluster is lost; not Dask's tracebacks
            import logging
            for name in ("distributed", "distributed.client", "distributed.comm",
                         "distributed.core", "distributed.batched", "tornado"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        self.client = client
        self.address = self.client.scheduler.address
        threads = self.client.nthreads()
        self.workers = max(sum(threads.values()), 1)

    def start(self) -> None:
        pass  # connected in the constructor

    def imap_unordered(self, fn: RunFn, tasks: Iterable[RunTask]) -> Iterator[RunOutcome]:
        from distributed import wait as dask_wait

        todo = iter(tasks)
        pending = self._pending
        window = 2 * self.workers

        def submit(task: RunTask) -> None:  # a unique key per submission: tasks may repeat
            fut = self.client.submit(fn, task, key=f"run-{task.run_id}-{uuid.uuid4().hex}",
                                     pure=False)
            pending[fut] = task

        for task in (next(todo, None) for _ in range(window)):
            if task is not None:
                submit(task)
        no_workers_since: float | None = None
        while pending:
            try:
                done, _ = dask_wait(list(pending), timeout=POLL, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            except Exception as exc:  # noqa: BLE001 - futures cancelled: connection lost
                raise self._lost(f"{type(exc).__name__}") from None
            if self.client.status != "running" or any(f.status == "cancelled" for f in done):
                raise self._lost(f"client {self.client.status}")
            if not done:
                if self._has_workers():
                    no_workers_since = None
                elif no_workers_since is None:
                    no_workers_since = time.monotonic()
                elif time.monotonic() - no_workers_since > self.lost_timeout:
                    raise ClusterLost(
                        f"Dask cluster {self.address}: no worker for {self.lost_timeout:g} s "
                        f"while {len(pending)} run(s) wait; completed runs are committed, "
                        "rerun the same command to resume")
                continue
            for fut in done:
                task = pending.pop(fut)
                try:
                    outcome = fut.result()
                except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker
                    outcome = failed_outcome(task, exc)
                fut.release()
                yield outcome
                nxt = next(todo, None)
                if nxt is not None:
                    submit(nxt)

    def _has_workers(self) -> bool:
        try:
            return bool(self.client.nthreads(callback_timeout=POLL * 5))
        except Exception:  # noqa: BLE001 - unreachable scheduler: no workers either
            return False

    def _lost(self, why: str) -> ClusterLost:
        return ClusterLost(f"lost the connection to the Dask scheduler {self.address} ({why}); "
                           "completed runs are committed, rerun the same command to resume")

    def describe(self) -> dict[str, Any]:
        return {"kind": "dask", "scheduler": self.address, "workers": self.workers}

    def abort(self) -> None:
        """Cancel the runs in flight (best effort: the scheduler may be gone)."""
        futures, self._pending = list(self._pending), {}
        if futures and self.client.status == "running":
            try:
                self.client.cancel(futures, callback_timeout=POLL * 5)
            except Exception:  # noqa: BLE001, S110 - nothing more to do for a dead cluster
                pass

    def close(self) -> None:
        if self._own:
            try:
                self.client.close(timeout=POLL * 5)
            except Exception:  # noqa: BLE001, S110 - a lost scheduler cannot be told
                pass


def make_executor(workers: int = 1, scheduler: str | None = None,
                  timeout: float | None = None) -> Executor:
    """The executor for ``--workers N`` / ``--scheduler ADDRESS``; an unreachable
    scheduler (within ``timeout`` s, default :data:`CONNECT_TIMEOUT`) is a ConfigError."""
    if scheduler is not None:
        if not scheduler.strip():
            raise ConfigError("--scheduler: empty address; give e.g. tcp://HOST:8786 or "
                              "leave the option out for local workers")
        return DaskExecutor(scheduler.strip(), timeout=timeout)
    if workers <= 1:
        return InProcessExecutor()
    return LocalExecutor(workers)
