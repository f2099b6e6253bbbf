"""Stored ensembles (published entries and ``run --seeds`` folders) as references to check.

A published ensemble entry ``results/published/<name>/`` holds data only:

* ``manifest.json``: the ensemble's manifest (:func:`.ensemble_runner.ensemble_manifest`:
  root seed, seed rule, every member's seed and digests, resolved config, provenance);
* ``monthly.csv.gz``: every member's monthly indicators, stacked in member order with a
  ``seed`` column first (gzip-compressed CSV, written with the modification time 0 so
  equal tables give equal bytes);
* ``outcomes.csv``: per end-of-run outcome, mean over seeds, 5-95 % band, sd, n;
* ``kelurahan_summary.csv``: per kelurahan and column, the final-12-month mean over seeds
  with its band;
* ``maps.npz``: the end-of-run maps averaged over members, and the land-use grid;
* ``reference.json``: SHA-256 of every file and the digest of the stacked monthly table.

:func:`load_ensemble` checks an entry or a run folder before anything is re-run or drawn:
the files against ``reference.json`` (entries) or the manifest's digests (run folders),
every stored member against its recorded digest, and (entries) ``outcomes.csv`` against
the outcomes recomputed from the stored members. Anything that does not match is a
:class:`~simulation.results.registry.ReproduceError` (exit status 2).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.results import ensemble_tables as tables
from simulation.results import provenance, readers
from simulation.results.ensemble import stack, unstack
from simulation.results.registry import (
    CSV_READ_OPTIONS,
    REFERENCE,
    ReproduceError,
    check_files,
    load_maps,
    normalise,
    read_reference_file,
    timeseries_digest,
)

ENSEMBLE_FILES = ("manifest.json", "monthly.csv.gz", "outcomes.csv", "kelurahan_summary.csv",
                  "maps.npz")


def is_ensemble(manifest: dict[str, Any]) -> bool:
    return manifest.get("kind") == "ensemble"


@dataclass
class EnsembleReference:
    """A stored ensemble: its manifest, seeds, member tables (normalised) and mean maps."""

    manifest_path: Path
    manifest: dict[str, Any]
    seeds: list[int]
    members: list[pd.DataFrame]
    maps: dict[str, np.ndarray] | None
    kind: str                      # "published ensemble" or "ensemble run folder"

    @property
    def folder(self) -> Path:
        return self.manifest_path.parent

    def stacked(self) -> pd.DataFrame:
        return stack(self.members, self.seeds)


def normalise_stacked(df: pd.DataFrame) -> pd.DataFrame:
    """A stacked monthly table in canonical form: ``seed`` int64, then each member's
    columns as :func:`~simulation.results.registry.normalise` makes them."""
    seeds, members = unstack(df)
    return stack([normalise(m) for m in members], seeds)


def stacked_digest(df: pd.DataFrame) -> str:
    return provenance.table_digest(normalise_stacked(df))


def csv_gz_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as gzip-compressed CSV, the same bytes for the same table (mtime 0)."""
    text = df.to_csv(index=False, lineterminator="\n").encode()
    return gzip.compress(text, compresslevel=9, mtime=0)


def read_stacked(path: Path) -> pd.DataFrame:
    """A stored stacked monthly table (CSV, gzip or not; or parquet), normalised."""
    if path.suffix == ".parquet":
        df = readers.read_parquet(path)
    else:
        df = readers.read_csv(path, **CSV_READ_OPTIONS)
    if "seed" not in df.columns or df.empty:
        raise ReproduceError(f"{path}: not a stacked ensemble table (no 'seed' column)")
    try:
        df["seed"] = df["seed"].astype(np.int64)
        return normalise_stacked(df)
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise ReproduceError(f"{path}: not a monthly indicator table ({exc})") from None


def _members_field(path: Path, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    members, seeds = manifest.get("members"), manifest.get("seeds")
    ok = (isinstance(members, list) and isinstance(seeds, list) and members
          and len(members) == len(seeds)
          and all(isinstance(m, dict) and m.get("seed") == s
                  and all(isinstance(m.get(k), str) for k in ("timeseries", "kelurahan",
                                                              "maps"))
                  for m, s in zip(members, seeds, strict=True)))
    if not ok:
        raise ReproduceError(f"{path}: ensemble manifest without a valid 'seeds' list and "
                             "'members' list (seed and digests of each member)")
    return members


def load_ensemble(manifest_path: Path, manifest: dict[str, Any]) -> EnsembleReference:
    """Read and check a stored ensemble (see the module docstring)."""
    folder = manifest_path.parent
    recorded = _members_field(manifest_path, manifest)
    if (folder / REFERENCE).is_file():
        kind, table_path = "published ensemble", folder / "monthly.csv.gz"
        ref = read_reference_file(folder / REFERENCE)
        check_files(folder, ref["files"], ENSEMBLE_FILES)
        stacked = read_stacked(table_path)
        if provenance.table_digest(stacked) != ref["timeseries_digest"]:
            raise ReproduceError(f"{table_path}: table digest differs from {REFERENCE} "
                                 "timeseries_digest (tampered?)")
    else:
        kind, table_path = "ensemble run folder", folder / "timeseries.parquet"
        if not table_path.is_file():
            raise ReproduceError(f"{folder}: no timeseries.parquet next to the ensemble "
                                 "manifest; cannot check its members")
        raw = readers.read_parquet(table_path)
        if provenance.table_digest(raw) != manifest["digests"]["timeseries"]:
            raise ReproduceError(f"{table_path}: its digest differs from the manifest's "
                                 "digests.timeseries: the stored table was modified (tampered?)")
        stacked = normalise_stacked(raw)
    seeds, members = unstack(stacked)
    if seeds != [m["seed"] for m in recorded]:
        raise ReproduceError(f"{table_path}: its seeds differ from the manifest's 'seeds'")
    for i, (member, rec) in enumerate(zip(members, recorded, strict=True)):
        if timeseries_digest(member) != rec["timeseries"]:
            raise ReproduceError(f"{table_path}: member {i} (seed {rec['seed']}) differs "
                                 "from its digest in the manifest (tampered?)")
    if kind == "published ensemble":
        _check_outcomes(folder / "outcomes.csv", stacked)
    maps_path = folder / "maps.npz"
    maps = load_maps(maps_path) if maps_path.is_file() else None
    if maps is not None and provenance.array_digest(maps) != manifest["digests"].get("maps"):
        raise ReproduceError(f"{maps_path}: digest differs from the manifest's digests.maps "
                             "(tampered?)")
    return EnsembleReference(manifest_path, manifest, seeds, members, maps, kind)


def outcomes_csv(stacked: pd.DataFrame) -> str:
    """``outcomes.csv`` of a stacked monthly table (what a published ensemble stores)."""
    summary = tables.outcome_summary(tables.outcomes_by_seed(stacked))
    return summary.to_csv(index=False, lineterminator="\n")


def kelurahan_csv(kelurahan: pd.DataFrame) -> str:
    """``kelurahan_summary.csv`` of the members' stacked kelurahan tables (what a published
    ensemble stores and what reproduce recomputes)."""
    summary = tables.kelurahan_summary(tables.kelurahan_by_seed(kelurahan))
    return summary.to_csv(index=False, lineterminator="\n")


def _check_outcomes(path: Path, stacked: pd.DataFrame) -> None:
    stored = path.read_bytes().replace(b"\r\n", b"\n").decode()
    if outcomes_csv(stacked) != stored:
        raise ReproduceError(f"{path}: differs from the outcomes recomputed from the stored "
                             "members (monthly.csv.gz): edited by hand?")
