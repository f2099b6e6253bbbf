"""The study folder on disk: crash-safe, append-only, one writer.

Layout (``results/studies/NAME/``)::

    manifest.json                  study file, design, resolved configs, seeds, versions, git
    index.jsonl                    one line per completed run (the commit record)
    timeseries/<run_id>.parquet    monthly indicators of one run
    summary/<run_id>.parquet       end-of-run outcomes of one run (one row)
    maps/<run_id>.npz              end-of-run maps (if requested)
    failures/<run_id>.json         error, traceback and parameters of a failed run
    .lock                          held (flock) while a sweep writes

Files are keyed by run id only, never by design point: a run's position in the design
changes when the study is edited, so the current manifest's ``runs`` list is what maps
run ids to design points (see :mod:`simulation.sweep.analysis`).

Every file is written with :func:`simulation.results.rundir.atomic_write_bytes` (a
temporary ``.NAME.PID.TOKEN.tmp`` moved into place with :func:`os.replace`). A run counts
as complete only once its line is in ``index.jsonl``, appended after all its files are in
place. A SIGKILL at any point thus leaves either a complete run or one that is redone
(its files, identical, replaced); temporaries of dead writers and a torn last index line
are removed when the store is next opened (:meth:`StudyStore.repair`), and a committed
run whose files are missing or unreadable is reported by :meth:`StudyStore.verify` (and
redone by the next sweep).
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.results import readers, rundir
from simulation.sweep.worker import RunOutcome

INDEX = "index.jsonl"
MANIFEST = "manifest.json"
DATASETS = ("timeseries", "summary")


class StudyLocked(RuntimeError):
    """Another sweep is writing into this study folder."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    rundir.atomic_write_bytes(path, data)


def atomic_write_json(path: Path, obj: Any) -> None:
    rundir.atomic_write_json(path, obj, indent=1)


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
    return sink.getvalue()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The study folder's manifest, or None if it is missing or unreadable."""
    try:
        return readers.read_json_object(Path(folder) / MANIFEST)
    except readers.CorruptFile:
        return None


