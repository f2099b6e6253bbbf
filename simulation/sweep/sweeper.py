"""Run a study: skip what is done, map the run function over the rest, stream to disk.

The parent process is the only writer: each outcome is written (and dropped) as soon as
it arrives, so memory stays flat whatever the study size. Rerunning the same study
resumes: committed runs are skipped, failed runs are retried unless
``retry_failed=False``. Stored values do not depend on the executor or the number of
workers, since each run is a pure function of its task. Design points with identical
resolved parameters (e.g. an integer range rounded to the same value) share one run id
and are run once; the manifest's ``runs`` list maps the run to every such point.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from simulation.results import rundir
from simulation.sweep.executors import Executor, make_executor
from simulation.sweep.store import MANIFEST, StudyStore, atomic_write_json, read_manifest
from simulation.sweep.study import RunTask, Study
from simulation.sweep.worker import RunOutcome, execute_task

MANIFEST_VERSION = 2  # 2: files keyed by run id only; run id hashes the resolved config


@dataclass
class SweepSummary:
    """What one invocation did. ``total`` counts distinct runs (design points with identical
    resolved parameters share one); ``failed`` counts runs without a result after it."""

    folder: Path
    total: int
    already_done: int
    ran: int = 0
    succeeded: int = 0
    failed_now: int = 0
    skipped_failed: int = 0
    wall_seconds: float = 0.0
    compute_seconds: float = 0.0
    failed_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.failed_now + self.skipped_failed

    def text(self) -> str:
        lines = [f"study folder: {self.folder}",
                 f"{self.total} runs: {self.already_done} already complete, {self.ran} run "
                 f"now ({self.succeeded} ok, {self.failed_now} failed) in "
                 f"{self.wall_seconds:.1f} s"]
        if self.skipped_failed:
            lines.append(f"{self.skipped_failed} earlier failures not retried "
                         "(--no-retry-failed)")
        if self.failed:
            lines.append(f"{self.failed} run(s) FAILED; tracebacks and parameters in "
                         f"{self.folder / 'failures'}; rerun the sweep to retry them")
        else:
            lines.append(f"all {self.total} runs complete")
        return "\n".join(lines)


def default_folder(study: Study) -> Path:
    return Path("results/studies") / rundir.check_name(study.name, "study name")


class _Bar(tqdm):
    """Progress bar without tqdm's monitor thread, so the local pool may fork safely."""

    monitor_interval = 0


def build_manifest(study: Study, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The study's provenance: file, overrides, resolved configs, design, seeds, versions."""
    s = study.spec.study
    invocations = (previous or {}).get("invocations", [])
    return {
        "manifest_version": MANIFEST_VERSION,
        "study": study.name,
        "study_file": str(study.path) if study.path else None,
        "study_text": study.text,
        "overrides": list(study.overrides),
        "spec": study.spec.model_dump(mode="json"),
        "design": {"name": s.design, "varied": study.varied, "fixed": study.fixed,
                   "points": study.points, "sample": study.sample,
                   "problem": study.problem},
        "root_seed": s.seed,
        "replicate_seeds": study.seeds,
        "base_config": study.base_config.model_dump(mode="json"),
        "resolved_configs": "base_config with design.fixed applied, then each run's params",
        "runs": [{"run_id": t.run_id, "point": t.point, "replicate": t.replicate,
                  "seed": t.seed, "params": t.params()} for t in study.tasks],
        **rundir.provenance_fields(study.base_config),
        "invocations": invocations if isinstance(invocations, list) else [],
    }


def run_sweep(study: Study, folder: Path | None = None, *, workers: int = 1,
              scheduler: str | None = None, executor: Executor | None = None,
              retry_failed: bool = True, progress: bool = False,
              run_fn: Callable | None = None) -> SweepSummary:
    """Execute ``study`` into ``folder`` (default ``results/studies/NAME``).

    ``executor`` overrides ``workers``/``scheduler``; ``run_fn`` (a picklable function
    of a :class:`RunTask`) replaces the model run, e.g. in tests."""
    t0 = time.perf_counter()
    store = StudyStore(folder or default_folder(study))
    runs: dict[str, RunTask] = {}
    for task in study.tasks:
        runs.setdefault(task.run_id, task)
    unique = list(runs.values())
    own = executor is None
    # connect first: a bad --scheduler is reported before anything is written
    ex = executor if executor is not None else make_executor(workers, scheduler)
    try:
        with store.lock():
            store.repair()
            kept = [d for d in ("summary", "timeseries")
                    if getattr(study.spec.outputs, d)]
            broken = store.verify(runs, kept)  # committed, but files missing or corrupt
            done = {k: v for k, v in store.index().items() if k not in broken}
            failures = {k: v for k, v in store.failures().items() if k not in done}
            todo = [t for t in unique if t.run_id not in done]
            summary = SweepSummary(store.root, len(unique), len(unique) - len(todo))
            if not retry_failed:
                summary.skipped_failed = sum(1 for t in todo if t.run_id in failures)
                todo = [t for t in todo if t.run_id not in failures]
            manifest = build_manifest(study, read_manifest(store.root))
            ex.start()  # before the progress bar: the pool's start method is chosen here
            invocation = {"started": datetime.now(UTC).isoformat(),
                          "executor": ex.describe(), "to_run": len(todo)}
            manifest["invocations"].append(invocation)
            atomic_write_json(store.root / MANIFEST, manifest)
            outputs = study.spec.outputs
            with _Bar(total=len(todo), desc=study.name, unit="run", disable=not progress,
                      dynamic_ncols=True) as bar:
                for outcome in ex.imap_unordered(run_fn or execute_task, todo):
                    _record(store, outcome, summary, outputs)
                    bar.set_postfix(done=summary.already_done + summary.succeeded,
                                    failed=summary.failed_now, refresh=False)
                    bar.update(1)
            summary.wall_seconds = time.perf_counter() - t0
            invocation.update(finished=datetime.now(UTC).isoformat(),
                              succeeded=summary.succeeded, failed=summary.failed_now,
                              wall_seconds=round(summary.wall_seconds, 3))
            atomic_write_json(store.root / MANIFEST, manifest)
    except BaseException:  # Ctrl+C, SIGTERM, a lost cluster, a full disk: drop runs in flight
        ex.abort()
        raise
    finally:
        if own:
            ex.close()
    return summary


def _record(store: StudyStore, outcome: RunOutcome, summary: SweepSummary,
            outputs: Any) -> None:
    summary.ran += 1
    summary.compute_seconds += outcome.seconds
    if outcome.ok:
        store.write_success(outcome, outputs.timeseries, outputs.summary)
        summary.succeeded += 1
    else:
        store.write_failure(outcome)
        summary.failed_now += 1
        summary.failed_ids.append(outcome.task.run_id)
