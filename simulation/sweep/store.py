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

Every file is written under a temporary name starting with "." and moved into place
with :func:`os.replace` (atomic on POSIX). A run counts as complete only once its line
is in ``index.jsonl``, appended after all its files are in place. A SIGKILL at any point
thus leaves either a complete run or one that is redone (its files, identical, replaced);
a torn last index line is cut off when the store is next opened.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulation.sweep.worker import RunOutcome

INDEX = "index.jsonl"
MANIFEST = "manifest.json"
DATASETS = ("timeseries", "summary")


class StudyLocked(RuntimeError):
    """Another sweep is writing into this study folder."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_bytes(path, json.dumps(obj, indent=1, default=str).encode())


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
    return sink.getvalue()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The study folder's manifest, or None if it is missing or unreadable."""
    try:
        return json.loads((Path(folder) / MANIFEST).read_text())
    except (OSError, ValueError):
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
        self.root.mkdir(parents=True, exist_ok=True)
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
        """Remove leftovers of a killed writer: temporary files and a torn index line.
        Returns how many leftovers were removed. Call with the lock held."""
        removed = 0
        for tmp in self.root.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
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
        for line in path.read_text().splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "run_id" in rec:
                out.setdefault(rec["run_id"], rec)
        return out

    def failures(self) -> dict[str, dict[str, Any]]:
        out = {}
        for path in sorted((self.root / "failures").glob("*.json")):
            try:
                rec = json.loads(path.read_text())
            except json.JSONDecodeError:
                continue
            out[rec["run_id"]] = rec
        return out

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
        df = ds.dataset(files, format="parquet").to_table().to_pandas()
        keys = ["run_id"] + (["step"] if "step" in df.columns else [])
        return df.sort_values(keys, kind="stable").reset_index(drop=True)