class StudyStore:
    """Reads and writes one study folder (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # --- locking and repair ---------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive writer lock between processes; released by the OS even if the process is
        killed. A POSIX record lock (``lockf``), not ``flock``: forked pool workers do not
        inherit it, so a killed sweep's orphaned workers cannot keep the folder locked."""
        rundir.prepare_output(self.root)
        self.root.mkdir(exist_ok=True)
        with open(self.root / ".lock", "w") as fh:
            try:
                fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                raise StudyLocked(f"{self.root}: another sweep is running on this study "
                                  "folder") from None
            try:
                yield
            finally:
                fcntl.lockf(fh, fcntl.LOCK_UN)

    def repair(self) -> int:
        """Remove leftovers of killed writers: temporaries whose writer is gone (files of a
        sweep, folders of an analysis) and a torn index line. Returns how many leftovers
        were removed. Call with the lock held."""
        removed = len(rundir.clean_stale(self.root, recursive=True))
        index = self.root / INDEX
        if index.is_file():
            data = index.read_bytes()
            if data and not data.endswith(b"\n"):
                with open(index, "r+b") as fh:
                    fh.truncate(data.rfind(b"\n") + 1)
                removed += 1
        return removed

    # --- the run index --------------------------------------------------------------------
    def index(self) -> dict[str, dict[str, Any]]:
        """Completed runs by run id (first record wins; torn or invalid lines ignored)."""
        out: dict[str, dict[str, Any]] = {}
        path = self.root / INDEX
        if not path.is_file():
            return out
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue
            if isinstance(rec, dict) and isinstance(rec.get("run_id"), str):
                out.setdefault(rec["run_id"], rec)
        return out

    def failures(self) -> dict[str, dict[str, Any]]:
        """Failure records by run id (unreadable or malformed records are skipped)."""
        out = {}
        for path in sorted((self.root / "failures").glob("[!.]*.json")):
            try:
                rec = readers.read_json_object(path)
            except readers.CorruptFile:
                continue
            if isinstance(rec.get("run_id"), str):
                out[rec["run_id"]] = rec
        return out

    def verify(self, run_ids: Iterable[str], datasets: Iterable[str]) -> dict[str, str]:
        """Committed runs among ``run_ids`` whose files of ``datasets`` are missing or
        unreadable (parquet footer checked), with the problem: {run_id: "summary: missing"}."""
        committed = set(self.index())
        wanted = list(datasets)
        problems: dict[str, str] = {}
        for rid in sorted(set(run_ids) & committed):
            for name in wanted:
                issue = readers.check_parquet(self.root / name / f"{rid}.parquet")
                if issue is not None:
                    problems[rid] = f"{name}/{rid}.parquet: {issue}"
                    break
        return problems

    # --- writing one run ------------------------------------------------------------------
    def write_success(self, outcome: RunOutcome, keep_timeseries: bool,
                      keep_summary: bool) -> None:
        """Put the run's files in place, then commit it with an index line. The summary row
        records the run's parameters as a JSON string (``params``): one column whatever
        the levers, so part files of differently edited designs share one schema."""
        task = outcome.task
        ids = {"run_id": task.run_id, "replicate": task.replicate, "seed": task.seed}
        if outcome.maps is not None:
            sink = io.BytesIO()
            np.savez(sink, **outcome.maps)
            atomic_write_bytes(self.root / "maps" / f"{task.run_id}.npz", sink.getvalue())
        if keep_timeseries and outcome.timeseries is not None:
            df = outcome.timeseries.copy()
            for i, (k, v) in enumerate(ids.items()):
                df.insert(i, k, v)
            atomic_write_bytes(self.root / "timeseries" / f"{task.run_id}.parquet",
                               _parquet_bytes(df))
        if keep_summary and outcome.summary is not None:
            params = json.dumps(task.params(), sort_keys=True, default=str)
            row = {**ids, "params": params, **outcome.summary}
            atomic_write_bytes(self.root / "summary" / f"{task.run_id}.parquet",
                               _parquet_bytes(pd.DataFrame([row])))
        record = {**ids, "status": "ok",
                  "seconds": round(outcome.seconds, 4), "worker": outcome.worker}
        with open(self.root / INDEX, "a") as fh:  # the commit point of the run
            fh.write(json.dumps(record) + "\n")
        (self.root / "failures" / f"{task.run_id}.json").unlink(missing_ok=True)

    def write_failure(self, outcome: RunOutcome) -> None:
        task = outcome.task
        atomic_write_json(self.root / "failures" / f"{task.run_id}.json", {
            "run_id": task.run_id, "point": task.point, "replicate": task.replicate,
            "seed": task.seed, "base": task.base, "params": task.params(),
            "error": outcome.error, "traceback": outcome.traceback,
            "seconds": round(outcome.seconds, 4), "worker": outcome.worker})

    # --- reading --------------------------------------------------------------------------
    def read_dataset(self, name: str, run_ids: set[str] | None = None) -> pd.DataFrame:
        """A dataset (``timeseries`` or ``summary``) of the committed runs, in (run_id[,
        step]) order. ``run_ids`` restricts it (e.g. to the current design). Design points
        are not stored: :func:`simulation.sweep.analysis.load_results` attaches them from
        the current manifest."""
        import pyarrow.dataset as ds

        folder = self.root / name
        committed = set(self.index())
        if run_ids is not None:
            committed &= set(run_ids)
        files = [str(f) for f in (folder / f"{rid}.parquet" for rid in sorted(committed))
                 if f.is_file()]
        if not files:
            return pd.DataFrame()
        try:
            df = ds.dataset(files, format="parquet").to_table().to_pandas()
        except Exception:  # noqa: BLE001 - name the bad file(s) rather than pyarrow's error
            bad = [f for f in files if readers.check_parquet(Path(f)) is not None] or files
            for f in bad:
                readers.read_parquet(Path(f))  # raises CorruptFile naming the file
            raise readers.CorruptFile(f"{folder}: part files do not form one table "
                                      f"(schemas differ?)") from None
        keys = ["run_id"] + (["step"] if "step" in df.columns else [])
        return df.sort_values(keys, kind="stable").reset_index(drop=True)
